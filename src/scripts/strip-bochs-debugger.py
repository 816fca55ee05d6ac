#!/usr/bin/env python3
"""Remove the Bochs 2.7 internal debugger's own lines from bochs-bin's stdout (stdin -> stdout).

With `-rc FILE` holding `c` and `quit`, stdout is: the 5-line banner (two rules of '=' around
three text lines), `Next at t=0`, the disassembly of the first instruction
`(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmpf 0xf000:e05b ...`, then the guest's port 0xE9
bytes, then a trailer line for the instruction where the run stopped,
`(0).[ticks] [0xphys] sel:rip (unk. ctxt): disassembly ; bytes` (twice when the run ends in a
panic such as a triple fault). The first trailer is not preceded by a newline of its own, so it
may follow guest bytes on the same line. Exactly those are removed; anything unexpected is an
error (exit status 1) rather than a silently wrong recording.
"""
import re
import sys

data = sys.stdin.buffer.read()
header = re.compile(
    rb"\A=+\n[^\n]*Bochs x86 Emulator[^\n]*\n[^\n]*\n[^\n]*\n=+\n"
    rb"Next at t=0\n\(0\) \[0x[0-9a-f]+\] [0-9a-f]{4}:[0-9a-f]+ \([^)\n]*\): [^\n]*\n")
m = header.match(data)
if not m:
    sys.exit("strip-bochs-debugger: the debugger banner is not where expected")
data = data[m.end():]
trailer = re.compile(rb"\(0\)\.\[\d+\] \[0x[0-9a-f]+\] [0-9a-f]{4}:[0-9a-f]+ \([^)\n]*\): [^\n]*\n\Z")
found = 0
while True:
    t = None
    for t in trailer.finditer(data):
        pass
    if t is None:
        break
    data = data[:t.start()]
    found += 1
if found == 0:
    sys.exit("strip-bochs-debugger: no debugger trailer at the end of the output")
sys.stdout.buffer.write(data)
