package dev.vmx4j.mmu.ept;

/**
 * Page-modification logging as seen by the EPT walker.
 *
 * <p>SDM "Page-Modification Logging": before updating an accessed or dirty flag for EPT the
 * processor checks the PML index; if it is not in 0..511 there is a page-modification log-full
 * event, no flag is set and the access does not occur. If the processor changed a dirty flag
 * from 0 to 1, it writes the 4-KByte aligned guest-physical address to the log and decrements
 * the index.
 */
public interface PmlSink {

    /** True when the PML index is not in 0..511: the walker reports {@link EptWalkOutcome#PML_LOG_FULL}. */
    boolean isFull();

    /** Logs a guest-physical address whose EPT dirty flag went from 0 to 1 (bits 11:0 are 0). */
    void log(long guestPhysicalPage);
}
