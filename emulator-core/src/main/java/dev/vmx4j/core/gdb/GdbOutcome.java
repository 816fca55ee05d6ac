package dev.vmx4j.core.gdb;

/**
 * How a debugging session ended ({@link GdbServer#serve()}).
 *
 * @param kind what ended it
 * @param exitStatus for {@link Kind#EXITED}: the status a device asked to stop with (as in
 *     {@link dev.vmx4j.core.RunResult#exitStatus()}); otherwise 0
 */
public record GdbOutcome(Kind kind, int exitStatus) {

    /** What ended a session. */
    public enum Kind {
        /** gdb detached ({@code detach}, {@code D}): the machine is left stopped, ready to run on. */
        DETACHED,
        /** gdb killed the target ({@code kill}, {@code k}, {@code vKill}). */
        KILLED,
        /** The guest ended the run through a device (isa-debug-exit, the Bochs shutdown port). */
        EXITED,
        /** The connection closed without a detach or kill. */
        DISCONNECTED
    }
}
