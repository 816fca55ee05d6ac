package dev.vmx4j.core.gdb;

/** A malformed packet from the debugger; the stub answers it with an error reply ({@code E01}). */
final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message, null, false, false);
    }
}
