package dev.vmx4j.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.Undecided;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The {@code --format json} form of an {@link Audit}, for tools. Numbers that are VMCS values are hex strings. */
public final class AuditJson {

    private AuditJson() {
    }

    public static String format(Audit a) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("input", a.dump().format());
            g.writeNumberField("fields", a.dump().size());
            g.writeStringField("profile", a.profile().name());
            g.writeBooleanField("wouldEnter", a.exitStatus() == Audit.WOULD_ENTER);
            g.writeNumberField("exitStatus", a.exitStatus());
            g.writeArrayFieldStart("failures");
            for (EntryDiagnostic d : a.failures()) {
                failure(g, d, a.hardwareReports(d));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("undecided");
            for (Undecided u : a.undecided()) {
                g.writeStartObject();
                g.writeStringField("id", u.check().name());
                g.writeStringField("sdmSection", u.check().sdmSection());
                if (u.missingField() != null) {
                    g.writeStringField("notInTheDump", u.missingField().name());
                } else {
                    g.writeStringField("needs", "memory");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String n : a.dump().notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString() + "\n";
    }

    private static void failure(JsonGenerator g, EntryDiagnostic d, boolean reported) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", d.check().name());
        g.writeStringField("sdmSection", d.check().sdmSection());
        g.writeStringField("rule", d.check().rule());
        if (d.field() != null) {
            g.writeStringField("field", d.field().name());
            g.writeStringField("encoding", String.format("0x%04x", d.field().encoding()));
        }
        g.writeStringField("value", hex(d.value()));
        g.writeStringField("offendingBits", hex(d.offendingBits()));
        if (d.hasAllowedMasks()) {
            g.writeStringField("allowed0", hex(d.allowed0()));
            g.writeStringField("allowed1", hex(d.allowed1()));
        }
        if (d.msrEntryNumber() != 0) {
            g.writeNumberField("msrEntry", d.msrEntryNumber());
        }
        g.writeStringField("outcome", d.outcome().describe());
        if (d.outcome().isVmFail()) {
            g.writeNumberField("vmInstructionError", d.outcome().vmInstructionError());
        } else {
            g.writeNumberField("exitReason", d.outcome().exitReason());
            g.writeNumberField("exitQualification", d.exitQualification());
        }
        g.writeBooleanField("hardwareReports", reported);
        g.writeEndObject();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
