package dev.vmx4j.vmx.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.BreakOneRuleCases.Case;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/SDM-MAP.md is rendered from the check enums and the break-one-rule cases; this test fails
 * when the committed file differs. Regenerate with
 * {@code mvn -B -ntp -pl vmx-model -am test -Dtest=SdmMapTest -Dsurefire.failIfNoSpecifiedTests=false -Dvmx4j.sdmmap.write=true}.
 */
class SdmMapTest {

    static final Path FILE = Path.of("../docs/SDM-MAP.md");

    static String render() {
        StringBuilder s = new StringBuilder();
        List<EntryCheck> all = EntryChecks.all();
        s.append("# SDM map: the VM-entry checks\n\n");
        s.append("Generated from the code by `vmx-model/src/test/java/dev/vmx4j/vmx/entry/SdmMapTest.java`; do not edit.\n");
        s.append("Regenerate: `mvn -B -ntp -pl vmx-model -am test -Dtest=SdmMapTest -Dsurefire.failIfNoSpecifiedTests=false "
                + "-Dvmx4j.sdmmap.write=true`.\n\n");
        s.append("Every check of the SDM chapter \"VM Entries\" that `dev.vmx4j.vmx.entry.EntryChecker` runs, ")
                .append(all.size()).append(" ids in hardware order (basic checks, controls, host state, guest state, ")
                .append("MSR loading). Each id is a constant of the enum of its SDM subsection; the rule column ")
                .append("paraphrases the SDM bullet. The test column names the case of ")
                .append("`EntryCheckerTest.breakingOneRuleReportsExactlyThatCheck` (parameter = the id) that breaks ")
                .append("exactly that rule on a valid baseline VMCS: the profile (`icelake` = corei7_icelake_u, ")
                .append("`max` = Ice Lake with every control the checks know allowed, `lowered` = Ice Lake without ")
                .append("MTF and wait-for-SIPI) and the baseline variant. Where the SDM makes two rules fail together ")
                .append("the column says so.\n\n");
        String section = null;
        int count = 0;
        for (EntryCheck c : all) {
            if (!c.sdmSection().equals(section)) {
                section = c.sdmSection();
                s.append("\n## ").append(section).append("\n\n");
                s.append("| id | rule | fields | outcome | test |\n|---|---|---|---|---|\n");
            }
            count++;
            Case k = BreakOneRuleCases.all().get(c);
            s.append("| `").append(c.name()).append("` | ").append(c.rule().replace("|", "\\|")).append(" | ");
            StringBuilder fields = new StringBuilder();
            for (VmcsField f : c.fields()) {
                if (fields.length() > 0) {
                    fields.append(", ");
                }
                fields.append(f.name());
            }
            if (c.readsMemory()) {
                fields.append(fields.length() > 0 ? ", " : "").append("memory");
            }
            s.append(fields.length() == 0 ? "(context)" : fields).append(" | ").append(c.outcome().describe()).append(" | ");
            if (k == null) {
                s.append("**none**");
            } else {
                s.append("`[").append(c.name()).append("]` ").append(k.profile()).append(", ").append(k.variant());
                if (!k.alsoFailing().isEmpty()) {
                    s.append("; fails together with");
                    for (EntryCheck o : k.alsoFailing()) {
                        s.append(" `").append(o.name()).append('`');
                    }
                }
            }
            s.append(" |\n");
        }
        s.append("\n").append(count).append(" ids.\n");
        return s.toString();
    }

    @Test
    void committedSdmMapMatchesTheCode() throws IOException {
        String expected = render();
        if (Boolean.getBoolean("vmx4j.sdmmap.write")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(FILE)).as(FILE + " exists (regenerate with -Dvmx4j.sdmmap.write=true)").isTrue();
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
                .as("docs/SDM-MAP.md is stale: regenerate with -Dvmx4j.sdmmap.write=true").isEqualTo(expected);
    }

    @Test
    void everyIdInTheMapHasItsTest() {
        assertThat(render()).doesNotContain("**none**");
    }
}
