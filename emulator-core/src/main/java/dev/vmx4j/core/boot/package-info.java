/**
 * Loaders: Multiboot v1 kernels (ELF32, ELF64 and a.out-kludge images) with their information
 * structure, and raw binaries. Parsing is separate from machine-state setup so images can be
 * inspected without a machine; malformed images give IllegalArgumentException with the reason.
 */
package dev.vmx4j.core.boot;
