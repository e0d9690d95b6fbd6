/**
 * The {@code scoutfs} command line. {@link org.scoutfs.cli.Main} registers the subcommands and
 * reports every failure the same way: {@code scoutfs: <command> failed: <reason>}, exit status 1
 * (2 for usage errors). Commands that work on devices directly live in
 * {@link org.scoutfs.cli.offline}; commands that talk to a mounted node come with the mount.
 */
package org.scoutfs.cli;
