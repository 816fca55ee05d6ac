package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * The exit qualification of a VM exit due to a task switch (exit reason 9). SDM "Exit
 * Qualification for Task Switches":
 * <pre>
 *  15:0  selector of the task-switch target TSS
 *  29:16 reserved (0)
 *  31:30 source of the task switch: 0 CALL instruction, 1 IRET instruction, 2 JMP instruction,
 *        3 task gate in the IDT
 * </pre>
 */
public record TaskSwitchQualification(int selector, Source source) {

    /** The source of a task switch, bits 31:30. */
    public enum Source {
        CALL(0), IRET(1), JMP(2), TASK_GATE_IN_IDT(3);

        private final int code;

        Source(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Source byCode(int code) {
            return values()[code & 3];
        }
    }

    public static final long SELECTOR_MASK = 0xFFFFL;
    public static final int SOURCE_SHIFT = 30;
    public static final long DEFINED_BITS = SELECTOR_MASK | 3L << SOURCE_SHIFT;

    public TaskSwitchQualification {
        if ((selector & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("selector must be in [0, 0xFFFF], was " + selector);
        }
        Objects.requireNonNull(source, "source");
    }

    public long encode() {
        return selector | (long) source.code() << SOURCE_SHIFT;
    }

    public static TaskSwitchQualification decode(long q) {
        return new TaskSwitchQualification((int) (q & SELECTOR_MASK), Source.byCode((int) (q >>> SOURCE_SHIFT)));
    }
}
