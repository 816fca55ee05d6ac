package dev.vmx4j.core.decoder;

/**
 * SDM "Three-byte Opcode Map: 08H - FFH (First Two Bytes are 0F 38H)" (Appendix A, Table A-4),
 * the rows the integer and VMX instruction set needs. Row syntax: see {@link OneByteOpcodeMap}.
 */
final class Opcode0F38Map {
    private Opcode0F38Map() {
    }

    static final String[] ROWS = {
        // SDM "INVEPT", "INVVPID", "INVPCID": register operand is 64-bit in 64-bit mode whatever REX.W says.
        "p66:80m INVEPT Gy,Mdq f64", "p66:81m INVVPID Gy,Mdq f64", "p66:82m INVPCID Gy,Mdq f64",
        // SDM "MOVBE": NP or 66 (operand size); F2 selects CRC32.
        "F0m MOVBE Gv,Mv", "F1m MOVBE Mv,Gv", "pF3:F0m INVALID -", "pF3:F1m INVALID -",
        "pF2:F0m CRC32 Gy,Eb", "pF2:F0r CRC32 Gy,Eb", "pF2:F1m CRC32 Gy,Ev", "pF2:F1r CRC32 Gy,Ev",
        // SDM "ADCX", "ADOX"
        "p66:F6 ADCX Gy,Ey", "pF3:F6 ADOX Gy,Ey",
        // SDM "LOADIWKEY": register form only (mod = 11B), implicit XMM0 and EAX.
        "pF3:DCr LOADIWKEY Vdq,Udq",
    };
}
