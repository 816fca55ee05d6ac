package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.BreakOneRuleCases.Case;
import dev.vmx4j.vmx.entry.BreakOneRuleCases.Setup;
import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.profile.CpuProfile;
import org.junit.jupiter.api.Test;

/** The failure values: fields, offending bits, masks, entry numbers, outcomes, text. */
class EntryDiagnosticTest {

    private static EntryDiagnostic first(EntryCheck id) {
        Case c = BreakOneRuleCases.all().get(id);
        CpuProfile p = EntryCheckerTest.profile(c.profile());
        EntryChecker checker = EntryChecker.forProfile(p);
        VmcsValues v = EntryFixtures.baseline(checker, p, c.variant());
        SparseMemory memory = EntryFixtures.memory(checker);
        EntryContext.Builder ctx = EntryFixtures.context(memory, c.variant());
        c.breaker().accept(new Setup(v, memory, ctx));
        return checker.firstFailure(v, ctx.build()).firstFailure().orElseThrow();
    }

    @Test
    void pinBasedReservedBit_carriesTheAllowedMasksAndTheBitNames() {
        EntryDiagnostic d = first(ExecutionControlCheck.PIN_BASED_CONTROLS_RESERVED);
        assertThat(d.field()).isEqualTo(PIN_BASED_VM_EXECUTION_CONTROLS);
        assertThat(d.value()).isEqualTo(0x14);
        assertThat(d.offendingBits()).isEqualTo(0x2);
        assertThat(d.hasAllowedMasks()).isTrue();
        assertThat(d.allowed0()).isEqualTo(0x16);
        assertThat(d.allowed1()).isEqualTo(0x7F);
        assertThat(d.outcome().vmInstructionError()).isEqualTo(7);
        assertThat(d.toString()).isEqualTo("PIN_BASED_CONTROLS_RESERVED: Pin-based VM-execution controls = 0x14, "
                + "offending bits 0x2 [bit 1], allowed-0 0x16, allowed-1 0x7f -> VMfailValid(7) (SDM \"VM-Execution "
                + "Control Fields\": " + ExecutionControlCheck.PIN_BASED_CONTROLS_RESERVED.rule() + ")");
    }

    @Test
    void namedControlBits_appearByTheirSdmNames() {
        EntryDiagnostic d = first(ExecutionControlCheck.NMI_WINDOW_EXITING_WITHOUT_VIRTUAL_NMIS);
        assertThat(d.toString()).contains("[NMI_WINDOW_EXITING]");
    }

    @Test
    void guestCr0PgWithoutPe_readsLikeTheSdm() {
        EntryDiagnostic d = first(GuestRegisterCheck.GUEST_CR0_PG_WITHOUT_PE);
        assertThat(d.toString()).isEqualTo("GUEST_CR0_PG_WITHOUT_PE: Guest CR0 = 0x80000030, offending bits 0x80000000 "
                + "-> exit 33 (qualification 0) (SDM \"Checks on Guest Control Registers, Debug Registers, and MSRs\": "
                + "If guest CR0.PG is 1, CR0.PE must be 1.)");
        assertThat(d.hasAllowedMasks()).isFalse();
        assertThat(d.exitQualification()).isZero();
        assertThat(d.outcome().exitReasonField()).isEqualTo(0x8000_0021);
    }

    @Test
    void outcomeClasses_giveTheSdmErrorNumbersAndQualifications() {
        assertThat(first(BasicCheck.EVENTS_BLOCKED_BY_MOV_SS).outcome().vmInstructionError()).isEqualTo(26);
        assertThat(first(BasicCheck.VMLAUNCH_WITH_NON_CLEAR_VMCS).outcome().vmInstructionError()).isEqualTo(4);
        assertThat(first(BasicCheck.VMRESUME_WITH_NON_LAUNCHED_VMCS).outcome().vmInstructionError()).isEqualTo(5);
        assertThat(first(HostSegmentCheck.HOST_TR_SELECTOR_NULL).outcome().vmInstructionError()).isEqualTo(8);
        assertThat(first(AddressSpaceSizeCheck.HOST_RIP_NOT_CANONICAL).outcome().vmInstructionError()).isEqualTo(8);
        EntryDiagnostic pdpte = first(GuestPdpteCheck.GUEST_PDPTE2_RESERVED_IN_MEMORY);
        assertThat(pdpte.exitQualification()).isEqualTo(2);
        assertThat(pdpte.value()).isEqualTo(7);
        assertThat(pdpte.offendingBits()).isEqualTo(6);
        assertThat(first(GuestNonRegisterCheck.STI_BLOCKING_WITH_NMI_INJECTION).exitQualification()).isEqualTo(3);
        assertThat(first(GuestNonRegisterCheck.VMCS_LINK_POINTER_REVISION_MISMATCH).exitQualification()).isEqualTo(4);
        assertThat(first(GuestNonRegisterCheck.VMCS_LINK_POINTER_NOT_ALIGNED).exitQualification()).isEqualTo(4);
        EntryDiagnostic msr = first(MsrLoadCheck.MSR_LOAD_FS_OR_GS_BASE);
        assertThat(msr.msrEntryNumber()).isEqualTo(2);
        assertThat(msr.exitQualification()).isEqualTo(2);
        assertThat(msr.outcome().exitReasonField()).isEqualTo(0x8000_0022);
        assertThat(msr.toString()).contains("MSR-load entry 2").contains("exit 34");
        EntryDiagnostic limit = first(MsrLoadCheck.MSR_LOAD_COUNT_ABOVE_LIMIT);
        assertThat(limit.msrEntryNumber()).isEqualTo(513);
    }

    @Test
    void outcomes_mapToTheVmxResultAndExitReasonTypes() {
        for (EntryOutcome o : EntryOutcome.values()) {
            if (o.isVmFail()) {
                assertThat(o.vmFailValid().error().number()).isEqualTo(o.vmInstructionError());
                assertThat(o.reason()).isNull();
                assertThat(o.exitReasonField()).isZero();
            } else {
                assertThat(o.vmFailValid()).isNull();
                assertThat(o.reason().isEntryFailure()).isTrue();
                assertThat(o.reason().number()).isEqualTo(o.exitReason());
                assertThat(o.reasonField().encode()).isEqualTo(o.exitReasonField() & 0xFFFF_FFFFL);
            }
        }
        assertThat(EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS.vmFailValid().error())
                .isEqualTo(dev.vmx4j.vmx.insn.VmInstructionError.VM_ENTRY_WITH_INVALID_CONTROL_FIELDS);
        assertThat(EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS.vmFailValid().error())
                .isEqualTo(dev.vmx4j.vmx.insn.VmInstructionError.VM_ENTRY_WITH_INVALID_HOST_STATE_FIELDS);
        assertThat(EntryOutcome.VM_FAIL_EVENTS_BLOCKED_BY_MOV_SS.vmFailValid().error())
                .isEqualTo(dev.vmx4j.vmx.insn.VmInstructionError.VM_ENTRY_WITH_EVENTS_BLOCKED_BY_MOV_SS);
        assertThat(EntryOutcome.EXIT_MSR_LOADING.reason())
                .isEqualTo(dev.vmx4j.vmx.exit.ExitReason.VM_ENTRY_FAILURE_MSR_LOADING);
        assertThat(EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE.reason())
                .isEqualTo(dev.vmx4j.vmx.exit.ExitReason.VM_ENTRY_FAILURE_INVALID_GUEST_STATE);
    }

    @Test
    void everyOutcomeClassIsReachedBySomeId() {
        java.util.Set<EntryOutcome> reached = java.util.EnumSet.noneOf(EntryOutcome.class);
        for (EntryCheck c : EntryChecks.all()) {
            reached.add(c.outcome());
        }
        assertThat(reached).containsExactlyInAnyOrder(EntryOutcome.values());
    }

    @Test
    void ids_areUniqueAndFoundByName() {
        for (EntryCheck c : EntryChecks.all()) {
            assertThat(EntryChecks.byName(c.name())).isSameAs(c);
            assertThat(c.rule()).isNotBlank().doesNotContain("\n");
            assertThat(c.sdmSection()).isNotBlank();
        }
        assertThat(EntryChecks.all()).hasSizeGreaterThan(200);
    }

    @Test
    void hardwareOrder_controlsBeforeHostBeforeGuestBeforeMsrLoading() {
        CpuProfile p = EntryFixtures.icelake();
        EntryChecker checker = EntryChecker.forProfile(p);
        SparseMemory memory = EntryFixtures.memory(checker);
        memory.write64(EntryFixtures.MSR_LIST, 0xC000_0100L);
        VmcsValues v = EntryFixtures.baseline(checker, p, Variant.GUEST_64);
        v.set(VM_ENTRY_MSR_LOAD_COUNT, 1);
        v.set(GUEST_RFLAGS, 0);
        v.set(HOST_TR_SELECTOR, 0);
        v.set(CR3_TARGET_COUNT, 9);
        EntryContext ctx = EntryFixtures.context(memory, Variant.GUEST_64).build();
        assertThat(checker.allFailures(v, ctx).failures()).extracting(EntryDiagnostic::check).containsExactly(
                ExecutionControlCheck.CR3_TARGET_COUNT_TOO_LARGE, HostSegmentCheck.HOST_TR_SELECTOR_NULL,
                GuestRipRflagsCheck.GUEST_RFLAGS_BIT_1_CLEAR, MsrLoadCheck.MSR_LOAD_FS_OR_GS_BASE);
        assertThat(checker.firstFailure(v, ctx).firstFailure().orElseThrow().check())
                .isEqualTo(ExecutionControlCheck.CR3_TARGET_COUNT_TOO_LARGE);
        v.set(CR3_TARGET_COUNT, 0);
        assertThat(checker.firstFailure(v, ctx).firstFailure().orElseThrow().check())
                .isEqualTo(HostSegmentCheck.HOST_TR_SELECTOR_NULL);
        v.set(HOST_TR_SELECTOR, 0x18);
        EntryCheckReport guest = checker.firstFailure(v, ctx);
        assertThat(guest.failures()).extracting(EntryDiagnostic::check).containsExactly(GuestRipRflagsCheck.GUEST_RFLAGS_BIT_1_CLEAR);
        v.set(GUEST_RFLAGS, 2);
        assertThat(checker.firstFailure(v, ctx).firstFailure().orElseThrow().check())
                .isEqualTo(MsrLoadCheck.MSR_LOAD_FS_OR_GS_BASE);
    }
}
