/**
 * The operating system underneath: libc calls over the foreign function API, the
 * {@code /dev/fuse} device, and the two ways of mounting and unmounting.
 *
 * <h2>What it is for</h2>
 * {@link org.scoutfs.fuse.internal.sys.LibC} binds the few libc functions needed (open, read,
 * write, close, ioctl, mount, umount2, socketpair, recvmsg, poll, waitpid, geteuid), capturing
 * errno into {@link org.scoutfs.fuse.internal.sys.SyscallException}.
 * {@link org.scoutfs.fuse.internal.sys.FuseDevice} is one descriptor of {@code /dev/fuse}.
 * {@link org.scoutfs.fuse.internal.sys.FusermountConnection} mounts through
 * {@code fusermount3 -o auto_unmount}, spawned with
 * {@link org.scoutfs.fuse.internal.sys.ProcessSpawner} and answered through
 * {@link org.scoutfs.fuse.internal.sys.DescriptorPassing} (SCM_RIGHTS);
 * {@link org.scoutfs.fuse.internal.sys.DirectConnection} calls {@code mount(2)} itself.
 * {@link org.scoutfs.fuse.internal.sys.Unmounter} and
 * {@link org.scoutfs.fuse.internal.sys.MountTable} undo and observe mounts.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every descriptor we create is close-on-exec; the only one a child inherits is the one
 *       spawned on purpose, at a fixed number, with every other descriptor closed.</li>
 *   <li>With fusermount3, our end of the control socket stays open exactly as long as the
 *       session: its closing (by us, or by the kernel when we die) is the helper's signal to
 *       unmount and exit.</li>
 *   <li>Mount state is read from {@code /proc/self/mountinfo}, never by touching the mount, so
 *       checking a mount cannot hang on a stuck daemon.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * All calls are thread-safe. Blocking calls (read on the device, recvmsg, waitpid) are made on
 * platform threads only.
 *
 * <h2>What it deliberately does not do</h2>
 * No libfuse, no JNI, no {@code fork}: posix_spawn is the only way a child is started. No
 * fusectl (/sys/fs/fuse/connections) use: a busy mount is aborted with {@code MNT_FORCE}.
 */
package org.scoutfs.fuse.internal.sys;
