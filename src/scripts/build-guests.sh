#!/bin/sh
# build-guests.sh: assemble the boot sector and every guest image under src/, reproducibly.
#
# Tools: nasm (2.16) and GNU ld (binutils). Fixed flags, no timestamps, no build ids: running
# it twice gives identical bytes, and `git status` stays clean after a rebuild of a clean tree.
#   src/boot/mbboot.bin                    nasm -f bin
#   src/guests/<name>/<name>.elf           nasm -f elf32, ld -m elf_i386 with common/elf32.ld
#   src/guests/<name>/<name>.bin           nasm -f bin (a.out-kludge Multiboot images)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name format
GUESTS="hello32 elf32
longmode64 bin
cpuid-dump elf32
paging32 elf32
segments32 elf32
vmx-exits bin
vmx-ept bin
paging64 bin
vmx-entry-checks bin
vmx-controls bin
vmcs-fields bin
vmx-realmode bin
vmx-events bin
smc64 bin
rings64 bin
msrs64 bin
semantics64 bin
vmx-demo bin
vmx-intercepts bin
vmx-ept2 bin
vmx-events2 bin
nested-vmx bin"

(cd "$src/boot" && nasm -f bin -o mbboot.bin mbboot.asm)
[ "$(stat -c %s "$src/boot/mbboot.bin")" -eq 512 ] || { echo "mbboot.bin is not 512 bytes" >&2; exit 1; }
echo "built src/boot/mbboot.bin"

echo "$GUESTS" | while read -r name format; do
    dir="$src/guests/$name"
    case "$format" in
    elf32)
        (cd "$dir" && nasm -f elf32 -I ../common/ -o "$tmp/$name.o" "$name.asm")
        ld -m elf_i386 -N --build-id=none --no-warn-rwx-segments -T "$src/guests/common/elf32.ld" \
            -o "$dir/$name.elf" "$tmp/$name.o"
        echo "built src/guests/$name/$name.elf"
        ;;
    bin)
        (cd "$dir" && nasm -f bin -I ../common/ -o "$name.bin" "$name.asm")
        echo "built src/guests/$name/$name.bin"
        ;;
    esac
done

# hello32 promises a small instruction set (see its header); check the built code keeps it.
allowed=' mov add sub xor and or shl shr rol cmp test jmp call ret push pop inc dec movzx lea in out lods cli hlt '
bad=$(objdump -d -M intel "$src/guests/hello32/hello32.elf" \
    | awk -F'\t' 'NF >= 3 { split($3, a, " "); print a[1] }' | sort -u \
    | while read -r m; do
        case "$m" in j*) continue ;; esac   # Jcc and JMP
        case "$allowed" in *" $m "*) ;; *) echo "$m" ;; esac
    done)
[ -z "$bad" ] || { echo "hello32 uses instructions outside its set: $bad" >&2; exit 1; }
