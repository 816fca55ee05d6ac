package dev.vmx4j.core.boot;

import dev.vmx4j.core.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads a {@link MultibootImage} into guest memory and writes the Multiboot information
 * structure, as a Multiboot v1 boot loader does.
 *
 * <p>Layout (MANUAL: the specification leaves placement to the loader; these addresses are ours
 * and documented so tests can rely on them): the information structure at {@link #INFO_ADDRESS}
 * (0x9000), then the command line, the boot-loader name, the module list and the memory map in
 * the same 4 KiB page area below 0x10000; modules are loaded page-aligned above the kernel's end.
 * The memory map reports {@code [0, 0x9FC00)} available, {@code [0x9FC00, 0xA0000)} and
 * {@code [0xF0000, 0x100000)} reserved, and {@code [0x100000, ramEnd)} available, as PC firmware does.
 */
public final class MultibootInfoWriter {

    /** Guest-physical address of the Multiboot information structure. */
    public static final long INFO_ADDRESS = 0x9000;
    private static final long INFO_AREA_END = 0x10000;

    /** Info flags (Multiboot specification "Boot information format"). */
    public static final int INFO_MEMORY = 1;
    public static final int INFO_CMDLINE = 1 << 2;
    public static final int INFO_MODULES = 1 << 3;
    public static final int INFO_MMAP = 1 << 6;
    public static final int INFO_BOOT_LOADER_NAME = 1 << 9;

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
    }

    private MultibootInfoWriter() {
    }

    /**
     * Loads the image's segments and modules, writes the info structure, and returns its address.
     *
     * @param ramSize the size of RAM starting at 0 (for mem_upper and the memory map)
     */
    public static long write(GuestMemory memory, long ramSize, MultibootImage image, String cmdline, List<Module> modules) {
        if (ramSize < 0x200000) {
            throw new IllegalArgumentException("ramSize must be at least 2 MiB for a Multiboot kernel, was " + ramSize);
        }
        for (MultibootImage.Segment s : image.segments()) {
            if (s.address() < 0x100000 && s.address() + s.memorySize() > INFO_ADDRESS && s.address() < INFO_AREA_END) {
                throw new IllegalArgumentException(String.format(
                        "kernel segment at 0x%x overlaps the Multiboot information area [0x%x, 0x%x)",
                        s.address(), INFO_ADDRESS, INFO_AREA_END));
            }
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
        long cursor = INFO_ADDRESS + 0x80; // the structure itself is 0x58 bytes
        int flags = INFO_MEMORY | INFO_CMDLINE | INFO_MODULES | INFO_MMAP | INFO_BOOT_LOADER_NAME;

        long cmdlineAddr = cursor;
        cursor = putString(memory, cursor, cmdline == null ? "" : cmdline);
        long nameAddr = cursor;
        cursor = putString(memory, cursor, "vmx4j");

        // Modules: data page-aligned above the kernel, list entries in the info area.
        List<Module> mods = modules == null ? List.of() : modules;
        cursor = (cursor + 15) & ~15L;
        long modsAddr = cursor;
        cursor += 16L * mods.size();
        long modData = (image.end() + 0xFFF) & ~0xFFFL;
        for (int i = 0; i < mods.size(); i++) {
            Module m = mods.get(i);
            if (modData + m.data.length > ramSize) {
                throw new IllegalArgumentException("module " + i + " does not fit in RAM above the kernel");
            }
            memory.load(modData, m.data);
            long strAddr = cursor;
            cursor = putString(memory, cursor, m.string);
            memory.write32(modsAddr + 16L * i, (int) modData);
            memory.write32(modsAddr + 16L * i + 4, (int) (modData + m.data.length));
            memory.write32(modsAddr + 16L * i + 8, (int) strAddr);
            memory.write32(modsAddr + 16L * i + 12, 0);
            modData = (modData + m.data.length + 0xFFF) & ~0xFFFL;
        }

        cursor = (cursor + 7) & ~7L;
        long mmapAddr = cursor;
        long ramTop = Math.min(ramSize, 0xFFFFFFFFL + 1);
        cursor = putMmap(memory, cursor, 0, 0x9FC00, 1);
        cursor = putMmap(memory, cursor, 0x9FC00, 0x400, 2);
        cursor = putMmap(memory, cursor, 0xF0000, 0x10000, 2);
        cursor = putMmap(memory, cursor, 0x100000, ramSize - 0x100000, 1);
        long mmapLength = cursor - mmapAddr;
        if (cursor > INFO_AREA_END) {
            throw new IllegalArgumentException("command line and module strings exceed the Multiboot information area ("
                    + (INFO_AREA_END - INFO_ADDRESS) + " bytes)");
        }

        long i = INFO_ADDRESS;
        memory.load(i, new byte[0x58]);
        memory.write32(i, flags);
        memory.write32(i + 4, 639);                                  // mem_lower in KiB
        memory.write32(i + 8, (int) ((ramTop - 0x100000) / 1024));   // mem_upper in KiB
        memory.write32(i + 16, (int) cmdlineAddr);
        memory.write32(i + 20, mods.size());
        memory.write32(i + 24, (int) modsAddr);
        memory.write32(i + 44, (int) mmapLength);
        memory.write32(i + 48, (int) mmapAddr);
        memory.write32(i + 64, (int) nameAddr);
        return INFO_ADDRESS;
    }

    private static long putString(GuestMemory memory, long at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (at + b.length + 1 > INFO_AREA_END) {
            throw new IllegalArgumentException("strings exceed the Multiboot information area");
        }
        memory.load(at, b);
        memory.write8(at + b.length, 0);
        return at + b.length + 1;
    }

    private static long putMmap(GuestMemory memory, long at, long base, long length, int type) {
        memory.write32(at, 20);        // size of the entry, not counting this field
        memory.write64(at + 4, base);
        memory.write64(at + 12, length);
        memory.write32(at + 20, type);
        return at + 24;
    }
}
