package dev.vmx4j.core.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Multiboot (version 1) kernel image, parsed the way {@code qemu-system-x86_64 -kernel} does:
 * the header must sit 4-byte aligned in the first 8,192 bytes; with header flag bit 16 the
 * address fields (a.out kludge) say where to load the file, otherwise the file is an ELF32 or
 * ELF64 executable whose {@code PT_LOAD} segments are loaded at their physical addresses.
 *
 * <p>Malformed images give {@link IllegalArgumentException} with the reason and the offset.
 */
public final class MultibootImage {

    /** Multiboot specification "Header magic fields": the header magic. */
    public static final int HEADER_MAGIC = 0x1BADB002;
    /** The value a Multiboot loader leaves in EAX. */
    public static final int BOOTLOADER_MAGIC = 0x2BADB002;
    /** Header flag bit 16: the address fields are valid. */
    public static final int FLAG_ADDRESS_FIELDS = 1 << 16;
    /** Header flag bit 0: align modules on 4 KiB boundaries. */
    public static final int FLAG_PAGE_ALIGN_MODULES = 1;

    private static final int SEARCH_LIMIT = 8192;

    /** What kind of file the kernel was. */
    public enum Format { ELF32, ELF64, AOUT_KLUDGE }

    /** One region to load: {@code data} at {@code address}, then zeros up to {@code memorySize}. */
    public static final class Segment {
        private final long address;
        private final byte[] data;
        private final long memorySize;

        Segment(long address, byte[] data, long memorySize) {
            this.address = address;
            this.data = data;
            this.memorySize = memorySize;
        }

        public long address() {
            return address;
        }

        public byte[] data() {
            return data.clone();
        }

        int dataLength() {
            return data.length;
        }

        byte[] rawData() {
            return data;
        }

        public long memorySize() {
            return memorySize;
        }
    }

    private final Format format;
    private final int headerFlags;
    private final long entry;
    private final List<Segment> segments;

    private MultibootImage(Format format, int headerFlags, long entry, List<Segment> segments) {
        this.format = format;
        this.headerFlags = headerFlags;
        this.entry = entry;
        this.segments = Collections.unmodifiableList(segments);
    }

    public Format format() {
        return format;
    }

    public int headerFlags() {
        return headerFlags;
    }

    /** The 32-bit protected-mode entry point. */
    public long entry() {
        return entry;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The first address above everything the image loads (its end including BSS). */
    public long end() {
        long end = 0;
        for (Segment s : segments) {
            end = Math.max(end, s.address + s.memorySize);
        }
        return end;
    }

    /** The lowest address the image loads. */
    public long start() {
        long start = Long.MAX_VALUE;
        for (Segment s : segments) {
            start = Math.min(start, s.address);
        }
        return start;
    }

    public static MultibootImage parse(byte[] file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int header = -1;
        for (int off = 0; off + 12 <= Math.min(file.length, SEARCH_LIMIT); off += 4) {
            if (b.getInt(off) == HEADER_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                header = off;
                break;
            }
        }
        if (header < 0) {
            throw new IllegalArgumentException(
                    "no Multiboot header (magic 0x1BADB002 with a valid checksum) in the first 8192 bytes");
        }
        int flags = b.getInt(header + 4);
        if ((flags & FLAG_ADDRESS_FIELDS) != 0) {
            return parseKludge(file, b, header, flags);
        }
        return parseElf(file, b, flags);
    }

    private static MultibootImage parseKludge(byte[] file, ByteBuffer b, int header, int flags) {
        if (header + 32 > file.length) {
            throw new IllegalArgumentException("Multiboot header at offset " + header + " is truncated (address fields)");
        }
        long headerAddr = b.getInt(header + 12) & 0xFFFFFFFFL;
        long loadAddr = b.getInt(header + 16) & 0xFFFFFFFFL;
        long loadEndAddr = b.getInt(header + 20) & 0xFFFFFFFFL;
        long bssEndAddr = b.getInt(header + 24) & 0xFFFFFFFFL;
        long entryAddr = b.getInt(header + 28) & 0xFFFFFFFFL;
        if (loadAddr > headerAddr) {
            throw new IllegalArgumentException(String.format(
                    "a.out kludge: load_addr 0x%x must not exceed header_addr 0x%x", loadAddr, headerAddr));
        }
        long fileOffset = header - (headerAddr - loadAddr);
        if (fileOffset < 0) {
            throw new IllegalArgumentException("a.out kludge: load_addr lies before the start of the file");
        }
        long length = loadEndAddr == 0 ? file.length - fileOffset : loadEndAddr - loadAddr;
        if (length < 0 || fileOffset + length > file.length) {
            throw new IllegalArgumentException(String.format(
                    "a.out kludge: load_end_addr 0x%x is outside the file (load_addr 0x%x, file %d bytes)",
                    loadEndAddr, loadAddr, file.length));
        }
        long memSize = bssEndAddr == 0 ? length : bssEndAddr - loadAddr;
        if (memSize < length) {
            throw new IllegalArgumentException(String.format(
                    "a.out kludge: bss_end_addr 0x%x lies below load_end_addr", bssEndAddr));
        }
        byte[] data = new byte[(int) length];
        System.arraycopy(file, (int) fileOffset, data, 0, (int) length);
        List<Segment> segs = new ArrayList<>();
        segs.add(new Segment(loadAddr, data, memSize));
        return new MultibootImage(Format.AOUT_KLUDGE, flags, entryAddr, segs);
    }

    private static MultibootImage parseElf(byte[] file, ByteBuffer b, int flags) {
        if (file.length < 52 || b.getInt(0) != 0x464C457F) {
            throw new IllegalArgumentException(
                    "Multiboot header without address fields (flag bit 16) requires an ELF file; no ELF magic found");
        }
        int elfClass = file[4];
        if (file[5] != 1) {
            throw new IllegalArgumentException("ELF file must be little-endian (EI_DATA=1), was " + file[5]);
        }
        List<Segment> segs = new ArrayList<>();
        long entry;
        Format format;
        if (elfClass == 1) {
            format = Format.ELF32;
            entry = b.getInt(24) & 0xFFFFFFFFL;
            long phoff = b.getInt(28) & 0xFFFFFFFFL;
            int phentsize = b.getShort(42) & 0xFFFF;
            int phnum = b.getShort(44) & 0xFFFF;
            for (int i = 0; i < phnum; i++) {
                long ph = phoff + (long) i * phentsize;
                checkInFile(file, ph, 32, "program header " + i);
                if (b.getInt((int) ph) != 1) {
                    continue; // not PT_LOAD
                }
                long offset = b.getInt((int) ph + 4) & 0xFFFFFFFFL;
                long paddr = b.getInt((int) ph + 12) & 0xFFFFFFFFL;
                long filesz = b.getInt((int) ph + 16) & 0xFFFFFFFFL;
                long memsz = b.getInt((int) ph + 20) & 0xFFFFFFFFL;
                segs.add(segment(file, i, offset, paddr, filesz, memsz));
            }
        } else if (elfClass == 2) {
            format = Format.ELF64;
            if (file.length < 64) {
                throw new IllegalArgumentException("ELF64 header truncated");
            }
            entry = b.getLong(24);
            long phoff = b.getLong(32);
            int phentsize = b.getShort(54) & 0xFFFF;
            int phnum = b.getShort(56) & 0xFFFF;
            for (int i = 0; i < phnum; i++) {
                long ph = phoff + (long) i * phentsize;
                checkInFile(file, ph, 56, "program header " + i);
                if (b.getInt((int) ph) != 1) {
                    continue;
                }
                long offset = b.getLong((int) ph + 8);
                long paddr = b.getLong((int) ph + 24);
                long filesz = b.getLong((int) ph + 32);
                long memsz = b.getLong((int) ph + 40);
                segs.add(segment(file, i, offset, paddr, filesz, memsz));
            }
            if (entry < 0 || entry > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(String.format(
                        "ELF64 entry 0x%x must be below 4 GiB: a Multiboot kernel starts in 32-bit protected mode", entry));
            }
        } else {
            throw new IllegalArgumentException("ELF class must be 1 (ELF32) or 2 (ELF64), was " + elfClass);
        }
        if (segs.isEmpty()) {
            throw new IllegalArgumentException("ELF file has no PT_LOAD segment");
        }
        return new MultibootImage(format, flags, entry, segs);
    }

    private static Segment segment(byte[] file, int index, long offset, long paddr, long filesz, long memsz) {
        checkInFile(file, offset, filesz, "segment " + index);
        if (memsz < filesz) {
            throw new IllegalArgumentException("segment " + index + ": p_memsz " + memsz + " < p_filesz " + filesz);
        }
        if (paddr < 0 || paddr + memsz > 0x1_0000_0000L) {
            throw new IllegalArgumentException(String.format(
                    "segment %d: physical range [0x%x, +0x%x) must lie below 4 GiB", index, paddr, memsz));
        }
        byte[] data = new byte[(int) filesz];
        System.arraycopy(file, (int) offset, data, 0, (int) filesz);
        return new Segment(paddr, data, memsz);
    }

    private static void checkInFile(byte[] file, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset + length > file.length) {
            throw new IllegalArgumentException(String.format(
                    "%s: bytes [%d, %d) lie outside the file of %d bytes", what, offset, offset + length, file.length));
        }
    }
}
