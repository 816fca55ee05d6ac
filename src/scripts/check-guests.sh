#!/bin/sh
# check-guests.sh: without Bochs or QEMU, check that the committed guest images are what the
# sources build (nasm, ld), that every file the MANIFEST names exists, and that vmx-model's
# corei7_icelake_u profile is what make-profile.sh makes of cpuid-dump's recording. Builds in a copy of
# src/, so the working tree is not touched. Exit status 0 when all is consistent.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$src" "$tmp/src"
"$tmp/src/scripts/build-guests.sh" > /dev/null
fail=0
for f in boot/mbboot.bin $(grep -v '^#' "$src/guests/MANIFEST.txt" | awk 'NF { print $2 }'); do
    if ! cmp -s "$src/$f" "$tmp/src/$f"; then
        echo "src/$f differs from what its source builds: run src/scripts/build-guests.sh" >&2
        fail=1
    fi
done
# the CPU profile is what make-profile.sh makes of cpuid-dump's Bochs recording
profile=vmx-model/src/main/resources/dev/vmx4j/vmx/profile/corei7_icelake_u.profile
mkdir -p "$tmp/$(dirname "$profile")"
"$tmp/src/scripts/make-profile.sh" > /dev/null
if ! cmp -s "$src/../$profile" "$tmp/$profile"; then
    echo "$profile differs from what src/scripts/make-profile.sh makes of the recording" >&2
    fail=1
fi
grep -v '^#' "$src/guests/MANIFEST.txt" | while read -r name image format status outputs; do
    [ -n "$name" ] || continue
    [ -f "$src/$image" ] || { echo "MANIFEST: $name: no src/$image" >&2; exit 1; }
    for o in $(echo "$outputs" | tr ',' ' '); do
        [ -f "$src/guests/$name/$o" ] || { echo "MANIFEST: $name: no src/guests/$name/$o" >&2; exit 1; }
    done
done || fail=1
[ "$fail" -eq 0 ] && echo "guests consistent: images match their sources, MANIFEST files present, profile up to date"
exit "$fail"
