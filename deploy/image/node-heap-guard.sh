#!/bin/sh
# Starts node with a V8 heap ceiling below the container's memory limit, the way GOMEMLIMIT does
# for Go: V8 sizes its heap from what it believes it may use (on cgroup v2 it can believe more than
# the limit), and a heap that grows to the limit is killed by the kernel before V8 ever feels
# pressure to collect. With a ceiling at NODE_HEAP_PERCENT (default 60) of the limit, V8 collects
# harder as the heap nears it, and what is left holds the young generation, code, Buffers and the
# runtime's own memory (measured in bench/: about 60-90 MiB for these services). The young
# generation gets a share of the limit too (below).
#
# Usage (the images' CMD): node-heap-guard.sh apps/<service>/dist/main.js
# A --max-old-space-size already given (NODE_OPTIONS or arguments) wins; no limit, no flag.
set -eu

cgroup="${NODE_HEAP_GUARD_CGROUP:-/sys/fs/cgroup}"
percent="${NODE_HEAP_PERCENT:-60}"

limit=''
if [ -r "$cgroup/memory.max" ]; then
  limit=$(cat "$cgroup/memory.max") # cgroup v2: bytes, or "max"
elif [ -r "$cgroup/memory/memory.limit_in_bytes" ]; then
  limit=$(cat "$cgroup/memory/memory.limit_in_bytes") # cgroup v1: bytes, near 2^63 when unlimited
fi

case "$limit" in
  '' | max | *[!0-9]*) exec node "$@" ;;
esac
# cgroup v1's "unlimited" has 19 digits; no real limit has more than 16 (a petabyte).
if [ "${#limit}" -gt 16 ]; then exec node "$@"; fi

case " ${NODE_OPTIONS:-} $* " in
  *--max-old-space-size*) exec node "$@" ;;
esac

case "$percent" in
  '' | *[!0-9]*) echo "NODE_HEAP_PERCENT must be a whole number, got '$percent'" >&2; exit 64 ;;
esac

limit_mib=$((limit / 1048576))
heap_mib=$((limit_mib * percent / 100))
# The young generation too: V8 grows each semi-space to 16 MiB whatever the old space, and the
# three of them are resident. A sixty-fourth of the limit (4 MiB at 256 Mi, 8 at 512 Mi) cost
# no throughput in the summary benchmark and took 20 MiB off its leader's peak.
semi_mib=$((limit_mib / 64))
if [ "$semi_mib" -lt 1 ]; then semi_mib=1; fi
if [ "$semi_mib" -gt 16 ]; then semi_mib=16; fi
exec node --max-old-space-size="$heap_mib" --max-semi-space-size="$semi_mib" "$@"
