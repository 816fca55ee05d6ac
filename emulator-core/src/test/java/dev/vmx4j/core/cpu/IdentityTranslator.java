package dev.vmx4j.core.cpu;

/** Test-only: linear = physical with paging on; ignores CR3 and never raises #PF. */
public final class IdentityTranslator implements PageTranslator {

    int walks;

    @Override
    public long translate(long linear, int access) {
        walks++;
        return linear & ((1L << 52) - 1);
    }
}
