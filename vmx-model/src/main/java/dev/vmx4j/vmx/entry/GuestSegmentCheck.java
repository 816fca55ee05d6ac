package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Guest Segment Registers", expanded per register: failures give exit 33. "Virtual-8086 mode" means guest RFLAGS.VM = 1; a register is usable when access-rights bit 16 is 0.
 */
public enum GuestSegmentCheck implements EntryCheck {
    GUEST_TR_SELECTOR_TI("Guest TR selector: TI (bit 2) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_SELECTOR),
    GUEST_LDTR_SELECTOR_TI("Guest LDTR selector: if LDTR is usable, TI (bit 2) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_SELECTOR, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_SS_SELECTOR_RPL_NOT_CS_RPL("If the guest is not in virtual-8086 mode and \"unrestricted guest\" is 0, the RPL of SS must equal the RPL of CS.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_SELECTOR, GUEST_CS_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_CS_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest CS base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_BASE, GUEST_CS_SELECTOR, GUEST_RFLAGS),
    GUEST_SS_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest SS base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_BASE, GUEST_SS_SELECTOR, GUEST_RFLAGS),
    GUEST_DS_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest DS base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_BASE, GUEST_DS_SELECTOR, GUEST_RFLAGS),
    GUEST_ES_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest ES base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_BASE, GUEST_ES_SELECTOR, GUEST_RFLAGS),
    GUEST_FS_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest FS base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_BASE, GUEST_FS_SELECTOR, GUEST_RFLAGS),
    GUEST_GS_BASE_NOT_SELECTOR_TIMES_16("In virtual-8086 mode, the guest GS base must be the selector shifted left by 4.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_BASE, GUEST_GS_SELECTOR, GUEST_RFLAGS),
    GUEST_TR_BASE_NOT_CANONICAL("Guest TR base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_BASE),
    GUEST_FS_BASE_NOT_CANONICAL("Guest FS base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_BASE),
    GUEST_GS_BASE_NOT_CANONICAL("Guest GS base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_BASE),
    GUEST_LDTR_BASE_NOT_CANONICAL("If LDTR is usable, the guest LDTR base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_BASE, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_CS_BASE_UPPER_BITS("Bits 63:32 of the guest CS base must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_BASE),
    GUEST_SS_BASE_UPPER_BITS("If SS is usable, bits 63:32 of its base must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_BASE, GUEST_SS_ACCESS_RIGHTS),
    GUEST_DS_BASE_UPPER_BITS("If DS is usable, bits 63:32 of its base must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_BASE, GUEST_DS_ACCESS_RIGHTS),
    GUEST_ES_BASE_UPPER_BITS("If ES is usable, bits 63:32 of its base must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_BASE, GUEST_ES_ACCESS_RIGHTS),
    GUEST_CS_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest CS limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_LIMIT, GUEST_RFLAGS),
    GUEST_SS_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest SS limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_LIMIT, GUEST_RFLAGS),
    GUEST_DS_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest DS limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_LIMIT, GUEST_RFLAGS),
    GUEST_ES_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest ES limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_LIMIT, GUEST_RFLAGS),
    GUEST_FS_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest FS limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_LIMIT, GUEST_RFLAGS),
    GUEST_GS_LIMIT_NOT_FFFF("In virtual-8086 mode, the guest GS limit must be 0000FFFFH.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_LIMIT, GUEST_RFLAGS),
    GUEST_CS_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest CS access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest SS access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest DS access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest ES access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest FS access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_ACCESS_RIGHTS_NOT_F3("In virtual-8086 mode, the guest GS access rights must be 000000F3H.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_TYPE("Outside virtual-8086 mode, the CS type must be 9, 11, 13 or 15 (accessed code), or 3 with \"unrestricted guest\".",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_SS_TYPE("Outside virtual-8086 mode, if SS is usable its type must be 3 or 7 (read/write accessed data).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_TYPE_NOT_ACCESSED("Outside virtual-8086 mode, if DS is usable bit 0 of its type (accessed) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_CODE_NOT_READABLE("Outside virtual-8086 mode, if DS is usable and its type is code (bit 3), bit 1 (readable) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_TYPE_NOT_ACCESSED("Outside virtual-8086 mode, if ES is usable bit 0 of its type (accessed) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_CODE_NOT_READABLE("Outside virtual-8086 mode, if ES is usable and its type is code (bit 3), bit 1 (readable) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_TYPE_NOT_ACCESSED("Outside virtual-8086 mode, if FS is usable bit 0 of its type (accessed) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_CODE_NOT_READABLE("Outside virtual-8086 mode, if FS is usable and its type is code (bit 3), bit 1 (readable) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_TYPE_NOT_ACCESSED("Outside virtual-8086 mode, if GS is usable bit 0 of its type (accessed) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_CODE_NOT_READABLE("Outside virtual-8086 mode, if GS is usable and its type is code (bit 3), bit 1 (readable) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_S_CLEAR("Outside virtual-8086 mode, CS access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_S_CLEAR("Outside virtual-8086 mode, if SS is usable its access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_S_CLEAR("Outside virtual-8086 mode, if DS is usable its access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_S_CLEAR("Outside virtual-8086 mode, if ES is usable its access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_S_CLEAR("Outside virtual-8086 mode, if FS is usable its access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_S_CLEAR("Outside virtual-8086 mode, if GS is usable its access-rights bit 4 (S) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_DPL_NOT_0_FOR_DATA_TYPE("If the CS type is 3 (\"unrestricted guest\"), the CS DPL must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_CS_DPL_NOT_SS_DPL("If the CS type is 9 or 11 (non-conforming code), the CS DPL must equal the SS DPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_DPL_ABOVE_SS_DPL("If the CS type is 13 or 15 (conforming code), the CS DPL must not exceed the SS DPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_DPL_NOT_RPL("If \"unrestricted guest\" is 0, the SS DPL must equal the RPL of the SS selector.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_SS_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_SS_DPL_NOT_0("The SS DPL must be 0 if the CS type is 3 or guest CR0.PE is 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_CS_ACCESS_RIGHTS, GUEST_CR0, GUEST_RFLAGS),
    GUEST_DS_DPL_BELOW_RPL("If \"unrestricted guest\" is 0 and DS is usable with a type of 0-11 (data or non-conforming code), its DPL must not be below the selector's RPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_DS_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_ES_DPL_BELOW_RPL("If \"unrestricted guest\" is 0 and ES is usable with a type of 0-11 (data or non-conforming code), its DPL must not be below the selector's RPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_ES_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_FS_DPL_BELOW_RPL("If \"unrestricted guest\" is 0 and FS is usable with a type of 0-11 (data or non-conforming code), its DPL must not be below the selector's RPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_FS_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_GS_DPL_BELOW_RPL("If \"unrestricted guest\" is 0 and GS is usable with a type of 0-11 (data or non-conforming code), its DPL must not be below the selector's RPL.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_GS_SELECTOR, GUEST_RFLAGS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_CS_NOT_PRESENT("Outside virtual-8086 mode, CS access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_NOT_PRESENT("Outside virtual-8086 mode, if SS is usable its access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_NOT_PRESENT("Outside virtual-8086 mode, if DS is usable its access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_NOT_PRESENT("Outside virtual-8086 mode, if ES is usable its access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_NOT_PRESENT("Outside virtual-8086 mode, if FS is usable its access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_NOT_PRESENT("Outside virtual-8086 mode, if GS is usable its access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, bits 11:8 of the CS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, if SS is usable, bits 11:8 of the SS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, if DS is usable, bits 11:8 of the DS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, if ES is usable, bits 11:8 of the ES access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, if FS is usable, bits 11:8 of the FS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_ACCESS_RIGHTS_RESERVED_11_8("Outside virtual-8086 mode, if GS is usable, bits 11:8 of the GS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_CS_D_WITH_L("If \"IA-32e mode guest\" is 1 and CS.L is 1, CS.D/B must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, VM_ENTRY_CONTROLS, GUEST_RFLAGS),
    GUEST_CS_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if any of bits 11:0 of the CS limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_CS_LIMIT, GUEST_RFLAGS),
    GUEST_CS_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if any of bits 31:20 of the CS limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_CS_LIMIT, GUEST_RFLAGS),
    GUEST_SS_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if SS is usable, if any of bits 11:0 of the SS limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_SS_LIMIT, GUEST_RFLAGS),
    GUEST_SS_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if SS is usable, if any of bits 31:20 of the SS limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_SS_LIMIT, GUEST_RFLAGS),
    GUEST_DS_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if DS is usable, if any of bits 11:0 of the DS limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_DS_LIMIT, GUEST_RFLAGS),
    GUEST_DS_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if DS is usable, if any of bits 31:20 of the DS limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_DS_LIMIT, GUEST_RFLAGS),
    GUEST_ES_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if ES is usable, if any of bits 11:0 of the ES limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_ES_LIMIT, GUEST_RFLAGS),
    GUEST_ES_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if ES is usable, if any of bits 31:20 of the ES limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_ES_LIMIT, GUEST_RFLAGS),
    GUEST_FS_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if FS is usable, if any of bits 11:0 of the FS limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_FS_LIMIT, GUEST_RFLAGS),
    GUEST_FS_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if FS is usable, if any of bits 31:20 of the FS limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_FS_LIMIT, GUEST_RFLAGS),
    GUEST_GS_G_SET_WITH_SMALL_LIMIT("Outside virtual-8086 mode, if GS is usable, if any of bits 11:0 of the GS limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_GS_LIMIT, GUEST_RFLAGS),
    GUEST_GS_G_CLEAR_WITH_LARGE_LIMIT("Outside virtual-8086 mode, if GS is usable, if any of bits 31:20 of the GS limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_GS_LIMIT, GUEST_RFLAGS),
    GUEST_CS_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, bits 31:17 of the CS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_SS_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, if SS is usable, bits 31:17 of the SS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_SS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_DS_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, if DS is usable, bits 31:17 of the DS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_DS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_ES_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, if ES is usable, bits 31:17 of the ES access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ES_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_FS_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, if FS is usable, bits 31:17 of the FS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_FS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_GS_ACCESS_RIGHTS_RESERVED_31_17("Outside virtual-8086 mode, if GS is usable, bits 31:17 of the GS access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GS_ACCESS_RIGHTS, GUEST_RFLAGS),
    GUEST_TR_TYPE_IA32E("If \"IA-32e mode guest\" is 1, the TR type must be 11 (busy 64-bit TSS).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS, VM_ENTRY_CONTROLS),
    GUEST_TR_TYPE("If \"IA-32e mode guest\" is 0, the TR type must be 3 (busy 16-bit TSS) or 11 (busy 32-bit TSS).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS, VM_ENTRY_CONTROLS),
    GUEST_TR_S_SET("TR access-rights bit 4 (S) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS),
    GUEST_TR_NOT_PRESENT("TR access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS),
    GUEST_TR_ACCESS_RIGHTS_RESERVED_11_8("Bits 11:8 of the TR access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS),
    GUEST_TR_G_SET_WITH_SMALL_LIMIT("If any of bits 11:0 of the TR limit is 0, TR.G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS, GUEST_TR_LIMIT),
    GUEST_TR_G_CLEAR_WITH_LARGE_LIMIT("If any of bits 31:20 of the TR limit is 1, TR.G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS, GUEST_TR_LIMIT),
    GUEST_TR_UNUSABLE("TR access-rights bit 16 (unusable) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS),
    GUEST_TR_ACCESS_RIGHTS_RESERVED_31_17("Bits 31:17 of the TR access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_TR_ACCESS_RIGHTS),
    GUEST_LDTR_TYPE("If LDTR is usable, its type must be 2 (LDT).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_LDTR_S_SET("If LDTR is usable, access-rights bit 4 (S) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_LDTR_NOT_PRESENT("If LDTR is usable, access-rights bit 7 (P) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_LDTR_ACCESS_RIGHTS_RESERVED_11_8("If LDTR is usable, bits 11:8 of its access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_LDTR_G_SET_WITH_SMALL_LIMIT("If LDTR is usable and any of bits 11:0 of its limit is 0, G must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS, GUEST_LDTR_LIMIT),
    GUEST_LDTR_G_CLEAR_WITH_LARGE_LIMIT("If LDTR is usable and any of bits 31:20 of its limit is 1, G must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS, GUEST_LDTR_LIMIT),
    GUEST_LDTR_ACCESS_RIGHTS_RESERVED_31_17("If LDTR is usable, bits 31:17 of its access rights must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_LDTR_ACCESS_RIGHTS),
    GUEST_SS_DPL_NOT_0_OR_3_WITH_FRED("If guest CR4.FRED is 1, the SS DPL must be 0 or 3.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR4, GUEST_SS_ACCESS_RIGHTS),
    GUEST_CPL0_COMPATIBILITY_MODE_WITH_FRED("If guest CR4.FRED is 1, \"IA-32e mode guest\" is 1 and the SS DPL is 0, CS.L must be 1 (no compatibility mode at CPL 0).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR4, GUEST_SS_ACCESS_RIGHTS, GUEST_CS_ACCESS_RIGHTS, VM_ENTRY_CONTROLS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest Segment Registers";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestSegmentCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
        this.rule = rule;
        this.outcome = outcome;
        this.readsMemory = readsMemory;
        this.fields = List.of(fields);
    }

    @Override
    public String sdmSection() {
        return SECTION;
    }

    @Override
    public String rule() {
        return rule;
    }

    @Override
    public List<VmcsField> fields() {
        return fields;
    }

    @Override
    public EntryOutcome outcome() {
        return outcome;
    }

    @Override
    public boolean readsMemory() {
        return readsMemory;
    }
}
