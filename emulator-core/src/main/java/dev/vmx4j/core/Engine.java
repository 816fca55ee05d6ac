package dev.vmx4j.core;

/**
 * How the machine executes guest instructions ({@link Machine.Builder#engine(Engine)}). Every
 * engine gives the same architectural results, cycle counts, events and stops; they differ only
 * in speed.
 */
public enum Engine {
    /**
     * The reference engine: fetches, decodes (through the decoded-instruction cache) and executes
     * one instruction at a time, checking for events between instructions.
     */
    INTERPRETER,
    /**
     * Translates hot basic blocks of 64-bit code to JVM classes (hidden classes generated with
     * OW2 ASM) and interprets the rest; falls back to the interpreter whenever an event, a
     * listener, TF, a breakpoint or anything rare is involved. Same results as the interpreter.
     */
    TRANSLATOR
}
