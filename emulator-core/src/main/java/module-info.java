/** The machine: CPU state, decoder, execution, the run loop, devices, loaders and the command line. */
module dev.vmx4j.core {
    requires transitive dev.vmx4j.mmu;
    requires transitive dev.vmx4j.vmx;
    requires org.slf4j;
    requires info.picocli;
    requires org.objectweb.asm;
    requires static org.yaml.snakeyaml;
    requires static com.fasterxml.jackson.core;

    exports dev.vmx4j.core;
    exports dev.vmx4j.core.memory;
    exports dev.vmx4j.core.io;
    exports dev.vmx4j.core.decoder;
    exports dev.vmx4j.core.devices;
    exports dev.vmx4j.core.devices.apic;
    exports dev.vmx4j.core.boot;
    exports dev.vmx4j.core.gdb;
    exports dev.vmx4j.core.vmx;

    opens dev.vmx4j.core.cli to info.picocli;
}
