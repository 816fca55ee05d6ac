package dev.vmx4j.core.gdb;

/**
 * A {@code monitor} command of the gdb stub (the remote protocol's {@code qRcmd}). It runs on the
 * thread that runs the machine, while the machine is stopped, and returns the text gdb prints.
 */
@FunctionalInterface
public interface MonitorCommand {

    /**
     * Runs the command. {@code arguments} is the rest of the command line after the name
     * (trimmed, possibly empty). Bad arguments should be answered with a usage line, not an
     * exception; an {@link IllegalArgumentException} is shown to the user as its message.
     */
    String execute(MonitorContext context, String arguments);
}
