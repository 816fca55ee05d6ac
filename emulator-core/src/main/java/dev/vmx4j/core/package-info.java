/**
 * The public machine API: build a {@link dev.vmx4j.core.Machine}, set its registers and memory,
 * run it under {@link dev.vmx4j.core.RunLimits} and observe it through listeners. Guest faults
 * never escape {@code run}/{@code step}; API misuse throws {@link IllegalArgumentException}
 * naming the argument and its allowed range.
 */
package dev.vmx4j.core;
