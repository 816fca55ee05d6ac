#!/bin/sh
# run-qemu.sh IMAGE [OUTDIR]: boot a Multiboot image (ELF32 or a.out kludge) on QEMU's software
# CPU and print what it wrote to port 0xE9 on stdout.
#
# QEMU loads the image itself (-kernel). Port 0xE9 is QEMU's debug console, COM1 goes to a
# file, isa-debug-exit at 0xF4 ends the run. The exit status is QEMU's: (status << 1) | 1 for a
# guest that wrote `status` to port 0xF4. With OUTDIR, e9.txt and com1.txt are kept there.
# -cpu max: TCG's full feature set (longmode64 needs POPCNT, which the default qemu64 lacks).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 IMAGE [OUTDIR]" >&2; exit 2; }
image=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: "${QEMU:=qemu-system-x86_64}"
status=0
timeout 120 "$QEMU" -accel tcg -cpu max -m 128 -kernel "$image" \
    -display none -monitor none -no-reboot \
    -serial "file:$work/com1.txt" -debugcon "file:$work/e9.txt" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 || status=$?
cat "$work/e9.txt"
if [ $# -ge 2 ]; then
    mkdir -p "$2"
    cp "$work/e9.txt" "$work/com1.txt" "$2/"
fi
exit "$status"
