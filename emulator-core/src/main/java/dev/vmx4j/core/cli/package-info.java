/**
 * The {@code vmx4j} command line (picocli): {@code run} boots a Multiboot kernel and copies its
 * port 0xE9 and COM1 output to stdout byte for byte; {@code profiles} lists the CPU profiles.
 * Internal: not exported; the entry point is {@link dev.vmx4j.core.cli.Vmx4jCli#main}.
 */
package dev.vmx4j.core.cli;
