package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.MemoryType;

/**
 * The reusable result of one EPT translation, filled by {@link EptWalker#translate}.
 *
 * <p>// PERF: one instance per CPU, overwritten by every walk; no allocation on the walk path.
 * Which fields are meaningful depends on {@link #outcome()}:
 * <ul>
 *   <li>{@link EptWalkOutcome#TRANSLATED}: host-physical address, permissions, memory type, IPAT,
 *       page size.</li>
 *   <li>{@link EptWalkOutcome#VIOLATION}: exit qualification, guest-physical address, guest-linear
 *       address and its valid flag, whether the violation is convertible to #VE.</li>
 *   <li>{@link EptWalkOutcome#MISCONFIGURATION}: the reason, the level and the entry.</li>
 * </ul>
 * The entries read are kept for every outcome ({@link #entryAddress(int)}, {@link #entryValue(int)}).
 */
public final class EptWalkResult {

    private EptWalkOutcome outcome = EptWalkOutcome.TRANSLATED;
    private long guestPhysicalAddress;
    private long guestLinearAddress;
    private int access;
    private int topLevel;
    private int lastLevel;
    private final long[] entryAddress = new long[6];
    private final long[] entryValue = new long[6];

    private long hostPhysicalAddress;
    private long permissions;
    private MemoryType memoryType;
    private boolean ignorePat;

    private long exitQualification;
    private boolean convertibleToVirtualizationException;

    private EptMisconfiguration misconfiguration = EptMisconfiguration.NONE;

    void begin(long gpa, long gla, int access, int topLevel) {
        this.outcome = EptWalkOutcome.TRANSLATED;
        this.guestPhysicalAddress = gpa;
        this.guestLinearAddress = (access & EptAccess.LINEAR_ADDRESS_VALID) != 0 ? gla : 0;
        this.access = access;
        this.topLevel = topLevel;
        this.lastLevel = topLevel;
        this.hostPhysicalAddress = 0;
        this.permissions = 0;
        this.memoryType = null;
        this.ignorePat = false;
        this.exitQualification = 0;
        this.convertibleToVirtualizationException = false;
        this.misconfiguration = EptMisconfiguration.NONE;
    }

    void entry(int level, long address, long value) {
        entryAddress[level] = address;
        entryValue[level] = value;
        lastLevel = level;
    }

    void translated(long hpa, long permissions, MemoryType type, boolean ignorePat) {
        this.outcome = EptWalkOutcome.TRANSLATED;
        this.hostPhysicalAddress = hpa;
        this.permissions = permissions;
        this.memoryType = type;
        this.ignorePat = ignorePat;
    }

    void violation(long qualification, long permissions, boolean convertible) {
        this.outcome = EptWalkOutcome.VIOLATION;
        this.exitQualification = qualification;
        this.permissions = permissions;
        this.convertibleToVirtualizationException = convertible;
    }

    void misconfiguration(EptMisconfiguration reason) {
        this.outcome = EptWalkOutcome.MISCONFIGURATION;
        this.misconfiguration = reason;
    }

    void pmlLogFull() {
        this.outcome = EptWalkOutcome.PML_LOG_FULL;
    }

    public EptWalkOutcome outcome() {
        return outcome;
    }

    public boolean isTranslated() {
        return outcome == EptWalkOutcome.TRANSLATED;
    }

    /** The guest-physical address translated (the VMCS "guest-physical address" field on exits). */
    public long guestPhysicalAddress() {
        return guestPhysicalAddress;
    }

    /** The guest linear address; 0 unless {@link #linearAddressValid()}. */
    public long guestLinearAddress() {
        return guestLinearAddress;
    }

    public boolean linearAddressValid() {
        return (access & EptAccess.LINEAR_ADDRESS_VALID) != 0;
    }

    /** The {@link EptAccess} flags of the access. */
    public int access() {
        return access;
    }

    public long hostPhysicalAddress() {
        return hostPhysicalAddress;
    }

    /**
     * The effective permissions: AND over the entries used of {@link EptEntry#READ},
     * {@link EptEntry#WRITE}, {@link EptEntry#EXECUTE} and {@link EptEntry#USER_EXECUTE}
     * (the latter meaningful under mode-based execute control).
     */
    public long permissions() {
        return permissions;
    }

    public boolean readable() {
        return (permissions & EptEntry.READ) != 0;
    }

    public boolean writable() {
        return (permissions & EptEntry.WRITE) != 0;
    }

    /** Execute permission (supervisor-mode linear addresses under mode-based execute control). */
    public boolean executable() {
        return (permissions & EptEntry.EXECUTE) != 0;
    }

    public boolean userExecutable() {
        return (permissions & EptEntry.USER_EXECUTE) != 0;
    }

    /** The EPT memory type of the leaf entry (bits 5:3); {@code null} unless translated. */
    public MemoryType memoryType() {
        return memoryType;
    }

    /** The leaf entry's "ignore PAT" bit 6. */
    public boolean ignorePat() {
        return ignorePat;
    }

    /** The level of the last entry read: the leaf when translated, the failing entry otherwise. */
    public int level() {
        return lastLevel;
    }

    /** The level of the root table (4 or 5). */
    public int topLevel() {
        return topLevel;
    }

    /** Page size in bytes of a translation: 4 KiB, 2 MiB or 1 GiB. */
    public long pageSize() {
        return 1L << EptEntry.indexShift(lastLevel);
    }

    /** The exit qualification (bits 11:0; bit 12 is the CPU's) of a violation. */
    public long exitQualification() {
        return exitQualification;
    }

    /** A decoded view of {@link #exitQualification()} (allocates; for diagnostics). */
    public EptViolationQualification violationQualification() {
        return EptViolationQualification.decode(exitQualification);
    }

    /**
     * True when "EPT-violation #VE" is on and the relevant entry's suppress-#VE bit 63 is 0. The
     * CPU still checks its other conditions (the #VE information area) before delivering #VE.
     */
    public boolean convertibleToVirtualizationException() {
        return convertibleToVirtualizationException;
    }

    public EptMisconfiguration misconfiguration() {
        return misconfiguration;
    }

    /** Physical address of the entry read at {@code level} (1..5) during the last walk. */
    public long entryAddress(int level) {
        checkLevel(level);
        return entryAddress[level];
    }

    /** Value of the entry read at {@code level} (1..5), as read before any A/D update. */
    public long entryValue(int level) {
        checkLevel(level);
        return entryValue[level];
    }

    private void checkLevel(int level) {
        if (level < lastLevel || level > topLevel) {
            throw new IllegalArgumentException("level must be " + lastLevel + ".." + topLevel + ": " + level);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EptWalkResult[").append(outcome)
                .append(" gpa=0x").append(Long.toHexString(guestPhysicalAddress));
        switch (outcome) {
            case TRANSLATED:
                sb.append(" hpa=0x").append(Long.toHexString(hostPhysicalAddress))
                        .append(" type=").append(memoryType).append(ignorePat ? " IPAT" : "");
                break;
            case VIOLATION:
                sb.append(" qualification=0x").append(Long.toHexString(exitQualification))
                        .append(convertibleToVirtualizationException ? " #VE" : "");
                break;
            case MISCONFIGURATION:
                sb.append(' ').append(misconfiguration).append(" at ")
                        .append(EptEntry.levelName(lastLevel)).append("=0x")
                        .append(Long.toHexString(entryValue[lastLevel]));
                break;
            default:
                break;
        }
        return sb.append(']').toString();
    }
}
