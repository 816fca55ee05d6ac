#!/bin/sh
# record-outputs.sh: run every guest of src/guests/MANIFEST.txt on Bochs and on QEMU (those
# oracles whose expected/<oracle>.txt the MANIFEST lists), twice each, check that both runs
# agree byte for byte and that each oracle saw the expected exit status, and write
# src/guests/<name>/expected/{bochs,qemu}.txt (the port 0xE9 bytes). When COM1 differs from
# port 0xE9 it is kept as bochs-com1.txt / qemu-com1.txt; otherwise no such file. When the
# MANIFEST lists expected/bochs-vmx-log.txt, the Bochs log's VMX check lines (VMFAIL, VMENTER
# FAIL, VMEXIT, VMABORT; tick counts removed) are kept there.
# With NAME arguments, only those guests are recorded. Run src/scripts/build-guests.sh first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

grep -v '^#' "$src/guests/MANIFEST.txt" | while read -r name image format status outputs; do
    [ -n "$name" ] || continue
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    out="$src/guests/$name/expected"
    mkdir -p "$out"
    for oracle in bochs qemu; do
        case ",$outputs," in
        *",expected/$oracle.txt,"*) ;;
        *) echo "$name on $oracle: not recorded (MANIFEST lists no expected/$oracle.txt)"; continue ;;
        esac
        for run in 1 2; do
            rc=0
            "$here/run-$oracle.sh" "$src/$image" "$tmp/$name-$oracle-$run" > /dev/null || rc=$?
            echo "$rc" > "$tmp/$name-$oracle-$run/rc"
        done
        a="$tmp/$name-$oracle-1"
        b="$tmp/$name-$oracle-2"
        for f in e9.txt com1.txt rc; do
            cmp -s "$a/$f" "$b/$f" || { echo "$name on $oracle: $f differs between two runs" >&2; exit 1; }
        done
        # both runners: (status << 1) | 1, 8 bits
        want=$(( ((status << 1) | 1) & 0xFF ))
        [ "$(cat "$a/rc")" = "$want" ] || { echo "$name on $oracle: exit $(cat "$a/rc"), expected $want" >&2; exit 1; }
        cp "$a/e9.txt" "$out/$oracle.txt"
        # Bochs names each failed VMX check in its log (level error); kept without tick counts
        case ",$outputs," in
        *",expected/$oracle-vmx-log.txt,"*)
            sed -n 's/^[0-9]*e\[CPU0  \] \(VMFAIL\|VMENTER FAIL\|VMEXIT: \|VMABORT\)/\1/p' \
                "$a/bochs.log" > "$out/$oracle-vmx-log.txt"
            sed -n 's/^[0-9]*e\[CPU0  \] \(VMFAIL\|VMENTER FAIL\|VMEXIT: \|VMABORT\)/\1/p' \
                "$b/bochs.log" | cmp -s - "$out/$oracle-vmx-log.txt" \
                || { echo "$name on $oracle: VMX log lines differ between two runs" >&2; exit 1; }
            ;;
        esac
        if cmp -s "$a/e9.txt" "$a/com1.txt"; then
            rm -f "$out/$oracle-com1.txt"
        else
            cp "$a/com1.txt" "$out/$oracle-com1.txt"
        fi
        echo "$name on $oracle: $(wc -l < "$out/$oracle.txt") lines, deterministic, exit as expected"
    done
done
