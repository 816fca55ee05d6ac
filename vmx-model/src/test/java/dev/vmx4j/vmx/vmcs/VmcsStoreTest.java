package dev.vmx4j.vmx.vmcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VmcsStoreTest {

    private static final long REGION = 0x3000;

    @Test
    void writes_areMaskedToTheFieldWidth() {
        VmcsStore s = new VmcsStore();
        s.write(VmcsField.GUEST_CS_SELECTOR, 0x1_2345L);
        s.write(VmcsField.GUEST_CS_LIMIT, 0x1_FFFF_FFFFL);
        s.write(VmcsField.GUEST_RIP, 0xFFFF_8000_0000_1234L);
        s.write(VmcsField.GUEST_IA32_EFER, -1L);
        assertThat(s.read(VmcsField.GUEST_CS_SELECTOR)).isEqualTo(0x2345L);
        assertThat(s.read(VmcsField.GUEST_CS_LIMIT)).isEqualTo(0xFFFF_FFFFL);
        assertThat(s.read(VmcsField.GUEST_RIP)).isEqualTo(0xFFFF_8000_0000_1234L);
        assertThat(s.read(VmcsField.GUEST_IA32_EFER)).isEqualTo(-1L);
        assertThat(s.read(VmcsField.GUEST_DS_SELECTOR)).isZero();
    }

    @Test
    void highAccess_readsAndWritesBits63To32() {
        VmcsStore s = new VmcsStore();
        s.vmwrite(VmcsField.TSC_OFFSET, false, 0x1111_2222_3333_4444L);
        s.vmwrite(VmcsField.TSC_OFFSET, true, 0xAAAA_BBBB_CCCC_DDDDL);
        assertThat(s.read(VmcsField.TSC_OFFSET)).isEqualTo(0xCCCC_DDDD_3333_4444L);
        assertThat(s.vmread(VmcsField.TSC_OFFSET, true)).isEqualTo(0xCCCC_DDDDL);
        assertThat(s.vmread(VmcsField.TSC_OFFSET, false)).isEqualTo(0xCCCC_DDDD_3333_4444L);
        s.vmwrite(VmcsField.EXCEPTION_BITMAP, false, 0x1_0000_4000L);
        assertThat(s.vmread(VmcsField.EXCEPTION_BITMAP, false)).isEqualTo(0x4000L);
    }

    @Test
    void vmclearThenVmptrld_roundTripsEveryFieldAndTheLaunchState_seeded() {
        Random rnd = new Random(0x5EEDL);
        ArrayMemory m = new ArrayMemory(0x8000);
        m.write32(REGION, 0x8000_0004); // revision 4 + shadow indicator: software's, untouched
        m.write32(REGION + 4, 0x55);
        VmcsStore a = new VmcsStore();
        for (VmcsField f : VmcsField.values()) {
            a.write(f, rnd.nextLong());
        }
        a.setLaunched(true);
        a.writeTo(m, REGION);

        VmcsStore b = new VmcsStore();
        assertThat(b.readFrom(m, REGION)).isTrue();
        assertThat(b.launched()).isTrue();
        for (VmcsField f : VmcsField.values()) {
            assertThat(b.read(f)).as(f.name()).isEqualTo(a.read(f));
            assertThat(m.read64(REGION + VmcsStore.fieldOffset(f))).as(f.name()).isEqualTo(a.read(f));
        }
        assertThat(VmcsStore.revisionId(m, REGION)).isEqualTo(4);
        assertThat(VmcsStore.shadowVmcsIndicator(m, REGION)).isTrue();
        assertThat(VmcsStore.abortIndicator(m, REGION)).isEqualTo(0x55);
        assertThat(m.read32(REGION + VmcsStore.MARKER_OFFSET)).isEqualTo(0x564D5834);
        assertThat(m.read32(REGION + VmcsStore.LAUNCH_STATE_OFFSET)).isEqualTo(1);
        assertThat(m.read64(REGION + VmcsStore.USED_BYTES)).as("nothing written past the layout").isZero();

        a.setLaunched(false);
        a.writeTo(m, REGION);
        b.readFrom(m, REGION);
        assertThat(b.launched()).isFalse();
        VmcsStore c = new VmcsStore();
        c.copyFrom(b);
        assertThat(c.read(VmcsField.HOST_RIP)).isEqualTo(a.read(VmcsField.HOST_RIP));
    }

    @Test
    void regionNeverCleared_loadsAsZeroAndClear() {
        ArrayMemory m = new ArrayMemory(0x8000);
        m.write64(REGION + VmcsStore.fieldOffset(VmcsField.GUEST_RIP), 0x1234);
        m.write32(REGION + VmcsStore.LAUNCH_STATE_OFFSET, 1);
        VmcsStore s = new VmcsStore();
        s.write(VmcsField.GUEST_RIP, 99);
        s.setLaunched(true);
        assertThat(s.readFrom(m, REGION)).isFalse();
        assertThat(s.read(VmcsField.GUEST_RIP)).isZero();
        assertThat(s.launched()).isFalse();
    }

    @Test
    void abortIndicator_isWrittenAtOffset4() {
        ArrayMemory m = new ArrayMemory(0x8000);
        VmcsStore.writeAbortIndicator(m, REGION, 3);
        assertThat(m.read32(REGION + 4)).isEqualTo(3);
        assertThat(m.read32(REGION)).isZero();
    }

    @Test
    void layout_isAscendingEncodingOrder_andFitsTheRegion() {
        VmcsField[] all = VmcsField.values();
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i].encoding()).as(all[i].name()).isGreaterThan(all[i - 1].encoding());
        }
        assertThat(VmcsStore.fieldOffset(all[0])).isEqualTo(16);
        assertThat(VmcsStore.USED_BYTES).isEqualTo(16 + 8 * all.length).isLessThanOrEqualTo(4096);
    }

    @Test
    void areas_groupTheFieldsAsTheSdm() {
        assertThat(VmcsField.GUEST_RIP.area()).isEqualTo(VmcsArea.GUEST_STATE);
        assertThat(VmcsField.VMCS_LINK_POINTER.area()).isEqualTo(VmcsArea.GUEST_STATE);
        assertThat(VmcsField.HOST_TR_SELECTOR.area()).isEqualTo(VmcsArea.HOST_STATE);
        assertThat(VmcsField.EPT_POINTER.area()).isEqualTo(VmcsArea.VM_EXECUTION_CONTROL);
        assertThat(VmcsField.CR0_READ_SHADOW.area()).isEqualTo(VmcsArea.VM_EXECUTION_CONTROL);
        assertThat(VmcsField.VM_EXIT_MSR_LOAD_ADDRESS.area()).isEqualTo(VmcsArea.VM_EXIT_CONTROL);
        assertThat(VmcsField.PRIMARY_VM_EXIT_CONTROLS.area()).isEqualTo(VmcsArea.VM_EXIT_CONTROL);
        assertThat(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH.area()).isEqualTo(VmcsArea.VM_ENTRY_CONTROL);
        assertThat(VmcsField.VM_ENTRY_MSR_LOAD_ADDRESS.area()).isEqualTo(VmcsArea.VM_ENTRY_CONTROL);
        assertThat(VmcsField.EXIT_QUALIFICATION.area()).isEqualTo(VmcsArea.VM_EXIT_INFORMATION);
        EnumSet<VmcsArea> seen = EnumSet.noneOf(VmcsArea.class);
        for (VmcsField f : VmcsField.values()) {
            seen.add(f.area());
        }
        assertThat(seen).containsExactly(VmcsArea.values());
        int total = 0;
        for (VmcsArea a : VmcsArea.values()) {
            total += a.fields().size();
        }
        assertThat(total).isEqualTo(VmcsField.count());
        assertThat(VmcsArea.VM_EXIT_CONTROL.fields()).containsExactly(VmcsField.VM_EXIT_MSR_STORE_ADDRESS,
                VmcsField.VM_EXIT_MSR_LOAD_ADDRESS, VmcsField.SECONDARY_VM_EXIT_CONTROLS,
                VmcsField.PRIMARY_VM_EXIT_CONTROLS, VmcsField.VM_EXIT_MSR_STORE_COUNT, VmcsField.VM_EXIT_MSR_LOAD_COUNT);
    }
}
