/**
 * Commands that work through a mounted node: {@code mount} starts one; {@code walk-inodes},
 * {@code stat}, {@code df}, {@code statfs} and {@code sync} reach it through the control socket of
 * the mount a path lies on ({@link org.scoutfs.cli.online.MountedVolume}), and fail clearly when
 * the path is not on a scoutfs mount.
 */
package org.scoutfs.cli.online;
