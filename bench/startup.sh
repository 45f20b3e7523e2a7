#!/usr/bin/env bash
# Startup benchmark: time to create a context and build every embedded kernel variant (oclnn-info --build-all),
# cold (empty oclnn and POCL caches) and warm (oclnn's disk cache filled), each as a fresh process.
# Prints the median of N runs per mode. Usage: bench/startup.sh [BUILD_DIR] [RUNS] [DEVICE]
set -eu
build=${1:-build}
runs=${2:-5}
device=${3:-pocl}
info="$build/tools/oclnn-info"
[ -x "$info" ] || { echo "build first: $info not found"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RUSTICL_ENABLE=${RUSTICL_ENABLE:-llvmpipe}

one() { # cache_dir pocl_cache_dir -> ms
  OCLNN_CACHE_DIR=$1 POCL_CACHE_DIR=$2 "$info" --device "$device" --build-all |
    sed -n 's/^context + [0-9]* programs: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

cold=() warm_ours=() warm_both=()
for i in $(seq "$runs"); do
  d="$tmp/run$i"
  mkdir -p "$d"
  cold+=("$(one "$d/oclnn" "$d/pocl")")              # nothing cached anywhere
  rm -rf "$d/pocl2"; mkdir -p "$d/pocl2"
  warm_ours+=("$(one "$d/oclnn" "$d/pocl2")")        # oclnn's cache warm, POCL's own cache empty
  warm_both+=("$(one "$d/oclnn" "$d/pocl")")         # both warm (the usual second start)
done
c=$(printf '%s\n' "${cold[@]}" | median)
w=$(printf '%s\n' "${warm_ours[@]}" | median)
b=$(printf '%s\n' "${warm_both[@]}" | median)
programs=$(OCLNN_CACHE_DIR="$tmp/count" "$info" --device "$device" --build-all | sed -n 's/^context + \([0-9]*\) programs.*/\1/p')
echo "device '$device', $programs programs, $runs runs each (median ms):"
echo "  cold (empty caches)              $c"
echo "  warm (oclnn disk cache only)     $w   ($(awk -v a="$w" -v b="$c" 'BEGIN {printf "%.1f", 100*a/b}')% of cold)"
echo "  warm (oclnn + driver caches)     $b   ($(awk -v a="$b" -v b="$c" 'BEGIN {printf "%.1f", 100*a/b}')% of cold)"
