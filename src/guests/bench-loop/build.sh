#!/usr/bin/env bash
# Rebuilds loop.bin from loop.s with GNU binutils (as, objcopy).
set -euo pipefail
cd "$(dirname "$0")"
t=$(mktemp -d)
as --64 -o "$t/loop.o" loop.s
objcopy -O binary -j .text "$t/loop.o" loop.bin
objdump -D -b binary -m i386:x86-64 -M intel,intel64 loop.bin | tail -n +8 > loop.lst
rm -rf "$t"
