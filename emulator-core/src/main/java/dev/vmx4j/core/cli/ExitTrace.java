package dev.vmx4j.core.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.exit.ExitReasonField;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.print.FieldDecoder;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The lines of {@code vmx4j run --trace exits} (and {@code exits,json}: one JSON object a line):
 * one per VM exit (reason by name, qualification decoded field by field, guest RIP and CPL,
 * instruction length), one per failed VM entry (the named diagnostic of the first failed check)
 * and one per VMX instruction that failed (VMfailInvalid, or VMfailValid with the error by name).
 */
final class ExitTrace {

    private final boolean json;

    ExitTrace(boolean json) {
        this.json = json;
    }

    /** A VM exit (or a VM-entry failure exit, reasons 33/34, when {@code diagnostic} may name the check). */
    String exit(int exitReasonField, long qualification, long guestRip, int cpl, int instructionLength,
                int interruptionInfo, EntryDiagnostic diagnostic) {
        return exit(exitReasonField, qualification, guestRip, cpl, instructionLength, interruptionInfo, diagnostic,
                dev.vmx4j.mmu.ept.EptMisconfiguration.NONE);
    }

    /** As above; {@code misconfiguration} names the EPT misconfiguration of an exit 49 (else NONE). */
    String exit(int exitReasonField, long qualification, long guestRip, int cpl, int instructionLength,
                int interruptionInfo, EntryDiagnostic diagnostic, dev.vmx4j.mmu.ept.EptMisconfiguration misconfiguration) {
        boolean misconfigured = misconfiguration != dev.vmx4j.mmu.ept.EptMisconfiguration.NONE;
        ExitReasonField f = ExitReasonField.decode(exitReasonField & 0xFFFFFFFFL);
        ExitReason r = f.reason();
        String name = r != null ? r.name() : "reason " + f.basicReason();
        String decoded = FieldDecoder.qualification(f.basicReason(), qualification);
        if (!json) {
            StringBuilder sb = new StringBuilder(f.entryFailure() ? "vmentry-fail " : "vmexit ");
            sb.append(name).append(String.format(Locale.ROOT, " rip=0x%x cpl=%d len=%d qual=0x%x", guestRip, cpl,
                    instructionLength, qualification));
            if (!decoded.isEmpty()) {
                sb.append(" ").append(decoded);
            }
            if (hasInterruption(f.basicReason())) {
                sb.append(String.format(Locale.ROOT, " intr=0x%x [%s]", interruptionInfo & 0xFFFFFFFFL,
                        FieldDecoder.decode(VmcsField.VM_EXIT_INTERRUPTION_INFORMATION, interruptionInfo & 0xFFFFFFFFL, -1)));
            }
            if (misconfigured) {
                sb.append(" misconfig=").append(misconfiguration.name());
            }
            if (diagnostic != null) {
                sb.append(" check=").append(diagnostic.check().name());
            }
            return sb.toString();
        }
        return object(g -> {
            g.writeStringField("event", f.entryFailure() ? "vmentry-fail" : "vmexit");
            g.writeStringField("reason", name);
            g.writeNumberField("basicReason", f.basicReason());
            g.writeStringField("exitReasonField", hex(exitReasonField & 0xFFFFFFFFL));
            g.writeStringField("qualification", hex(qualification));
            if (!decoded.isEmpty()) {
                g.writeStringField("decoded", decoded);
            }
            g.writeStringField("rip", hex(guestRip));
            g.writeNumberField("cpl", cpl);
            g.writeNumberField("instructionLength", instructionLength);
            if (hasInterruption(f.basicReason())) {
                g.writeStringField("interruptionInformation", hex(interruptionInfo & 0xFFFFFFFFL));
                g.writeStringField("interruption",
                        FieldDecoder.decode(VmcsField.VM_EXIT_INTERRUPTION_INFORMATION, interruptionInfo & 0xFFFFFFFFL, -1));
            }
            if (misconfigured) {
                g.writeStringField("eptMisconfiguration", misconfiguration.name());
            }
            if (diagnostic != null) {
                diagnostic(g, diagnostic);
            }
        });
    }

    /** A VM entry that failed with VMfailValid(7/8): the check that failed. */
    String entryVmFail(String instruction, long rip, EntryDiagnostic d) {
        if (!json) {
            return String.format(Locale.ROOT, "vmentry-fail %s at rip=0x%x: %s", instruction, rip, describe(d));
        }
        return object(g -> {
            g.writeStringField("event", "vmentry-fail");
            g.writeStringField("instruction", instruction);
            g.writeStringField("rip", hex(rip));
            diagnostic(g, d);
        });
    }

    /** A VMX instruction that failed: VMfailInvalid ({@code error} null) or VMfailValid(error). */
    String vmxFail(String instruction, long rip, int errorNumber, boolean valid) {
        VmInstructionError e = valid ? VmInstructionError.byNumber(errorNumber) : null;
        String what = !valid ? "VMfailInvalid"
                : "VMfailValid(" + errorNumber + ")" + (e != null ? " " + e.name() : "");
        if (!json) {
            return String.format(Locale.ROOT, "vmx-fail %s at rip=0x%x: %s", instruction, rip, what);
        }
        return object(g -> {
            g.writeStringField("event", "vmx-fail");
            g.writeStringField("instruction", instruction);
            g.writeStringField("rip", hex(rip));
            g.writeStringField("result", valid ? "VMfailValid" : "VMfailInvalid");
            if (valid) {
                g.writeNumberField("error", errorNumber);
                if (e != null) {
                    g.writeStringField("errorName", e.name());
                }
            }
        });
    }

    /** SDM "Information for VM Exits Due to Vectored Events": exit reasons 0 and 1 record the event. */
    private static boolean hasInterruption(int basicReason) {
        return basicReason == 0 || basicReason == 1;
    }

    static String describe(EntryDiagnostic d) {
        StringBuilder sb = new StringBuilder(d.check().name()).append(" -> ").append(d.outcome().describe());
        if (d.field() != null) {
            sb.append(String.format(Locale.ROOT, " %s=0x%x", d.field().name(), d.value()));
        }
        if (d.offendingBits() != 0) {
            sb.append(String.format(Locale.ROOT, " bits=0x%x", d.offendingBits()));
        }
        if (d.hasAllowedMasks()) {
            sb.append(String.format(Locale.ROOT, " allowed0=0x%x allowed1=0x%x", d.allowed0(), d.allowed1()));
        }
        return sb.append(" (SDM \"").append(d.check().sdmSection()).append("\")").toString();
    }

    private static void diagnostic(JsonGenerator g, EntryDiagnostic d) throws IOException {
        g.writeStringField("check", d.check().name());
        g.writeStringField("sdmSection", d.check().sdmSection());
        if (d.field() != null) {
            g.writeStringField("field", d.field().name());
        }
        g.writeStringField("value", hex(d.value()));
        g.writeStringField("offendingBits", hex(d.offendingBits()));
        if (d.hasAllowedMasks()) {
            g.writeStringField("allowed0", hex(d.allowed0()));
            g.writeStringField("allowed1", hex(d.allowed1()));
        }
        g.writeStringField("outcome", d.outcome().describe());
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(Body body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
