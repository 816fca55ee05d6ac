package dev.vmx4j.vmx.vmcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VmcsStore#equalsSnapshot()} against the definition it shortcuts: every field's value
 * equal to its value at the last snapshot, over seeded sequences of writes, high and low VMWRITEs,
 * writes of the value a field already holds, writes back to the snapshot's value, resets, copies
 * and region loads.
 */
class VmcsStoreSnapshotTest {

    private static final VmcsField[] FIELDS = VmcsField.values();

    @Test
    void noSnapshot_isNeverEqual() {
        VmcsStore s = new VmcsStore();
        assertThat(s.equalsSnapshot()).isFalse();
        s.takeSnapshot();
        assertThat(s.equalsSnapshot()).isTrue();
    }

    @Test
    void writeThenWriteBack_isEqualAgain() {
        VmcsStore s = new VmcsStore();
        s.write(VmcsField.GUEST_RIP, 0x1000);
        s.takeSnapshot();
        s.write(VmcsField.GUEST_RIP, 0x1000);
        assertThat(s.equalsSnapshot()).as("same value written").isTrue();
        s.write(VmcsField.GUEST_RIP, 0x1002);
        assertThat(s.equalsSnapshot()).isFalse();
        s.write(VmcsField.GUEST_RIP, 0x1005);
        assertThat(s.equalsSnapshot()).isFalse();
        s.vmwrite(VmcsField.GUEST_RIP, false, 0x1000);
        assertThat(s.equalsSnapshot()).as("written back").isTrue();
        s.vmwrite(VmcsField.GUEST_RIP, true, 1);
        assertThat(s.equalsSnapshot()).as("high half changed").isFalse();
        s.vmwrite(VmcsField.GUEST_RIP, true, 0);
        assertThat(s.equalsSnapshot()).isTrue();
    }

    @Test
    void bulkChanges_dropTheSnapshot() {
        VmcsStore s = new VmcsStore();
        s.takeSnapshot();
        s.reset();
        assertThat(s.equalsSnapshot()).as("after reset").isFalse();
        s.takeSnapshot();
        s.copyFrom(new VmcsStore());
        assertThat(s.equalsSnapshot()).as("after copyFrom").isFalse();
        ArrayMemory m = new ArrayMemory(8192);
        s.writeTo(m, 0);
        s.takeSnapshot();
        assertThat(s.readFrom(m, 0)).isTrue();
        assertThat(s.equalsSnapshot()).as("after readFrom").isFalse();
    }

    @Test
    void equalsSnapshot_matchesAFieldByFieldComparison_seeded() {
        Random r = new Random(0x5EED_1234L);
        for (int round = 0; round < 200; round++) {
            VmcsStore s = new VmcsStore();
            // a small pool of fields and values, so that writes often hit the snapshot's value
            VmcsField[] pool = new VmcsField[1 + r.nextInt(6)];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = FIELDS[r.nextInt(FIELDS.length)];
            }
            long[] values = {0, 1, 0xFFFF_FFFFL, 0x1_0000_0000L, -1L, r.nextLong()};
            long[] snap = null;
            for (int step = 0; step < 300; step++) {
                int op = r.nextInt(20);
                VmcsField f = pool[r.nextInt(pool.length)];
                long v = values[r.nextInt(values.length)];
                if (op == 0) {
                    s.takeSnapshot();
                    snap = new long[FIELDS.length];
                    for (VmcsField g : FIELDS) {
                        snap[g.denseId()] = s.read(g);
                    }
                } else if (op == 1 && r.nextInt(10) == 0) {
                    s.reset();
                    snap = null;
                } else if (op < 8) {
                    s.vmwrite(f, r.nextBoolean(), v);
                } else {
                    s.write(f, v);
                }
                boolean expected = snap != null;
                if (snap != null) {
                    for (VmcsField g : FIELDS) {
                        if (s.read(g) != snap[g.denseId()]) {
                            expected = false;
                        }
                    }
                }
                assertThat(s.equalsSnapshot()).as("round %d step %d", round, step).isEqualTo(expected);
            }
        }
    }
}
