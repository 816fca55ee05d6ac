package dev.vmx4j.core.boot;

import dev.vmx4j.core.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads a {@link MultibootImage} into guest memory and writes the Multiboot information
 * structure, as a Multiboot v1 boot loader does.
 *
 * <p>Layout (MANUAL: the specification leaves placement to the loader; we follow QEMU's
 * {@code -kernel} loader, which puts everything after the kernel, so that no kernel segment can
 * be overwritten, whatever its link address): the information area starts at the first page
 * boundary at or above the highest byte the kernel loads (its end including BSS, see
 * {@link #infoAddress(MultibootImage)}). It holds the information structure (0x58 bytes, at the
 * area's start), the command line, the boot-loader name, the module list, the module strings
 * and the memory map. Modules follow page-aligned after the area. The memory map reports
 * {@code [0, 0x9FC00)} available, {@code [0x9FC00, 0xA0000)} and {@code [0xF0000, 0x100000)}
 * reserved, and {@code [0x100000, ramEnd)} available, as PC firmware does.
 */
public final class MultibootInfoWriter {

    /** Size of the information structure itself (Multiboot specification "Boot information format"). */
    public static final int INFO_SIZE = 0x58;

    /** Info flags (Multiboot specification "Boot information format"). */
    public static final int INFO_MEMORY = 1;
    public static final int INFO_CMDLINE = 1 << 2;
    public static final int INFO_MODULES = 1 << 3;
    public static final int INFO_MMAP = 1 << 6;
    public static final int INFO_BOOT_LOADER_NAME = 1 << 9;

    private static final int MMAP_ENTRIES = 4;
    private static final int MMAP_ENTRY_SIZE = 24;
    private static final int MODULE_ENTRY_SIZE = 16;

    /** A boot module: its bytes and its string (command line). */
    public static final class Module {
        final byte[] data;
        final String string;

        public Module(byte[] data, String string) {
            if (data == null || string == null) {
                throw new IllegalArgumentException("module data and string must not be null");
            }
            this.data = data.clone();
            this.string = string;
        }

        public byte[] data() {
            return data.clone();
        }

        public String string() {
            return string;
        }
    }

    private MultibootInfoWriter() {
    }

    /** Where {@link #write} puts the information structure for {@code image}: its end, page-aligned up. */
    public static long infoAddress(MultibootImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return pageAlign(image.end());
    }

    /**
     * Loads the image's segments and modules, writes the info structure, and returns its address
     * ({@link #infoAddress(MultibootImage)}).
     *
     * @param ramSize the size of RAM starting at 0 (for mem_upper and the memory map)
     */
    public static long write(GuestMemory memory, long ramSize, MultibootImage image, String cmdline, List<Module> modules) {
        if (ramSize < 0x200000) {
            throw new IllegalArgumentException("ramSize must be at least 2 MiB for a Multiboot kernel, was " + ramSize);
        }
        for (MultibootImage.Segment s : image.segments()) {
            if (s.address() + s.memorySize() > ramSize) {
                throw new IllegalArgumentException(String.format(
                        "kernel segment [0x%x, 0x%x) lies beyond RAM (%d bytes)",
                        s.address(), s.address() + s.memorySize(), ramSize));
            }
            memory.load(s.address(), s.rawData());
            long bss = s.memorySize() - s.dataLength();
            if (bss > 0) {
                memory.load(s.address() + s.dataLength(), new byte[(int) bss]);
            }
        }
        List<Module> mods = modules == null ? List.of() : modules;
        byte[] cmd = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        byte[] name = "vmx4j".getBytes(StandardCharsets.UTF_8);
        long info = infoAddress(image);
        long cmdlineAddr = info + INFO_SIZE;
        long nameAddr = cmdlineAddr + cmd.length + 1;
        long modsAddr = align(nameAddr + name.length + 1, 16);
        long cursor = modsAddr + (long) MODULE_ENTRY_SIZE * mods.size();
        long[] modStrings = new long[mods.size()];
        for (int i = 0; i < mods.size(); i++) {
            modStrings[i] = cursor;
            cursor += mods.get(i).string.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        long mmapAddr = align(cursor, 8);
        long areaEnd = mmapAddr + (long) MMAP_ENTRIES * MMAP_ENTRY_SIZE;
        long modData = pageAlign(areaEnd);
        long end = modData;
        for (Module m : mods) {
            end = pageAlign(end + m.data.length);
        }
        if (end > ramSize || areaEnd > 0x1_0000_0000L) {
            throw new IllegalArgumentException(String.format(
                    "the Multiboot information and modules need [0x%x, 0x%x), beyond RAM (%d bytes) or 4 GiB",
                    info, end, ramSize));
        }

        memory.load(info, new byte[INFO_SIZE]);
        putString(memory, cmdlineAddr, cmd);
        putString(memory, nameAddr, name);
        for (int i = 0; i < mods.size(); i++) {
            Module m = mods.get(i);
            memory.load(modData, m.data);
            putString(memory, modStrings[i], m.string.getBytes(StandardCharsets.UTF_8));
            long e = modsAddr + (long) MODULE_ENTRY_SIZE * i;
            memory.write32(e, (int) modData);
            memory.write32(e + 4, (int) (modData + m.data.length));
            memory.write32(e + 8, (int) modStrings[i]);
            memory.write32(e + 12, 0);
            modData = pageAlign(modData + m.data.length);
        }
        long at = mmapAddr;
        at = putMmap(memory, at, 0, 0x9FC00, 1);
        at = putMmap(memory, at, 0x9FC00, 0x400, 2);
        at = putMmap(memory, at, 0xF0000, 0x10000, 2);
        putMmap(memory, at, 0x100000, ramSize - 0x100000, 1);

        long ramTop = Math.min(ramSize, 0xFFFFFFFFL + 1);
        int flags = INFO_MEMORY | INFO_CMDLINE | INFO_MODULES | INFO_MMAP | INFO_BOOT_LOADER_NAME;
        memory.write32(info, flags);
        memory.write32(info + 4, 639);                                  // mem_lower in KiB
        memory.write32(info + 8, (int) ((ramTop - 0x100000) / 1024));   // mem_upper in KiB
        memory.write32(info + 16, (int) cmdlineAddr);
        memory.write32(info + 20, mods.size());
        memory.write32(info + 24, (int) modsAddr);
        memory.write32(info + 44, MMAP_ENTRIES * MMAP_ENTRY_SIZE);
        memory.write32(info + 48, (int) mmapAddr);
        memory.write32(info + 64, (int) nameAddr);
        return info;
    }

    private static long pageAlign(long a) {
        return align(a, 0x1000);
    }

    private static long align(long a, long to) {
        return (a + to - 1) & -to;
    }

    private static void putString(GuestMemory memory, long at, byte[] b) {
        memory.load(at, b);
        memory.write8(at + b.length, 0);
    }

    private static long putMmap(GuestMemory memory, long at, long base, long length, int type) {
        memory.write32(at, MMAP_ENTRY_SIZE - 4); // size of the entry, not counting this field
        memory.write64(at + 4, base);
        memory.write64(at + 12, length);
        memory.write32(at + 20, type);
        return at + MMAP_ENTRY_SIZE;
    }
}
