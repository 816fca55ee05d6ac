/**
 * Whole-machine snapshots (internal): {@link dev.vmx4j.core.snapshot.StateWalker} walks the
 * machine's object graph from the {@code Machine} and records every state field by reflection
 * into an immutable {@link dev.vmx4j.core.snapshot.MachineState}, except the fields
 * {@link dev.vmx4j.core.snapshot.StateRules} declares as caches, wiring, scratch or external (each
 * with its reason); RAM goes through {@code GuestMemory}'s own copy-on-write images. A type the
 * walker has no rule for is an emulator defect reported with the field's path and what to do.
 */
package dev.vmx4j.core.snapshot;
