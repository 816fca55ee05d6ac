package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.profile.CpuProfile;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test profiles and valid baseline VMCSs. A baseline is built from the profile's capabilities
 * (every control at its allowed-0 setting plus what the variant needs) and must pass every check.
 */
final class EntryFixtures {

    static final Path PROFILE_DIR = Path.of("src/main/resources/dev/vmx4j/vmx/profile");

    static final long VAPIC = 0x13000;
    static final long CURRENT_VMCS = 0x5000;
    static final long LINK = 0x18000;
    static final long MSR_LIST = 0x19000;
    static final long PDPT = 0x2000;
    static final long EPTP_WB_4 = 0x1000 | 6 | 3 << 3;

    private EntryFixtures() {
    }

    /** Every profile shipped in vmx-model's resources. */
    static List<CpuProfile> shippedProfiles() {
        try (Stream<Path> files = Files.list(PROFILE_DIR)) {
            List<Path> paths = files.filter(p -> p.toString().endsWith(".profile")).sorted().collect(Collectors.toList());
            List<CpuProfile> out = new ArrayList<>();
            for (Path p : paths) {
                out.add(CpuProfile.load(p));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String icelakeText() {
        try {
            return Files.readString(PROFILE_DIR.resolve("corei7_icelake_u.profile"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CpuProfile icelake() {
        return CpuProfile.builtIn("corei7_icelake_u");
    }

    private static String setMsr(String text, int index, long value) {
        Pattern p = Pattern.compile("(?m)^msr 0x" + Integer.toHexString(index) + "\\s+0x[0-9a-fA-F]+");
        Matcher m = p.matcher(text);
        String line = "msr 0x" + Integer.toHexString(index) + " 0x" + Long.toHexString(value);
        return m.find() ? m.replaceFirst(line) : text + "\n" + line + "\n";
    }

    private static CpuProfile parse(String text, String name) {
        try {
            return CpuProfile.parse(new StringReader(text.replace("name corei7_icelake_u", "name " + name)), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ice Lake raised to every control the checks know: posted interrupts, tertiary controls,
     * all secondary, exit and entry controls, CR4.CET, CR4.FRED, RTM, SGX, CET shadow stacks,
     * FRED (CPUID.(7,1):EAX[17], secondary exit controls 0-2); EPT without
     * accessed/dirty flags (so that EPTP bit 6 and bit 7 are refused).
     */
    static CpuProfile max() {
        String t = icelakeText();
        t = setMsr(t, 0x481, 0x000000ff00000016L);
        t = setMsr(t, 0x48d, 0x000000ff00000016L);
        t = setMsr(t, 0x482, 0xfffbfffe0401e172L);
        t = setMsr(t, 0x48e, 0xfffbfffe04006172L);
        t = setMsr(t, 0x48b, 0xffffffff00000000L);
        t = setMsr(t, 0x492, 0xffL);
        t = setMsr(t, 0x483, 0xffffffff00036dffL);
        t = setMsr(t, 0x48f, 0xffffffff00036dfbL);
        t = setMsr(t, 0x493, 0x7L);
        t = setMsr(t, 0x484, 0x01ffffff000011ffL);
        t = setMsr(t, 0x490, 0x01ffffff000011fbL);
        t = setMsr(t, 0x489, 0x0000000100f72fffL);
        t = setMsr(t, 0x48c, 0x00000f0106134141L);
        t = t.replace("cpuid 0x00000007 0x00 0x00000000 0xf0bf27eb 0x00405f4e 0xbc000110",
                "cpuid 0x00000007 0x00 0x00000000 0xf0bf2fef 0x00405fce 0xbc000110");
        if (!t.contains("0xf0bf2fef")) {
            throw new IllegalStateException("CPUID leaf 7 line of the Ice Lake profile changed");
        }
        t = t.replace("cpuid 0x00000008 *", "cpuid 0x00000007 0x01 0x00020000 0x00000000 0x00000000 0x00000000\ncpuid 0x00000008 *");
        return parse(t, "test_max");
    }

    /** Ice Lake lowered: no "monitor trap flag", no wait-for-SIPI activity state. */
    static CpuProfile lowered() {
        String t = icelakeText();
        t = setMsr(t, 0x482, 0xf7f9fffe0401e172L);
        t = setMsr(t, 0x48e, 0xf7f9fffe04006172L);
        t = setMsr(t, 0x485, 0x00000000600400e0L);
        return parse(t, "test_lowered");
    }

    /** The baseline variants. */
    enum Variant {
        /** 64-bit host, 64-bit guest (IA-32e, CS.L), EPT off. */
        GUEST_64,
        /** 64-bit host, 32-bit protected-mode guest with PAE paging. */
        GUEST_PAE,
        /** 32-bit host (VM entry outside IA-32e mode), 32-bit PAE guest. */
        HOST_32,
        /** Unrestricted guest in real mode (EPT on). */
        UNRESTRICTED,
        /** Virtual-8086 guest under 32-bit paging. */
        V86
    }

    static VmcsValues baseline(EntryChecker checker, CpuProfile profile, Variant variant) {
        Caps c = new Caps(dev.vmx4j.vmx.controls.VmxCapabilities.of(profile), profile);
        VmcsValues v = VmcsValues.zeroed();
        v.set(PIN_BASED_VM_EXECUTION_CONTROLS, c.pin0);
        v.set(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, c.proc0);
        v.set(PRIMARY_VM_EXIT_CONTROLS, c.exit0 | 1L << 9);
        v.set(VM_ENTRY_CONTROLS, c.entry0 | 1L << 9);
        // valid addresses for every address field, used once a test turns the control on
        v.set(ADDRESS_OF_IO_BITMAP_A, 0x10000).set(ADDRESS_OF_IO_BITMAP_B, 0x11000);
        v.set(ADDRESS_OF_MSR_BITMAPS, 0x12000).set(VIRTUAL_APIC_ADDRESS, VAPIC);
        v.set(APIC_ACCESS_ADDRESS, 0x14000).set(POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, 0x15000);
        v.set(POSTED_INTERRUPT_NOTIFICATION_VECTOR, 0xF2).set(VIRTUAL_PROCESSOR_IDENTIFIER, 1);
        v.set(EPT_POINTER, EPTP_WB_4).set(PML_ADDRESS, 0x16000).set(SUB_PAGE_PERMISSION_TABLE_POINTER, 0x16000);
        v.set(EPTP_LIST_ADDRESS, 0x17000).set(VMREAD_BITMAP_ADDRESS, 0x1A000).set(VMWRITE_BITMAP_ADDRESS, 0x1B000);
        v.set(VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, 0x1C000);
        v.set(VM_EXIT_MSR_STORE_ADDRESS, 0x1D000).set(VM_EXIT_MSR_LOAD_ADDRESS, 0x1E000);
        v.set(VM_ENTRY_MSR_LOAD_ADDRESS, MSR_LIST);
        // host: 64-bit
        v.set(HOST_CR0, 0x80050033L).set(HOST_CR3, 0x1000).set(HOST_CR4, 0x2020);
        v.set(HOST_CS_SELECTOR, 0x08).set(HOST_SS_SELECTOR, 0x10).set(HOST_DS_SELECTOR, 0x10);
        v.set(HOST_ES_SELECTOR, 0x10).set(HOST_FS_SELECTOR, 0x10).set(HOST_GS_SELECTOR, 0x10);
        v.set(HOST_TR_SELECTOR, 0x18).set(HOST_RIP, 0x100000).set(HOST_RSP, 0x80000);
        v.set(HOST_IA32_PAT, 0x0007040600070406L).set(HOST_IA32_EFER, 0xD01);
        // guest: 64-bit
        v.set(GUEST_CR0, 0x80010031L).set(GUEST_CR3, PDPT).set(GUEST_CR4, 0x2020).set(GUEST_DR7, 0x400);
        v.set(GUEST_RFLAGS, 0x2).set(GUEST_RIP, 0x1000).set(GUEST_RSP, 0x8000);
        v.set(GUEST_CS_SELECTOR, 0x08).set(GUEST_CS_LIMIT, 0xFFFFFFFFL).set(GUEST_CS_ACCESS_RIGHTS, 0xA09B);
        for (var f : new dev.vmx4j.vmx.vmcs.VmcsField[][] {
            {GUEST_SS_SELECTOR, GUEST_SS_LIMIT, GUEST_SS_ACCESS_RIGHTS},
            {GUEST_DS_SELECTOR, GUEST_DS_LIMIT, GUEST_DS_ACCESS_RIGHTS},
            {GUEST_ES_SELECTOR, GUEST_ES_LIMIT, GUEST_ES_ACCESS_RIGHTS},
            {GUEST_FS_SELECTOR, GUEST_FS_LIMIT, GUEST_FS_ACCESS_RIGHTS},
            {GUEST_GS_SELECTOR, GUEST_GS_LIMIT, GUEST_GS_ACCESS_RIGHTS}}) {
            v.set(f[0], 0x10).set(f[1], 0xFFFFFFFFL).set(f[2], 0xC093);
        }
        v.set(GUEST_TR_SELECTOR, 0x18).set(GUEST_TR_LIMIT, 0x67).set(GUEST_TR_ACCESS_RIGHTS, 0x8B);
        v.set(GUEST_LDTR_SELECTOR, 0).set(GUEST_LDTR_LIMIT, 0x67).set(GUEST_LDTR_ACCESS_RIGHTS, 0x10000);
        v.set(GUEST_GDTR_LIMIT, 0xFF).set(GUEST_IDTR_LIMIT, 0xFFF);
        v.set(GUEST_IA32_PAT, 0x0007040600070406L).set(GUEST_IA32_EFER, 0xD01);
        v.set(VMCS_LINK_POINTER, -1L);
        switch (variant) {
            case GUEST_64:
                break;
            case GUEST_PAE:
                pae(v);
                break;
            case HOST_32:
                pae(v);
                v.set(PRIMARY_VM_EXIT_CONTROLS, c.exit0);
                v.set(HOST_IA32_EFER, 0x801);
                break;
            case UNRESTRICTED:
                v.set(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, c.proc0 | 1L << 31);
                v.set(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, 1L << 1 | 1L << 7);
                v.set(VM_ENTRY_CONTROLS, c.entry0);
                v.set(GUEST_CR0, 0x30).set(GUEST_CR4, 0x2000).set(GUEST_IA32_EFER, 0);
                realModeSegments(v, 0x9B, 0x93);
                break;
            case V86:
                v.set(VM_ENTRY_CONTROLS, c.entry0);
                v.set(GUEST_CR0, 0x80010031L).set(GUEST_CR4, 0x2000).set(GUEST_IA32_EFER, 0);
                v.set(GUEST_RFLAGS, 0x20002);
                realModeSegments(v, 0xF3, 0xF3);
                v.set(GUEST_CS_SELECTOR, 0x1000).set(GUEST_CS_BASE, 0x10000);
                v.set(GUEST_SS_SELECTOR, 0x2000).set(GUEST_SS_BASE, 0x20000);
                break;
            default:
                throw new IllegalArgumentException("variant " + variant);
        }
        return v;
    }

    /** 32-bit guest with PAE paging (not IA-32e). */
    private static void pae(VmcsValues v) {
        long entry = v.read(VM_ENTRY_CONTROLS) & ~(1L << 9);
        v.set(VM_ENTRY_CONTROLS, entry);
        v.set(GUEST_CR0, 0x80010031L).set(GUEST_CR4, 0x2020).set(GUEST_IA32_EFER, 0x801);
        v.set(GUEST_CS_ACCESS_RIGHTS, 0xC09B);
    }

    private static void realModeSegments(VmcsValues v, long csAr, long dataAr) {
        dev.vmx4j.vmx.vmcs.VmcsField[][] segs = {
            {GUEST_CS_SELECTOR, GUEST_CS_BASE, GUEST_CS_LIMIT, GUEST_CS_ACCESS_RIGHTS},
            {GUEST_SS_SELECTOR, GUEST_SS_BASE, GUEST_SS_LIMIT, GUEST_SS_ACCESS_RIGHTS},
            {GUEST_DS_SELECTOR, GUEST_DS_BASE, GUEST_DS_LIMIT, GUEST_DS_ACCESS_RIGHTS},
            {GUEST_ES_SELECTOR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_ACCESS_RIGHTS},
            {GUEST_FS_SELECTOR, GUEST_FS_BASE, GUEST_FS_LIMIT, GUEST_FS_ACCESS_RIGHTS},
            {GUEST_GS_SELECTOR, GUEST_GS_BASE, GUEST_GS_LIMIT, GUEST_GS_ACCESS_RIGHTS}};
        for (int i = 0; i < segs.length; i++) {
            v.set(segs[i][0], 0).set(segs[i][1], 0).set(segs[i][2], 0xFFFF).set(segs[i][3], i == 0 ? csAr : dataAr);
        }
    }

    /** Memory for the baseline: the PDPT at guest CR3 is all zero (no PDPTE present), a valid link header at CURRENT_VMCS. */
    static SparseMemory memory(EntryChecker checker) {
        SparseMemory m = new SparseMemory();
        m.write32(CURRENT_VMCS, checker.vmcsRevision());
        return m;
    }

    static EntryContext.Builder context(SparseMemory memory, Variant variant) {
        return EntryContext.builder().memory(memory).launchState(EntryContext.LaunchState.CLEAR)
                .currentVmcsPointer(CURRENT_VMCS).ia32eMode(variant != Variant.HOST_32);
    }
}
