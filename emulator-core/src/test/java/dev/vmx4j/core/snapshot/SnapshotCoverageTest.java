package dev.vmx4j.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.Snapshot;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Snapshot coverage, by reflection. The snapshot records every instance field of every object
 * reachable from a machine unless {@link StateRules} excludes it, so a field added later is
 * recorded without anyone writing save/restore code; what can go wrong is caught here:
 * <ul>
 * <li>a field of a type the walker does not know (a new JDK type, a stream): {@code snapshot()}
 * of one of {@link #MACHINES} fails, naming the field's path and what to do;</li>
 * <li>a class of the module that holds mutable state but is not reachable from a machine (state
 * kept beside the machine, e.g. in a static or in an object only a listener knows): it must be
 * reached by one of {@link #MACHINES} or listed in {@link #NOT_MACHINE_STATE} with its reason;</li>
 * <li>a field the restore does not put back: every recorded field, array element and
 * collection of every machine is overwritten after the snapshot, and the restore must give back
 * exactly the recorded values;</li>
 * <li>an exclusion that no longer names a field.</li>
 * </ul>
 */
class SnapshotCoverageTest {

    // BSP real-mode code that starts the AP with INIT/SIPI (TwoProcessorsTest's sequence), then loops.
    private static final String BSP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "66B93008000066BA0100000066B8004500000F30" + "66B8084600000F30"
            + "B90030" + "FF060450" + "E2FA" + "F4";
    private static final String AP = "66B91B0000000F32660D000C00000F30" + "B90030" + "FF060850" + "E2FA" + "F4";

    private static Machine twoCpus() {
        Machine m = Machine.builder().memorySize(2L << 20).pcInterruptControllers().cpus(2).build();
        m.memory().load(0x7C00, HexFormat.of().parseHex(BSP));
        m.memory().load(0x8000, HexFormat.of().parseHex(AP));
        m.setSegment(Seg.CS, 0, 0, 0xFFFF, 0x9B);
        m.setRip(0x7C00);
        m.setReg(Reg.RSP, 0x7000);
        m.run(RunLimits.unlimited().maxInstructions(3_000));
        return m;
    }

    private static Machine booted(String image, Engine engine, long instructions) {
        Machine m = ReplayMachines.boot(image, engine).machine;
        m.run(RunLimits.unlimited().maxInstructions(instructions));
        return m;
    }

    /** Machines in every configuration the snapshot must cover: VMX with EPT, the translator, SMP, reference mode. */
    static final Map<String, Supplier<Machine>> MACHINES = Map.of(
            "vmx-ept mid-run (EPT on)", () -> booted("vmx-ept/vmx-ept.bin", Engine.INTERPRETER, 30_000),
            "vmx-events on the translator", () -> booted("vmx-events/vmx-events.bin", Engine.TRANSLATOR, 20_000),
            "vmx-realmode", () -> booted("vmx-realmode/vmx-realmode.bin", Engine.INTERPRETER, 20_000),
            "two processors", SnapshotCoverageTest::twoCpus,
            "reference mode, no devices", () -> Machine.builder().referenceMode(true).build());

    /** Classes of emulator-core with mutable fields that are not part of a machine's state, and why. */
    static final Map<String, String> NOT_MACHINE_STATE = Map.ofEntries(
            Map.entry("dev.vmx4j.core.Machine$Builder", "configuration before the machine exists"),
            Map.entry("dev.vmx4j.core.RunLimits", "a value the user passes to run()"),
            Map.entry("dev.vmx4j.core.cpu.DecodeCache", "a cache (StateRules: Cpu#decodeCache), kept valid by RAM restores"),
            Map.entry("dev.vmx4j.core.cpu.DecodeCache$CodePage", "an entry of the decode cache"),
            Map.entry("dev.vmx4j.core.cpu.TranslatedBlock", "a translated block, held by the decode cache"),
            Map.entry("dev.vmx4j.core.cpu.TlbContexts", "the tagged software-TLB contexts (StateRules: Mmu#contexts)"),
            Map.entry("dev.vmx4j.core.cpu.TlbContext", "one tagged software-TLB context, held by TlbContexts"),
            Map.entry("dev.vmx4j.core.cpu.TranslationSources", "what a software-TLB context's translations were derived from, held by TlbContext"),
            Map.entry("dev.vmx4j.core.decoder.DecodedInstruction", "a decoded instruction: decode-cache slot or one step's scratch"),
            Map.entry("dev.vmx4j.core.decoder.OpcodeTables$Builder", "builds the static opcode tables once"),
            Map.entry("dev.vmx4j.core.decoder.OpcodeTables$Desc", "a row of the static opcode tables"),
            Map.entry("dev.vmx4j.core.decoder.OpcodeTables$Tables", "the static opcode tables while they are built or read"),
            Map.entry("dev.vmx4j.core.decoder.OpcodeTables$Row", "a row of the static opcode tables"),
            Map.entry("dev.vmx4j.core.memory.MemoryImage", "a RAM image: part of a snapshot, not of the machine"),
            Map.entry("dev.vmx4j.core.memory.GuestMemory$Chunk", "RAM pages: recorded by GuestMemory.image()"));

    /** Stands for a machine class to which someone adds a field of a type the walker cannot record. */
    static final class WithUnknownType {
        long counter = 1;
        java.util.Random random;
    }

    /** Stands for a machine class with every shape of state the walker records. */
    static final class Shapes {
        long counter = 1;
        double ratio = 0.5;
        final int[] registers = {1, 2, 3};
        final List<long[]> queue = new ArrayList<>(List.of(new long[] {7}));
        final Map<Long, VmcsLike> byAddress = new java.util.LinkedHashMap<>(Map.of(1L, new VmcsLike()));
        VmcsLike current = byAddress.get(1L);
    }

    static final class VmcsLike {
        boolean launched;
    }

    @Test
    void aFieldOfATypeTheWalkerCannotRecord_failsTheSnapshotSayingWhatToDo_evenWhileNull() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateWalker.record(new WithUnknownType()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WithUnknownType.random declared as java.util.Random")
                .hasMessageContaining("StateRules.RULES")
                .hasMessageContaining("CACHE, WIRING, EXTERNAL or SCRATCH");
    }

    @Test
    void primitivesArraysCollectionsAndIdentities_areRecordedAndRestored() {
        Shapes o = new Shapes();
        VmcsLike vmcs = o.current;
        long[] entry = o.queue.get(0);
        MachineState s = StateWalker.record(o);
        o.counter = 99;
        o.ratio = 3;
        o.registers[1] = 0;
        o.queue.clear();
        entry[0] = 0;
        o.byAddress.put(2L, new VmcsLike());
        vmcs.launched = true;
        o.current = null;
        s.restore();
        assertThat(o.counter).isEqualTo(1);
        assertThat(o.ratio).isEqualTo(0.5);
        assertThat(o.registers).containsExactly(1, 2, 3);
        assertThat(o.queue).containsExactly(entry);
        assertThat(entry).containsExactly(7);
        assertThat(o.byAddress).containsOnlyKeys(1L);
        assertThat(o.current).isSameAs(vmcs);
        assertThat(vmcs.launched).isFalse();
        s.restore();   // a state restores any number of times
        assertThat(o.counter).isEqualTo(1);
    }

    @Test
    void everyRule_namesAnInstanceFieldThatExists() throws ClassNotFoundException {
        for (StateRules.Rule r : StateRules.rules()) {
            Class<?> c = Class.forName(r.className);
            Field f = Stream.of(c.getDeclaredFields()).filter(x -> x.getName().equals(r.field)).findFirst().orElse(null);
            assertThat(f).as("StateRules names %s#%s (%s: %s), which no longer exists: remove or rename the rule",
                    r.className, r.field, r.kind, r.reason).isNotNull();
            assertThat(Modifier.isStatic(f.getModifiers())).as("%s#%s is static", r.className, r.field).isFalse();
            assertThat(r.reason).isNotBlank();
        }
    }

    @Test
    void everyClassOfTheModuleWithMutableState_isReachedFromAMachineOrListed() throws IOException {
        Set<String> reached = new TreeSet<>();
        for (Supplier<Machine> s : MACHINES.values()) {
            for (Class<?> c : s.get().snapshot().state().classes()) {
                reached.add(c.getName());
            }
        }
        Path classes = Path.of(Machine.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = classes.relativize(p).toString();
                if (!rel.endsWith(".class") || rel.endsWith("module-info.class") || rel.endsWith("package-info.class")) {
                    continue;
                }
                String name = rel.substring(0, rel.length() - 6).replace('/', '.');
                if (!holdsMutableState(name) || reached.contains(name) || NOT_MACHINE_STATE.containsKey(name)
                        || isTool(name)) {
                    continue;
                }
                missing.add(name);
            }
        }
        assertThat(missing).as("classes with mutable instance fields that no machine reaches: a snapshot would"
                + " miss their state. Make them reachable from the Machine's fields (not only from a static or a"
                + " listener), add a machine that uses them to SnapshotCoverageTest.MACHINES, or list them in"
                + " NOT_MACHINE_STATE with the reason they are not machine state").isEmpty();
    }

    /** Packages whose objects live beside a machine, not in it: the CLI, the debugger, the audit reader, loaders. */
    private static boolean isTool(String name) {
        return name.startsWith("dev.vmx4j.core.cli.") || name.startsWith("dev.vmx4j.core.gdb.")
                || name.startsWith("dev.vmx4j.core.audit.") || name.startsWith("dev.vmx4j.core.boot.")
                || name.startsWith("dev.vmx4j.core.snapshot.") || name.startsWith("dev.vmx4j.core.cpu.jit.");
    }

    private static boolean holdsMutableState(String name) {
        Class<?> c;
        try {
            c = Class.forName(name, false, SnapshotCoverageTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod)) {
                continue;
            }
            if (!Modifier.isFinal(mod) || f.getType().isArray()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyRecordedFieldArrayAndCollection_isPutBackByRestore() {
        for (Map.Entry<String, Supplier<Machine>> e : MACHINES.entrySet()) {
            Machine m = e.getValue().get();
            Snapshot s = m.snapshot();
            MachineState recorded = s.state();
            long ram = Outcome.hash(m.memory(), m.memorySize());
            m.memory().write64(0x1000, 0x0123456789ABCDEFL);
            m.memory().write64(0x7000, -1L);
            int overwritten = overwriteEverything(recorded);
            m.restore(s);
            MachineState after = StateWalker.record(m);
            assertSame(recorded, after, e.getKey());
            assertThat(Outcome.hash(m.memory(), m.memorySize())).as("%s: RAM", e.getKey()).isEqualTo(ram);
            assertThat(overwritten).as("%s: fields overwritten", e.getKey()).isGreaterThan(200);
        }
    }

    /** Sets every recorded field to another value, every array element to another value, empties every collection. */
    private static int overwriteEverything(MachineState s) {
        int n = 0;
        try {
            for (MachineState.FieldsImage o : s.objects()) {
                for (int i = 0; i < o.fields.length; i++) {
                    Field f = o.fields[i];
                    long v = o.primitives[i];
                    switch (o.kinds[i]) {
                        case 'J': f.setLong(o.target, ~v); break;
                        case 'I': f.setInt(o.target, (int) ~v); break;
                        case 'Z': f.setBoolean(o.target, v == 0); break;
                        case 'B': f.setByte(o.target, (byte) ~v); break;
                        case 'S': f.setShort(o.target, (short) ~v); break;
                        case 'C': f.setChar(o.target, (char) ~v); break;
                        case 'F': f.setFloat(o.target, Float.intBitsToFloat((int) v) + 1); break;
                        case 'D': f.setDouble(o.target, Double.longBitsToDouble(v) + 1); break;
                        default: f.set(o.target, null); break;
                    }
                    n++;
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        for (MachineState.ArrayImage a : s.arrays()) {
            Object live = a.array;
            for (int i = 0; i < Array.getLength(live); i++) {
                Object v = Array.get(live, i);
                if (v instanceof Boolean) {
                    Array.set(live, i, !(Boolean) v);
                } else if (v instanceof Long) {
                    Array.set(live, i, ~(Long) v);
                } else if (v instanceof Integer) {
                    Array.set(live, i, ~(Integer) v);
                } else if (v instanceof Byte) {
                    Array.set(live, i, (byte) ~(Byte) v);
                } else if (v instanceof Short) {
                    Array.set(live, i, (short) ~(Short) v);
                } else if (v instanceof Character) {
                    Array.set(live, i, (char) ~(Character) v);
                } else if (v instanceof Double) {
                    Array.set(live, i, (Double) v + 1);
                } else if (v instanceof Float) {
                    Array.set(live, i, (Float) v + 1);
                } else {
                    Array.set(live, i, null);
                }
            }
        }
        for (MachineState.CollectionImage c : s.collections()) {
            if (c.collection instanceof Map) {
                ((Map<?, ?>) c.collection).clear();
            } else {
                ((Collection<?>) c.collection).clear();
            }
        }
        return n;
    }

    private static void assertSame(MachineState a, MachineState b, String what) {
        assertThat(b.objects().length).as("%s: objects", what).isEqualTo(a.objects().length);
        for (int k = 0; k < a.objects().length; k++) {
            MachineState.FieldsImage x = a.objects()[k];
            MachineState.FieldsImage y = b.objects()[k];
            assertThat(y.target).as("%s: object %d", what, k).isSameAs(x.target);
            for (int i = 0; i < x.fields.length; i++) {
                String name = what + ": " + x.target.getClass().getName() + "#" + x.fields[i].getName();
                assertThat(y.primitives[i]).as(name).isEqualTo(x.primitives[i]);
                assertThat(y.references[i]).as(name).isSameAs(x.references[i]);
            }
        }
        assertThat(b.arrays().length).as("%s: arrays", what).isEqualTo(a.arrays().length);
        for (int k = 0; k < a.arrays().length; k++) {
            MachineState.ArrayImage x = a.arrays()[k];
            MachineState.ArrayImage y = b.arrays()[k];
            assertThat(y.array).isSameAs(x.array);
            for (int i = 0; i < Array.getLength(x.copy); i++) {
                Object u = Array.get(x.copy, i);
                Object v = Array.get(y.copy, i);
                String name = what + ": " + x.array.getClass().getSimpleName() + "[" + i + "]";
                if (x.copy.getClass().getComponentType().isPrimitive()) {
                    assertThat(v).as(name).isEqualTo(u);
                } else {
                    assertThat(v).as(name).isSameAs(u);
                }
            }
        }
        assertThat(b.collections().length).as("%s: collections", what).isEqualTo(a.collections().length);
        for (int k = 0; k < a.collections().length; k++) {
            assertThat(b.collections()[k].values).as("%s: collection %d", what, k)
                    .containsExactly(a.collections()[k].values);
        }
    }
}
