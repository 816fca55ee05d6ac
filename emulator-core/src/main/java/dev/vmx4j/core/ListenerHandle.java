package dev.vmx4j.core;

/** Returned when a listener is added; {@link #remove()} detaches it (idempotent). */
@FunctionalInterface
public interface ListenerHandle {

    void remove();
}
