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

    // Machine snapshots record VMCS contents and entry diagnostics by reflection (docs/ARCHITECTURE.md "Snapshots").
    opens dev.vmx4j.vmx.entry to dev.vmx4j.core;
    opens dev.vmx4j.vmx.vmcs to dev.vmx4j.core;
    opens dev.vmx4j.vmx.profile to dev.vmx4j.core;
}
