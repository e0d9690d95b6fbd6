/**
 * The on-disk format, in one place: layouts of every structure ({@link org.scoutfs.lsm.format.Layouts}),
 * constants ({@link org.scoutfs.lsm.format.Format}), key zones and types
 * ({@link org.scoutfs.lsm.format.Zones}), and every encoder and decoder. Nothing outside this
 * package reads or writes a field of a block.
 *
 * <p>All numbers are big-endian, so an encoded key sorts like the key. Every metadata block starts
 * with a header (crc32c, magic, fsid, block number, sequence) that lets a reader tell a damaged
 * block from a block that was legitimately reused since its reference was taken.
 *
 * <p>The format hash, computed from these declarations when the project is built, is stored in
 * the super block; a build with a different format refuses the volume rather than misreading it.
 * docs/format.md describes the layout with a worked example.
 */
package org.scoutfs.lsm.format;
