#!/bin/sh
# Regenerates src/test/resources/dev/vmx4j/core/cpu/x87-vectors.txt by running the real x87 and
# MMX instructions on the host CPU (src/test/native/x87-oracle.c; the program each vector runs is
# described there and rebuilt byte for byte by X87VectorTest). Needs gcc on x86-64 Linux. The
# output is committed, so the Java tests need no compiler. Deterministic for a given host CPU
# (the inputs come from a fixed seed, 1; another seed as the first argument samples other inputs,
# e.g. to look for disagreements before committing). Run from anywhere:
#   emulator-core/src/test/scripts/gen-x87-vectors.sh [SEED]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../native/x87-oracle.c"
out="$here/../resources/dev/vmx4j/core/cpu/x87-vectors.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
gcc -O2 -std=gnu11 -Wall -Wextra -o "$tmp/x87-oracle" "$src"
{ echo "# host: $cpu"; "$tmp/x87-oracle" "${1:-1}"; } > "$out"
wc -l "$out"
