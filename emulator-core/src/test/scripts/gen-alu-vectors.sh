#!/bin/sh
# Regenerates the ALU test vectors in src/test/resources/alu/ by running the real instructions
# on the host CPU (src/test/native/alu-oracle.c). Needs gcc on x86-64 Linux, a CPU with BMI1,
# BMI2, ADX, POPCNT and LZCNT, and gcc-multilib for the 32-bit BCD part. The output is
# committed, so the Java tests need no compiler. Run from anywhere:
#   emulator-core/src/test/scripts/gen-alu-vectors.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../native/alu-oracle.c"
out="$here/../resources/alu"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in bmi1 bmi2 adx popcnt abm; do
    grep -qw "$f" /proc/cpuinfo || { echo "host CPU lacks $f" >&2; exit 1; }
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')

cflags="-O1 -std=gnu11 -Wall -Wextra -mno-red-zone -fno-omit-frame-pointer"
gcc $cflags -o "$tmp/oracle64" "$src"
gcc $cflags -m32 -o "$tmp/oracle32" "$src"

mkdir -p "$out"
for fam in arith shift muldiv bits bmi; do
    { echo "# host: $cpu"; "$tmp/oracle64" "$fam"; } > "$out/$fam.txt"
done
{ echo "# host: $cpu"; "$tmp/oracle32" bcd; } > "$out/bcd.txt"
wc -l "$out"/*.txt
du -ch "$out"/*.txt | tail -1
