package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two generations of a {@link TlbContext}: non-global data entries carry {@link TlbContext#key},
 * global ones {@link TlbContext#globalKey}. Dropping the non-global entries (MOV to CR3) must keep
 * every global entry and no earlier non-global one may hit again; a full flush drops both; and
 * this holds across the wraps of the generation counter (SDM "Global Pages").
 */
class TlbContextGlobalTest {

    @Test
    void flushNonGlobal_keepsGlobalEntries_andDropsEveryEarlierNonGlobalOne_acrossWraps() {
        TlbContext c = new TlbContext();
        int n = 3 * TlbContext.GENERATIONS + 7;
        List<String> wrong = new ArrayList<>();
        long globalVpn = 0x3FFF;
        c.readTag[(int) globalVpn] = globalVpn | c.globalKey;
        boolean globalAlive = true;
        for (int k = 0; k < n; k++) {
            c.readTag[k] = k | c.key;
            c.flushNonGlobal();
            assertThat(c.key).isNotEqualTo(c.globalKey).isNotNegative();
            for (int j = 0; j <= k; j++) {
                if (c.readTag[j] == (j | c.key) || c.readTag[j] == (j | c.globalKey)) {
                    wrong.add("non-global entry " + j + " hits after flush " + k);
                }
            }
            boolean hits = c.readTag[(int) globalVpn] == (globalVpn | c.globalKey);
            if (globalAlive && !hits) {
                // Only a generation wrap (which rewrites the arrays) may drop it; make it again.
                c.readTag[(int) globalVpn] = globalVpn | c.globalKey;
                wrong.add(k < TlbContext.GENERATIONS - 4 ? "global entry lost before any wrap at flush " + k : "");
            }
        }
        wrong.removeIf(String::isEmpty);
        assertThat(wrong).isEmpty();
    }

    @Test
    void flush_dropsGlobalEntriesToo() {
        TlbContext c = new TlbContext();
        c.readTag[5] = 5 | c.globalKey;
        c.writeTag[6] = 6 | c.globalKey;
        c.flush();
        assertThat(c.readTag[5] == (5 | c.globalKey) || c.readTag[5] == (5 | c.key)).isFalse();
        assertThat(c.writeTag[6] == (6 | c.globalKey) || c.writeTag[6] == (6 | c.key)).isFalse();
    }

    @Test
    void flushPage_selectsGlobalOrNonGlobalEntries() {
        TlbContext c = new TlbContext();
        c.readTag[1] = 1 | c.globalKey;
        c.readTag[2] = 2 | c.key;
        c.flushPage(1, TlbContext.NON_GLOBAL_ONLY);
        c.flushPage(2, TlbContext.GLOBAL_ONLY);
        assertThat(c.readTag[1]).isEqualTo(1 | c.globalKey);
        assertThat(c.readTag[2]).isEqualTo(2 | c.key);
        c.flushPage(1, TlbContext.GLOBAL_ONLY);
        c.flushPage(2, TlbContext.ALL);
        assertThat(c.readTag[1]).isEqualTo(TlbContext.NO_TAG);
        assertThat(c.readTag[2]).isEqualTo(TlbContext.NO_TAG);
    }
}
