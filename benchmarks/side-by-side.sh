#!/usr/bin/env bash
# side-by-side.sh: runs the benchmark guests of src/bench on Bochs 2.7 and on vmx4j (each
# engine) in one invocation, alternating them, and prints MIPS and the ratio to Bochs.
#
#   benchmarks/side-by-side.sh [-r ROUNDS] [-e ENGINES] [-w WORKLOADS]
#     ROUNDS     rounds of the whole alternation (default 2)
#     ENGINES    comma-separated vmx4j engines (default: interpreter, plus translator when
#                `vmx4j run --help` lists it)
#     WORKLOADS  comma-separated names out of int,mem,branch,vmexit (default: all)
#   VMX4J_JAR (environment) the vmx4j jar to run (default: emulator-core/target/vmx4j.jar)
#
# Each workload is a Multiboot program (src/bench/<name>/<name>.bin, built by src/bench/build.sh)
# that both emulators boot the same way they boot the recorded guest programs: Bochs through the
# boot sector src/boot/mbboot.bin (src/scripts/run-bochs.sh: headless rfb display in a private
# network namespace, debugger command file, clock sync=none), vmx4j through `vmx4j run`.
#
# What is measured:
#   work       the workload's instructions as vmx4j retires them (a REP string instruction counts
#              once), minus those of bench-null (boot to 64-bit mode and exit): the same program
#              and the same count on both sides.
#   vmx4j      wall time of the run as `vmx4j run --stats` reports it (JVM start-up excluded, JIT
#              warm-up included; not reduced by bench-null's run time, 0.02-0.05 s of class loading,
#              decoder-table reading, the first translated block and boot (0.08-0.2 s before
#              session 6), which makes the vmx4j figure conservative).
#   Bochs      wall time of the whole bochs-bin process minus that of bench-null (which removes
#              Bochs' start-up and its BIOS). Bochs' own instruction count (the debugger's tick
#              count; with clock sync=none one tick per instruction, and one per REP iteration) is
#              shown for reference.
#   ratio      vmx4j MIPS / Bochs MIPS over the same work (= Bochs time / vmx4j time).
#   cpu-s      CPU seconds (user + system, GNU time) of the whole process minus those of the
#              same emulator's bench-null run, for both emulators (vmx4j: JIT compiler and GC
#              threads included); cpuMIPS and its ratio are computed from them. On a shared,
#              loaded machine CPU time is far steadier than wall time.
# The machine's load average is printed with every figure: on a shared machine only back-to-back
# figures compare.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=2
engines=""
workloads="int,mem,branch,vmexit"
while getopts "r:e:w:h" opt; do
    case "$opt" in
    r) rounds=$OPTARG ;;
    e) engines=$OPTARG ;;
    w) workloads=$OPTARG ;;
    *) sed -n '2,30p' "$0"; exit 2 ;;
    esac
done

if ! command -v bochs-bin > /dev/null || ! command -v nasm > /dev/null; then
    echo "installing bochs and nasm with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bochs bochsbios vgabios nasm >&2
fi
jar="${VMX4J_JAR:-$root/emulator-core/target/vmx4j.jar}"
if [ ! -f "$jar" ]; then
    (cd "$root" && mvn -B -ntp -q -pl emulator-core -am package -DskipTests)
fi
for name in bench-null bench-int bench-mem bench-branch bench-vmexit; do
    [ -f "$root/src/bench/$name/$name.bin" ] || "$root/src/bench/build.sh"
done
has_engine_opt=no
java -jar "$jar" run --help | grep -q -- '--engine' && has_engine_opt=yes
if [ -z "$engines" ]; then
    engines="interpreter"
    java -jar "$jar" run --help | grep -q -- 'translator' && engines="interpreter,translator"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }

# CPU seconds (user + system) of a command and its children, from GNU time
cpu_of() { tail -n 1 "$tmp/time.txt" | awk '{ printf "%.2f", $1 + $2 }'; }
timed() { /usr/bin/time -o "$tmp/time.txt" -f "%U %S" "$@"; }

# vmx4j: prints "INSTRUCTIONS SECONDS CPU_SECONDS" (instructions and run time from --stats; CPU
# time of the whole JVM process: JIT compiler and GC threads and start-up included)
vmx4j_run() { # engine image
    local opt=()
    [ $has_engine_opt = no ] || opt=(--engine "$1")
    timed java -jar "$jar" run "${opt[@]}" --stats --serial none --max-instructions 100000000000 "$2" \
        > "$tmp/out.txt" 2> "$tmp/err.txt" || true
    echo "$(sed -n 's/^vmx4j: \([0-9]*\) instructions, [0-9]* cycles in \([0-9.]*\) s.*/\1 \2/p' "$tmp/err.txt") $(cpu_of)"
}
# Bochs: prints "TICKS SECONDS CPU_SECONDS"
bochs_run() { # image
    local t0 t1
    t0=$(date +%s.%N)
    timed "$root/src/scripts/run-bochs.sh" "$1" "$tmp/bochs" > "$tmp/out.txt" || true
    t1=$(date +%s.%N)
    local ticks
    ticks=$(sed -n 's/^(0)\.\[\([0-9]*\)\].*/\1/p' "$tmp/bochs/raw.txt" | tail -n 1)
    echo "$ticks $(echo "$t1 - $t0" | bc -l) $(cpu_of)"
}
null_img="$root/src/bench/bench-null/bench-null.bin"
declare -A null_vcpu
for e in ${engines//,/ }; do
    read -r null_insns null_vsec null_vcpu[$e] <<< "$(vmx4j_run "$e" "$null_img")"
done

printf '%-8s %-5s %-18s %12s %8s %7s %6s %7s %7s %6s %6s\n' workload round emulator instructions wall-s MIPS ratio cpu-s \
    cpuMIPS ratio load
row() { # workload round name work wall mips ratio cpu cpumips cpuratio load
    printf '%-8s %-5s %-18s %12d %8.2f %7.1f %6.2f %7.2f %7.1f %6.2f %6s\n' "$@"
}
for round in $(seq 1 "$rounds"); do
    read -r null_ticks null_bsec null_bcpu <<< "$(bochs_run "$null_img")"
    for w in ${workloads//,/ }; do
        img="$root/src/bench/bench-$w/bench-$w.bin"
        l=$(load)
        read -r ticks bsec bcpu <<< "$(bochs_run "$img")"
        bwork_sec=$(echo "$bsec - $null_bsec" | bc -l)
        bwork_cpu=$(echo "$bcpu - $null_bcpu" | bc -l)
        results=()
        for e in ${engines//,/ }; do
            le=$(load)
            read -r insns vsec vcpu <<< "$(vmx4j_run "$e" "$img")"
            work=$((insns - null_insns))
            results+=("$e $work $vsec $(echo "$vcpu - ${null_vcpu[$e]}" | bc -l) $le")
        done
        # Bochs over the same work (vmx4j's count), then each engine
        work=${results[0]#* }; work=${work%% *}
        bmips=$(echo "$work / $bwork_sec / 1000000" | bc -l)
        bcmips=$(echo "$work / $bwork_cpu / 1000000" | bc -l)
        row "$w" "$round" bochs "$work" "$bwork_sec" "$bmips" 1 "$bwork_cpu" "$bcmips" 1 "$l"
        echo "                                   (Bochs ticks $((ticks - null_ticks)))"
        for r in "${results[@]}"; do
            read -r e work vsec vcpu le <<< "$r"
            mips=$(echo "$work / $vsec / 1000000" | bc -l)
            cmips=$(echo "$work / $vcpu / 1000000" | bc -l)
            row "$w" "$round" "vmx4j-$e" "$work" "$vsec" "$mips" "$(echo "$mips / $bmips" | bc -l)" "$vcpu" "$cmips" \
                "$(echo "$cmips / $bcmips" | bc -l)" "$le"
        done
    done
done
