package org.scoutfs.bench.lsm;

/**
 * Flags of the JVM JMH forks for each benchmark, kept in one place for the {@code @Fork}
 * annotations.
 *
 * <p>The heap is fixed and touched up front. On the project's VMs the kernel takes about a second
 * per GiB to hand the JVM fresh pages; without pre-touching, every young collection that copies
 * into never-used heap pays for it, and pauses of 0.3–1.5 s dominated the scoutfs write
 * benchmarks (RocksDB keeps its memtables and cache off the Java heap and barely noticed).
 * Transparent huge pages make the pre-touch itself take half a second instead of several. A
 * server JVM for scoutfs should run with the same flags. 2 GiB holds a full memtable, the 256 MiB
 * block cache and a merge's dirty nodes with room to spare.
 */
final class ForkedJvm {
    /** RocksDB loads its JNI library; JDK 24+ warns about native access without this. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String HEAP_START = "-Xms2g";
    static final String HEAP_MAX = "-Xmx2g";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";
    static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";

    private ForkedJvm() {
    }
}
