; bench-null: boots to 64-bit mode (common/flat64.inc) and exits at once. The side-by-side
; benchmark subtracts its instruction count and wall time from each workload's, which removes
; the emulator's start-up (and Bochs' BIOS) from the figures. Exit status 0.

%include "flat64.inc"

        bits 64
main64:
        PUTS64 "bench-null", 10
        mov al, 0
        jmp exit64

        FLAT64_END
