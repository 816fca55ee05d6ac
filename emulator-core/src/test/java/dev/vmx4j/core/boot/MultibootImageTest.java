package dev.vmx4j.core.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultibootImageTest {

    /** A minimal ELF32 with one PT_LOAD of {@code code} at {@code paddr}, memsz = filesz + bss, header in the code. */
    static byte[] elf32(long paddr, byte[] code, int bss, long entry) {
        int codeOff = 0x100;
        ByteBuffer b = ByteBuffer.allocate(codeOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464C457F);
        b.put(4, (byte) 1).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1);
        b.putInt(24, (int) entry).putInt(28, 52);
        b.putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(52, 1).putInt(56, codeOff).putInt(60, (int) paddr).putInt(64, (int) paddr);
        b.putInt(68, code.length).putInt(72, code.length + bss).putInt(76, 5);
        b.position(codeOff);
        b.put(code);
        return b.array();
    }

    static byte[] header(int flags) {
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MultibootImage.HEADER_MAGIC).putInt(flags).putInt(-(MultibootImage.HEADER_MAGIC + flags));
        return h.array();
    }

    @Test
    void elf32Kernel_loadsPtLoadAtPhysicalAddressWithEntry() {
        byte[] code = new byte[64];
        System.arraycopy(header(0), 0, code, 0, 12);
        code[20] = (byte) 0xF4;
        MultibootImage img = MultibootImage.parse(elf32(0x100000, code, 0x2000, 0x100014));
        assertThat(img.format()).isEqualTo(MultibootImage.Format.ELF32);
        assertThat(img.entry()).isEqualTo(0x100014);
        assertThat(img.segments()).hasSize(1);
        assertThat(img.segments().get(0).address()).isEqualTo(0x100000);
        assertThat(img.segments().get(0).memorySize()).isEqualTo(64 + 0x2000);
        assertThat(img.end()).isEqualTo(0x100000 + 64 + 0x2000);
    }

    @Test
    void aoutKludge_loadsFromHeaderAddressFieldsAndZeroesBss() {
        ByteBuffer f = ByteBuffer.allocate(0x40).order(ByteOrder.LITTLE_ENDIAN);
        int flags = MultibootImage.FLAG_ADDRESS_FIELDS;
        f.put(header(flags));
        f.putInt(0x200000).putInt(0x200000).putInt(0x200040).putInt(0x201000).putInt(0x200020);
        f.put(0x20, (byte) 0xF4);
        MultibootImage img = MultibootImage.parse(f.array());
        assertThat(img.format()).isEqualTo(MultibootImage.Format.AOUT_KLUDGE);
        assertThat(img.entry()).isEqualTo(0x200020);
        assertThat(img.segments().get(0).address()).isEqualTo(0x200000);
        assertThat(img.segments().get(0).data()).hasSize(0x40);
        assertThat(img.segments().get(0).memorySize()).isEqualTo(0x1000);

        GuestMemory m = GuestMemory.withRam(4 << 20);
        m.write8(0x200800, 0x77);
        MultibootInfoWriter.write(m, 4 << 20, img, "", List.of());
        assertThat(m.read8(0x200020)).isEqualTo(0xF4);
        assertThat(m.read8(0x200800)).as("BSS is zeroed").isZero();
    }

    @Test
    void infoStructure_hasMemoryCmdlineModulesAndMap() {
        byte[] code = new byte[32];
        System.arraycopy(header(0), 0, code, 0, 12);
        MultibootImage img = MultibootImage.parse(elf32(0x100000, code, 0, 0x100000));
        GuestMemory m = GuestMemory.withRam(256L << 20);
        long info = MultibootInfoWriter.write(m, 256L << 20, img, "console=e9",
                List.of(new MultibootInfoWriter.Module(new byte[] {1, 2, 3}, "mod0")));
        assertThat(info).as("first page boundary above the kernel").isEqualTo(0x101000);
        int flags = m.read32(info);
        assertThat(flags & 0x24D).isEqualTo(0x24D);
        assertThat(m.read32(info + 4)).isEqualTo(639);
        assertThat(m.read32(info + 8)).isEqualTo((256 << 10) - 1024);
        assertThat(cString(m, m.read32(info + 16))).isEqualTo("console=e9");
        assertThat(cString(m, m.read32(info + 64))).isEqualTo("vmx4j");
        assertThat(m.read32(info + 20)).isEqualTo(1);
        long mod = m.read32(info + 24);
        long start = m.read32(mod);
        assertThat(start).as("page-aligned after the information area").isEqualTo(0x102000);
        assertThat(m.read32(mod + 4)).isEqualTo(0x102003);
        assertThat(m.read8(start + 2)).isEqualTo(3);
        assertThat(cString(m, m.read32(mod + 8))).isEqualTo("mod0");
        long mmap = m.read32(info + 48);
        int mmapLen = m.read32(info + 44);
        assertThat(mmapLen).isEqualTo(4 * 24);
        assertThat(m.read64(mmap + 3 * 24 + 4)).isEqualTo(0x100000);
        assertThat(m.read64(mmap + 3 * 24 + 12)).isEqualTo((256L << 20) - 0x100000);
        assertThat(m.read32(mmap + 3 * 24 + 20)).isEqualTo(1);
        assertThat(m.read32(mmap + 24 + 20)).isEqualTo(2);
    }

    @Test
    void multibootEntryState_isFlatProtectedModeWithMagicAndMaskedPics() {
        byte[] code = new byte[32];
        System.arraycopy(header(0), 0, code, 0, 12);
        code[16] = (byte) 0xF4;
        MultibootImage img = MultibootImage.parse(elf32(0x100000, code, 0, 0x100010));
        dev.vmx4j.core.Machine m = dev.vmx4j.core.Machine.builder().memorySize(8L << 20).pcInterruptControllers().build();
        long info = MultibootLoader.boot(m, img, "x", List.of());
        assertThat(m.reg(dev.vmx4j.core.Reg.RAX)).isEqualTo(0x2BADB002L);
        assertThat(m.reg(dev.vmx4j.core.Reg.RBX)).isEqualTo(info);
        assertThat(m.rip()).isEqualTo(0x100010);
        assertThat(m.cr(0) & 0x80000001L).as("PE set, PG clear").isEqualTo(1);
        assertThat(m.rflags() & (1 << 9)).as("IF clear").isZero();
        assertThat(m.segment(dev.vmx4j.core.Seg.CS).base()).isZero();
        assertThat(m.segment(dev.vmx4j.core.Seg.CS).limit()).isEqualTo(0xFFFFFFFF);
        assertThat(m.interruptController().pic().masterImr()).isEqualTo(0xFF);
        assertThat(m.interruptController().pic().slaveImr()).isEqualTo(0xFF);
        assertThat(m.io().in(0x21, 1)).as("OCW1 read-back").isEqualTo(0xFF);
        assertThat(m.msr(0x3A)).as("IA32_FEATURE_CONTROL as firmware leaves it").isEqualTo(5);
    }

    private static String cString(GuestMemory m, long at) {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = m.read8(at)) != 0; at++) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void malformedImages_areRejectedWithTheReason() {
        assertThatThrownBy(() -> MultibootImage.parse(new byte[100])).hasMessageContaining("no Multiboot header");
        byte[] badChecksum = header(0);
        badChecksum[8]++;
        assertThatThrownBy(() -> MultibootImage.parse(badChecksum)).hasMessageContaining("no Multiboot header");
        assertThatThrownBy(() -> MultibootImage.parse(header(0))).hasMessageContaining("ELF");
        byte[] code = new byte[32];
        System.arraycopy(header(0), 0, code, 0, 12);
        byte[] elf = elf32(0x100000, code, 0, 0x100000);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(56, 0x7FFFFFF0);
        assertThatThrownBy(() -> MultibootImage.parse(elf)).hasMessageContaining("outside the file");
        MultibootImage high = MultibootImage.parse(elf32(0x3FF000, code, 0, 0x3FF000));
        assertThatThrownBy(() -> MultibootInfoWriter.write(GuestMemory.withRam(4 << 20), 4 << 20, high, "",
                List.of(new MultibootInfoWriter.Module(new byte[8192], "m"))))
                .hasMessageContaining("beyond RAM");
    }

    @Test
    void kernelLinkedAt0x8000_loadsWithTheInformationAfterItAndTheStackBelowIt() {
        byte[] code = new byte[0x1800]; // spans 0x8000-0x97FF, where a fixed 0x9000 area would collide
        System.arraycopy(header(0), 0, code, 0, 12);
        code[0x1000] = (byte) 0xF4;
        MultibootImage img = MultibootImage.parse(elf32(0x8000, code, 0x1000, 0x8010));
        dev.vmx4j.core.Machine m = dev.vmx4j.core.Machine.builder().memorySize(4L << 20).build();
        long info = MultibootLoader.boot(m, img, "realmode.flat ", List.of());
        assertThat(info).isEqualTo(0xB000); // end 0x8000 + 0x1800 + 0x1000 BSS = 0xA800, page-aligned
        assertThat(m.memory().read8(0x9000)).as("kernel byte kept").isEqualTo(0xF4);
        assertThat(cString(m.memory(), m.memory().read32(info + 16))).isEqualTo("realmode.flat ");
        assertThat(m.reg(dev.vmx4j.core.Reg.RSP)).as("ESP just below the kernel").isEqualTo(0x8000);
    }

    @Test
    void kernelAbove1MiB_getsItsStackAtTheTopOfConventionalMemory() {
        byte[] code = new byte[32];
        System.arraycopy(header(0), 0, code, 0, 12);
        MultibootImage img = MultibootImage.parse(elf32(0x400000, code, 0, 0x400010));
        dev.vmx4j.core.Machine m = dev.vmx4j.core.Machine.builder().memorySize(8L << 20).build();
        MultibootLoader.boot(m, img, "", List.of());
        assertThat(m.reg(dev.vmx4j.core.Reg.RSP)).isEqualTo(0x9FC00);
    }
}
