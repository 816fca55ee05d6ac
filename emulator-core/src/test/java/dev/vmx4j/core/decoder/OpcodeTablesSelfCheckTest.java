package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The opcode tables are data; these tests prove every row is either invalid or complete. */
class OpcodeTablesSelfCheckTest {

    @Test
    void everyRowParses_andNoTwoRowsClaimTheSameSlot() {
        assertThat(OpcodeTables.problems()).isEmpty();
    }

    @Test
    void everyDescriptor_isInvalidMarkerOrHasMnemonicAndWellFormedOperands() {
        List<String> bad = new ArrayList<>();
        for (int d = 1; d < OpcodeTables.descriptorCount(); d++) {
            int flags = OpcodeTables.FLAGS[d];
            String row = OpcodeTables.rowText(d);
            if ((flags & OpcodeTables.F_MARKER) != 0) {
                if (OpcodeTables.OPERAND_COUNT[d] != 0) {
                    bad.add(row + ": marker with operands");
                }
                continue;
            }
            for (int k = 0; k < 3; k++) {
                if (OpcodeTables.MNEMONIC[d * 3 + k] == Mnemonic.INVALID.ordinal()) {
                    bad.add(row + ": no mnemonic for operand size index " + k);
                }
            }
            int count = OpcodeTables.OPERAND_COUNT[d];
            if (count < 0 || count > 4) {
                bad.add(row + ": operand count " + count);
            }
            for (int i = 0; i < count; i++) {
                int spec = OpcodeTables.OPERANDS[d * 4 + i];
                int method = OperandSpec.method(spec);
                if (method < OperandSpec.A || method > OperandSpec.ONE) {
                    bad.add(row + ": operand " + i + " has no addressing method");
                }
                int type = OperandSpec.type(spec);
                boolean sizeless = method == OperandSpec.M || method == OperandSpec.ONE;
                if (!sizeless && OperandSpec.size(type, 4, 64) == 0) {
                    bad.add(row + ": operand " + i + " has no operand type");
                }
            }
            boolean needsModrm = false;
            for (int i = 0; i < count; i++) {
                needsModrm |= OperandSpec.usesModrm(OpcodeTables.OPERANDS[d * 4 + i]);
            }
            if (needsModrm && (flags & OpcodeTables.F_MODRM) == 0) {
                bad.add(row + ": ModRM operand without the ModRM flag");
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void oneByteMap_coversAll256Opcodes_withRowsPrefixesOrEscapes() {
        List<String> missing = new ArrayList<>();
        for (int op = 0; op < 256; op++) {
            if (!anySlotFilled(OpcodeTables.MAP_ONE_BYTE, op)) {
                missing.add(Integer.toHexString(op));
            }
        }
        assertThat(missing).as("one-byte opcodes without any row").isEmpty();
    }

    @Test
    void twoByteMap_hasTheIntegerRowsTheExecutorNeeds() {
        int[] required = {0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x0B, 0x1F, 0x20, 0x22, 0x30, 0x31, 0x32,
            0x40, 0x4F, 0x80, 0x8F, 0x90, 0x9F, 0xA2, 0xA3, 0xAB, 0xAF, 0xB0, 0xB1, 0xB6, 0xBA, 0xBC, 0xC7, 0xC8};
        for (int op : required) {
            assertThat(anySlotFilled(OpcodeTables.MAP_0F, op)).as("0F %02X", op).isTrue();
        }
    }

    private static boolean anySlotFilled(int map, int op) {
        int strides = OpcodeTables.STRIDES[map][op];
        int span = 1;
        for (int shift = 0; shift < 32; shift += 8) {
            int s = (strides >>> shift) & 0xFF;
            if (s != 0) {
                span = Math.max(span, s * (shift == 0 ? 4 : shift == 8 ? 8 : shift == 16 ? 2 : 8));
            }
        }
        int base = OpcodeTables.BASE[map][op];
        for (int i = 0; i < span; i++) {
            if (OpcodeTables.SLOTS[base + i] != 0) {
                return true;
            }
        }
        return false;
    }
}
