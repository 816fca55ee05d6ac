package dev.vmx4j.vmx.exit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExitReasonTest {

    @Test
    void eightyReasons_in0To85_lessTheUndefinedOnes() {
        Set<Integer> numbers = new HashSet<>();
        for (ExitReason r : ExitReason.values()) {
            assertThat(numbers.add(r.number())).as("duplicate %s", r).isTrue();
            assertThat(ExitReason.byNumber(r.number())).isSameAs(r);
            assertThat(r.sdmName()).isNotBlank();
        }
        assertThat(numbers).hasSize(80);
        for (int n : new int[] {35, 38, 42, 71, 82, 83, 86, -1, 0xFFFF}) {
            assertThat(ExitReason.byNumber(n)).as("reason %d", n).isNull();
        }
        assertThat(ExitReason.EPT_VIOLATION.number()).isEqualTo(48);
        assertThat(ExitReason.XSETBV.number()).isEqualTo(55);
        assertThat(ExitReason.ENQCMD_PASID_TRANSLATION_FAILURE.number()).isEqualTo(72);
        assertThat(ExitReason.UWRMSR.number()).isEqualTo(81);
        assertThat(ExitReason.VM_ENTRY_FAILURE_MSR_LOADING.isEntryFailure()).isTrue();
        assertThat(ExitReason.CPUID.isEntryFailure()).isFalse();
    }

    @Test
    void exitReasonField_sdmExamples() {
        assertThat(ExitReasonField.entryFailure(ExitReason.VM_ENTRY_FAILURE_INVALID_GUEST_STATE).encode())
                .isEqualTo(0x8000_0021L);
        assertThat(ExitReasonField.of(ExitReason.CPUID).encode()).isEqualTo(10);
        ExitReasonField f = ExitReasonField.decode(0x1000_0006L);
        assertThat(f.reason()).isEqualTo(ExitReason.OTHER_SMI);
        assertThat(f.pendingMtf()).isTrue();
        assertThat(f.entryFailure()).isFalse();
        assertThat(ExitReasonField.decode(0x2000_0005L).fromVmxRoot()).isTrue();
        assertThat(ExitReasonField.decode(0x0800_0000L | 48).enclaveMode()).isTrue();
        assertThat(ExitReasonField.decode(0x0400_0000L | 74).busLockDetected()).isTrue();
    }

    @Test
    void exitReasonField_roundTripsTheDefinedBits_seeded() {
        Random rnd = new Random(0x7E5L);
        for (int i = 0; i < 2_000; i++) {
            long v = rnd.nextLong() & ExitReasonField.DEFINED_BITS;
            assertThat(ExitReasonField.decode(v).encode()).isEqualTo(v);
            long any = rnd.nextLong() & 0xFFFF_FFFFL;
            assertThat(ExitReasonField.decode(any).encode()).isEqualTo(any & ExitReasonField.DEFINED_BITS);
        }
    }

    @Test
    void interruptionInfo_sdmExamples() {
        // #PF (vector 14), hardware exception (3), error code valid, valid.
        InterruptionInfo pf = InterruptionInfo.of(14, InterruptionType.HARDWARE_EXCEPTION, true);
        assertThat(pf.encode()).isEqualTo(0x8000_0B0EL);
        // NMI (vector 2, type 2), valid.
        assertThat(InterruptionInfo.of(2, InterruptionType.NMI, false).encode()).isEqualTo(0x8000_0202L);
        // A pending MTF VM exit: type 7, vector 0.
        assertThat(InterruptionInfo.of(0, InterruptionType.OTHER_EVENT, false).encode()).isEqualTo(0x8000_0700L);
        InterruptionInfo d = InterruptionInfo.decode(0x8000_1B08L);
        assertThat(d.vector()).isEqualTo(8);
        assertThat(d.type()).isEqualTo(InterruptionType.HARDWARE_EXCEPTION);
        assertThat(d.errorCodeValid()).isTrue();
        assertThat(d.nmiUnblockingDueToIret()).isTrue();
        assertThat(d.valid()).isTrue();
        for (InterruptionType t : InterruptionType.values()) {
            assertThat(InterruptionType.byCode(t.code())).isSameAs(t);
        }
    }

    @Test
    void interruptionInfo_roundTripsTheDefinedBits_seeded() {
        Random rnd = new Random(0x1F0L);
        for (int i = 0; i < 2_000; i++) {
            long v = rnd.nextLong() & InterruptionInfo.DEFINED_BITS;
            assertThat(InterruptionInfo.decode(v).encode()).isEqualTo(v);
            long any = rnd.nextLong() & 0xFFFF_FFFFL;
            assertThat(InterruptionInfo.decode(any).encode()).isEqualTo(any & ~InterruptionInfo.RESERVED_BITS);
        }
    }
}
