package dev.vmx4j.core.audit;

/** Reads a VMCS dump in whichever supported format it is: KVM's dump_vmcs, vmx4j's print, a JSON/YAML map. */
public final class DumpReader {

    private DumpReader() {
    }

    /**
     * Parses {@code text}. Tried in this order: KVM's dump (by its section headers), vmx4j's
     * printed VMCS (by its {@code NAME 0xENC = 0xVALUE} lines), a JSON or YAML map.
     *
     * @throws IllegalArgumentException if no format fits, naming the problem
     */
    public static VmcsDump read(String text) {
        if (KvmDumpParser.recognises(text)) {
            return KvmDumpParser.parse(text);
        }
        if (PrintedVmcsParser.recognises(text)) {
            return PrintedVmcsParser.parse(text);
        }
        if (FieldMapParser.recognises(text)) {
            return FieldMapParser.parse(text);
        }
        throw new IllegalArgumentException("not a VMCS dump: expected KVM's dump_vmcs output (\"*** Guest State ***\" "
                + "...), a VMCS printed by vmx4j (NAME 0xENCODING = 0xVALUE lines) or a JSON/YAML map of field names "
                + "to values");
    }
}
