/**
 * A GDB remote serial protocol stub for a {@link dev.vmx4j.core.Machine}: {@link
 * dev.vmx4j.core.gdb.GdbServer} listens on loopback only, serves one debugger connection at a
 * time and runs the machine on the calling thread in bounded slices, polling the socket for
 * Ctrl-C between slices (the emulation never reads host time). Registers are always reported in
 * the i386:x86-64 layout of its {@code target.xml}, whatever the CPU mode; addresses are linear
 * (translated through the guest's current paging without setting accessed/dirty bits). Each
 * processor of the machine is one gdb thread (processor i is thread i + 1).
 */
package dev.vmx4j.core.gdb;
