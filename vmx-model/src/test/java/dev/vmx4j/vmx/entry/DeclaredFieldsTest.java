package dev.vmx4j.vmx.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.BreakOneRuleCases.Case;
import dev.vmx4j.vmx.entry.BreakOneRuleCases.Setup;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EntryCheck#fields()} lists every field a check may consult: on each broken VMCS,
 * changing any field outside the list (to 0 or to all ones) leaves that check failing. This is
 * what makes "undecided" reports for partial VMCSs trustworthy.
 */
class DeclaredFieldsTest {

    static Stream<Case> cases() {
        return BreakOneRuleCases.list().stream();
    }

    @ParameterizedTest(name = "{0} depends only on its declared fields")
    @MethodSource("cases")
    void aCheckDependsOnlyOnItsDeclaredFields(Case c) {
        CpuProfile p = EntryCheckerTest.profile(c.profile());
        EntryChecker checker = EntryChecker.forProfile(p);
        VmcsValues broken = EntryFixtures.baseline(checker, p, c.variant());
        SparseMemory memory = EntryFixtures.memory(checker);
        EntryContext.Builder ctx = EntryFixtures.context(memory, c.variant());
        c.breaker().accept(new Setup(broken, memory, ctx));
        EntryContext context = ctx.build();
        Set<VmcsField> declared = new HashSet<>(c.check().fields());
        for (VmcsField f : VmcsField.values()) {
            if (declared.contains(f)) {
                continue;
            }
            for (long value : new long[] {0, -1L}) {
                VmcsValues changed = broken.copy().set(f, value);
                boolean found = false;
                for (EntryDiagnostic d : checker.allFailures(changed, context).failures()) {
                    found |= d.check() == c.check();
                }
                assertThat(found).as("%s still fails with %s = 0x%x", c.check(), f, value & f.mask()).isTrue();
            }
        }
    }
}
