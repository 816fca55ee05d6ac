package dev.vmx4j.vmx.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every VM-entry check id, in hardware order (basic, controls, host, guest, MSR loading). */
public final class EntryChecks {

    private static final List<EntryCheck> ALL;
    private static final Map<String, EntryCheck> BY_NAME;

    static {
        List<EntryCheck> all = new ArrayList<>();
        Collections.addAll(all, BasicCheck.values());
        Collections.addAll(all, ExecutionControlCheck.values());
        Collections.addAll(all, ExitControlCheck.values());
        Collections.addAll(all, EntryControlCheck.values());
        Collections.addAll(all, HostRegisterCheck.values());
        Collections.addAll(all, HostSegmentCheck.values());
        Collections.addAll(all, AddressSpaceSizeCheck.values());
        Collections.addAll(all, GuestRegisterCheck.values());
        Collections.addAll(all, GuestSegmentCheck.values());
        Collections.addAll(all, GuestDescriptorTableCheck.values());
        Collections.addAll(all, GuestRipRflagsCheck.values());
        Collections.addAll(all, GuestNonRegisterCheck.values());
        Collections.addAll(all, GuestPdpteCheck.values());
        Collections.addAll(all, MsrLoadCheck.values());
        ALL = List.copyOf(all);
        Map<String, EntryCheck> byName = new LinkedHashMap<>();
        for (EntryCheck c : ALL) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalStateException("duplicate entry-check id " + c.name());
            }
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private EntryChecks() {
    }

    /** Every id, in hardware order. */
    public static List<EntryCheck> all() {
        return ALL;
    }

    /** The id named {@code name}; IllegalArgumentException if there is none. */
    public static EntryCheck byName(String name) {
        EntryCheck c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no VM-entry check named '" + name + "' (" + ALL.size() + " ids, see EntryChecks.all())");
        }
        return c;
    }
}
