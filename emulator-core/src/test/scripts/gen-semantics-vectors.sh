#!/bin/sh
# Regenerates emulator-core/src/test/resources/semantics/*.txt on the host CPU.
# Needs: gcc, GNU as and objdump (binutils), python3, an x86-64 Linux host with BMI1, BMI2,
# ADX, ABM (LZCNT), POPCNT, MOVBE and CMPXCHG16B. The output is deterministic (fixed seeds):
# running it twice gives identical files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
core=$(cd "$here/../../.." && pwd)
out="$core/src/test/resources/semantics"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in bmi1 bmi2 adx abm popcnt movbe cx16 sse4_2; do
    grep -qw "$f" /proc/cpuinfo || { echo "host CPU lacks $f" >&2; exit 1; }
done
gcc -O2 -Wall -Wextra -o "$work/semantics-harness" "$core/src/test/native/semantics-harness.c"
mkdir -p "$out"
python3 "$here/gen-semantics-vectors.py" "$work/semantics-harness" "$out"
# the second oracle: an SDM-pseudocode model must agree on every defined bit
python3 "$here/check-semantics-vectors.py" "$out"
