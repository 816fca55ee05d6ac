package dev.vmx4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.boot.FirmwareState;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every data access reaches memory listeners with its effective memory type (SDM "Selecting
 * Memory Types for Pentium III and More Recent Processor Families"), under the MTRRs PC firmware
 * leaves: WB below 0xA0000, UC for 0xA0000-0xFFFFF, WB above 1 MiB except 3-4 GiB.
 */
class MemoryTypeListenerTest {

    private static final long CODE = 0x100000;

    private final List<String> seen = new ArrayList<>();

    private Machine machine(boolean paging) {
        Machine m = Machine.builder().memorySize(16L << 20).build();
        FirmwareState.fromProfile(m.profile()).applyTo(m);
        if (paging) {
            m.enterLongMode(0x10000);
        } else {
            m.enterProtectedMode();
        }
        m.addMemoryListener((lin, phys, size, write, value, type) ->
                seen.add(String.format("%s %x %s", write ? "W" : "R", phys, type)));
        m.setRip(CODE);
        return m;
    }

    private void run(Machine m, String hex, int instructions) {
        m.memory().load(CODE, HexFormat.of().parseHex(hex));
        m.run(RunLimits.unlimited().maxInstructions(instructions));
    }

    @Test
    void pagingOff_reportsTheMtrrType() {
        Machine m = machine(false);
        // mov eax,[0x1000]; mov [0xb8000],al
        run(m, "a100100000" + "a200800b00", 2);
        assertThat(seen).containsExactly("R 1000 WB", "W b8000 UC");
    }

    @Test
    void pagingOn_combinesMtrrWithPatEntryZero() {
        Machine m = machine(true);
        // mov rax,[0x1000]; mov [0xb8000],al  (absolute moffs forms)
        run(m, "48a10010000000000000" + "a200800b0000000000", 2);
        assertThat(seen).containsExactly("R 1000 WB", "W b8000 UC");
    }

    @Test
    void patEntrySelectedByPwt_changesTheType() {
        Machine m = machine(true);
        // PAT entry 1 := WC (1); mark the 2 MiB page at 0 with PWT (bit 3) so its PAT index is 1.
        m.setMsr(0x277, (m.msr(0x277) & ~0xFF00L) | 0x0100L);
        long pd = pageDirectoryOfFirst2Mib(m);
        m.memory().write64(pd, m.memory().read64(pd) | 0x8);
        run(m, "48a10010000000000000", 1);
        assertThat(seen).containsExactly("R 1000 WC");
    }

    @Test
    void cacheDisable_reportsUncacheable() {
        Machine m = machine(true);
        m.setCr(0, m.cr(0) | (1L << 30));
        run(m, "48a10010000000000000", 1);
        assertThat(seen).containsExactly("R 1000 UC");
    }

    /** The PDE mapping linear 0 in the identity tables enterLongMode built at 0x10000. */
    private static long pageDirectoryOfFirst2Mib(Machine m) {
        long pml4e = m.memory().read64(m.cr(3) & ~0xFFFL);
        long pdpte = m.memory().read64(pml4e & 0xFFFFFFFFF000L);
        return pdpte & 0xFFFFFFFFF000L;
    }
}
