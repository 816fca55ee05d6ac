# An AMD processor without VMX (AMD64, "AuthenticAMD"), modelled on QEMU's Opteron_G1 CPU model
# (target/i386/cpu.c: family 15, model 6, stepping 1, level 5, xlevel 0x80000008, model id
# "AMD Opteron 240 (Gen 1 Class Opteron)"), which kvm-unit-tests' unittests.cfg asks for in its
# `syscall` entry (-cpu Opteron_G1,vendor=AuthenticAMD). Like the default profile it advertises
# only what vmx4j implements: CpuProfileFeaturesTest checks every set feature bit, and
# AdvertisedMsrsTest reads and writes every MSR this CPUID promises. Where AMD processors behave
# differently from the Intel SDM, vmx4j follows AMD's APM under this profile (the vendor comes from
# leaf 0): docs/CPU.md "Vendors" lists what is modelled and what is not.
#
# Changes from QEMU's Opteron_G1:
#  leaf 1 ECX: cleared SSE3 (not implemented)
#  leaf 1 EDX: cleared VME (virtual-8086 mode extensions are not implemented)
#  80000001H EDX: LM NX SYSCALL plus the AMD aliases of leaf 1 EDX (FPU DE PSE TSC MSR PAE MCE
#              CX8 APIC MTRR PGE MCA CMOV PAT PSE36 MMX FXSR), as QEMU fills them for an AMD
#              vendor; no VME alias (cleared above)
#  leaves 2-5: zero (AMD reserves 2-4; MONITOR is not advertised, so leaf 5 says nothing)
#  80000005H/80000006H: QEMU's legacy AMD cache and TLB description (L1 64 KiB 2-way, L2
#              512 KiB 16-way, no L3); vmx4j models no caches, these are information only
#  80000008H: 40 physical and 48 linear address bits, one core
#  MSRs: IA32_MTRRCAP as the default profile (8 variable ranges, fixed ranges, WC); the firmware
#              values of PAT and the MTRRs as the default profile. No IA32_FEATURE_CONTROL and no
#              VMX capability MSRs (no VMX; SVM is not implemented and not advertised).
name opteron_g1
maxphyaddr 40

#     leaf       sub  eax        ebx        ecx        edx
cpuid 0x00000000 *    0x00000005 0x68747541 0x444d4163 0x69746e65
cpuid 0x00000001 *    0x00000f61 0x00000800 0x00000000 0x078bfbfd
cpuid 0x00000002 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000003 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000004 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000005 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x80000000 *    0x80000008 0x68747541 0x444d4163 0x69746e65
cpuid 0x80000001 *    0x00000f61 0x00000000 0x00000000 0x2193fbfd
cpuid 0x80000002 *    0x20444d41 0x6574704f 0x206e6f72 0x20303432
cpuid 0x80000003 *    0x6e654728 0x43203120 0x7373616c 0x74704f20
cpuid 0x80000004 *    0x6e6f7265 0x00000029 0x00000000 0x00000000
cpuid 0x80000005 *    0x01ff01ff 0x01ff01ff 0x40020140 0x40020140
cpuid 0x80000006 *    0x00000000 0x42004200 0x02008140 0x00000000
cpuid 0x80000007 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x80000008 *    0x00003028 0x00000000 0x00000000 0x00000000

msr 0xfe  0x0000000000000508   # IA32_MTRRCAP
firmware-msr 0x277 0x0007040600070406   # IA32_PAT
firmware-msr 0x2ff 0x0000000000000c06   # IA32_MTRR_DEF_TYPE
firmware-msr 0x250 0x0606060606060606   # IA32_MTRR_FIX64K_00000
firmware-msr 0x258 0x0606060606060606   # IA32_MTRR_FIX16K_80000
firmware-msr 0x259 0x0000000000000000   # IA32_MTRR_FIX16K_A0000
firmware-msr 0x268 0x0000000000000000   # IA32_MTRR_FIX4K_C0000
firmware-msr 0x269 0x0000000000000000   # IA32_MTRR_FIX4K_C8000
firmware-msr 0x26a 0x0000000000000000   # IA32_MTRR_FIX4K_D0000
firmware-msr 0x26b 0x0000000000000000   # IA32_MTRR_FIX4K_D8000
firmware-msr 0x26c 0x0000000000000000   # IA32_MTRR_FIX4K_E0000
firmware-msr 0x26d 0x0000000000000000   # IA32_MTRR_FIX4K_E8000
firmware-msr 0x26e 0x0000000000000000   # IA32_MTRR_FIX4K_F0000
firmware-msr 0x26f 0x0000000000000000   # IA32_MTRR_FIX4K_F8000
firmware-msr 0x200 0x00000000c0000000   # IA32_MTRR_PHYSBASE0
firmware-msr 0x201 0x000000ffc0000800   # IA32_MTRR_PHYSMASK0
