#!/bin/sh
# make-profile.sh: write vmx-model's corei7_icelake_u CPU profile from cpuid-dump's recorded
# Bochs output (src/guests/cpuid-dump/expected/bochs.txt). The dump is already in profile
# statement format; this adds the header, name, maxphyaddr (CPUID.80000008H:EAX[7:0]), a
# comment naming each MSR, and turns the MSRs firmware writes (IA32_FEATURE_CONTROL, IA32_PAT,
# IA32_MTRR_DEF_TYPE, the fixed and variable MTRRs) into firmware-msr lines. Deterministic:
# rerunning it on the same dump gives the same file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dump="$root/src/guests/cpuid-dump/expected/bochs.txt"
profile="$root/vmx-model/src/main/resources/dev/vmx4j/vmx/profile/corei7_icelake_u.profile"

eax=$(awk '$1 == "cpuid" && $2 == "0x80000008" { print $4 }' "$dump")
[ -n "$eax" ] || { echo "$dump has no leaf 0x80000008" >&2; exit 1; }
maxphys=$(( eax & 0xFF ))

{
cat <<'HEAD'
# Bochs 2.7 CPU model corei7_icelake_u, as a guest reads it: every CPUID leaf and the
# model-specific registers, recorded by the guest program src/guests/cpuid-dump on
# `bochs-bin` (Debian 2.7) with the configuration of src/scripts/run-bochs.sh; the raw output
# is src/guests/cpuid-dump/expected/bochs.txt. Regenerate: src/scripts/record-outputs.sh, then
# src/scripts/make-profile.sh. Do not edit by hand.
#
# Subleaf "*": a leaf without subleaves (answers every ECX). Leaves with subleaves list those
# the SDM's enumeration reaches (for 4 and 0xB up to and including the first invalid one);
# other subleaves of them read as zero.
# msr lines: values the processor reports (capabilities). firmware-msr lines: what Bochs' BIOS
# leaves in writable MSRs (IA32_FEATURE_CONTROL, PAT, MTRRs); boot loaders apply them, power-on
# state does not (it follows the SDM reset values).
# CPUID was executed in 32-bit protected mode. Like Intel hardware, Bochs sets
# CPUID.80000001H:EDX.SYSCALL[11] only when executed in 64-bit mode (then EDX = 0x2c100800;
# see src/guests/longmode64/expected/bochs.txt); the value below is the outside-64-bit one.
# MSR values are those after Bochs' BIOS: it locks IA32_FEATURE_CONTROL = 0x5 (lock, VMX
# outside SMX) and programs PAT and the MTRRs (variable range 0: 3-4 GiB UC).
HEAD
echo "name corei7_icelake_u"
echo "maxphyaddr $maxphys"
echo
echo "#     leaf       sub  eax        ebx        ecx        edx"
grep '^cpuid ' "$dump"
echo
grep '^msr ' "$dump" | awk '
BEGIN {
    n["0x480"] = "IA32_VMX_BASIC";             n["0x481"] = "IA32_VMX_PINBASED_CTLS"
    n["0x482"] = "IA32_VMX_PROCBASED_CTLS";    n["0x483"] = "IA32_VMX_EXIT_CTLS"
    n["0x484"] = "IA32_VMX_ENTRY_CTLS";        n["0x485"] = "IA32_VMX_MISC"
    n["0x486"] = "IA32_VMX_CR0_FIXED0";        n["0x487"] = "IA32_VMX_CR0_FIXED1"
    n["0x488"] = "IA32_VMX_CR4_FIXED0";        n["0x489"] = "IA32_VMX_CR4_FIXED1"
    n["0x48a"] = "IA32_VMX_VMCS_ENUM";         n["0x48b"] = "IA32_VMX_PROCBASED_CTLS2"
    n["0x48c"] = "IA32_VMX_EPT_VPID_CAP";      n["0x48d"] = "IA32_VMX_TRUE_PINBASED_CTLS"
    n["0x48e"] = "IA32_VMX_TRUE_PROCBASED_CTLS"; n["0x48f"] = "IA32_VMX_TRUE_EXIT_CTLS"
    n["0x490"] = "IA32_VMX_TRUE_ENTRY_CTLS";   n["0x491"] = "IA32_VMX_VMFUNC"
    n["0x492"] = "IA32_VMX_PROCBASED_CTLS3"
    n["0x3a"] = "IA32_FEATURE_CONTROL";        n["0x277"] = "IA32_PAT"
    n["0xfe"] = "IA32_MTRRCAP";                n["0x2ff"] = "IA32_MTRR_DEF_TYPE"
    n["0x250"] = "IA32_MTRR_FIX64K_00000";     n["0x258"] = "IA32_MTRR_FIX16K_80000"
    n["0x259"] = "IA32_MTRR_FIX16K_A0000"
    split("C0000 C8000 D0000 D8000 E0000 E8000 F0000 F8000", f, " ")
    # decimal: mawk reads no hex constants (616 = 0x268, 512 = 0x200)
    for (i = 0; i < 8; i++) n[sprintf("0x%x", 616 + i)] = "IA32_MTRR_FIX4K_" f[i + 1]
    for (i = 0; i < 16; i++) {
        n[sprintf("0x%x", 512 + 2 * i)] = "IA32_MTRR_PHYSBASE" i
        n[sprintf("0x%x", 513 + 2 * i)] = "IA32_MTRR_PHYSMASK" i
    }
}
{
    if (!($2 in n)) { print "make-profile: no name for MSR " $2 > "/dev/stderr"; exit 1 }
    # writable MSRs that firmware programs; the rest report capabilities
    kind = ($2 == "0x3a" || $2 == "0x277" || $2 == "0x2ff" || n[$2] ~ /^IA32_MTRR_(FIX|PHYS)/) \
        ? "firmware-msr" : "msr"
    printf "%s %-5s %s   # %s\n", kind, $2, $3, n[$2]
}'
} > "$profile.tmp"
mv "$profile.tmp" "$profile"
echo "wrote ${profile#$root/}"
