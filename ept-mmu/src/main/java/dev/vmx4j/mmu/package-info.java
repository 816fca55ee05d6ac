/**
 * The physical-memory interface every walker reads and writes, and the vocabulary shared by
 * the translation packages (memory types). Implementations give access, never management:
 * who allocates and maps memory is the machine's business, not this module's.
 */
package dev.vmx4j.mmu;
