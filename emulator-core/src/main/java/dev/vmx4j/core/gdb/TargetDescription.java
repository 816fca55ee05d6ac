package dev.vmx4j.core.gdb;

/**
 * The {@code target.xml} the stub serves through {@code qXfer:features:read}: architecture
 * i386:x86-64, the features of {@link GdbRegister} in one document, the types they use.
 */
final class TargetDescription {

    private static final String XML = build();

    private TargetDescription() {
    }

    static String xml() {
        return XML;
    }

    private static String build() {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        sb.append("<architecture>i386:x86-64</architecture>\n");
        GdbRegister.Feature open = null;
        for (GdbRegister r : GdbRegister.all()) {
            if (r.feature != open) {
                if (open != null) {
                    sb.append("</feature>\n");
                }
                open = r.feature;
                sb.append("<feature name=\"").append(open.xmlName).append("\">\n");
                types(sb, open);
            }
            sb.append("<reg name=\"").append(r.gdbName()).append("\" bitsize=\"").append(r.bits)
                    .append("\" type=\"").append(r.type).append("\" regnum=\"").append(r.number()).append('"');
            if (r.feature == GdbRegister.Feature.CORE && r.ordinal() >= GdbRegister.ST0.ordinal()) {
                sb.append(" group=\"float\"");
            } else if (r.feature == GdbRegister.Feature.SSE) {
                sb.append(" group=\"vector\"");
            } else if (r.feature == GdbRegister.Feature.SYSTEM) {
                sb.append(" group=\"system\"");
            }
            sb.append("/>\n");
        }
        sb.append("</feature>\n</target>\n");
        return sb.toString();
    }

    private static void types(StringBuilder sb, GdbRegister.Feature f) {
        switch (f) {
            case CORE:
                // SDM "EFLAGS Register": the named flag bits.
                sb.append("<flags id=\"i386_eflags\" size=\"4\">\n");
                flag(sb, "CF", 0);
                flag(sb, "", 1);
                flag(sb, "PF", 2);
                flag(sb, "AF", 4);
                flag(sb, "ZF", 6);
                flag(sb, "SF", 7);
                flag(sb, "TF", 8);
                flag(sb, "IF", 9);
                flag(sb, "DF", 10);
                flag(sb, "OF", 11);
                flag(sb, "NT", 14);
                flag(sb, "RF", 16);
                flag(sb, "VM", 17);
                flag(sb, "AC", 18);
                flag(sb, "VIF", 19);
                flag(sb, "VIP", 20);
                flag(sb, "ID", 21);
                sb.append("</flags>\n");
                break;
            case SSE:
                sb.append("<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n")
                        .append("<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n")
                        .append("<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n")
                        .append("<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n")
                        .append("<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n")
                        .append("<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n")
                        .append("<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>")
                        .append("<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>")
                        .append("<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>")
                        .append("<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/>")
                        .append("</union>\n");
                // SDM "MXCSR Control and Status Register": the named bits.
                sb.append("<flags id=\"i386_mxcsr\" size=\"4\">\n");
                String[] names = {"IE", "DE", "ZE", "OE", "UE", "PE", "DAZ", "IM", "DM", "ZM", "OM", "UM", "PM"};
                for (int i = 0; i < names.length; i++) {
                    flag(sb, names[i], i);
                }
                flag(sb, "FZ", 15);
                sb.append("</flags>\n");
                break;
            default:
                break;
        }
    }

    private static void flag(StringBuilder sb, String name, int bit) {
        sb.append("<field name=\"").append(name).append("\" start=\"").append(bit).append("\" end=\"").append(bit)
                .append("\"/>\n");
    }
}
