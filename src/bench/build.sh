#!/bin/sh
# build.sh: assembles the benchmark guests of src/bench (nasm -f bin, a.out-kludge Multiboot
# images on src/guests/common/flat64.inc); reproducible: a rebuild gives identical bytes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for name in bench-null bench-int bench-mem bench-branch bench-vmexit; do
    (cd "$here/$name" && nasm -f bin -I ../../guests/common/ -o "$name.bin" "$name.asm")
    echo "built src/bench/$name/$name.bin"
done
