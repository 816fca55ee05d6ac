package dev.vmx4j.core.gdb;

/**
 * The registers of the stub's target description, in gdb's register-number order (the order of
 * the {@code g} packet). The first 57 follow gdb's {@code org.gnu.gdb.i386.core} and
 * {@code org.gnu.gdb.i386.sse} features for i386:x86-64, {@code fs_base}/{@code gs_base} its
 * {@code org.gnu.gdb.i386.segments} feature; the control, system and debug registers form the
 * stub's own feature {@value #SYSTEM_FEATURE}. The layout is the same in every CPU mode.
 */
enum GdbRegister {
    RAX(0, 64, "int64", Feature.CORE), RBX(3, 64, "int64", Feature.CORE), RCX(1, 64, "int64", Feature.CORE),
    RDX(2, 64, "int64", Feature.CORE), RSI(6, 64, "int64", Feature.CORE), RDI(7, 64, "int64", Feature.CORE),
    RBP(5, 64, "data_ptr", Feature.CORE), RSP(4, 64, "data_ptr", Feature.CORE),
    R8(8, 64, "int64", Feature.CORE), R9(9, 64, "int64", Feature.CORE), R10(10, 64, "int64", Feature.CORE),
    R11(11, 64, "int64", Feature.CORE), R12(12, 64, "int64", Feature.CORE), R13(13, 64, "int64", Feature.CORE),
    R14(14, 64, "int64", Feature.CORE), R15(15, 64, "int64", Feature.CORE),
    RIP(-1, 64, "code_ptr", Feature.CORE),
    EFLAGS(-1, 32, "i386_eflags", Feature.CORE),
    CS(1, 32, "int32", Feature.CORE), SS(2, 32, "int32", Feature.CORE), DS(3, 32, "int32", Feature.CORE),
    ES(0, 32, "int32", Feature.CORE), FS(4, 32, "int32", Feature.CORE), GS(5, 32, "int32", Feature.CORE),
    ST0(0, 80, "i387_ext", Feature.CORE), ST1(1, 80, "i387_ext", Feature.CORE), ST2(2, 80, "i387_ext", Feature.CORE),
    ST3(3, 80, "i387_ext", Feature.CORE), ST4(4, 80, "i387_ext", Feature.CORE), ST5(5, 80, "i387_ext", Feature.CORE),
    ST6(6, 80, "i387_ext", Feature.CORE), ST7(7, 80, "i387_ext", Feature.CORE),
    FCTRL(-1, 32, "int", Feature.CORE), FSTAT(-1, 32, "int", Feature.CORE), FTAG(-1, 32, "int", Feature.CORE),
    FISEG(-1, 32, "int", Feature.CORE), FIOFF(-1, 32, "int", Feature.CORE), FOSEG(-1, 32, "int", Feature.CORE),
    FOOFF(-1, 32, "int", Feature.CORE), FOP(-1, 32, "int", Feature.CORE),
    XMM0(0, 128, "vec128", Feature.SSE), XMM1(1, 128, "vec128", Feature.SSE), XMM2(2, 128, "vec128", Feature.SSE),
    XMM3(3, 128, "vec128", Feature.SSE), XMM4(4, 128, "vec128", Feature.SSE), XMM5(5, 128, "vec128", Feature.SSE),
    XMM6(6, 128, "vec128", Feature.SSE), XMM7(7, 128, "vec128", Feature.SSE), XMM8(8, 128, "vec128", Feature.SSE),
    XMM9(9, 128, "vec128", Feature.SSE), XMM10(10, 128, "vec128", Feature.SSE),
    XMM11(11, 128, "vec128", Feature.SSE), XMM12(12, 128, "vec128", Feature.SSE),
    XMM13(13, 128, "vec128", Feature.SSE), XMM14(14, 128, "vec128", Feature.SSE),
    XMM15(15, 128, "vec128", Feature.SSE),
    MXCSR(-1, 32, "i386_mxcsr", Feature.SSE),
    FS_BASE(4, 64, "int64", Feature.SEGMENTS), GS_BASE(5, 64, "int64", Feature.SEGMENTS),
    CR0(0, 64, "int64", Feature.SYSTEM), CR2(2, 64, "int64", Feature.SYSTEM), CR3(3, 64, "int64", Feature.SYSTEM),
    CR4(4, 64, "int64", Feature.SYSTEM), CR8(8, 64, "int64", Feature.SYSTEM), EFER(-1, 64, "int64", Feature.SYSTEM),
    K_GS_BASE(-1, 64, "int64", Feature.SYSTEM),
    GDTR_BASE(-1, 64, "data_ptr", Feature.SYSTEM), GDTR_LIMIT(-1, 32, "int32", Feature.SYSTEM),
    IDTR_BASE(-1, 64, "data_ptr", Feature.SYSTEM), IDTR_LIMIT(-1, 32, "int32", Feature.SYSTEM),
    LDTR(6, 32, "int32", Feature.SYSTEM), TR(7, 32, "int32", Feature.SYSTEM),
    DR0(0, 64, "int64", Feature.SYSTEM), DR1(1, 64, "int64", Feature.SYSTEM), DR2(2, 64, "int64", Feature.SYSTEM),
    DR3(3, 64, "int64", Feature.SYSTEM), DR6(6, 64, "int64", Feature.SYSTEM), DR7(7, 64, "int64", Feature.SYSTEM),
    CPL(-1, 32, "int32", Feature.SYSTEM);

    /** The stub's feature name for CR0-CR8, EFER, descriptor-table registers and DR0-DR7. */
    static final String SYSTEM_FEATURE = "org.vmx4j.gdb.i386.system";

    /** The gdb feature a register belongs to. */
    enum Feature {
        CORE("org.gnu.gdb.i386.core"), SSE("org.gnu.gdb.i386.sse"), SEGMENTS("org.gnu.gdb.i386.segments"),
        SYSTEM(SYSTEM_FEATURE);

        final String xmlName;

        Feature(String xmlName) {
            this.xmlName = xmlName;
        }
    }

    private static final GdbRegister[] ALL = values();

    /** The machine-side index (GPR number, segment number, CR/DR number, x87/XMM register), or -1. */
    final int index;
    final int bits;
    final String type;
    final Feature feature;

    GdbRegister(int index, int bits, String type, Feature feature) {
        this.index = index;
        this.bits = bits;
        this.type = type;
        this.feature = feature;
    }

    /** The register's name in the target description (gdb's spelling: lower case). */
    String gdbName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    int bytes() {
        return bits / 8;
    }

    /** The gdb register number (the enum order is the {@code g} packet order). */
    int number() {
        return ordinal();
    }

    static int count() {
        return ALL.length;
    }

    /** The register with gdb number {@code n}, or null if there is none. */
    static GdbRegister byNumber(long n) {
        return n >= 0 && n < ALL.length ? ALL[(int) n] : null;
    }

    static GdbRegister[] all() {
        return ALL.clone();
    }
}
