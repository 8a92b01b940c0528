package io.dualrank.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "dev" when running from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = DualRank.class.getPackage().getImplementationVersion();
    return new String[] {"dualrank " + (v == null ? "dev" : v)};
  }
}
