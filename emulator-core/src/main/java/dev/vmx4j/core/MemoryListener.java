package dev.vmx4j.core;

/** Hears each guest data access (not instruction fetches, not paging-structure reads) after it completed. */
@FunctionalInterface
public interface MemoryListener {

    void access(long linear, long physical, int size, boolean write, long value);
}
