# vmx4j's default CPU profile: what vmx4j implements, and nothing more. Derived from the
# Bochs-recorded corei7_icelake_u (same family/model/stepping, cache and topology leaves, VMX
# capability MSRs and firmware MSR values), with every CPUID feature bit vmx4j does not
# implement cleared. Hand-maintained; docs/CPU.md "CPU profiles" lists what differs from
# corei7_icelake_u and why. A test (CpuProfileFeaturesTest) checks every set feature bit
# against the list of implemented features, and another (AdvertisedMsrsTest) that every MSR
# this CPUID promises can be read and written.
#
# Changes from corei7_icelake_u:
#  leaf 1 ECX: cleared SSE3 PCLMULQDQ DTES64 DS-CPL EST TM2 SSSE3 FMA xTPR PDCM SSE4.1 SSE4.2
#              AES AVX F16C (kept MONITOR VMX CMPXCHG16B PCID x2APIC MOVBE POPCNT
#              TSC-deadline XSAVE RDRAND)
#  leaf 1 EDX: cleared VME DS ACPI TM PBE (kept MCE and MCA: machine-check architecture with
#              no banks, IA32_MCG_CAP = 0; no machine check is ever signalled)
#  leaf 6:     ARAT (the APIC timer does not stop in deep C-states: there are none) and HWP
#              with one performance level (EAX = 0x684: bits 2, 7 HWP base, 9 activity window,
#              10 energy/performance preference; not 8 notification nor 11 package request)
#  leaf 7.0:   EBX cleared AVX2 FDP_EXCPTN_ONLY AVX512* SHA; ECX cleared AVX512_VBMI* GFNI VAES
#              VPCLMULQDQ AVX512_VNNI AVX512_BITALG AVX512_VPOPCNTDQ; EDX cleared
#              AVX512_VP2INTERSECT IBRS/IBPB STIBP L1D_FLUSH ARCH_CAPABILITIES SSBD
#  leaf 0AH:   architectural performance monitoring version 2: 4 general-purpose and 3 fixed
#              counters, 48 bits wide; events available: core cycles, instructions retired,
#              reference cycles (EBX = 0x78: the four cache and branch events are not)
#  leaf 0DH:   XCR0 supports x87 and SSE only (576-byte area); subleaf 1 XSAVEOPT and XSAVES
#              (EBX = 576: the compacted area of XCR0 | IA32_XSS, 584 at run time once
#              IA32_XSS[16] is set), one supervisor state component, HWP state (ECX = 0x10000:
#              IA32_XSS bit 16); subleaf 10H: 8 bytes, supervisor (ECX[0]), no 64-byte alignment
#  leaf 07H:   ECX adds WAITPKG (bit 5) and KL (bit 23, Key Locker: LOADIWKEY only; leaf 19H
#              all zero: AESKLE = 0, no NoBackup, no random KeySource, no backup MSRs)
#  leaves 15H, 16H: zero (no crystal or nominal frequency is claimed; the TSC is the cycle
#              counter, docs/CYCLE-MODEL.md)
#  VMX MSRs:   allowed-1 settings lowered to the controls vmx4j implements (emulator-core
#              ImplementedControls, docs/VMX.md "What vmx4j implements, control by control"),
#              allowed-0 (default1) bits kept; EPT_VPID_CAP: icelake's EPT and VPID bits (no
#              5-level EPT walks, as icelake); IA32_VMX_VMFUNC as icelake's (EPTP switching);
#              IA32_VMX_VMCS_ENUM = 0x34, the highest field index these controls support (0x1A,
#              the tertiary controls). CapabilityHonestyTest checks it. Beyond the recording:
#              "activate tertiary controls" (primary 17) with IA32_VMX_PROCBASED_CTLS3 = 1
#              ("LOADIWKEY exiting"), "enable XSAVES/XRSTORS" (secondary 20, which the
#              recording also has), "enable user wait and pause" (secondary 26) and
#              "instruction timeout" (secondary 31), "VMM bus-lock detection" (secondary 30);
#              IA32_VMX_CR4_FIXED1 adds CR4.KL (bit 19).
#              One bit beyond the recording: "process posted interrupts" (pin-based bit 7), which
#              Ice Lake processors have and Bochs 2.7 does not implement.
name vmx4j
maxphyaddr 40

#     leaf       sub  eax        ebx        ecx        edx
cpuid 0x00000000 *    0x0000001b 0x756e6547 0x6c65746e 0x49656e69
cpuid 0x00000001 *    0x000706e5 0x00010800 0x45e22028 0x1f8bfbfd
cpuid 0x00000002 *    0x00feff01 0x000000f0 0x00000000 0x00000000
cpuid 0x00000003 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000004 0x00 0x1c004121 0x02c0003f 0x0000003f 0x00000000
cpuid 0x00000004 0x01 0x1c004122 0x01c0003f 0x0000003f 0x00000000
cpuid 0x00000004 0x02 0x1c004143 0x01c0003f 0x000003ff 0x00000000
cpuid 0x00000004 0x03 0x1c03c163 0x03c0003f 0x00001fff 0x00000006
cpuid 0x00000004 0x04 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000005 *    0x00000040 0x00000040 0x00000003 0x11121020
cpuid 0x00000006 *    0x00000684 0x00000000 0x00000000 0x00000000
cpuid 0x00000007 0x00 0x00000000 0x009c278b 0x00c0002c 0x00000010
cpuid 0x00000008 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000009 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x0000000a *    0x07300402 0x00000078 0x00000000 0x00000603
cpuid 0x0000000b 0x00 0x00000001 0x00000001 0x00000000 0x00000000
cpuid 0x0000000c *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x0000000d 0x00 0x00000003 0x00000240 0x00000240 0x00000000
cpuid 0x0000000d 0x01 0x00000009 0x00000240 0x00010000 0x00000000
cpuid 0x0000000d 0x10 0x00000008 0x00000000 0x00000001 0x00000000
cpuid 0x0000000e *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x0000000f 0x00 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000010 0x00 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000011 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000012 0x00 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000012 0x01 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000012 0x02 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000013 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000014 0x00 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000015 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000016 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000017 0x00 0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x00000018 0x00 0x00000007 0x00000000 0x00000000 0x00000000
cpuid 0x00000018 0x01 0x00000000 0x00080007 0x00000001 0x00004122
cpuid 0x00000018 0x02 0x00000000 0x0010000f 0x00000001 0x00004125
cpuid 0x00000018 0x03 0x00000000 0x00040001 0x00000010 0x00004024
cpuid 0x00000018 0x04 0x00000000 0x00040006 0x00000008 0x00004024
cpuid 0x00000018 0x05 0x00000000 0x00080008 0x00000001 0x00004124
cpuid 0x00000018 0x06 0x00000000 0x00080007 0x00000080 0x00004043
cpuid 0x00000018 0x07 0x00000000 0x00080009 0x00000080 0x00004043
cpuid 0x00000019 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x0000001a *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x0000001b *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x80000000 *    0x80000008 0x00000000 0x00000000 0x00000000
cpuid 0x80000001 *    0x00000000 0x00000000 0x00000121 0x2c100000
cpuid 0x80000002 *    0x64617551 0x65726f43 0x746e4920 0x43206c65
cpuid 0x80000003 *    0x2065726f 0x312d3769 0x47353630 0x31202c37
cpuid 0x80000004 *    0x20303033 0x007a484d 0x00000000 0x00000000
cpuid 0x80000005 *    0x00000000 0x00000000 0x00000000 0x00000000
cpuid 0x80000006 *    0x00000000 0x00000000 0x01006040 0x00000000
cpuid 0x80000007 *    0x00000000 0x00000000 0x00000000 0x00000100
cpuid 0x80000008 *    0x00003028 0x00000000 0x00000000 0x00000000

msr 0x480 0x00d8100000000004   # IA32_VMX_BASIC
msr 0x481 0x000000ff00000016   # IA32_VMX_PINBASED_CTLS
msr 0x482 0xfffbfffe0401e172   # IA32_VMX_PROCBASED_CTLS
msr 0x483 0x007fffff00036dff   # IA32_VMX_EXIT_CTLS
msr 0x484 0x0000f3ff000011ff   # IA32_VMX_ENTRY_CTLS
msr 0x485 0x00000000600401e0   # IA32_VMX_MISC
msr 0x486 0x0000000080000021   # IA32_VMX_CR0_FIXED0
msr 0x487 0x00000000ffffffff   # IA32_VMX_CR0_FIXED1
msr 0x488 0x0000000000002000   # IA32_VMX_CR4_FIXED0
msr 0x489 0x00000000007f2fff   # IA32_VMX_CR4_FIXED1
msr 0x48a 0x0000000000000034   # IA32_VMX_VMCS_ENUM
msr 0x48b 0xc6177fff00000000   # IA32_VMX_PROCBASED_CTLS2
msr 0x48c 0x00000f0106334141   # IA32_VMX_EPT_VPID_CAP
msr 0x48d 0x000000ff00000016   # IA32_VMX_TRUE_PINBASED_CTLS
msr 0x48e 0xfffbfffe04006172   # IA32_VMX_TRUE_PROCBASED_CTLS
msr 0x48f 0x007fffff00036dfb   # IA32_VMX_TRUE_EXIT_CTLS
msr 0x490 0x0000f3ff000011fb   # IA32_VMX_TRUE_ENTRY_CTLS
msr 0x491 0x0000000000000001   # IA32_VMX_VMFUNC
msr 0x492 0x0000000000000001   # IA32_VMX_PROCBASED_CTLS3
firmware-msr 0x3a  0x0000000000000005   # IA32_FEATURE_CONTROL
firmware-msr 0x277 0x0007040600070406   # IA32_PAT
msr 0xfe  0x0000000000000508   # IA32_MTRRCAP
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
firmware-msr 0x202 0x0000000000000000   # IA32_MTRR_PHYSBASE1
firmware-msr 0x203 0x0000000000000000   # IA32_MTRR_PHYSMASK1
firmware-msr 0x204 0x0000000000000000   # IA32_MTRR_PHYSBASE2
firmware-msr 0x205 0x0000000000000000   # IA32_MTRR_PHYSMASK2
firmware-msr 0x206 0x0000000000000000   # IA32_MTRR_PHYSBASE3
firmware-msr 0x207 0x0000000000000000   # IA32_MTRR_PHYSMASK3
firmware-msr 0x208 0x0000000000000000   # IA32_MTRR_PHYSBASE4
firmware-msr 0x209 0x0000000000000000   # IA32_MTRR_PHYSMASK4
firmware-msr 0x20a 0x0000000000000000   # IA32_MTRR_PHYSBASE5
firmware-msr 0x20b 0x0000000000000000   # IA32_MTRR_PHYSMASK5
firmware-msr 0x20c 0x0000000000000000   # IA32_MTRR_PHYSBASE6
firmware-msr 0x20d 0x0000000000000000   # IA32_MTRR_PHYSMASK6
firmware-msr 0x20e 0x0000000000000000   # IA32_MTRR_PHYSBASE7
firmware-msr 0x20f 0x0000000000000000   # IA32_MTRR_PHYSMASK7
