package io.dualrank.util;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a directory, so that two jobs never write into it at once: an operating-system lock
 * ({@link FileChannel#tryLock}) on the file {@value #FILE} in it, which names its holder (process id, host,
 * time). The lock dies with its process, so a killed job never leaves the directory locked; the file is
 * removed when the lock is released.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String FILE = ".lock";

  /** The directory is locked by another job. */
  public static final class HeldException extends IOException {
    HeldException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir} (created when needed) for {@code job}.
   *
   * @throws HeldException naming the holder when another job (in this process or another) holds the lock
   */
  public static DirectoryLock acquire(Path dir, String job) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      channel.close();
      throw new HeldException(dir + " is in use by another " + job + (holder.isEmpty() ? "" : " (" + holder + ")")
          + "; wait until it ends or choose another directory");
    }
    String holder = job + " by process " + ManagementFactory.getRuntimeMXBean().getName() + " since "
        + Instant.now();
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
    return new DirectoryLock(file, channel, lock);
  }

  /** Removes the lock file and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(file);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
