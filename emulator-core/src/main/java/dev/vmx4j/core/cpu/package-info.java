/**
 * The processor (internal, not exported): architectural state, the segmented and paged memory
 * access path with its software TLB, the decoded-instruction cache, instruction semantics,
 * exception delivery, the events between instructions and the cycle model. Guest-caused events
 * travel as {@link dev.vmx4j.core.cpu.ArchitecturalEvent} (a fault or a VM exit) and are caught
 * once in the step loop; {@link dev.vmx4j.core.cpu.CpuState} is the one view of the state VM entry,
 * VM exit, snapshots and the debugger load and save.
 */
package dev.vmx4j.core.cpu;
