package dev.vmx4j.core.devices;

/** How a device asks the machine to stop after the current instruction, with an exit status. */
@FunctionalInterface
public interface StopRequester {

    void requestStop(int exitStatus);
}
