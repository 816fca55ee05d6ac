#!/bin/sh
# run-bochs.sh IMAGE [OUTDIR]: boot a Multiboot image (ELF32 or a.out kludge) on Bochs 2.7
# (cpu model corei7_icelake_u) and print what it wrote to port 0xE9 on stdout.
#
# Bochs has no Multiboot loader: the disk is src/boot/mbboot.bin followed by the image (see
# mbboot.asm). The facts this relies on are in /work/shared/ORACLE.md: rfb display that waits
# for no client, run in a private network namespace; the internal debugger driven by a command
# file (c, quit) whose own stdout lines are removed; clock sync=none for determinism; the run
# ends when the guest writes "Shutdown" to port 0x8900 (bochs-bin then exits with status 1).
# Exit status, as QEMU's isa-debug-exit gives it: (status << 1) | 1, truncated to 8 bits, where
# status is the byte the guest's exit routine leaves in EBX/RBX when it writes "Shutdown" (Bochs
# logs the registers then); 0 when the log shows no shutdown request (triple fault, panic,
# time-out), 2 for a usage error. With OUTDIR, e9.txt, com1.txt, bochs.log, the raw stdout and
# stderr are kept there.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 IMAGE [OUTDIR]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
image=$(realpath "$1")
boot="$here/../boot/mbboot.bin"
[ -f "$boot" ] || { echo "$boot missing: run src/scripts/build-guests.sh" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# disk: 2 cylinders x 16 heads x 63 sectors = 2016 sectors; the image must fit in LBA 1..127
size=$(stat -c %s "$image")
[ "$size" -le 65024 ] || { echo "$image: $size bytes, the boot sector loads at most 65024" >&2; exit 2; }
cat "$boot" "$image" > "$work/disk.img"
truncate -s $((2 * 16 * 63 * 512)) "$work/disk.img"

cat > "$work/bochsrc" <<RC
megs: 256
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=corei7_icelake_u, count=1, ips=50000000, reset_on_triple_fault=0, ignore_bad_msrs=0
clock: sync=none, time0=946684800
display_library: rfb, options="timeout=0"
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=$work/disk.img, mode=flat, cylinders=2, heads=16, spt=63
ata1: enabled=0
ata2: enabled=0
ata3: enabled=0
boot: disk
port_e9_hack: enabled=1
com1: enabled=1, mode=file, dev=$work/com1.txt
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
RC
printf 'c\nquit\n' > "$work/cmds"

# stdout carries the guest's port 0xE9 bytes interleaved with the debugger's lines
(cd "$work" && timeout 120 unshare -rn bochs-bin -q -f "$work/bochsrc" -rc "$work/cmds" \
    > "$work/raw.txt" 2> "$work/stderr.txt" < /dev/null) || true
"$here/strip-bochs-debugger.py" < "$work/raw.txt" > "$work/e9.txt"
cat "$work/e9.txt"
if [ $# -ge 2 ]; then
    mkdir -p "$2"
    cp "$work/e9.txt" "$work/bochs.log" "$2/"
    [ -f "$work/com1.txt" ] && cp "$work/com1.txt" "$2/"
    cp "$work/raw.txt" "$work/stderr.txt" "$2/"
fi
grep -q 'Shutdown port: shutdown requested' "$work/bochs.log" || exit 0
# the last register dump: "| EAX=...  EBX=0000002a" (32-bit) or "| RAX=...  RBX=..." (64-bit)
rbx=$(sed -n 's/.*| [ER]AX=[0-9a-f]*  [ER]BX=\([0-9a-f]*\).*/\1/p' "$work/bochs.log" | tail -n 1)
[ -n "$rbx" ] || { echo "no register dump in the Bochs log" >&2; exit 0; }
status=$(( 0x$(printf '%s' "$rbx" | tail -c 2) ))
exit $(( ((status << 1) | 1) & 0xFF ))
