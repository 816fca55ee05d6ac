/**
 * The translator's code generator: turns a basic block of decoded 64-bit instructions into the
 * bytes of a JVM class (OW2 ASM) whose {@code run(Cpu)} has the same effect as interpreting the
 * instructions one by one, counters and faults included. It only emits bytes; the CPU package
 * decides what goes into a block, defines the class and runs it.
 */
package dev.vmx4j.core.cpu.jit;
