package dev.vmx4j.vmx.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.BreakOneRuleCases.Case;
import dev.vmx4j.vmx.entry.BreakOneRuleCases.Setup;
import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The baseline passes; every check id fails when exactly its rule is broken. */
class EntryCheckerTest {

    private static final java.util.Map<String, CpuProfile> PROFILES = new java.util.concurrent.ConcurrentHashMap<>();

    static CpuProfile profile(String name) {
        return PROFILES.computeIfAbsent(name, EntryCheckerTest::load);
    }

    private static CpuProfile load(String name) {
        switch (name) {
            case "icelake":
                return EntryFixtures.icelake();
            case "max":
                return EntryFixtures.max();
            case "lowered":
                return EntryFixtures.lowered();
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static Stream<Arguments> profilesAndVariants() {
        // VM entry needs VMX: the shipped profiles without it (the AMD opteron_g1) are left out.
        List<CpuProfile> profiles = new ArrayList<>();
        for (CpuProfile p : EntryFixtures.shippedProfiles()) {
            if (dev.vmx4j.vmx.controls.VmxCapabilities.of(p).supported()) {
                profiles.add(p);
            }
        }
        assertThat(profiles).hasSizeGreaterThanOrEqualTo(2);
        profiles.add(EntryFixtures.max());
        profiles.add(EntryFixtures.lowered());
        List<Arguments> out = new ArrayList<>();
        for (CpuProfile p : profiles) {
            for (Variant v : Variant.values()) {
                // An unrestricted guest needs "unrestricted guest" and EPT, which a profile (the
                // honest default one) may not offer.
                boolean unrestricted = dev.vmx4j.vmx.controls.VmxCapabilities.of(p).allowed(
                        dev.vmx4j.vmx.controls.SecondaryProcBasedControl.UNRESTRICTED_GUEST, true);
                if (v != Variant.UNRESTRICTED || unrestricted) {
                    out.add(Arguments.of(p.name(), p, v));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "baseline {2} passes every check on {0}")
    @MethodSource("profilesAndVariants")
    void baselinePassesEveryCheck(String name, CpuProfile p, Variant variant) {
        EntryChecker checker = EntryChecker.forProfile(p);
        VmcsValues v = EntryFixtures.baseline(checker, p, variant);
        EntryContext ctx = EntryFixtures.context(EntryFixtures.memory(checker), variant).build();
        EntryCheckReport all = checker.allFailures(v, ctx);
        assertThat(all.failures()).as(all.toString()).isEmpty();
        assertThat(all.undecided()).isEmpty();
        assertThat(checker.firstFailure(v, ctx).passed()).isTrue();
    }

    @Test
    void aProfileWithoutVmx_hasNoEntryChecker() {
        CpuProfile amd = CpuProfile.builtIn("opteron_g1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntryChecker.forProfile(amd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not support VMX");
    }

    @Test
    void everyProfileInTheResourcesIsABuiltInProfile() {
        for (CpuProfile p : EntryFixtures.shippedProfiles()) {
            assertThat(CpuProfile.BUILT_IN).contains(p.name());
        }
        assertThat(EntryFixtures.shippedProfiles()).isNotEmpty();
    }

    @Test
    void everyCheckIdHasABreakOneRuleCase() {
        Set<EntryCheck> missing = new LinkedHashSet<>(EntryChecks.all());
        missing.removeAll(BreakOneRuleCases.all().keySet());
        assertThat(missing).as("ids without a break-one-rule case").isEmpty();
    }

    static Stream<Case> cases() {
        return BreakOneRuleCases.list().stream();
    }

    static EntryCheckReport[] runBroken(Case c) {
        CpuProfile p = profile(c.profile());
        EntryChecker checker = EntryChecker.forProfile(p);
        VmcsValues v = EntryFixtures.baseline(checker, p, c.variant());
        SparseMemory memory = EntryFixtures.memory(checker);
        EntryContext.Builder ctx = EntryFixtures.context(memory, c.variant());
        // the unbroken baseline passes on this profile and variant
        assertThat(checker.allFailures(v, ctx.build()).failures()).isEmpty();
        c.breaker().accept(new Setup(v, memory, ctx));
        EntryContext context = ctx.build();
        return new EntryCheckReport[] {checker.firstFailure(v, context), checker.allFailures(v, context)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void breakingOneRuleReportsExactlyThatCheck(Case c) {
        EntryCheckReport[] r = runBroken(c);
        EntryCheckReport first = r[0];
        EntryCheckReport all = r[1];
        List<EntryCheck> expected = new ArrayList<>();
        expected.add(c.check());
        expected.addAll(c.alsoFailing());
        List<EntryCheck> found = new ArrayList<>();
        for (EntryDiagnostic d : all.failures()) {
            found.add(d.check());
        }
        assertThat(found).as(all.toString()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(first.failures()).hasSize(1);
        EntryDiagnostic d = first.firstFailure().orElseThrow();
        // hardware order: the first failure is the earliest of the expected ids in EntryChecks.all()
        EntryCheck earliest = expected.stream().min((a, b) -> EntryChecks.all().indexOf(a) - EntryChecks.all().indexOf(b))
                .orElseThrow();
        assertThat(d.check()).as(first.toString()).isEqualTo(earliest);
        assertThat(first.outcome()).contains(earliest.outcome());
        assertThat(all.undecided()).isEmpty();
        assertThat(d.toString()).startsWith(earliest.name() + ": ").contains(earliest.sdmSection());
    }
}
