package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.memory.MmioHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paging through the ept-mmu walker (#PF, CR2), the software TLB and its flushes, MMIO, page crossing. */
class MemoryPathTest {

    private static final long PD = Guest.PAGE_TABLES + 2 * 4096; // enterLongMode: PML4, PDPT, then the page directory

    private static Guest withPf(String hex) {
        Guest g = Guest.long64(hex);
        g.m.memory().write64(0x5008, 0x00209A0000000000L);
        g.m.memory().write64(0x5010, 0x00CF92000000FFFFL);
        g.m.setGdtr(0x5000, 0x17);
        long h = Guest.CODE + 0x100;
        g.m.memory().write64(0x6000 + 14 * 16, (h & 0xFFFF) | (8L << 16) | (0xEL << 40) | (1L << 47) | ((h >>> 16 & 0xFFFF) << 48));
        g.m.setIdtr(0x6000, 0xFFF);
        g.m.memory().load(h, Guest.bytes("4C8B3C244C8B742408F4")); // mov r15,[rsp]; mov r14,[rsp+8]; hlt
        return g;
    }

    @Test
    void readOfUnmappedLinearAddress_isPageFaultWithCr2AndErrorCode() {
        // mov rax,0x100000000 (beyond the 4 GiB enterLongMode maps); mov ebx,[rax]; hlt
        Guest g = withPf("48B800000000010000008B18F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.cr(2)).isEqualTo(0x100000000L);
        assertThat(g.reg(Reg.R15)).as("#PF error code: not present, read, supervisor").isZero();
        assertThat(g.reg(Reg.R14)).as("faulting RIP").isEqualTo(Guest.CODE + 10);
    }

    @Test
    void writeToUnmappedLinearAddress_setsTheWriteBitInTheErrorCode() {
        Guest g = withPf("48B80000000001000000" + "8918F4"); // mov rax,0x100000000; mov [rax],ebx; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.R15)).isEqualTo(2);
    }

    @Test
    void changedPde_isSeenAfterInvlpg_staleEntryBeforeItInTheFastEngine() {
        // mov rax,[0x600000]; mov qword [PD+0x18],0x400087; mov rbx,[0x600000]; invlpg [0x600000]; mov rcx,[0x600000]; hlt
        String hex = "488B04250000600048C704251820200087004000488B1C25000060000F013C2500006000488B0C2500006000F4";
        for (boolean reference : new boolean[] {false, true}) {
            Guest g = Guest.long64(hex, reference);
            g.m.memory().write64(0x600000, 0x66);
            g.m.memory().write64(0x400000, 0x44);
            assertThat(PD + 0x18).isEqualTo(0x202018);
            assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
            assertThat(g.reg(Reg.RAX)).isEqualTo(0x66);
            assertThat(g.reg(Reg.RBX)).as("before INVLPG: TLB entry (fast) or fresh walk (reference)")
                    .isEqualTo(reference ? 0x44 : 0x66);
            assertThat(g.reg(Reg.RCX)).as("after INVLPG").isEqualTo(0x44);
        }
    }

    @Test
    void changedPde_isSeenAfterMovToCr3() {
        // mov rax,[0x600000]; mov qword [0x202018],0x400087; mov rdx,cr3; mov cr3,rdx; mov rcx,[0x600000]; hlt
        Guest g = Guest.long64("488B04250000600048C7042518202000870040000F20DA0F22DA488B0C2500006000F4");
        g.m.memory().write64(0x600000, 0x66);
        g.m.memory().write64(0x400000, 0x44);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x44);
    }

    @Test
    void movToCr3_manyMoreTimesThanTlbGenerations_neverHitsAnOlderMapping() {
        // mov ecx,5000; l: mov qword [0x202018],0x400087; mov rdx,cr3; mov cr3,rdx; add rax,[0x600000];
        // mov qword [0x202018],0x600087; mov cr3,rdx; add rbx,[0x600000]; dec ecx; jnz l; hlt
        String hex = "b98813000048c7042518202000870040000f20da0f22da480304250000600048c7042518202000870060000f22da"
                + "48031c2500006000ffc975cbf4";
        assertThat(2 * 5000).isGreaterThan(4 * TlbContext.GENERATIONS);
        for (boolean reference : new boolean[] {false, true}) {
            Guest g = Guest.long64(hex, reference);
            g.m.memory().write64(0x600000, 0x66);
            g.m.memory().write64(0x400000, 0x44);
            assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
            assertThat(g.reg(Reg.RAX)).as("reads through the 0x400000 mapping").isEqualTo(5000L * 0x44);
            assertThat(g.reg(Reg.RBX)).as("reads through the identity mapping").isEqualTo(5000L * 0x66);
        }
    }

    @Test
    void tlbContextFlush_leavesNoEntryOfAnyEarlierGeneration_acrossGenerationWraps() {
        TlbContext c = new TlbContext();
        int n = 3 * TlbContext.GENERATIONS + 5;
        List<String> hits = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            // one read and one write entry made in generation k, at an index of its own
            c.readTag[k] = k | c.key;
            c.writeTag[k] = k | c.writeKey;
            c.flush();
            for (int j = 0; j <= k; j++) {
                if (c.readTag[j] == (j | c.key) || c.writeTag[j] == (j | c.writeKey)) {
                    hits.add("entry " + j + " after flush " + k);
                }
            }
        }
        // dropWrites: a new write generation only; read entries stay
        for (int k = 0; k < n; k++) {
            c.writeTag[k] = k | c.writeKey;
            c.readTag[k] = k | c.key;
            c.dropWrites();
            for (int j = 0; j <= k; j++) {
                if (c.writeTag[j] == (j | c.writeKey)) {
                    hits.add("write entry " + j + " after dropWrites " + k);
                }
            }
            if (c.readTag[k] != (k | c.key)) {
                hits.add("read entry " + k + " lost by dropWrites");
            }
        }
        assertThat(hits).as("entries of earlier generations that still hit").isEmpty();
        assertThat(c.key).as("tags keep bit 63 clear, so no tag equals NO_TAG").isNotNegative();
        assertThat(c.writeKey).isNotNegative();
    }

    @Test
    void walkerSetsAccessedAndDirtyBits() {
        Guest g = Guest.long64("48C704250000600001000000F4"); // mov qword [0x600000],1; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        long pde = g.m.memory().read64(PD + 0x18);
        assertThat(pde & 0x60).as("A and D").isEqualTo(0x60);
    }

    @Test
    void mmioRegion_receivesGuestLoadsAndStores() {
        // mov eax,0x300000; mov dword [rax+8],0xabcd; mov ecx,[rax+4]; hlt
        Guest g = Guest.long64("B800003000C74008CDAB00008B4804F4");
        List<String> log = new ArrayList<>();
        g.m.memory().addMmio(0x300000, 0x1000, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                log.add("R " + offset + " " + size);
                return 0x12345678;
            }

            @Override
            public void write(long offset, int size, long value) {
                log.add("W " + offset + " " + size + " " + Long.toHexString(value));
            }
        });
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(log).containsExactly("W 8 4 abcd", "R 4 4");
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x12345678);
    }

    @Test
    void softwareTlb_avoidsRepeatedWalks_referenceModeWalksEveryAccess() {
        // mov ecx,100; l: mov rax,[0x3000]; loop l; hlt
        String hex = "B964000000488B042500300000E2F6F4";
        IdentityTranslator fastT = new IdentityTranslator();
        IdentityTranslator refT = new IdentityTranslator();
        Guest fast = Guest.long64(hex, false);
        Guest ref = Guest.long64(hex, true);
        // A page never written is not cached (the first write replaces the shared zero page): write it first.
        fast.m.memory().write64(0x3000, 1);
        ref.m.memory().write64(0x3000, 1);
        Cpu.of(fast.m).setTranslator(fastT);
        Cpu.of(ref.m).setTranslator(refT);
        fast.run();
        ref.run();
        assertThat(fastT.walks).as("fast: one data walk + fetch walks per page").isLessThan(10);
        assertThat(refT.walks).as("reference: every fetch and access").isGreaterThan(300);
    }

    @Test
    void smap_supervisorDataAccessToUserPage_needsRflagsAc() {
        // stac; mov eax,[0x600000]; clac; mov ebx,[0x600000]; hlt
        Guest g = withPf("0F01CB8B0425000060000F01CA8B1C2500006000F4");
        // The first 2 MiB (code, stack, tables) become supervisor pages; 6-8 MiB stays a user page.
        g.m.memory().write64(PD, g.m.memory().read64(PD) & ~4L);
        g.m.setCr(4, g.m.cr(4) | (1L << 21));
        g.m.memory().write64(0x600000, 5);
        java.util.List<Integer> vectors = new java.util.ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).containsExactly(14);
        assertThat(g.reg(Reg.RAX)).as("allowed with AC = 1").isEqualTo(5);
        assertThat(g.reg(Reg.R15)).as("#PF error code: present, read, supervisor").isEqualTo(1);
        assertThat(g.reg(Reg.R14)).as("faulting RIP = the second load").isEqualTo(Guest.CODE + 13);
    }

    @Test
    void cplChanges_switchTlbBanks_insteadOfFlushing() {
        // user: l: syscall; dec r12; jnz l; hlt      kernel (LSTAR): o64 sysret
        Guest g = Guest.long64("0F0549FFCC75F9F4");
        g.m.memory().load(0x10100, Guest.bytes("480F07"));
        g.m.memory().write64(0x3000, 1); // an allocated page, so data entries can be cached
        g.m.setEfer(g.m.efer() | 1);
        g.m.setMsr(0xC0000081, 0x0013_0008L << 32);
        g.m.setMsr(0xC0000082, 0x10100);
        g.m.setSegment(dev.vmx4j.core.Seg.CS, 0x23, 0, 0xFFFFFFFF, 0xA0FB);
        g.m.setSegment(dev.vmx4j.core.Seg.SS, 0x1B, 0, 0xFFFFFFFF, 0xC0F3);
        g.m.setReg(Reg.R12, 50);
        IdentityTranslator t = new IdentityTranslator();
        Cpu.of(g.m).setTranslator(t);
        g.run(50 * 4 + 1);
        assertThat(g.reg(Reg.R12)).isZero();
        assertThat(t.walks).as("a handful of fetch walks per bank, not ~4 per round trip").isLessThan(10);
    }
}
