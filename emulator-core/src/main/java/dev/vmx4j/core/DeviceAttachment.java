package dev.vmx4j.core;

/**
 * Plugs a device into a machine being built: attaches it to the I/O bus and/or maps its MMIO
 * range. Given to {@link Machine.Builder#device(DeviceAttachment)}.
 */
@FunctionalInterface
public interface DeviceAttachment {

    void attach(Machine machine);
}
