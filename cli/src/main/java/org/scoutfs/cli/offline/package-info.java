/**
 * Commands that open devices directly, without a running node: {@code mkfs} and {@code print}.
 * {@code print} only reads and keeps going past damage, so it is safe on a damaged volume.
 */
package org.scoutfs.cli.offline;
