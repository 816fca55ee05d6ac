package dev.vmx4j.core.boot;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Seg;

/**
 * Loads a raw binary at a guest-physical address and starts it in a chosen mode, for library
 * users who have no boot loader.
 *
 * <ul>
 *   <li>{@link StartMode#REAL}: real mode with CS = entry &gt;&gt; 4 and IP = entry &amp; 0xF
 *       (the entry must lie below 1 MiB), data segments 0.
 *   <li>{@link StartMode#PROTECTED}: flat 32-bit protected mode, paging off (entry below 4 GiB).
 *   <li>{@link StartMode#LONG}: 64-bit mode with an identity map of all RAM that the loader builds
 *       at {@link #DEFAULT_PAGE_TABLES} (0x70000, below the EBDA) unless told otherwise.
 * </ul>
 * RFLAGS is 0x2 (interrupts off) in every mode; the other registers keep their reset values.
 */
public final class RawBinaryLoader {

    /** The modes a raw binary can start in. */
    public enum StartMode { REAL, PROTECTED, LONG }

    /** Where {@link StartMode#LONG} builds its identity page tables unless told otherwise. */
    public static final long DEFAULT_PAGE_TABLES = 0x70000;

    private RawBinaryLoader() {
    }

    /** Loads {@code image} at {@code address} and starts at {@code entry} in {@code mode}. */
    public static void load(Machine machine, byte[] image, long address, long entry, StartMode mode) {
        load(machine, image, address, entry, mode, DEFAULT_PAGE_TABLES);
    }

    /** As {@link #load(Machine, byte[], long, long, StartMode)}, with the page-table address for LONG mode. */
    public static void load(Machine machine, byte[] image, long address, long entry, StartMode mode, long pageTables) {
        if (machine == null || image == null || mode == null) {
            throw new IllegalArgumentException("machine, image and mode must not be null");
        }
        machine.memory().load(address, image);
        switch (mode) {
            case REAL:
                if (entry < 0 || entry >= 0x100000) {
                    throw new IllegalArgumentException(String.format(
                            "entry for REAL mode must be in [0, 0x100000), was 0x%x", entry));
                }
                int cs = (int) (entry >>> 4);
                machine.setSegment(Seg.CS, cs, (long) cs << 4, 0xFFFF, 0x9B);
                machine.setRip(entry & 0xF);
                break;
            case PROTECTED:
                if (entry < 0 || entry > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException(String.format(
                            "entry for PROTECTED mode must be in [0, 0xFFFFFFFF], was 0x%x", entry));
                }
                machine.enterProtectedMode();
                machine.setRip(entry);
                break;
            default:
                if ((pageTables & 0xFFF) != 0) {
                    throw new IllegalArgumentException("pageTables must be 4 KiB aligned, was 0x" + Long.toHexString(pageTables));
                }
                machine.enterLongMode(pageTables);
                machine.setRip(entry);
                break;
        }
        machine.setRflags(0x2);
    }
}
