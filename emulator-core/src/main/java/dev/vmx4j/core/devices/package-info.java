/**
 * Devices bare-metal test programs need: the 0xE9 debug console, a polled 16550 UART, QEMU's
 * isa-debug-exit, Bochs' shutdown port. Devices plug into the I/O bus (and MMIO) through the
 * machine builder; none reads host time, so a run's output depends only on its input.
 */
package dev.vmx4j.core.devices;
