package dev.vmx4j.core.cpu;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import java.util.HexFormat;

/** Test helper: a machine with hand-encoded code loaded at {@link #CODE}. */
final class Guest {

    static final long CODE = 0x10000;
    static final long STACK = 0x80000;
    static final long PAGE_TABLES = 0x200000;

    final Machine m;

    private Guest(Machine m) {
        this.m = m;
    }

    /** 64-bit mode, identity paging, RSP = STACK, code at CODE. */
    static Guest long64(String hex) {
        return long64(hex, false);
    }

    static Guest long64(String hex, boolean reference) {
        return long64(hex, reference, dev.vmx4j.vmx.profile.CpuProfile.defaultProfile());
    }

    /** The Bochs-recorded corei7_icelake_u profile (advertises SSE4.2, PDCM, perfmon v5 ...). */
    static dev.vmx4j.vmx.profile.CpuProfile icelake() {
        return dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u");
    }

    static Guest long64(String hex, boolean reference, dev.vmx4j.vmx.profile.CpuProfile profile) {
        Machine m = Machine.builder().memorySize(8L << 20).referenceMode(reference).profile(profile).build();
        m.enterLongMode(PAGE_TABLES);
        Guest g = new Guest(m);
        g.load(hex);
        return g;
    }

    static Guest prot32(String hex) {
        Machine m = Machine.builder().memorySize(8L << 20).build();
        m.enterProtectedMode();
        Guest g = new Guest(m);
        g.load(hex);
        return g;
    }

    /** Real mode, CS = 0x1000 (base 0x10000), IP = 0, SS:SP = 0:0x8000. */
    static Guest real(String hex) {
        Machine m = Machine.builder().memorySize(8L << 20).build();
        m.setSegment(dev.vmx4j.core.Seg.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        Guest g = new Guest(m);
        g.m.memory().load(CODE, bytes(hex));
        m.setRip(0);
        m.setReg(Reg.RSP, 0x8000);
        return g;
    }

    void load(String hex) {
        m.memory().load(CODE, bytes(hex));
        m.setRip(CODE);
        m.setReg(Reg.RSP, STACK);
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    RunResult run() {
        return m.run(RunLimits.unlimited().maxInstructions(100_000));
    }

    RunResult run(int n) {
        return m.run(RunLimits.unlimited().maxInstructions(n));
    }

    long reg(Reg r) {
        return m.reg(r);
    }
}
