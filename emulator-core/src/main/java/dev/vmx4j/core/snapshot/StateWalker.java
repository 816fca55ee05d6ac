package dev.vmx4j.core.snapshot;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.core.memory.MemoryImage;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks a machine's object graph and records its state (see the package comment). Per object of
 * a vmx4j class, each instance field is, by {@link StateRules}: excluded (with its
 * {@link Exclusion}); final (the identity is fixed: the object it refers to is walked, a final
 * primitive is configuration); or state: its value (primitive or the identity of the object it
 * refers to) is recorded and the object walked. Arrays and the {@code java.util} collections
 * record their elements; immutable values (strings, boxes, enums, the classes
 * {@link StateRules#isLeaf} lists) end the walk. Lambdas of the project's classes are walked
 * like any object (their captured values are final fields), so state reachable only through a
 * callback is still found.
 */
public final class StateWalker {

    private static final Map<Class<?>, Field[]> FIELDS = new ConcurrentHashMap<>();

    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private final ArrayDeque<Object[]> work = new ArrayDeque<>();
    private final List<MachineState.FieldsImage> objects = new ArrayList<>();
    private final List<MachineState.ArrayImage> arrays = new ArrayList<>();
    private final List<MachineState.CollectionImage> collections = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final java.util.Set<Class<?>> classes = new java.util.HashSet<>();
    private GuestMemory memory;
    private MemoryImage ram;

    private StateWalker() {
    }

    /** Records the state of everything reachable from {@code root}. */
    public static MachineState record(Object root) {
        StateWalker w = new StateWalker();
        w.push(root, root.getClass().getName(), false);
        while (!w.work.isEmpty()) {
            Object[] next = w.work.pop();
            w.visit(next[0], (String) next[1], next[2] != null);
        }
        if (!w.problems.isEmpty()) {
            throw new IllegalStateException("snapshot: " + w.problems.size() + " field(s) of the machine have no"
                    + " snapshot rule:\n  " + String.join("\n  ", w.problems) + "\nWhat to do: make the field one of the"
                    + " machine's own classes, a primitive, an array or a java.util collection; or add it to"
                    + " StateRules.RULES (dev.vmx4j.core.snapshot) as CACHE, WIRING, EXTERNAL or SCRATCH with its"
                    + " reason; or add its type to StateRules.IMMUTABLE if it is an immutable value.");
        }
        return new MachineState(w.objects.toArray(new MachineState.FieldsImage[0]),
                w.arrays.toArray(new MachineState.ArrayImage[0]),
                w.collections.toArray(new MachineState.CollectionImage[0]), w.memory, w.ram, w.classes);
    }

    private void push(Object o, String path) {
        push(o, path, false);
    }

    private boolean fresh(Object o) {
        return o != null && !seen.containsKey(o) && !StateRules.isLeaf(o.getClass());
    }

    /** {@code fixed}: an object array whose elements are wiring (walked, not recorded). */
    private void push(Object o, String path, boolean fixed) {
        if (o == null || StateRules.isLeaf(o.getClass()) || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        work.push(new Object[] {o, path, fixed ? Boolean.TRUE : null});
    }

    private void visit(Object o, String path, boolean fixed) {
        Class<?> c = o.getClass();
        classes.add(c);
        if (c.isArray()) {
            visitArray(o, c, path, fixed);
        } else if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            requireKnownCollection(c, path);
            Object[] keys = m.keySet().toArray();
            Object[] values = new Object[keys.length];
            int i = 0;
            for (Object v : m.values()) {
                values[i++] = v;
            }
            collections.add(new MachineState.CollectionImage(o, keys, values));
            for (int k = 0; k < keys.length; k++) {
                push(keys[k], path + "{key}");
                push(values[k], path + "{" + keys[k] + "}");
            }
        } else if (o instanceof Collection) {
            requireKnownCollection(c, path);
            Object[] values = ((Collection<?>) o).toArray();
            collections.add(new MachineState.CollectionImage(o, null, values));
            for (Object v : values) {
                push(v, path + "[]");
            }
        } else if (o instanceof GuestMemory) {
            if (memory != null) {
                throw new IllegalStateException("snapshot: two GuestMemory objects reachable from the machine, at " + path);
            }
            memory = (GuestMemory) o;
            ram = memory.image();
            visitFields(o, c, path);
        } else if (c.getName().startsWith(StateRules.PROJECT_PACKAGE)) {
            visitFields(o, c, path);
        } else {
            problems.add(path + " of type " + c.getName());
        }
    }

    private void requireKnownCollection(Class<?> c, String path) {
        if (!StateRules.COLLECTIONS.contains(c)) {
            problems.add(path + " of type " + c.getName() + " (a collection: use one of " + StateRules.COLLECTIONS
                    + ", or add it to StateRules.COLLECTIONS if clear then add/put restore it)");
        }
    }

    private void visitArray(Object a, Class<?> c, String path, boolean fixed) {
        if (c.getComponentType().isPrimitive()) {
            arrays.add(new MachineState.ArrayImage(a, copyOf(a)));
            return;
        }
        Object[] elements = ((Object[]) a).clone();
        if (!fixed) {
            arrays.add(new MachineState.ArrayImage(a, elements));
        }
        for (int i = 0; i < elements.length; i++) {
            if (fresh(elements[i])) { // PERF: the I/O bus's 65,536 slots: build a path only for a new object
                push(elements[i], path + "[" + i + "]");
            }
        }
    }

    private static Object copyOf(Object a) {
        if (a instanceof long[]) {
            return ((long[]) a).clone();
        } else if (a instanceof int[]) {
            return ((int[]) a).clone();
        } else if (a instanceof byte[]) {
            return ((byte[]) a).clone();
        } else if (a instanceof boolean[]) {
            return ((boolean[]) a).clone();
        } else if (a instanceof short[]) {
            return ((short[]) a).clone();
        } else if (a instanceof char[]) {
            return ((char[]) a).clone();
        } else if (a instanceof float[]) {
            return ((float[]) a).clone();
        }
        return ((double[]) a).clone();
    }

    private void visitFields(Object o, Class<?> c, String path) {
        Field[] all = fieldsOf(c);
        List<Field> saved = new ArrayList<>();
        for (Field f : all) {
            Exclusion ex = StateRules.exclusion(f);
            Object value = f.getType().isPrimitive() ? null : get(f, o);
            if (ex != null) {
                if (ex == Exclusion.WIRING) {
                    push(value, path + "." + f.getName(), true);
                }
                continue;
            }
            if (!StateRules.knownType(f.getType())) {
                problems.add(path + "." + f.getName() + " declared as " + f.getType().getName());
            }
            if (Modifier.isFinal(f.getModifiers())) {
                push(value, path + "." + f.getName());
                continue;
            }
            saved.add(f);
            push(value, path + "." + f.getName());
        }
        if (saved.isEmpty()) {
            return;
        }
        Field[] fields = saved.toArray(new Field[0]);
        char[] kinds = new char[fields.length];
        long[] primitives = new long[fields.length];
        Object[] references = new Object[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                Field f = fields[i];
                Class<?> t = f.getType();
                if (t == long.class) {
                    kinds[i] = 'J';
                    primitives[i] = f.getLong(o);
                } else if (t == int.class) {
                    kinds[i] = 'I';
                    primitives[i] = f.getInt(o);
                } else if (t == boolean.class) {
                    kinds[i] = 'Z';
                    primitives[i] = f.getBoolean(o) ? 1 : 0;
                } else if (t == byte.class) {
                    kinds[i] = 'B';
                    primitives[i] = f.getByte(o);
                } else if (t == short.class) {
                    kinds[i] = 'S';
                    primitives[i] = f.getShort(o);
                } else if (t == char.class) {
                    kinds[i] = 'C';
                    primitives[i] = f.getChar(o);
                } else if (t == float.class) {
                    kinds[i] = 'F';
                    primitives[i] = Float.floatToRawIntBits(f.getFloat(o));
                } else if (t == double.class) {
                    kinds[i] = 'D';
                    primitives[i] = Double.doubleToRawLongBits(f.getDouble(o));
                } else {
                    kinds[i] = 'L';
                    references[i] = f.get(o);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("snapshot: cannot read " + path, e);
        }
        objects.add(new MachineState.FieldsImage(o, fields, kinds, primitives, references));
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("snapshot: cannot read " + f, e);
        }
    }

    /** The instance fields of {@code c} and its superclasses, made accessible. */
    static Field[] fieldsOf(Class<?> c) {
        return FIELDS.computeIfAbsent(c, k -> {
            List<Field> out = new ArrayList<>();
            for (Class<?> t = k; t != null && t != Object.class; t = t.getSuperclass()) {
                for (Field f : t.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    if (!f.trySetAccessible()) {
                        throw new IllegalStateException("snapshot: cannot access " + f + ": its module must open "
                                + t.getPackageName() + " to dev.vmx4j.core");
                    }
                    out.add(f);
                }
            }
            return out.toArray(new Field[0]);
        });
    }
}
