package dev.vmx4j.core.cpu;

import dev.vmx4j.core.Segment;

/**
 * One segment register: the visible selector and the hidden descriptor cache, preallocated and
 * mutated in place. Access rights are kept in the VMCS format (SDM "Format of Access Rights"):
 * bits 3:0 type, 4 S, 6:5 DPL, 7 P, 12 AVL, 13 L, 14 D/B, 15 G, 16 unusable.
 *
 * <p>PERF: the limit-check bounds and the read/write permissions are derived once when the
 * register is loaded, so a data access costs two compares.
 */
public final class SegmentState implements Segment {

    public static final int AR_TYPE_ACCESSED = 1;
    public static final int AR_S = 1 << 4;
    public static final int AR_P = 1 << 7;
    public static final int AR_L = 1 << 13;
    public static final int AR_DB = 1 << 14;
    public static final int AR_G = 1 << 15;
    public static final int AR_UNUSABLE = 1 << 16;

    int selector;
    long base;
    int limit;
    int ar;

    /** Lowest and highest valid offset (inclusive), unsigned, for the limit check. */
    long lowOffset;
    long highOffset;
    boolean readable;
    boolean writable;

    @Override
    public int selector() {
        return selector;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public int accessRights() {
        return ar;
    }

    public int dpl() {
        return ar >>> 5 & 3;
    }

    /** Loads all four parts and recomputes the derived checks. */
    public void set(int selector, long base, int limit, int accessRights) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.ar = accessRights;
        derive();
    }

    /** SDM "Real-Address Mode Operation": a segment load sets base = selector * 16 and nothing else. */
    void loadReal(int selector) {
        this.selector = selector & 0xFFFF;
        this.base = (long) (selector & 0xFFFF) << 4;
        derive();
    }

    private void derive() {
        int type = ar & 0xF;
        boolean unusable = (ar & AR_UNUSABLE) != 0;
        boolean code = (type & 8) != 0;
        // SDM "Code- and Data-Segment Descriptor Types": data segments are always readable and
        // writable if bit 1 is set; code segments are readable if bit 1 is set, never writable.
        readable = !unusable && (!code || (type & 2) != 0);
        writable = !unusable && !code && (type & 2) != 0;
        long lim = limit & 0xFFFFFFFFL;
        if (!code && (type & 4) != 0) {
            // SDM "Segment Descriptors": expand-down: valid offsets are limit+1 .. 0xFFFF or 0xFFFFFFFF (by B).
            lowOffset = lim + 1;
            highOffset = (ar & AR_DB) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
        } else {
            lowOffset = 0;
            highOffset = lim;
        }
    }

    void copyFrom(SegmentState o) {
        selector = o.selector;
        base = o.base;
        limit = o.limit;
        ar = o.ar;
        derive();
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%x limit=%x ar=%x", selector, base, limit, ar);
    }
}
