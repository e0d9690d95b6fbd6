/**
 * Side-by-side JMH benchmarks of the scoutfs item store ({@code org.scoutfs.lsm}) and RocksDB.
 *
 * <h2>Why compare with RocksDB at all</h2>
 *
 * <p>scoutfs keeps every piece of filesystem metadata — inodes, directory entries, extents — as a
 * small item in an LSM-shaped store: each node writes its changes into its own copy-on-write
 * B-tree (a log tree), and the server merges finished log trees into one shared B-tree, the fs
 * root. That is the same trade an LSM key-value store makes: cheap, sequential writes now, sorting
 * work later. RocksDB is the best-known such store, embedded in the JVM through RocksJava, so it is
 * the yardstick for "is our engine reasonably fast?". The project's goal is to stay within about
 * twice RocksDB's cost on the operations a filesystem leans on; these benchmarks say whether it
 * does, and the profile of whichever misses says where to work.
 *
 * <h2>What makes the comparison fair</h2>
 *
 * <ul>
 *   <li><b>Same work.</b> Both engines store the same items ({@link org.scoutfs.bench.lsm.Items}):
 *       scoutfs keys and their 27-byte big-endian encoding in RocksDB, which sort identically,
 *       with the same 16-byte values, loaded in the same order in the same batches.</li>
 *   <li><b>Same place.</b> Both live in directories on the same filesystem
 *       ({@link org.scoutfs.bench.lsm.ScratchSpace}), never on tmpfs, so writes and fdatasyncs
 *       reach the same device.</li>
 *   <li><b>Same memory.</b> Both get the same cache budget
 *       ({@link org.scoutfs.bench.lsm.CacheBudget}), no compression on either side, and RocksDB
 *       gets the customary bloom filter, since scoutfs log trees have bloom blocks too.</li>
 *   <li><b>Same durability per operation.</b> Unsynced puts are compared with scoutfs holds
 *       (neither durable on return), synced write batches with {@code NodeStore.sync()}, and
 *       compactions with merges that end in fdatasync on both sides.</li>
 *   <li><b>Background work counts.</b> Where an engine would do background work in service
 *       (RocksDB flushes and compactions, scoutfs merges), it does it during the write
 *       benchmarks too, on the same two cores.</li>
 * </ul>
 *
 * <h2>Layout</h2>
 *
 * <p>One class per operation, each with a {@code scoutfs} and a {@code rocksdb} method so that
 * the report ({@code benchmarks/lsm-report.py}) can pair them by class name:
 * {@link org.scoutfs.bench.lsm.InsertBenchmark}, {@link org.scoutfs.bench.lsm.PointLookupBenchmark},
 * {@link org.scoutfs.bench.lsm.RangeScanBenchmark}, {@link org.scoutfs.bench.lsm.CommitBenchmark}
 * and {@link org.scoutfs.bench.lsm.MergeBenchmark}. Every store is created in a {@code @Setup} and
 * deleted in the matching {@code @TearDown}; the loaded read data sets are
 * {@link org.scoutfs.bench.lsm.LoadedScoutfs} and {@link org.scoutfs.bench.lsm.LoadedRocksDb}.
 * {@code benchmarks/run-lsm.sh} builds, runs the suite and prints the comparison; see
 * {@code docs/benchmarks.md} for results and how to read them.
 *
 * <p>Nothing here runs during {@code mvn verify}: the module has no tests, and JMH only runs when
 * asked to.
 */
package org.scoutfs.bench.lsm;
