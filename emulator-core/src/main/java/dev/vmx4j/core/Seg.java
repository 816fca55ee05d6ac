package dev.vmx4j.core;

/**
 * The segment registers, numbered as the SDM's Sreg encoding for ES..GS; LDTR and TR follow
 * (6 and 7 are this API's numbers, not an SDM encoding).
 */
public enum Seg {
    ES(0), CS(1), SS(2), DS(3), FS(4), GS(5), LDTR(6), TR(7);

    private final int number;

    Seg(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
