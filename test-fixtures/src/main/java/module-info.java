/** What users put on their test classpath: the assembler, scenario builders, assertions. */
module dev.vmx4j.fixtures {
    requires transitive dev.vmx4j.core;
    requires transitive org.assertj.core;
    requires transitive org.junit.jupiter.api;

    exports dev.vmx4j.fixtures.asm;
    exports dev.vmx4j.fixtures.vmx;
    exports dev.vmx4j.fixtures.vmx.assertj;
    exports dev.vmx4j.fixtures.junit;
}
