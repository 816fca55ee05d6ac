package dev.vmx4j.core.snapshot;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.core.memory.MemoryImage;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;

/**
 * The recorded state of one machine: for every mutable object reachable from the machine, the
 * values of its state fields (primitive values and object identities), the contents of its
 * arrays and collections, and the RAM image. Immutable once built: {@link #restore()} copies out
 * of it and never hands out its arrays, so it can be restored any number of times.
 */
public final class MachineState {

    /** One object's state fields: typed primitive values and references. */
    static final class FieldsImage {
        final Object target;
        final Field[] fields;
        final char[] kinds;
        final long[] primitives;
        final Object[] references;

        FieldsImage(Object target, Field[] fields, char[] kinds, long[] primitives, Object[] references) {
            this.target = target;
            this.fields = fields;
            this.kinds = kinds;
            this.primitives = primitives;
            this.references = references;
        }

        void restore() throws IllegalAccessException {
            for (int i = 0; i < fields.length; i++) {
                Field f = fields[i];
                long v = primitives[i];
                switch (kinds[i]) {
                    case 'J':
                        f.setLong(target, v);
                        break;
                    case 'I':
                        f.setInt(target, (int) v);
                        break;
                    case 'Z':
                        f.setBoolean(target, v != 0);
                        break;
                    case 'B':
                        f.setByte(target, (byte) v);
                        break;
                    case 'S':
                        f.setShort(target, (short) v);
                        break;
                    case 'C':
                        f.setChar(target, (char) v);
                        break;
                    case 'F':
                        f.setFloat(target, Float.intBitsToFloat((int) v));
                        break;
                    case 'D':
                        f.setDouble(target, Double.longBitsToDouble(v));
                        break;
                    default:
                        f.set(target, references[i]);
                        break;
                }
            }
        }
    }

    /** An array's contents (primitive arrays by value, object arrays by identity of the elements). */
    static final class ArrayImage {
        final Object array;
        final Object copy;

        ArrayImage(Object array, Object copy) {
            this.array = array;
            this.copy = copy;
        }

        void restore() {
            System.arraycopy(copy, 0, array, 0, Array.getLength(copy));
        }
    }

    /** A collection's or map's elements, in iteration order. */
    static final class CollectionImage {
        final Object collection;
        final Object[] keys;
        final Object[] values;

        CollectionImage(Object collection, Object[] keys, Object[] values) {
            this.collection = collection;
            this.keys = keys;
            this.values = values;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        void restore() {
            if (collection instanceof Map) {
                Map m = (Map) collection;
                m.clear();
                for (int i = 0; i < keys.length; i++) {
                    m.put(keys[i], values[i]);
                }
            } else {
                Collection c = (Collection) collection;
                c.clear();
                c.addAll(java.util.Arrays.asList(values));
            }
        }
    }

    private final FieldsImage[] objects;
    private final ArrayImage[] arrays;
    private final CollectionImage[] collections;
    private final GuestMemory memory;
    private final MemoryImage ram;
    private final java.util.Set<Class<?>> classes;

    MachineState(FieldsImage[] objects, ArrayImage[] arrays, CollectionImage[] collections, GuestMemory memory,
            MemoryImage ram, java.util.Set<Class<?>> classes) {
        this.classes = java.util.Set.copyOf(classes);
        this.objects = objects;
        this.arrays = arrays;
        this.collections = collections;
        this.memory = memory;
        this.ram = ram;
    }

    /** Puts every recorded value back (the caller flushes the caches afterwards). */
    public void restore() {
        try {
            for (FieldsImage o : objects) {
                o.restore();
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("snapshot field became inaccessible", e);
        }
        for (ArrayImage a : arrays) {
            a.restore();
        }
        for (CollectionImage c : collections) {
            c.restore();
        }
        if (memory != null) {
            memory.restore(ram);
        }
    }

    FieldsImage[] objects() {
        return objects;
    }

    ArrayImage[] arrays() {
        return arrays;
    }

    CollectionImage[] collections() {
        return collections;
    }

    /** The RAM image (null if the machine had no memory to record). */
    public MemoryImage ram() {
        return ram;
    }

    /** Number of objects whose fields are recorded (for tests and messages). */
    public int objectCount() {
        return objects.length;
    }

    /** Number of state fields recorded over all objects. */
    public int fieldCount() {
        int n = 0;
        for (FieldsImage o : objects) {
            n += o.fields.length;
        }
        return n;
    }

    /** One line per recorded object (class and fields), array and collection: what the snapshot holds. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (FieldsImage o : objects) {
            sb.append(o.target.getClass().getName()).append(':');
            for (Field f : o.fields) {
                sb.append(' ').append(f.getName());
            }
            sb.append('\n');
        }
        for (ArrayImage a : arrays) {
            sb.append(a.array.getClass().getSimpleName()).append('[').append(Array.getLength(a.copy)).append("]\n");
        }
        for (CollectionImage c : collections) {
            sb.append(c.collection.getClass().getSimpleName()).append(" of ").append(c.values.length).append('\n');
        }
        return sb.toString();
    }

    /** The classes of every object the walk reached (for the coverage test). */
    public java.util.Set<Class<?>> classes() {
        return classes;
    }

    /** True if {@code o} is one of the objects whose fields are recorded. */
    public boolean records(Object o) {
        for (FieldsImage f : objects) {
            if (f.target == o) {
                return true;
            }
        }
        return false;
    }
}
