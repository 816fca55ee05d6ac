package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetch fast path ("current code page", {@code Cpu.fetch}) must follow the paging structures
 * exactly as the fetch TLB does: after the page RIP is on is remapped and the TLB flushed, the
 * next instruction comes from the new frame.
 */
class CurrentCodePageTest {

    /** Guest.long64's identity tables: PML4 at 0x200000, one PDPT, then the PD for the first GiB. */
    private static final long PDE_FOR_0X400000 = Guest.PAGE_TABLES + 2 * 4096 + 2 * 8;

    @ParameterizedTest(name = "referenceMode={0}")
    @ValueSource(booleans = {false, true})
    void remapOfTheRunningPageThenMovCr3_nextFetchComesFromTheNewFrame(boolean reference) {
        Guest g = Guest.long64("F4", reference);
        // At linear 0x400000 (a 2 MiB page, identity-mapped): point its own PDE at 0x600000, reload CR3.
        // mov rax, 0x600087; mov [0x202010], rax; mov rax, cr3; mov cr3, rax  (24 bytes)
        String remap = "48B88700600000000000" + "4889042510202000" + "0F20D8" + "0F22D8";
        assertThat(remap).hasSize(48);
        g.m.memory().load(0x400000, Guest.bytes(remap + "BB01000000F4")); // old frame: mov ebx,1; hlt
        g.m.memory().load(0x600018, Guest.bytes("BB02000000F4"));          // new frame: mov ebx,2; hlt
        assertThat(PDE_FOR_0X400000).isEqualTo(0x202010);
        assertThat(g.m.memory().read64(PDE_FOR_0X400000)).isEqualTo(0x400087L);
        g.m.setRip(0x400000);

        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);

        assertThat(g.reg(Reg.RBX)).isEqualTo(2);
    }

    @ParameterizedTest(name = "referenceMode={0}")
    @ValueSource(booleans = {false, true})
    void hostRemapOfTheLastCodePageThenCr3Write_rerunFetchesFromTheNewFrame(boolean reference) {
        // The page at 0x400000 becomes the current code page, then the host remaps it and flushes.
        Guest g = Guest.long64("F4", reference);
        g.m.memory().load(0x400018, Guest.bytes("BB01000000F4"));
        g.m.memory().load(0x600018, Guest.bytes("BB02000000F4"));
        g.m.setRip(0x400018);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(1);

        g.m.memory().write64(PDE_FOR_0X400000, 0x600087L);
        g.m.setCr(3, g.m.cr(3));
        g.m.setRip(0x400018);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);

        assertThat(g.reg(Reg.RBX)).isEqualTo(2);
    }
}
