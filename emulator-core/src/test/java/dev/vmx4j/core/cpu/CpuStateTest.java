package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one CPU-state view: raw bulk loads, then one refresh of the derived state. */
class CpuStateTest {

    @Test
    void bulkLoadOfUserSegments_thenRefresh_makesCpl3AndHltFaults() {
        Guest g = Guest.long64("F4"); // hlt
        Cpu cpu = Cpu.of(g.m);
        CpuState s = cpu.state();
        int dpl3 = 3 << 5;
        s.setSegment(Cpu.SEG_CS, 0x2B, 0, 0xFFFFFFFF, 0xB | SegmentState.AR_S | SegmentState.AR_P | dpl3
                | SegmentState.AR_L | SegmentState.AR_G);
        s.setSegment(Cpu.SEG_SS, 0x23, 0, 0xFFFFFFFF, 0x3 | SegmentState.AR_S | SegmentState.AR_P | dpl3
                | SegmentState.AR_DB | SegmentState.AR_G);
        assertThat(cpu.cpl).as("raw setters derive nothing").isZero();
        s.refreshDerivedState();
        assertThat(cpu.cpl).isEqualTo(3);
        assertThat(cpu.is64BitMode()).isTrue();
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run(1);
        assertThat(vectors).first().as("HLT at CPL 3").isEqualTo(CpuException.GP);
    }

    @Test
    void dr7LoadedRaw_takesEffectAfterRefresh() {
        Guest g = Guest.long64("90C704250030000001000000F4"); // nop; mov dword [0x3000],1; hlt
        Cpu cpu = Cpu.of(g.m);
        CpuState s = cpu.state();
        s.setDr(1, 0x3000);
        s.setDr(7, 0x00D00404L); // L1, R/W1 = 01 (write), LEN1 = 4 bytes
        assertThat(cpu.dataBreakpoints).isFalse();
        s.refreshDerivedState();
        assertThat(cpu.dataBreakpoints).isTrue();
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run(3);
        assertThat(vectors).first().isEqualTo(CpuException.DB);
        assertThat(g.m.dr(6) & 0xF).isEqualTo(2);
    }

    @Test
    void eventsStateAndRegisters_roundTrip() {
        Guest g = Guest.long64("F4");
        CpuState s = Cpu.of(g.m).state();
        s.setGpr(3, 0x1122334455667788L);
        s.setInterruptibility(PendingEvents.BLOCKING_BY_NMI);
        s.setPendingDebug(PendingEvents.PENDING_DEBUG_BS);
        s.setActivity(ActivityState.HLT);
        s.setGdtr(0x1000, 0x7F);
        s.setMsr(CpuState.IA32_EFER, 0x500);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x1122334455667788L);
        assertThat(s.interruptibility()).isEqualTo(PendingEvents.BLOCKING_BY_NMI);
        assertThat(s.pendingDebug()).isEqualTo(PendingEvents.PENDING_DEBUG_BS);
        assertThat(s.activity().encoding).isEqualTo(1);
        assertThat(s.gdtrBase()).isEqualTo(0x1000);
        assertThat(s.gdtrLimit()).isEqualTo(0x7F);
        assertThat(s.msr(CpuState.IA32_EFER)).isEqualTo(0x500);
        assertThat(s.msr(CpuState.IA32_SYSENTER_CS)).isZero();
    }

    @Test
    void pdptes_canBeLoadedDirectly() {
        Guest g = Guest.prot32("F4");
        CpuState s = Cpu.of(g.m).state();
        s.setPdpte(2, 0x5001);
        assertThat(s.pdpte(2)).isEqualTo(0x5001);
    }
}
