package dev.vmx4j.core;

/** Hears each architectural exception (fault, trap, abort) as it is raised, before delivery. */
@FunctionalInterface
public interface ExceptionListener {

    void exception(int vector, int errorCode, boolean hasErrorCode);
}
