package dev.vmx4j.core.snapshot;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a snapshot leaves out, as data: every excluded field with its {@link Exclusion} and the
 * reason, and the classes whose instances are immutable values. Everything else a machine holds
 * is state and is recorded. {@code SnapshotCoverageTest} checks that each entry names an
 * existing field and that every other field of every object reachable from a machine is restored.
 */
public final class StateRules {

    /** Classes of these packages are walked field by field. */
    static final String PROJECT_PACKAGE = "dev.vmx4j.";

    /** Collections whose state is their elements (restored by clear, then add/put in order). */
    static final Set<Class<?>> COLLECTIONS = Set.of(ArrayList.class, ArrayDeque.class, HashMap.class,
            LinkedHashMap.class, TreeMap.class);

    /** One excluded field: its class, name, kind and why. */
    public static final class Rule {
        public final String className;
        public final String field;
        public final Exclusion kind;
        public final String reason;

        Rule(String className, String field, Exclusion kind, String reason) {
            this.className = className;
            this.field = field;
            this.kind = kind;
            this.reason = reason;
        }
    }

    private static final String CPU = "dev.vmx4j.core.cpu.";
    private static final String MEM = "dev.vmx4j.core.memory.GuestMemory";

    private static final Rule[] RULES = {
        // RAM: GuestMemory.image()/restore() (copy-on-write pages, dirty-page restore).
        new Rule(MEM, "chunks", Exclusion.MEMORY, "RAM pages: the memory image"),
        new Rule(MEM, "allocatedPages", Exclusion.MEMORY, "kept by the memory image"),
        new Rule(MEM, "mmioAccesses", Exclusion.MEMORY, "kept by the memory image"),
        new Rule(MEM, "base", Exclusion.MEMORY, "the image the RAM last equalled: bookkeeping of images"),
        new Rule(MEM, "dirty", Exclusion.MEMORY, "pages written since the last image: bookkeeping of images"),
        new Rule(MEM, "dirtyCount", Exclusion.MEMORY, "pages written since the last image: bookkeeping of images"),
        new Rule(MEM, "codeWriteListener", Exclusion.EXTERNAL, "wiring to the decode caches (a lambda)"),
        new Rule(MEM, "mmio", Exclusion.WIRING, "MMIO regions are fixed when the machine is built; their devices are walked"),
        // Caches: flushed on restore (CpuCaches.flush).
        new Rule(CPU + "Mmu", "readKey", Exclusion.CACHE, "software TLB (the current context's read generation)"),
        new Rule(CPU + "Mmu", "writeKey", Exclusion.CACHE, "software TLB (the current context's write generation)"),
        new Rule(CPU + "Mmu", "globalReadKey", Exclusion.CACHE, "software TLB (the current context's read generation of global entries)"),
        new Rule(CPU + "Mmu", "globalWriteKey", Exclusion.CACHE, "software TLB (the current context's write generation of global entries)"),
        new Rule(CPU + "Mmu", "readTag", Exclusion.CACHE, "software TLB"),
        new Rule(CPU + "Mmu", "readPage", Exclusion.CACHE, "software TLB"),
        new Rule(CPU + "Mmu", "writeTag", Exclusion.CACHE, "software TLB"),
        new Rule(CPU + "Mmu", "writePage", Exclusion.CACHE, "software TLB"),
        new Rule(CPU + "Mmu", "fetchTag", Exclusion.CACHE, "software TLB (fetch)"),
        new Rule(CPU + "Mmu", "fetchFrame", Exclusion.CACHE, "software TLB (fetch)"),
        new Rule(CPU + "Mmu", "fetchGlobal", Exclusion.CACHE, "software TLB (fetch, global flags)"),
        new Rule(CPU + "Mmu", "lastGlobal", Exclusion.SCRATCH, "whether the translation being filled is global"),
        new Rule(CPU + "Mmu", "sources", Exclusion.CACHE, "what the current software-TLB context's translations were derived from (TranslationSources, reset by the flush)"),
        new Rule(CPU + "Mmu", "contexts", Exclusion.CACHE, "the tagged software-TLB contexts (the current tag, Mmu#contextVpid/contextEp4ta with the PCID of CR3, is state)"),
        new Rule(CPU + "Cpu", "decodeCache", Exclusion.CACHE, "decoded instructions and translated blocks"),
        new Rule(CPU + "Cpu", "codePage", Exclusion.CACHE, "the current code page of the decode cache"),
        // The user's objects.
        new Rule(CPU + "Cpu", "insnHook", Exclusion.EXTERNAL, "the user's instruction listeners"),
        new Rule(CPU + "Cpu", "memListeners", Exclusion.EXTERNAL, "the user's memory listeners"),
        new Rule(CPU + "Cpu", "ioListeners", Exclusion.EXTERNAL, "the user's I/O listeners"),
        new Rule(CPU + "Cpu", "exceptionListeners", Exclusion.EXTERNAL, "the user's exception listeners"),
        new Rule(CPU + "Cpu", "interruptListeners", Exclusion.EXTERNAL, "the user's interrupt listeners"),
        new Rule("dev.vmx4j.core.Machine", "insnListeners", Exclusion.EXTERNAL, "the user's instruction listeners"),
        new Rule("dev.vmx4j.core.cpu.vmx.VmExit", "listeners", Exclusion.EXTERNAL, "the user's VM-exit listeners"),
        new Rule("dev.vmx4j.core.vmx.VmxHost", "guestLimits", Exclusion.EXTERNAL, "the user's run limits for guests"),
        // Scratch.
        new Rule(CPU + "Cpu", "scratch", Exclusion.SCRATCH, "decode buffer of one step"),
        new Rule(CPU + "Cpu", "fetchBuf", Exclusion.SCRATCH, "fetch bytes of one step"),
        new Rule(CPU + "Cpu", "sseScratch", Exclusion.SCRATCH, "SSE source operand of one instruction"),
        // Wiring.
        new Rule("dev.vmx4j.core.io.IoBus", "devices", Exclusion.WIRING, "devices are attached when the machine is built"),
        new Rule("dev.vmx4j.core.devices.FwCfg", "items", Exclusion.CONFIG, "the fw_cfg items (RAM size, CPU count) are read-only"),
        new Rule("dev.vmx4j.core.devices.DebugConsole", "out", Exclusion.EXTERNAL, "the user's output stream"),
        new Rule("dev.vmx4j.core.devices.Uart16550", "out", Exclusion.EXTERNAL, "the user's output stream"),
    };

    private static final Map<String, Rule> BY_FIELD = new HashMap<>();

    static {
        for (Rule r : RULES) {
            if (BY_FIELD.put(r.className + "#" + r.field, r) != null) {
                throw new ExceptionInInitializerError("duplicate snapshot rule " + r.className + "#" + r.field);
            }
        }
    }

    /** Classes outside java.lang whose instances are immutable values (the walk stops there). */
    private static final Set<String> IMMUTABLE = Set.of(
            "dev.vmx4j.vmx.profile.CpuProfile",
            "dev.vmx4j.vmx.controls.VmxCapabilities");

    private StateRules() {
    }

    /** Every excluded field (for the coverage test and the docs). */
    public static Rule[] rules() {
        return RULES.clone();
    }

    /** The exclusion of {@code f}, or null if it is state. */
    static Exclusion exclusion(Field f) {
        Rule r = BY_FIELD.get(f.getDeclaringClass().getName() + "#" + f.getName());
        return r == null ? null : r.kind;
    }

    /**
     * True if a field declared with type {@code t} can be recorded whatever it holds: primitives,
     * arrays, the project's types, immutable values, the collections of {@link #COLLECTIONS} and
     * their interfaces, and the functional interfaces (the project's lambdas implement them).
     * Checked on the declared type, so a field of an unknown type is reported even while null.
     */
    static boolean knownType(Class<?> t) {
        while (t.isArray()) {
            t = t.getComponentType();
        }
        return t.isPrimitive() || t.getName().startsWith(PROJECT_PACKAGE) || isLeaf(t) || t == Number.class
                || t == java.util.Map.class || t == java.util.List.class || t == java.util.Deque.class
                || t == java.util.Collection.class || COLLECTIONS.contains(t)
                || t.getPackageName().equals("java.util.function") || t == Runnable.class;
    }

    /** True for values the walk stops at: immutable values. */
    static boolean isLeaf(Class<?> c) {
        return c.isPrimitive() || c.isEnum() || c == String.class
                || c == Long.class || c == Integer.class || c == Short.class || c == Byte.class || c == Character.class
                || c == Boolean.class || c == Double.class || c == Float.class || c == Class.class
                || (c.getSuperclass() != null && c.getSuperclass().isEnum()) || IMMUTABLE.contains(c.getName());
    }
}
