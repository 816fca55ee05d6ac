package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The decoder sits on the hot path: decoding must not allocate. */
class DecoderAllocationTest {

    // Reached reflectively: the module under test does not read java.management.
    private static long allocatedBytes(Object bean, Method counter) throws ReflectiveOperationException {
        return (Long) counter.invoke(bean);
    }

    @Test
    void decodingAHundredThousandInstructions_allocatesNothing() throws ReflectiveOperationException {
        Object bean;
        Method counter;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            Assumptions.abort("no HotSpot allocation counter: " + e);
            return;
        }

        SplittableRandom random = new SplittableRandom(42);
        byte[] code = new byte[1 << 16];
        random.nextBytes(code);
        Decoder decoder = new Decoder();
        DecodedInstruction out = new DecodedInstruction();
        int[] modes = {16, 32, 64};
        long sink = run(decoder, out, code, modes); // warm up: class init, JIT
        long before = allocatedBytes(bean, counter);
        sink += run(decoder, out, code, modes);
        long allocated = allocatedBytes(bean, counter) - before;
        assertThat(sink).isNotZero();
        // a few bytes of slack for the measurement itself
        assertThat(allocated).as("bytes allocated by 100k decodes").isLessThan(256);
    }

    private static long run(Decoder decoder, DecodedInstruction out, byte[] code, int[] modes) {
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            int offset = (i * 7) & (code.length - 16);
            sum += decoder.decode(code, offset, 15, modes[i % 3], out) + out.length;
        }
        return sum;
    }
}
