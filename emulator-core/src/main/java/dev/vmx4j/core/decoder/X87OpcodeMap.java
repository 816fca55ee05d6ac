package dev.vmx4j.core.decoder;

/**
 * SDM "Escape Opcode Instructions" (Appendix A, Tables ): D8-DF. They decode as
 * {@link Mnemonic#X87} with the ModRM byte (and any displacement) giving the length; the
 * formatter names the operation from ModRM. Row syntax: see {@link OneByteOpcodeMap}.
 */
final class X87OpcodeMap {
    private X87OpcodeMap() {
    }

    static final String[] ROWS = {
        "D8 X87 - modrm", "D9 X87 - modrm", "DA X87 - modrm", "DB X87 - modrm",
        "DC X87 - modrm", "DD X87 - modrm", "DE X87 - modrm", "DF X87 - modrm",
    };
}
