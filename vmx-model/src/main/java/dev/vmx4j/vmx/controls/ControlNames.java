package dev.vmx4j.vmx.controls;

import java.util.ArrayList;
import java.util.List;

/** Decodes a control value into bit names, shared by the control enums. */
final class ControlNames {

    private ControlNames() {
    }

    /**
     * The names of the set bits of {@code value}, lowest bit first; a bit no constant of
     * {@code controls} names appears as {@code "bit N"}.
     */
    static List<String> names(long value, VmxControl[] controls, int width) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < width; bit++) {
            if ((value >>> bit & 1) == 0) {
                continue;
            }
            String name = "bit " + bit;
            for (VmxControl c : controls) {
                if (c.bit() == bit) {
                    name = c.name();
                    break;
                }
            }
            out.add(name);
        }
        return out;
    }
}
