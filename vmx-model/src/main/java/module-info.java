/** VMX as data and rules: VMCS fields, controls, capability MSRs and CPU profiles, VM-entry checks. */
module dev.vmx4j.vmx {
    requires transitive dev.vmx4j.mmu;

    exports dev.vmx4j.vmx.controls;
    exports dev.vmx4j.vmx.entry;
    exports dev.vmx4j.vmx.exit;
    exports dev.vmx4j.vmx.insn;
    exports dev.vmx4j.vmx.print;
    exports dev.vmx4j.vmx.profile;
    exports dev.vmx4j.vmx.vmcs;
}
