package dev.vmx4j.core.memory;

/**
 * Told when memory is written in a 4 KiB page that was marked as holding decoded code
 * (see {@link GuestMemory#markCodePage(long)}). The mark is cleared before the call, so the
 * listener hears each page once per marking; it is the hook for self-modifying-code
 * invalidation of decoded-instruction caches.
 */
@FunctionalInterface
public interface CodeWriteListener {

    void codePageWritten(long pageFrameNumber);
}
