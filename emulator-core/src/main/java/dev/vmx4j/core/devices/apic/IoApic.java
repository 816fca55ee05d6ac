package dev.vmx4j.core.devices.apic;

import dev.vmx4j.core.memory.MmioHandler;

/**
 * An 82093AA-style I/O APIC at {@link #DEFAULT_BASE} with 24 redirection entries, delivering to
 * the single local APIC. The rules follow the Intel 82093AA I/O APIC data sheet (the SDM covers
 * only the local APIC); comments cite its register names.
 *
 * <p>Registers are reached indirectly: IOREGSEL (offset 00H) selects, IOWIN (offset 10H) reads or
 * writes. Register 00H is the ID (bits 27:24), 01H the version ({@link #VERSION}: version 11H,
 * maximum redirection entry 23), 02H the arbitration ID, 10H-3FH the redirection table (two
 * registers per entry: low then high dword).
 *
 * <p>Pins are driven with {@link #raiseIrq(int)} and {@link #lowerIrq(int)} (asserted, not
 * electrical level: MANUAL, the polarity bit is stored and does not invert the pin). An
 * edge-triggered entry sends one message per assertion; a level-triggered entry sends one and
 * sets Remote IRR until the local APIC broadcasts the EOI for its vector, then resends if the pin
 * is still asserted. MANUAL: an edge that arrives while the entry is masked is lost.
 */
public final class IoApic implements MmioHandler, EoiBroadcastListener {

    public static final long DEFAULT_BASE = 0xFEC0_0000L;
    public static final int MMIO_SIZE = 0x1000;
    public static final int ENTRY_COUNT = 24;
    public static final int VERSION = ((ENTRY_COUNT - 1) << 16) | 0x11;

    public static final int IOREGSEL = 0x00;
    public static final int IOWIN = 0x10;

    public static final int IOAPICID = 0x00;
    public static final int IOAPICVER = 0x01;
    public static final int IOAPICARB = 0x02;
    public static final int IOREDTBL = 0x10;

    // Redirection entry fields ("IOREDTBL[23:0] I/O Redirection Table Registers").
    public static final long RTE_DELIVERY_STATUS = 1L << 12;
    public static final long RTE_POLARITY_LOW = 1L << 13;
    public static final long RTE_REMOTE_IRR = 1L << 14;
    public static final long RTE_LEVEL_TRIGGERED = 1L << 15;
    public static final long RTE_MASKED = 1L << 16;
    public static final long RTE_LOGICAL = 1L << 11;
    private static final long RTE_WRITABLE = 0xFF00_0000_0001_AFFFL;

    private LocalApic[] apics;
    private final long[] entries = new long[ENTRY_COUNT];
    private int select;
    private int id;
    private int asserted;

    public IoApic(LocalApic lapic) {
        if (lapic == null) {
            throw new IllegalArgumentException("lapic must not be null");
        }
        this.apics = new LocalApic[] {lapic};
        reset();
    }

    /** Reset: every entry masked and otherwise zero, ID 0. */
    public void reset() {
        for (int i = 0; i < ENTRY_COUNT; i++) {
            entries[i] = RTE_MASKED;
        }
        select = 0;
        id = 0;
        asserted = 0;
    }

    public long redirectionEntry(int pin) {
        checkPin(pin);
        return entries[pin];
    }

    /** Asserts input {@code pin} (0-23). */
    public void raiseIrq(int pin) {
        checkPin(pin);
        int bit = 1 << pin;
        boolean wasAsserted = (asserted & bit) != 0;
        asserted |= bit;
        long e = entries[pin];
        if ((e & RTE_MASKED) != 0) {
            return;
        }
        if ((e & RTE_LEVEL_TRIGGERED) != 0) {
            if ((e & RTE_REMOTE_IRR) == 0) {
                send(pin);
            }
        } else if (!wasAsserted) {
            send(pin);
        }
    }

    /** Deasserts input {@code pin} (0-23). */
    public void lowerIrq(int pin) {
        checkPin(pin);
        asserted &= ~(1 << pin);
    }

    private static void checkPin(int pin) {
        if (pin < 0 || pin >= ENTRY_COUNT) {
            throw new IllegalArgumentException("pin must be in [0, " + (ENTRY_COUNT - 1) + "], was " + pin);
        }
    }

    /**
     * Routes messages to every processor's APIC ({@code apics[0]} first); by default only the
     * APIC given to the constructor receives them.
     */
    public void setApics(LocalApic[] all) {
        if (all == null || all.length == 0) {
            throw new IllegalArgumentException("apics must be non-empty");
        }
        this.apics = all.clone();
    }

    // Sends the entry's message to every local APIC its destination names. MANUAL: lowest
    // priority goes to the first addressed APIC that accepts it (a fixed, deterministic choice);
    // SMI and INIT messages are dropped (not modelled).
    private void send(int pin) {
        boolean lowestDone = false;
        for (LocalApic a : apics) {
            if (a.acceptsMessageFor((int) (entries[pin] >>> 56) & 0xFF, (entries[pin] & RTE_LOGICAL) != 0)) {
                int mode = (int) (entries[pin] >>> 8) & 7;
                if (mode == LocalApic.DELIVERY_LOWEST_PRIORITY) {
                    if (lowestDone) {
                        continue;
                    }
                    lowestDone = true;
                }
                sendTo(a, pin);
            }
        }
    }

    private void sendTo(LocalApic lapic, int pin) {
        long e = entries[pin];
        int vector = (int) e & 0xFF;
        int mode = (int) (e >>> 8) & 7;
        switch (mode) {
            case LocalApic.DELIVERY_FIXED:
            case LocalApic.DELIVERY_LOWEST_PRIORITY: { // the caller picked the target APIC
                boolean level = (e & RTE_LEVEL_TRIGGERED) != 0;
                if (lapic.acceptFixed(vector, level) && level) {
                    entries[pin] = e | RTE_REMOTE_IRR;
                }
                break;
            }
            case LocalApic.DELIVERY_NMI:
                lapic.acceptNmi();
                break;
            case LocalApic.DELIVERY_EXTINT:
                lapic.acceptExtInt();
                break;
            default:
                break;
        }
    }

    /** The local APIC's EOI for a level-triggered vector clears Remote IRR on matching entries. */
    @Override
    public void eoiBroadcast(int vector) {
        for (int pin = 0; pin < ENTRY_COUNT; pin++) {
            long e = entries[pin];
            if ((e & RTE_REMOTE_IRR) != 0 && ((int) e & 0xFF) == vector) {
                entries[pin] = e & ~RTE_REMOTE_IRR;
                resendIfAsserted(pin);
            }
        }
    }

    private void resendIfAsserted(int pin) {
        long e = entries[pin];
        if ((asserted & (1 << pin)) != 0 && (e & (RTE_MASKED | RTE_REMOTE_IRR)) == 0
                && (e & RTE_LEVEL_TRIGGERED) != 0) {
            send(pin);
        }
    }

    // ---------------------------------------------------------------- MMIO

    @Override
    public long read(long offset, int size) {
        if (offset == IOREGSEL) {
            return select;
        }
        if (offset == IOWIN) {
            return readRegister(select) & 0xFFFF_FFFFL;
        }
        return 0; // MANUAL: the rest of the page reads 0
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset == IOREGSEL) {
            select = (int) value & 0xFF;
        } else if (offset == IOWIN) {
            writeRegister(select, (int) value);
        }
    }

    public int readRegister(int index) {
        switch (index) {
            case IOAPICID:
                return id << 24;
            case IOAPICVER:
                return VERSION;
            case IOAPICARB:
                return id << 24; // the arbitration ID is loaded from the ID
            default:
                if (index >= IOREDTBL && index < IOREDTBL + 2 * ENTRY_COUNT) {
                    long e = entries[(index - IOREDTBL) >>> 1];
                    return (index & 1) == 0 ? (int) e : (int) (e >>> 32);
                }
                return 0; // MANUAL: unimplemented registers read 0
        }
    }

    public void writeRegister(int index, int value) {
        if (index == IOAPICID) {
            id = (value >>> 24) & 0xF;
            return;
        }
        if (index < IOREDTBL || index >= IOREDTBL + 2 * ENTRY_COUNT) {
            return; // version, arbitration and unimplemented registers are read-only
        }
        int pin = (index - IOREDTBL) >>> 1;
        long old = entries[pin];
        long written = (index & 1) == 0
                ? (old & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL)
                : (old & 0xFFFF_FFFFL) | ((long) value << 32);
        long e = (written & RTE_WRITABLE) | (old & RTE_REMOTE_IRR);
        if ((e & RTE_LEVEL_TRIGGERED) == 0) {
            e &= ~RTE_REMOTE_IRR; // MANUAL: Remote IRR is meaningless for edge entries; cleared
        }
        entries[pin] = e;
        // A level-triggered pin still asserted is delivered once its entry is unmasked.
        resendIfAsserted(pin);
    }
}
