package dev.vmx4j.core;

/**
 * A read-only view of one segment register's visible and hidden parts. The view is live: it
 * shows the current value each time a method is called.
 */
public interface Segment {

    int selector();

    long base();

    /** The byte-granular limit (the descriptor limit scaled by G). */
    int limit();

    /** Access rights in the VMCS format (SDM "Format of Access Rights"), bit 16 = unusable. */
    int accessRights();
}
