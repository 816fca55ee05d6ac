package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A VMCS known only in part (a KVM dump) or without memory gives "undecided", never a guessed failure. */
class PartialVmcsTest {

    private final CpuProfile p = EntryFixtures.icelake();
    private final EntryChecker checker = EntryChecker.forProfile(p);

    private List<EntryCheck> undecided(EntryCheckReport r) {
        List<EntryCheck> out = new ArrayList<>();
        for (Undecided u : r.undecided()) {
            out.add(u.check());
        }
        return out;
    }

    @Test
    void absentHostCr4_isNotReadAsZero_itsChecksAreUndecided() {
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_64).remove(HOST_CR4);
        EntryContext ctx = EntryFixtures.context(EntryFixtures.memory(checker), Variant.GUEST_64).build();
        EntryCheckReport first = checker.firstFailure(v, ctx);
        assertThat(first.passed()).as(first.toString()).isTrue();
        assertThat(undecided(first)).contains(HostRegisterCheck.HOST_CR4_FIXED0_BIT_CLEAR,
                HostRegisterCheck.HOST_CR4_CET_WITHOUT_CR0_WP, AddressSpaceSizeCheck.HOST_CR4_PAE_CLEAR_WITH_64_BIT_HOST);
        for (Undecided u : first.undecided()) {
            assertThat(u.check().fields()).contains(HOST_CR4);
            assertThat(u.missingField()).isEqualTo(HOST_CR4);
            assertThat(u.toString()).contains("Host CR4 not in the dump");
        }
    }

    @Test
    void aDecidedFailureIsStillReported_whenAnotherFieldIsAbsent() {
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_64).remove(GUEST_IA32_SYSENTER_EIP);
        v.set(GUEST_CR0, v.read(GUEST_CR0) & ~0x20L);
        EntryContext ctx = EntryFixtures.context(EntryFixtures.memory(checker), Variant.GUEST_64).build();
        EntryCheckReport first = checker.firstFailure(v, ctx);
        assertThat(first.firstFailure().orElseThrow().check()).isEqualTo(GuestRegisterCheck.GUEST_CR0_FIXED0_BIT_CLEAR);
        assertThat(undecided(first)).containsExactly(GuestRegisterCheck.GUEST_SYSENTER_EIP_NOT_CANONICAL);
    }

    @Test
    void anEmptyDumpDecidesOnlyTheContextChecks() {
        EntryContext ctx = EntryContext.builder().eventsBlockedByMovSs(true).build();
        EntryCheckReport r = checker.allFailures(VmcsValues.empty(), ctx);
        assertThat(r.failures()).extracting(EntryDiagnostic::check).containsExactly(BasicCheck.EVENTS_BLOCKED_BY_MOV_SS);
        assertThat(r.undecided()).isNotEmpty();
    }

    @Test
    void withoutMemory_thePdpteChecksOfAPaeGuestAreUndecided() {
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_PAE);
        EntryContext ctx = EntryFixtures.context(null, Variant.GUEST_PAE).build();
        EntryCheckReport r = checker.firstFailure(v, ctx);
        assertThat(r.passed()).isTrue();
        assertThat(undecided(r)).containsExactly(GuestPdpteCheck.GUEST_PDPTE0_RESERVED_IN_MEMORY,
                GuestPdpteCheck.GUEST_PDPTE1_RESERVED_IN_MEMORY, GuestPdpteCheck.GUEST_PDPTE2_RESERVED_IN_MEMORY,
                GuestPdpteCheck.GUEST_PDPTE3_RESERVED_IN_MEMORY);
        assertThat(r.undecided().get(0).toString()).contains("needs guest memory");
    }

    @Test
    void withoutMemory_a64BitGuestWithNoMemoryRulesIsFullyDecided() {
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_64);
        EntryCheckReport r = checker.allFailures(v, EntryFixtures.context(null, Variant.GUEST_64).build());
        assertThat(r.passed()).isTrue();
        assertThat(r.undecided()).isEmpty();
    }

    @Test
    void withoutMemory_theMsrLoadListIsUndecided_butItsCountLimitIsNot() {
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_64).set(VM_ENTRY_MSR_LOAD_COUNT, 600);
        EntryCheckReport r = checker.firstFailure(v, EntryFixtures.context(null, Variant.GUEST_64).build());
        assertThat(undecided(r)).contains(MsrLoadCheck.MSR_LOAD_ENTRY_RESERVED, MsrLoadCheck.MSR_LOAD_WRITE_WOULD_FAULT);
        assertThat(r.passed()).isTrue();
    }
}
