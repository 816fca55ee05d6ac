package dev.vmx4j.core.devices.apic;

import dev.vmx4j.core.io.IoDevice;

/**
 * The PC's two cascaded 8259A programmable interrupt controllers: the master at ports 0x20-0x21
 * (IRQ 0-7), the slave at 0xA0-0xA1 (IRQ 8-15) on the master's IR2. Attach the same object at
 * both port pairs ({@link #MASTER_PORT} and {@link #SLAVE_PORT}, {@link #PORT_COUNT} each).
 *
 * <p>The rules are those of the Intel 8259A data sheet (the SDM does not describe the 8259A);
 * comments cite its section titles as {@code // 8259A "...":}. Implemented: the ICW1-ICW4
 * initialisation sequence, OCW1 masking, OCW2 EOI (non-specific, specific, with or without
 * rotation, set priority), OCW3 (read IRR/ISR, poll, special mask mode), automatic EOI, special
 * fully nested mode, edge- and level-triggered inputs (ICW1.LTIM), priority resolution and the
 * cascade. Not modelled: buffered mode (ICW4.BUF, no electrical effect) and the 8080/8085 call
 * sequence (ICW4.uPM = 0 is accepted and treated as 8086 mode).
 */
public final class Pic8259Pair implements IoDevice {

    public static final int MASTER_PORT = 0x20;
    public static final int SLAVE_PORT = 0xA0;
    public static final int PORT_COUNT = 2;

    /** The master input the slave's INT output is wired to on a PC. */
    public static final int CASCADE_IRQ = 2;

    private final Chip master = new Chip();
    private final Chip slave = new Chip();

    public Pic8259Pair() {
        reset();
    }

    /**
     * Power-on state. MANUAL: the data sheet leaves an uninitialised 8259A undefined; we start
     * with every input masked, vector base 0 and no request, so nothing is delivered before the
     * guest (or {@link #initialize}) runs the ICW sequence.
     */
    public void reset() {
        master.reset();
        slave.reset();
    }

    /**
     * Runs the initialisation a PC BIOS performs: ICW1 = 0x11 (edge, cascade, ICW4 needed),
     * ICW2 = the vector bases, ICW3 = 0x04 on the master and 2 on the slave, ICW4 = 0x01 (8086
     * mode, normal EOI), and leaves every input unmasked.
     */
    public void initialize(int masterVectorBase, int slaveVectorBase) {
        checkVectorBase("masterVectorBase", masterVectorBase);
        checkVectorBase("slaveVectorBase", slaveVectorBase);
        out(MASTER_PORT, 1, 0x11);
        out(MASTER_PORT + 1, 1, masterVectorBase);
        out(MASTER_PORT + 1, 1, 1 << CASCADE_IRQ);
        out(MASTER_PORT + 1, 1, 0x01);
        out(SLAVE_PORT, 1, 0x11);
        out(SLAVE_PORT + 1, 1, slaveVectorBase);
        out(SLAVE_PORT + 1, 1, CASCADE_IRQ);
        out(SLAVE_PORT + 1, 1, 0x01);
    }

    private static void checkVectorBase(String name, int base) {
        if (base < 0 || base > 0xF8 || (base & 7) != 0) {
            throw new IllegalArgumentException(name + " must be a multiple of 8 in [0, 0xF8], was " + base);
        }
    }

    /** Sets both interrupt mask registers to 0xFF (the Multiboot entry state "PICs masked"). */
    public void maskAll() {
        master.imr = 0xFF;
        slave.imr = 0xFF;
    }

    /** Drives IRQ line {@code irq} (0-15) high: an edge-triggered input latches a request. */
    public void raiseIrq(int irq) {
        checkIrq(irq);
        chipOf(irq).setLevel(irq & 7, true);
    }

    /** Drives IRQ line {@code irq} (0-15) low; a level-triggered input drops its request. */
    public void lowerIrq(int irq) {
        checkIrq(irq);
        chipOf(irq).setLevel(irq & 7, false);
    }

    private static void checkIrq(int irq) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("irq must be in [0, 15], was " + irq);
        }
    }

    private Chip chipOf(int irq) {
        return irq < 8 ? master : slave;
    }

    /** The master's INT output: an unmasked request outranks everything in service. */
    public boolean hasInterrupt() {
        return master.pendingIrq(slaveIntOutput()) >= 0;
    }

    private boolean slaveIntOutput() {
        return slave.pendingIrq(false) >= 0;
    }

    /**
     * The two INTA cycles: returns the vector and moves the request from IRR to ISR (or, in
     * automatic EOI mode, straight through). With no request the master answers as if IR7 had
     * been requested and sets no ISR bit (8259A "Interrupt Sequence": the spurious IR7).
     */
    public int acknowledge() {
        boolean slaveInt = slaveIntOutput();
        int irq = master.pendingIrq(slaveInt);
        if (irq < 0) {
            return master.vectorBase | 7;
        }
        master.acknowledge(irq);
        if (master.isCascade(irq)) {
            int sirq = slave.pendingIrq(false);
            if (sirq < 0) {
                return slave.vectorBase | 7; // the slave's own spurious IR7
            }
            slave.acknowledge(sirq);
            return slave.vectorBase | sirq;
        }
        return master.vectorBase | irq;
    }

    // ---------------------------------------------------------------- register views for tests/debug

    public int masterIrr() {
        return master.effectiveIrr(slaveIntOutput());
    }

    public int masterIsr() {
        return master.isr;
    }

    public int masterImr() {
        return master.imr;
    }

    public int slaveIrr() {
        return slave.irr;
    }

    public int slaveIsr() {
        return slave.isr;
    }

    public int slaveImr() {
        return slave.imr;
    }

    // ---------------------------------------------------------------- I/O ports

    @Override
    public int in(int port, int size) {
        Chip c = (port & 0xFFFE) == SLAVE_PORT ? slave : master;
        boolean cascadeInput = c == master && slaveIntOutput();
        if ((port & 1) == 1) {
            return c.imr;
        }
        if (c.pollPending) {
            c.pollPending = false;
            return poll(c, cascadeInput);
        }
        return c.readIsr ? c.isr : c.effectiveIrr(cascadeInput);
    }

    // 8259A "Poll Command": the read acts as the interrupt acknowledge and returns
    // bit 7 = an interrupt was pending, bits 2:0 = the highest-priority level.
    private int poll(Chip c, boolean cascadeInput) {
        int irq = c.pendingIrq(cascadeInput);
        if (irq < 0) {
            return 0;
        }
        c.acknowledge(irq);
        return 0x80 | irq;
    }

    @Override
    public void out(int port, int size, int value) {
        Chip c = (port & 0xFFFE) == SLAVE_PORT ? slave : master;
        int v = value & 0xFF;
        if ((port & 1) == 0) {
            if ((v & 0x10) != 0) {
                c.icw1(v);
            } else if ((v & 0x08) == 0) {
                c.ocw2(v);
            } else {
                c.ocw3(v);
            }
        } else {
            c.writeData(v);
        }
    }

    /** One 8259A. Bits are indexed by input level 0-7. */
    private static final class Chip {
        int irr;
        int isr;
        int imr;
        int level;          // current input line levels
        int vectorBase;     // ICW2 bits 7:3
        int icw3;           // master: inputs with a slave; slave: its ID
        int icw4;
        boolean levelTriggered;
        boolean singleMode;
        boolean autoEoi;
        boolean rotateOnAutoEoi;
        boolean specialFullyNested;
        boolean specialMask;
        boolean readIsr;
        boolean pollPending;
        int lowestPriority; // the level with the lowest priority; the next one is highest
        int initStep;       // 0 = ready; 2, 3, 4 = the ICW expected next
        boolean needIcw4;

        void reset() {
            irr = 0;
            isr = 0;
            imr = 0xFF;
            level = 0;
            vectorBase = 0;
            icw3 = 0;
            icw4 = 0;
            levelTriggered = false;
            singleMode = false;
            autoEoi = false;
            rotateOnAutoEoi = false;
            specialFullyNested = false;
            specialMask = false;
            readIsr = false;
            pollPending = false;
            lowestPriority = 7;
            initStep = 0;
            needIcw4 = false;
        }

        boolean isCascade(int irq) {
            return !singleMode && (icw3 & (1 << irq)) != 0 && irq == CASCADE_IRQ;
        }

        void setLevel(int line, boolean high) {
            int bit = 1 << line;
            if (high) {
                // 8259A "Edge and Level Triggered Modes": an edge input latches on the rising
                // edge; a level input requests while it is high.
                if (levelTriggered || (level & bit) == 0) {
                    irr |= bit;
                }
                level |= bit;
            } else {
                level &= ~bit;
                if (levelTriggered) {
                    irr &= ~bit;
                }
                // MANUAL: an edge-latched request stays in IRR when the line falls before INTA;
                // the data sheet's "default IR7" race needs sub-instruction timing we do not have.
            }
        }

        /** IRR as seen by priority resolution: the cascade input follows the slave's INT. */
        int effectiveIrr(boolean cascadeInput) {
            if (singleMode || (icw3 & (1 << CASCADE_IRQ)) == 0) {
                return irr;
            }
            // MANUAL: the cascade input follows the slave's INT output as a level; the slave's
            // INT stays high until its INTA, so this matches the latched edge on real boards.
            int bit = 1 << CASCADE_IRQ;
            return cascadeInput ? (irr | bit) : (irr & ~bit);
        }

        int priority(int irq) {
            return (irq - lowestPriority - 1) & 7; // 0 is the highest
        }

        /** The highest-priority level among {@code bits}, or -1. */
        int highest(int bits) {
            if ((bits & 0xFF) == 0) {
                return -1; // PERF: the usual answer between instructions, without the loop
            }
            for (int i = 1; i <= 8; i++) {
                int irq = (lowestPriority + i) & 7;
                if ((bits & (1 << irq)) != 0) {
                    return irq;
                }
            }
            return -1;
        }

        /** The level the INT output asks for, or -1. */
        int pendingIrq(boolean cascadeInput) {
            int irq = highest(effectiveIrr(cascadeInput) & ~imr);
            if (irq < 0) {
                return -1;
            }
            int blocking = isr;
            // 8259A "Special Mask Mode": a masked level in service does not hold off the others.
            if (specialMask) {
                blocking &= ~imr;
            }
            // 8259A "Special Fully Nest Mode": a slave in service does not hold off a
            // higher-priority request from the same slave.
            if (specialFullyNested && isCascade(irq)) {
                blocking &= ~(1 << irq);
            }
            int inService = highest(blocking);
            // 8259A "Fully Nested Mode": only a strictly higher priority interrupts.
            if (inService >= 0 && priority(irq) >= priority(inService)) {
                return -1;
            }
            return irq;
        }

        void acknowledge(int irq) {
            int bit = 1 << irq;
            // An edge request is consumed by INTA; a level request stays in IRR while the line
            // is high (the ISR bit holds it off until the EOI).
            if (!levelTriggered) {
                irr &= ~bit;
            }
            if (autoEoi) {
                // 8259A "Automatic End of Interrupt (AEOI) Mode"
                if (rotateOnAutoEoi) {
                    lowestPriority = irq;
                }
            } else {
                isr |= bit;
            }
        }

        // 8259A "Initialization Command Words": ICW1 starts the sequence.
        void icw1(int v) {
            levelTriggered = (v & 0x08) != 0;
            singleMode = (v & 0x02) != 0;
            needIcw4 = (v & 0x01) != 0;
            imr = 0;
            lowestPriority = 7;
            specialMask = false;
            readIsr = false;
            pollPending = false;
            // MANUAL: ICW1 also empties IRR and ISR (as the PC BIOSes expect); the edge sense
            // circuit is reset, so a line already high must fall and rise again to request.
            irr = 0;
            isr = 0;
            if (!needIcw4) {
                icw4 = 0; // "If IC4 = 0, then all functions selected in ICW4 are set to zero"
                autoEoi = false;
                specialFullyNested = false;
            }
            rotateOnAutoEoi = false;
            initStep = 2;
        }

        void writeData(int v) {
            switch (initStep) {
                case 2:
                    vectorBase = v & 0xF8;
                    initStep = singleMode ? (needIcw4 ? 4 : 0) : 3;
                    break;
                case 3:
                    icw3 = v;
                    initStep = needIcw4 ? 4 : 0;
                    break;
                case 4:
                    icw4 = v;
                    autoEoi = (v & 0x02) != 0;
                    specialFullyNested = (v & 0x10) != 0;
                    initStep = 0;
                    break;
                default:
                    imr = v; // OCW1
                    break;
            }
        }

        // 8259A "Operation Command Words" OCW2: R, SL, EOI in bits 7:5, level in bits 2:0.
        void ocw2(int v) {
            int level = v & 7;
            switch (v >>> 5) {
                case 0b001: { // non-specific EOI
                    int irq = highest(isr);
                    if (irq >= 0) {
                        isr &= ~(1 << irq);
                    }
                    break;
                }
                case 0b011: // specific EOI
                    isr &= ~(1 << level);
                    break;
                case 0b101: { // rotate on non-specific EOI
                    int irq = highest(isr);
                    if (irq >= 0) {
                        isr &= ~(1 << irq);
                        lowestPriority = irq;
                    }
                    break;
                }
                case 0b100: // rotate in automatic EOI mode (set)
                    rotateOnAutoEoi = true;
                    break;
                case 0b000: // rotate in automatic EOI mode (clear)
                    rotateOnAutoEoi = false;
                    break;
                case 0b111: // rotate on specific EOI
                    isr &= ~(1 << level);
                    lowestPriority = level;
                    break;
                case 0b110: // set priority
                    lowestPriority = level;
                    break;
                default: // 0b010: no operation
                    break;
            }
        }

        // OCW3: ESMM/SMM in bits 6:5, P in bit 2, RR/RIS in bits 1:0.
        void ocw3(int v) {
            if ((v & 0x60) == 0x60) {
                specialMask = true;
            } else if ((v & 0x60) == 0x40) {
                specialMask = false;
            }
            pollPending = (v & 0x04) != 0;
            if ((v & 0x02) != 0) {
                readIsr = (v & 0x01) != 0;
            }
        }
    }
}
