package dev.vmx4j.vmx.vmcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmcsFieldTest {

    /** Encoding → "title|SDM name" from the committed SDM transcription. */
    private static Map<Integer, String[]> table() throws IOException {
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        try (InputStream in = VmcsFieldTest.class.getResourceAsStream("vmcs-fields.txt")) {
            assertThat(in).as("vmcs-fields.txt").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String title = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("## ")) {
                    title = line.substring(3);
                } else if (line.startsWith("0x")) {
                    int sp = line.indexOf(' ');
                    int enc = Integer.parseInt(line.substring(2, sp), 16);
                    assertThat(rows.put(enc, new String[] {title, line.substring(sp + 1)}))
                            .as("duplicate table row %s", line).isNull();
                }
            }
        }
        return rows;
    }

    private static VmcsFieldWidth widthOf(String title) {
        if (title.startsWith("16-Bit")) {
            return VmcsFieldWidth.BITS_16;
        } else if (title.startsWith("64-Bit")) {
            return VmcsFieldWidth.BITS_64;
        } else if (title.startsWith("32-Bit")) {
            return VmcsFieldWidth.BITS_32;
        }
        assertThat(title).startsWith("Natural-Width");
        return VmcsFieldWidth.NATURAL;
    }

    private static VmcsFieldType typeOf(String title) {
        if (title.contains("Control")) {
            return VmcsFieldType.CONTROL;
        } else if (title.contains("Read-Only")) {
            return VmcsFieldType.VM_EXIT_INFORMATION;
        } else if (title.contains("Guest-State")) {
            return VmcsFieldType.GUEST_STATE;
        }
        assertThat(title).contains("Host-State");
        return VmcsFieldType.HOST_STATE;
    }

    @Test
    void everyFieldOfTheSdmTable_existsWithItsNameWidthAndType() throws IOException {
        Map<Integer, String[]> rows = table();
        for (Map.Entry<Integer, String[]> e : rows.entrySet()) {
            VmcsField f = VmcsField.byEncoding(e.getKey());
            assertThat(f).as("field 0x%04x %s", e.getKey(), e.getValue()[1]).isNotNull();
            assertThat(f.encoding()).isEqualTo(e.getKey());
            assertThat(f.sdmName()).as(f.name()).isEqualTo(e.getValue()[1]);
            assertThat(f.width()).as(f.name()).isEqualTo(widthOf(e.getValue()[0]));
            assertThat(f.type()).as(f.name()).isEqualTo(typeOf(e.getValue()[0]));
        }
        Set<Integer> enumEncodings = new HashSet<>();
        for (VmcsField f : VmcsField.values()) {
            enumEncodings.add(f.encoding());
        }
        assertThat(enumEncodings).containsExactlyInAnyOrderElementsOf(rows.keySet());
        assertThat(VmcsField.values()).hasSize(rows.size());
    }

    @Test
    void widthTypeAndIndex_decodeFromTheEncoding() {
        for (VmcsField f : VmcsField.values()) {
            int e = f.encoding();
            assertThat(e & 1).as(f + " access type full").isZero();
            assertThat(e & VmcsField.RESERVED_ENCODING_BITS).as(f + " reserved bits").isZero();
            assertThat(f.width().code()).isEqualTo(e >> 13 & 3);
            assertThat(f.type().code()).isEqualTo(e >> 10 & 3);
            assertThat(f.index()).isEqualTo(e >> 1 & 0x1FF);
            assertThat(f.isReadOnly()).isEqualTo(f.type() == VmcsFieldType.VM_EXIT_INFORMATION);
            assertThat(VmcsField.byDenseId(f.denseId())).isSameAs(f);
        }
    }

    @Test
    void highAccessEncoding_mapsToThe64BitFieldOnly() {
        for (VmcsField f : VmcsField.values()) {
            int high = f.encoding() | 1;
            if (f.width() == VmcsFieldWidth.BITS_64) {
                assertThat(VmcsField.byEncoding(high)).as(f.name()).isSameAs(f);
                assertThat(VmcsField.isHighAccess(high)).isTrue();
            } else {
                assertThat(VmcsField.byEncoding(high)).as(f.name()).isNull();
                assertThat(VmcsField.isHighAccess(high)).isFalse();
            }
            assertThat(VmcsField.isHighAccess(f.encoding())).isFalse();
        }
        assertThat(VmcsField.byEncoding(0x2001)).isSameAs(VmcsField.ADDRESS_OF_IO_BITMAP_A);
        assertThat(VmcsField.byEncoding(0x2803)).isSameAs(VmcsField.GUEST_IA32_DEBUGCTL);
    }

    @Test
    void undefinedEncodings_nameNoField() {
        assertThat(VmcsField.byEncoding(0x482C)).isNull(); // gap in the 32-bit guest-state table
        assertThat(VmcsField.byEncoding(0x0816)).isNull();
        assertThat(VmcsField.byEncoding(0x6C1E)).isNull();
        assertThat(VmcsField.byEncoding(0x1_0800)).isNull(); // bit 16 set
        assertThat(VmcsField.byEncoding(0x1000 | 0x0800)).isNull(); // bit 12 set
        assertThat(VmcsField.byEncoding(-1)).isNull();
        assertThat(VmcsField.byEncoding(0x8000_4000)).isNull();
    }

    @Test
    void encodingsNamedInTheIssue() {
        assertThat(VmcsField.VIRTUAL_PROCESSOR_IDENTIFIER.encoding()).isEqualTo(0x0000);
        assertThat(VmcsField.GUEST_INTERRUPT_STATUS.encoding()).isEqualTo(0x0810);
        assertThat(VmcsField.PML_INDEX.encoding()).isEqualTo(0x0812);
        assertThat(VmcsField.EXECUTIVE_VMCS_POINTER.encoding()).isEqualTo(0x200C);
        assertThat(VmcsField.EPT_POINTER.encoding()).isEqualTo(0x201A);
        assertThat(VmcsField.EPTP_LIST_ADDRESS.encoding()).isEqualTo(0x2024);
        assertThat(VmcsField.XSS_EXITING_BITMAP.encoding()).isEqualTo(0x202C);
        assertThat(VmcsField.TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS.encoding()).isEqualTo(0x2034);
        assertThat(VmcsField.HOST_IA32_PAT.encoding()).isEqualTo(0x2C00);
        assertThat(VmcsField.PRIMARY_VM_EXIT_CONTROLS.encoding()).isEqualTo(0x400C);
        assertThat(VmcsField.VM_ENTRY_INTERRUPTION_INFORMATION_FIELD.encoding()).isEqualTo(0x4016);
        assertThat(VmcsField.SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS.encoding()).isEqualTo(0x401E);
        assertThat(VmcsField.GUEST_ES_ACCESS_RIGHTS.encoding()).isEqualTo(0x4814);
        assertThat(VmcsField.GUEST_ACTIVITY_STATE.encoding()).isEqualTo(0x4826);
        assertThat(VmcsField.VMX_PREEMPTION_TIMER_VALUE.encoding()).isEqualTo(0x482E);
        assertThat(VmcsField.GUEST_LINEAR_ADDRESS.encoding()).isEqualTo(0x640A);
        assertThat(VmcsField.GUEST_DR7.encoding()).isEqualTo(0x681A);
        assertThat(VmcsField.GUEST_PENDING_DEBUG_EXCEPTIONS.encoding()).isEqualTo(0x6822);
        assertThat(VmcsField.HOST_RIP.encoding()).isEqualTo(0x6C16);
        assertThat(VmcsField.EXIT_REASON.isReadOnly()).isTrue();
        assertThat(VmcsField.GUEST_RIP.isReadOnly()).isFalse();
        assertThat(VmcsField.GUEST_CS_SELECTOR.mask()).isEqualTo(0xFFFFL);
        assertThat(VmcsField.GUEST_CS_LIMIT.mask()).isEqualTo(0xFFFF_FFFFL);
        assertThat(VmcsField.GUEST_CR0.mask()).isEqualTo(-1L);
    }
}
