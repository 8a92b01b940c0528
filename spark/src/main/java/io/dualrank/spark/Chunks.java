package io.dualrank.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiPredicate;
import java.util.function.Function;

/** Lazy processing of a partition in groups of records, so that a partition never sits in memory whole. */
final class Chunks {
  private Chunks() {}

  /** {@code f} applied to consecutive groups of {@code size} records (the last shorter), results concatenated. */
  static <A, B> Iterator<B> map(Iterator<A> records, int size, Function<List<A>, List<B>> f) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size must be positive, got " + size);
    }
    return groups(records, (group, next) -> group.size() < size, f);
  }

  /**
   * {@code f} applied to consecutive groups of records, a record joining the current group while
   * {@code sameGroup(group, record)} holds, results concatenated.
   */
  static <A, B> Iterator<B> groups(Iterator<A> records, BiPredicate<List<A>, A> sameGroup,
      Function<List<A>, List<B>> f) {
    return new Iterator<>() {
      private Iterator<B> current = Collections.emptyIterator();
      private A pending;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && (pending != null || records.hasNext())) {
          List<A> group = new ArrayList<>();
          group.add(pending != null ? pending : records.next());
          pending = null;
          while (records.hasNext()) {
            A next = records.next();
            if (!sameGroup.test(group, next)) {
              pending = next;
              break;
            }
            group.add(next);
          }
          current = f.apply(group).iterator();
        }
        return current.hasNext();
      }

      @Override
      public B next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
