package dev.vmx4j.core.devices.apic;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.core.memory.MmioHandler;
import dev.vmx4j.core.memory.OpenBusPolicy;
import java.util.function.IntSupplier;

/**
 * The xAPIC register pages in the physical address space: a 4 KiB window at every base an APIC
 * has been given through IA32_APIC_BASE (SDM "Relocating the Local APIC Registers"), starting
 * with {@link LocalApic#DEFAULT_BASE}. An access goes to the APIC of the processor that makes it
 * when that APIC is in xAPIC mode with its base at the window; otherwise the page is what it was
 * before any APIC was moved there: RAM (its contents kept by the window) or open bus. So moving
 * IA32_APIC_BASE moves the page, each processor decodes only its own APIC's page, and the
 * default page reads as memory while the APIC is disabled or in x2APIC mode.
 *
 * <p>DEVIATION: a window, once made, stays an MMIO region: the RAM it covers is not part of
 * memory images or {@code GuestMemory.dump}; a window cannot be made over another device's
 * region (the move is still made: that APIC's page is then not decoded anywhere).
 */
public final class XapicWindows {

    private final GuestMemory memory;
    private LocalApic[] apics;
    private IntSupplier running;
    private long[] bases = new long[0];
    private Runnable mappingChanged = () -> { };

    /** The default window at {@link LocalApic#DEFAULT_BASE}, decoded by {@code apic} (one processor). */
    public XapicWindows(GuestMemory memory, LocalApic apic) {
        if (memory == null || apic == null) {
            throw new IllegalArgumentException("memory and apic must not be null");
        }
        this.memory = memory;
        setProcessors(new LocalApic[] {apic}, () -> 0);
        open(LocalApic.DEFAULT_BASE);
    }

    /** The processors' APICs (by index) and which processor is running, for several processors. */
    public void setProcessors(LocalApic[] apics, IntSupplier running) {
        if (apics == null || apics.length == 0 || running == null) {
            throw new IllegalArgumentException("apics must be non-empty and running non-null");
        }
        this.apics = apics.clone();
        this.running = running;
        for (LocalApic a : this.apics) {
            a.setWindows(this);
        }
    }

    /**
     * Called when a window is made over a page that was RAM: cached translations of that page
     * (the processors' TLBs) must be dropped.
     */
    public void onMappingChanged(Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        mappingChanged = action;
    }

    /** IA32_APIC_BASE of {@code apic} was written: make sure its page is decoded. */
    void baseWritten(LocalApic apic) {
        long base = apic.baseAddress();
        for (long b : bases) {
            if (b == base) {
                return;
            }
        }
        if (!memory.isMmio(base)) {
            open(base);
        }
    }

    private void open(long base) {
        byte[] ram = null;
        if (memory.isRam(base)) {
            ram = new byte[(int) LocalApic.MMIO_SIZE];
            memory.read(base, ram, 0, ram.length);
        }
        memory.addMmio(base, LocalApic.MMIO_SIZE, new Window(base, ram));
        bases = java.util.Arrays.copyOf(bases, bases.length + 1);
        bases[bases.length - 1] = base;
        if (ram != null) {
            mappingChanged.run();
        }
    }

    /** One page: the running processor's APIC if it decodes this base, else RAM or open bus. */
    private final class Window implements MmioHandler {
        private final long base;
        private final byte[] ram;

        Window(long base, byte[] ram) {
            this.base = base;
            this.ram = ram;
        }

        private LocalApic decoder() {
            LocalApic a = apics[running.getAsInt()];
            return a.isX2ApicMode() || !a.isGloballyEnabled() || a.baseAddress() != base ? null : a;
        }

        @Override
        public long read(long offset, int size) {
            LocalApic a = decoder();
            if (a != null) {
                return a.read(offset, size);
            }
            if (ram == null) {
                return memory.openBusPolicy() == OpenBusPolicy.ZEROS ? 0 : -1L;
            }
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | (ram[(int) offset + i] & 0xFF);
            }
            return v;
        }

        @Override
        public void write(long offset, int size, long value) {
            LocalApic a = decoder();
            if (a != null) {
                a.write(offset, size, value);
            } else if (ram != null) {
                for (int i = 0; i < size; i++) {
                    ram[(int) offset + i] = (byte) (value >>> (8 * i));
                }
            }
        }
    }
}
