/**
 * Guest-physical memory: sparse 4 KiB RAM pages allocated on first write, MMIO regions with
 * callbacks, and an open-bus policy for everything else. Guest accesses never throw; the
 * loading and dumping methods used by library callers check their ranges and throw
 * {@link java.lang.IllegalArgumentException} naming the argument and the allowed range.
 */
package dev.vmx4j.core.memory;
