package org.scoutfs.bench.lsm;

import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uniformly random item numbers for the read benchmarks. The seed is fixed so that both engines
 * are asked for the same sequence of items.
 */
@State(Scope.Thread)
public class KeyPicker {
    private final SplittableRandom random = new SplittableRandom(0xBE7C4L);

    /** An item number in {@code [0, bound)}. */
    int next(int bound) {
        return random.nextInt(bound);
    }
}
