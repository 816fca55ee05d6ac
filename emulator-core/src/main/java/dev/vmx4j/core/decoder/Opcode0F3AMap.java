package dev.vmx4j.core.decoder;

/**
 * SDM "Three-byte Opcode Map: 00H - FFH (First Two Bytes are 0F 3AH)" (Appendix A, Table A-5).
 * No legacy-encoded 0F 3A instruction of the integer, system or VMX set is decoded yet (the
 * SSE4 forms are #UD here); the map exists so the escape is table-driven like the others. Row
 * syntax: see {@link OneByteOpcodeMap}.
 */
final class Opcode0F3AMap {
    private Opcode0F3AMap() {
    }

    static final String[] ROWS = {
    };
}
