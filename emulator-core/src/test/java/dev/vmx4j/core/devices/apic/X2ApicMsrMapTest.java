package dev.vmx4j.core.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every address of 800H-BFFH against the committed table {@code apic/x2apic-msr-map.txt}:
 * listed registers fault exactly where the table says, unlisted ones always fault.
 */
class X2ApicMsrMapTest {

    private record Row(int line, String name, boolean readOk, boolean writeOk) {}

    @Test
    void everyX2ApicMsrAddress_faultsExactlyAsTheSdmTableSays() throws IOException {
        Map<Integer, Row> table = load();
        assertThat(table).as("rows in x2apic-msr-map.txt").hasSize(43);
        for (int msr = LocalApic.X2APIC_MSR_FIRST; msr <= LocalApic.X2APIC_MSR_LAST; msr++) {
            Row row = table.get(msr);
            String where = row == null
                    ? String.format("MSR 0x%x (unlisted: reserved)", msr)
                    : String.format("x2apic-msr-map.txt line %d: MSR 0x%x %s", row.line, msr, row.name);
            assertThat(faults(msr, true)).as(where + " RDMSR faults").isEqualTo(row == null || !row.readOk);
            assertThat(faults(msr, false)).as(where + " WRMSR 0 faults").isEqualTo(row == null || !row.writeOk);
        }
    }

    private static boolean faults(int msr, boolean read) {
        LocalApic apic = new LocalApic(new ManualClock());
        apic.writeApicBase(LocalApic.DEFAULT_BASE | LocalApic.APIC_BASE_EN | LocalApic.APIC_BASE_EXTD);
        apic.writeMsr(0x80F, 0x1FF);
        try {
            if (read) {
                apic.readMsr(msr);
            } else {
                apic.writeMsr(msr, 0);
            }
            return false;
        } catch (ApicFault f) {
            return true;
        }
    }

    private static Map<Integer, Row> load() throws IOException {
        Map<Integer, Row> rows = new HashMap<>();
        try (InputStream in = X2ApicMsrMapTest.class.getResourceAsStream("/apic/x2apic-msr-map.txt")) {
            if (in == null) {
                fail("apic/x2apic-msr-map.txt is missing from the test resources");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length != 4) {
                    fail("x2apic-msr-map.txt line " + lineNo + ": expected 4 columns: " + line);
                }
                int msr = Integer.decode(f[0]);
                rows.put(msr, new Row(lineNo, f[1], f[2].equals("ok"), f[3].equals("ok")));
            }
        }
        return rows;
    }
}
