package dev.vmx4j.core.decoder;

/**
 * The VEX-encoded general-purpose instructions (BMI1, BMI2): SDM "Three-byte Opcode Map"
 * entries marked "v" in the 0F 38 and 0F 3A maps. The key's prefix is VEX.pp; every row is
 * VEX.LZ (VEX.L = 1 is #UD); operand type {@code y} is 64-bit with VEX.W = 1 in 64-bit mode.
 * {@code B} is the register in VEX.vvvv. Row syntax: see {@link OneByteOpcodeMap}.
 */
final class VexOpcodeMap {
    private VexOpcodeMap() {
    }

    static final String[] MAP_0F38 = {
        "pNP:F2 ANDN Gy,By,Ey",
        "pNP:F3/1 BLSR By,Ey", "pNP:F3/2 BLSMSK By,Ey", "pNP:F3/3 BLSI By,Ey",
        "pNP:F5 BZHI Gy,Ey,By", "pF3:F5 PEXT Gy,By,Ey", "pF2:F5 PDEP Gy,By,Ey",
        "pF2:F6 MULX Gy,By,Ey",
        "pNP:F7 BEXTR Gy,Ey,By", "p66:F7 SHLX Gy,Ey,By", "pF3:F7 SARX Gy,Ey,By", "pF2:F7 SHRX Gy,Ey,By",
    };

    static final String[] MAP_0F3A = {
        "pF2:F0 RORX Gy,Ey,Ib uimm",
    };
}
