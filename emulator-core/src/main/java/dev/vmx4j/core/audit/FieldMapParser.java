package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a VMCS given as a JSON or YAML map (SnakeYAML reads both): keys are SDM field names in
 * UPPER_SNAKE ({@code GUEST_CR0}, any case) or encodings ({@code 0x6800}), values numbers or
 * strings holding decimal or 0x-hex numbers. A value wider than its field is an error.
 */
final class FieldMapParser {

    private FieldMapParser() {
    }

    /** True if {@code text} is a YAML/JSON map (other formats are tried first). */
    static boolean recognises(String text) {
        try {
            return load(text) instanceof Map;
        } catch (YAMLException e) {
            return false;
        }
    }

    private static Object load(String text) {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(o)).load(text);
    }

    static VmcsDump parse(String text) {
        Object root;
        try {
            root = load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid JSON or YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("a JSON or YAML VMCS must be a map of field names to values");
        }
        VmcsDump d = new VmcsDump("JSON/YAML map");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            Object k = e.getKey();
            VmcsField f;
            String key = String.valueOf(k);
            if (k instanceof Integer || k instanceof Long) {
                // YAML reads an unquoted 0x6800 as the number 26624.
                f = FieldNames.byEncoding(((Number) k).longValue(), String.format("0x%x", ((Number) k).longValue()));
            } else {
                f = FieldNames.field(key);
            }
            long v = FieldNames.value(e.getValue(), key);
            if ((v & ~f.mask()) != 0) {
                throw new IllegalArgumentException(String.format("value 0x%x of %s is wider than the field (%s)", v,
                        f.name(), f.width()));
            }
            d.put(f, v);
        }
        return d;
    }
}
