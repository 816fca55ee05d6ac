package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back the VMCS text {@link dev.vmx4j.vmx.print.VmcsPrinter} writes: one
 * {@code NAME 0xENCODING = 0xVALUE [decoded]} line per field; {@code #} lines and anything after
 * the value are ignored. The name and the encoding must agree.
 */
final class PrintedVmcsParser {

    private static final Pattern LINE = Pattern.compile(
            "^\\s*([A-Z][A-Z0-9_]+)\\s+0x([0-9a-fA-F]{1,4})\\s+=\\s+0x([0-9a-fA-F]{1,16})\\b");

    private PrintedVmcsParser() {
    }

    static boolean recognises(String text) {
        for (String line : text.split("\\R")) {
            if (LINE.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    static VmcsDump parse(String text) {
        VmcsDump d = new VmcsDump("vmx4j VMCS print");
        int n = 0;
        for (String line : text.split("\\R")) {
            n++;
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            VmcsField f = FieldNames.field(m.group(1));
            int enc = Integer.parseInt(m.group(2), 16);
            if (f.encoding() != enc) {
                throw new IllegalArgumentException(String.format("line %d: %s has encoding 0x%04x, not 0x%04x", n,
                        f.name(), f.encoding(), enc));
            }
            d.put(f, Long.parseUnsignedLong(m.group(3), 16));
        }
        return d;
    }
}
