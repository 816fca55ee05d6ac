package dev.vmx4j.core;

/** Hears each interrupt delivered: software interrupts (INT n, INT3, INTO, INT1) and external ones. */
@FunctionalInterface
public interface InterruptListener {

    void interrupt(int vector);
}
