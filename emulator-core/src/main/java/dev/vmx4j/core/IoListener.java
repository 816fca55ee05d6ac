package dev.vmx4j.core;

/** Hears each I/O-port access (IN, OUT, INS, OUTS) after it completed. */
@FunctionalInterface
public interface IoListener {

    void io(int port, int size, boolean out, int value);
}
