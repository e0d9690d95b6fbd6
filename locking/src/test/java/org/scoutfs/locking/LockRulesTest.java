package org.scoutfs.locking;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scoutfs.locking.LockMode.NULL;
import static org.scoutfs.locking.LockMode.READ;
import static org.scoutfs.locking.LockMode.WRITE;
import static org.scoutfs.locking.LockMode.WRITE_ONLY;

class LockRulesTest {
    @Test
    void compatibilityAcrossNodes() {
        assertThat(READ.compatibleWith(READ)).isTrue();
        assertThat(WRITE_ONLY.compatibleWith(WRITE_ONLY)).isTrue();
        assertThat(WRITE.compatibleWith(WRITE)).isFalse();
        assertThat(READ.compatibleWith(WRITE)).isFalse();
        assertThat(READ.compatibleWith(WRITE_ONLY)).isFalse();
        assertThat(WRITE.compatibleWith(WRITE_ONLY)).isFalse();
        for (LockMode m : LockMode.values()) {
            assertThat(NULL.compatibleWith(m)).isTrue();
            assertThat(m.compatibleWith(NULL)).isTrue();
            assertThat(LockMode.ofCode(m.code())).isSameAs(m);
        }
        assertThatThrownBy(() -> LockMode.ofCode(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeSatisfiesEverythingReadOnlyReading() {
        assertThat(WRITE.satisfies(READ)).isTrue();
        assertThat(WRITE.satisfies(WRITE_ONLY)).isTrue();
        assertThat(READ.satisfies(WRITE)).isFalse();
        assertThat(WRITE_ONLY.satisfies(READ)).isFalse();
        assertThat(WRITE_ONLY.canRead()).isFalse();
        assertThat(READ.canRead()).isTrue();
    }

    @Test
    void everyItemOfAnInodeIsCoveredByItsGroupAndNoOtherGroup() {
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long ino = r.nextLong() >>> 1;
            Key k = new Key(Zones.FS, ino, r.nextInt(256), r.nextLong(), r.nextLong(), r.nextInt(256));
            LockRange g = LockRanges.covering(k);
            assertThat(g).isEqualTo(LockRanges.inodeGroup(ino));
            assertThat(g.contains(k)).isTrue();
            assertThat(LockRanges.inodeGroup(ino + LockRanges.GROUP).contains(k)).isFalse();
            assertThat(g.start().first() % LockRanges.GROUP).isZero();
        }
        assertThat(LockRanges.inodeGroup(1023)).isEqualTo(LockRanges.inodeGroup(0));
        assertThat(LockRanges.inodeGroup(1024)).isNotEqualTo(LockRanges.inodeGroup(1023));
    }

    @Test
    void indexEntriesMapToSeqGroups() {
        Key k = Zones.metaSeqKey(5000, 77);
        LockRange g = LockRanges.covering(k);
        assertThat(g.contains(k)).isTrue();
        assertThat(g.contains(Zones.metaSeqKey(4096, 1))).isTrue();
        assertThat(g.contains(Zones.metaSeqKey(4095, -1L))).isFalse();
        assertThat(g.contains(Zones.dataSeqKey(5000, 77))).isFalse();
        assertThat(LockRanges.covering(new Key(Zones.ORPHAN, 0, Zones.ORPHAN_TYPE, 12))).isEqualTo(LockRanges.orphans());
        assertThatThrownBy(() -> LockRanges.covering(new Key(Zones.LOG_TREES, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
