package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;

/** What a {@link MonitorCommand} (and a listener it installs) may use of the debugging session. */
public interface MonitorContext {

    /** The machine being debugged. */
    Machine machine();

    /**
     * Called from a listener while the machine runs: stops it after the current instruction and
     * reports the stop to gdb as SIGTRAP, printing {@code why} on gdb's console first.
     */
    void requestStop(String why);

    /**
     * Runs {@code action} when the debugging session ends (detach, kill, exit, disconnect): a
     * command that installed a listener removes it there, so nothing of the session outlives it.
     */
    void onSessionEnd(Runnable action);

    /** Reads physical memory (RAM only) into {@code dst}; returns how many bytes could be read. */
    int readPhysical(long address, byte[] dst, int length);

    /** Writes physical memory (RAM only); false (nothing written) if any byte is not RAM. */
    boolean writePhysical(long address, byte[] data);

    /** The physical address of {@code linear} under the guest's current paging, or -1 if unmapped. */
    long translate(long linear);
}
