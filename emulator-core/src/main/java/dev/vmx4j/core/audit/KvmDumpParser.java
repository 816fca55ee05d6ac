package dev.vmx4j.core.audit;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the VMCS dump Linux KVM prints on a failed VM entry ({@code dump_vmcs} in
 * {@code arch/x86/kvm/vmx/vmx.c}, with {@code kvm_intel.dump_invalid_vmcs=1}): the
 * "*** Guest State ***", "*** Host State ***" and "*** Control State ***" blocks, as
 * {@code dmesg} or {@code journalctl} show them (any prefix before the text is ignored).
 *
 * <p>Formats: the layout of kernels 5.x and 6.x, including the older control lines
 * ({@code PinBased=... CPUBased=... SecondaryExec=...} and {@code EntryControls=...
 * ExitControls=...}) and the newer ones ({@code CPUBased=0x... SecondaryExec=0x...
 * TertiaryExec=0x...}, {@code PinBased=0x... EntryControls=... ExitControls=...}), and the
 * older combined {@code EFER = ... PAT = ...} line. Lines KVM prints only under some controls
 * (PDPTRs, PAT, EPT pointer, ...) give their fields when present.
 *
 * <p>Not VMCS fields, so not read as such: an {@code EFER} line marked {@code (effective)} or
 * {@code (autoload)} (KVM's own idea of EFER when the VMCS does not load it; noted), the MSR
 * autoload lists (they live in memory) and the {@code ve_info} contents.
 */
final class KvmDumpParser {

    private static final String H = "([0-9a-fA-F]+)";

    /** A pattern whose groups, in order, are the values of {@code fields}. */
    private record Rule(Pattern pattern, VmcsField... fields) {
        Rule(String regex, VmcsField... fields) {
            this(Pattern.compile(regex), fields);
        }
    }

    private static final List<Rule> GUEST = List.of(
            new Rule("CR0: actual=0x" + H + ", shadow=0x" + H + ", gh_mask=" + H,
                    GUEST_CR0, CR0_READ_SHADOW, CR0_GUEST_HOST_MASK),
            new Rule("CR4: actual=0x" + H + ", shadow=0x" + H + ", gh_mask=" + H,
                    GUEST_CR4, CR4_READ_SHADOW, CR4_GUEST_HOST_MASK),
            new Rule("\\bCR3 = 0x" + H, GUEST_CR3),
            new Rule("PDPTR0 = 0x" + H, GUEST_PDPTE0),
            new Rule("PDPTR1 = 0x" + H, GUEST_PDPTE1),
            new Rule("PDPTR2 = 0x" + H, GUEST_PDPTE2),
            new Rule("PDPTR3 = 0x" + H, GUEST_PDPTE3),
            new Rule("\\bRSP = 0x" + H, GUEST_RSP),
            new Rule("\\bRIP = 0x" + H, GUEST_RIP),
            new Rule("RFLAGS=0x" + H, GUEST_RFLAGS),
            new Rule("DR7 = 0x" + H, GUEST_DR7),
            new Rule("Sysenter RSP=" + H + " CS:RIP=" + H + ":" + H,
                    GUEST_IA32_SYSENTER_ESP, GUEST_IA32_SYSENTER_CS, GUEST_IA32_SYSENTER_EIP),
            new Rule("\\bPAT = 0x" + H, GUEST_IA32_PAT),
            new Rule("DebugCtl = 0x" + H, GUEST_IA32_DEBUGCTL),
            new Rule("DebugExceptions = 0x" + H, GUEST_PENDING_DEBUG_EXCEPTIONS),
            new Rule("PerfGlobCtl = 0x" + H, GUEST_IA32_PERF_GLOBAL_CTRL),
            new Rule("BndCfgS = 0x" + H, GUEST_IA32_BNDCFGS),
            new Rule("PKRS = 0x" + H, GUEST_IA32_PKRS),
            new Rule("Interruptibility = " + H, GUEST_INTERRUPTIBILITY_STATE),
            new Rule("ActivityState = " + H, GUEST_ACTIVITY_STATE),
            new Rule("InterruptStatus = " + H, GUEST_INTERRUPT_STATUS));

    private static final List<Rule> HOST = List.of(
            new Rule("\\bRIP = 0x" + H, HOST_RIP),
            new Rule("\\bRSP = 0x" + H, HOST_RSP),
            new Rule("\\bCS=" + H + " SS=" + H + " DS=" + H + " ES=" + H + " FS=" + H + " GS=" + H + " TR=" + H,
                    HOST_CS_SELECTOR, HOST_SS_SELECTOR, HOST_DS_SELECTOR, HOST_ES_SELECTOR, HOST_FS_SELECTOR,
                    HOST_GS_SELECTOR, HOST_TR_SELECTOR),
            new Rule("FSBase=" + H, HOST_FS_BASE),
            new Rule("GSBase=" + H, HOST_GS_BASE),
            new Rule("TRBase=" + H, HOST_TR_BASE),
            new Rule("GDTBase=" + H, HOST_GDTR_BASE),
            new Rule("IDTBase=" + H, HOST_IDTR_BASE),
            new Rule("\\bCR0=" + H + " CR3=" + H + " CR4=" + H, HOST_CR0, HOST_CR3, HOST_CR4),
            new Rule("Sysenter RSP=" + H + " CS:RIP=" + H + ":" + H,
                    HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_CS, HOST_IA32_SYSENTER_EIP),
            new Rule("\\bEFER\\s*=\\s*0x" + H, HOST_IA32_EFER),
            new Rule("\\bPAT = 0x" + H, HOST_IA32_PAT),
            new Rule("PerfGlobCtl = 0x" + H, HOST_IA32_PERF_GLOBAL_CTRL),
            new Rule("PKRS = 0x" + H, HOST_IA32_PKRS));

    private static final List<Rule> CONTROL = List.of(
            new Rule("CPUBased=(?:0x)?" + H, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
            new Rule("SecondaryExec=(?:0x)?" + H, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
            new Rule("TertiaryExec=(?:0x)?" + H, TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
            new Rule("PinBased=(?:0x)?" + H, PIN_BASED_VM_EXECUTION_CONTROLS),
            new Rule("EntryControls=(?:0x)?" + H, VM_ENTRY_CONTROLS),
            new Rule("ExitControls=(?:0x)?" + H, PRIMARY_VM_EXIT_CONTROLS),
            new Rule("ExceptionBitmap=" + H, EXCEPTION_BITMAP),
            new Rule("PFECmask=" + H, PAGE_FAULT_ERROR_CODE_MASK),
            new Rule("PFECmatch=" + H, PAGE_FAULT_ERROR_CODE_MATCH),
            new Rule("VMEntry: intr_info=" + H + " errcode=" + H + " ilen=" + H,
                    VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, VM_ENTRY_EXCEPTION_ERROR_CODE,
                    VM_ENTRY_INSTRUCTION_LENGTH),
            new Rule("VMExit: intr_info=" + H + " errcode=" + H + " ilen=" + H,
                    VM_EXIT_INTERRUPTION_INFORMATION, VM_EXIT_INTERRUPTION_ERROR_CODE, VM_EXIT_INSTRUCTION_LENGTH),
            new Rule("reason=" + H + " qualification=" + H, EXIT_REASON, EXIT_QUALIFICATION),
            new Rule("IDTVectoring: info=" + H + " errcode=" + H, IDT_VECTORING_INFORMATION_FIELD,
                    IDT_VECTORING_ERROR_CODE),
            new Rule("TSC Offset = 0x" + H, TSC_OFFSET),
            new Rule("TSC Multiplier = 0x" + H, TSC_MULTIPLIER),
            new Rule("TPR Threshold = 0x" + H, TPR_THRESHOLD),
            new Rule("APIC-access addr = 0x" + H, APIC_ACCESS_ADDRESS),
            new Rule("virt-APIC addr = 0x" + H, VIRTUAL_APIC_ADDRESS),
            new Rule("PostedIntrVec = 0x" + H, POSTED_INTERRUPT_NOTIFICATION_VECTOR),
            new Rule("EPT pointer = 0x" + H, EPT_POINTER),
            new Rule("PLE Gap=" + H + " Window=" + H, PLE_GAP, PLE_WINDOW),
            new Rule("Virtual processor ID = 0x" + H, VIRTUAL_PROCESSOR_IDENTIFIER),
            new Rule("VE info address = 0x" + H, VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS));

    /** {@code CS:   sel=0x0010, attr=0x0a09b, limit=0xffffffff, base=0x0000000000000000}. */
    private static final Pattern SEGMENT = Pattern.compile(
            "\\b(CS|DS|SS|ES|FS|GS|LDTR|TR):\\s*sel=0x" + H + ", attr=0x" + H + ", limit=0x" + H + ", base=0x" + H);
    /** {@code GDTR:                           limit=0x0000007f, base=0xfffffe0000001000}. */
    private static final Pattern TABLE = Pattern.compile("\\b(GDTR|IDTR):\\s*limit=0x" + H + ", base=0x" + H);
    /** Guest EFER, possibly marked as KVM's value rather than the VMCS field's. */
    private static final Pattern GUEST_EFER = Pattern.compile("\\bEFER\\s*=\\s*0x" + H + "(\\s*\\((\\w+)\\))?");
    private static final Pattern SVI_RVI = Pattern.compile("SVI\\|RVI = " + H + "\\|" + H);

    private enum Section { NONE, GUEST, HOST, CONTROL }

    private KvmDumpParser() {
    }

    /** True if {@code text} looks like a KVM dump (it has at least one of the three headers). */
    static boolean recognises(String text) {
        return text.contains("*** Guest State ***") || text.contains("*** Host State ***")
                || text.contains("*** Control State ***");
    }

    static VmcsDump parse(String text) {
        VmcsDump d = new VmcsDump("KVM dump_vmcs");
        Section s = Section.NONE;
        for (String line : text.split("\\R")) {
            if (line.contains("*** Guest State ***")) {
                s = Section.GUEST;
                continue;
            }
            if (line.contains("*** Host State ***")) {
                s = Section.HOST;
                continue;
            }
            if (line.contains("*** Control State ***")) {
                s = Section.CONTROL;
                continue;
            }
            switch (s) {
                case GUEST:
                    guestLine(line, d);
                    break;
                case HOST:
                    apply(HOST, line, d);
                    break;
                case CONTROL:
                    controlLine(line, d);
                    break;
                default:
                    break;
            }
        }
        return d;
    }

    private static void guestLine(String line, VmcsDump d) {
        if (line.contains("msr=0x")) {
            return; // an MSR autoload/autostore list entry: memory, not a field
        }
        Matcher m = SEGMENT.matcher(line);
        if (m.find()) {
            String seg = m.group(1);
            d.put(VmcsField.valueOf("GUEST_" + seg + "_SELECTOR"), hex(m.group(2)));
            d.put(VmcsField.valueOf("GUEST_" + seg + "_ACCESS_RIGHTS"), hex(m.group(3)));
            d.put(VmcsField.valueOf("GUEST_" + seg + "_LIMIT"), hex(m.group(4)));
            d.put(VmcsField.valueOf("GUEST_" + seg + "_BASE"), hex(m.group(5)));
            return;
        }
        m = TABLE.matcher(line);
        if (m.find()) {
            d.put(VmcsField.valueOf("GUEST_" + m.group(1) + "_LIMIT"), hex(m.group(2)));
            d.put(VmcsField.valueOf("GUEST_" + m.group(1) + "_BASE"), hex(m.group(3)));
            return;
        }
        m = GUEST_EFER.matcher(line);
        if (m.find()) {
            if (m.group(3) == null) {
                d.put(GUEST_IA32_EFER, hex(m.group(1)));
            } else {
                d.note(String.format(Locale.ROOT, "the dump shows EFER 0x%s (%s): KVM's value, not the VMCS "
                        + "field; GUEST_IA32_EFER is not in the dump", m.group(1), m.group(3)));
            }
        }
        apply(GUEST, line, d);
    }

    private static void controlLine(String line, VmcsDump d) {
        Matcher m = SVI_RVI.matcher(line);
        if (m.find()) {
            d.put(GUEST_INTERRUPT_STATUS, hex(m.group(1)) << 8 | hex(m.group(2)));
        }
        apply(CONTROL, line, d);
    }

    private static void apply(List<Rule> rules, String line, VmcsDump d) {
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(line);
            if (m.find()) {
                for (int i = 0; i < r.fields().length; i++) {
                    d.put(r.fields()[i], hex(m.group(i + 1)));
                }
            }
        }
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
