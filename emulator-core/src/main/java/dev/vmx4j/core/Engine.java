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
    INTERPRETER
}
