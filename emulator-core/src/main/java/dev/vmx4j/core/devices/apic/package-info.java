/**
 * The interrupt controllers of a single-processor PC: the 8259A pair, the local APIC (xAPIC
 * MMIO and x2APIC MSRs, with its timer) and the I/O APIC, combined behind
 * {@link dev.vmx4j.core.devices.apic.InterruptController}, the only interface the CPU calls
 * between instructions. Nothing here reads host time: the local APIC timer runs on the machine's
 * cycle counter ({@link dev.vmx4j.core.devices.apic.CycleClock}, {@code advanceTo},
 * {@code nextEventCycle}), so the same cycles give the same interrupts; accesses the SDM answers
 * with #GP raise {@link dev.vmx4j.core.devices.apic.ApicFault}, which the CPU turns into #GP(0).
 */
package dev.vmx4j.core.devices.apic;
