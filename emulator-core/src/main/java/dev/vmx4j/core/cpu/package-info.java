/**
 * The processor (internal, not exported): architectural state, the segmented and paged memory
 * access path with its software TLB, the decoded-instruction cache, instruction semantics,
 * exception delivery and the cycle model. Guest-caused events travel as {@link
 * dev.vmx4j.core.cpu.CpuException} and are caught once in the step loop.
 */
package dev.vmx4j.core.cpu;
