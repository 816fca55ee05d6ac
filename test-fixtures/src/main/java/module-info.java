/** What users put on their test classpath: the assembler, scenario builders, assertions. */
module dev.vmx4j.fixtures {
    requires transitive dev.vmx4j.core;

    exports dev.vmx4j.fixtures.asm;
    exports dev.vmx4j.fixtures.vmx;
}
