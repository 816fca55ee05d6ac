/**
 * CPU profiles: the CPUID leaves and model-specific register values (including the VMX
 * capability MSRs) that define which processor the emulator presents. Profiles are data files
 * in a line format ({@code cpuid}, {@code msr}, {@code name}, {@code maxphyaddr} lines); the
 * shipped ones are resources of this package and users load their own from a file.
 */
package dev.vmx4j.vmx.profile;
