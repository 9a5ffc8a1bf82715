#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet path's cost, as ratios to no module, in one VM run: rounds of
# every configuration interleaved (none, then each module given, loaded in
# host mode with caps far above the load; each round starts one later in
# that order, so a drift in the host's speed favours no one), each measuring
#   connect: N connections opened at once and closed (FIN), per second;
#   bulk: one iperf3 stream for 3 s, bits per second.
# Prints one line per configuration: the median of its per-round ratios to
# the same round's none, and their spread.
# Usage (in the VM, root): path-cost.sh ROUNDS KO...
. "$(dirname "$0")/lib.sh"

rounds=$1
shift
N=1000
tl_topology
tl_server srv 10.0.1.1 8000
ip netns exec srv iperf3 -s -D -B 10.0.1.1 -p 5201 >/dev/null || tl_fail "iperf3 server"
sleep 1

# measure CONFIG: one connect and one bulk figure into $TL_TMP/CONFIG.*
measure() {
	local t0 t1 bps

	t0=$(date +%s%N)
	tl_client c1 10.0.1.1 8000 $N 10000 close >/dev/null
	t1=$(date +%s%N)
	echo $((N * 1000000000 / (t1 - t0))) >>"$TL_TMP/$1.connect"
	bps=$(ip netns exec c1 iperf3 -c 10.0.1.1 -p 5201 -t 3 -J |
		/usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))')
	echo "$bps" >>"$TL_TMP/$1.bulk"
}

kos=("$@")
configs=(none)
for i in $(seq 1 $#); do
	configs+=("ko$i")
done
for round in $(seq 1 "$rounds"); do
	for j in $(seq 0 $#); do
		c=${configs[$(((round + j) % ${#configs[@]}))]}
		if [ "$c" = none ]; then
			measure none
			continue
		fi
		ko=${kos[$((${c#ko} - 1))]}
		insmod "$ko" || tl_fail "insmod $ko"
		tl_ctl srv set-max 100000 >/dev/null
		tl_ctl srv set-rate 100000/1s >/dev/null
		measure "$c"
		rmmod tcplimit
		ip netns exec srv ss -K dst 10.0.1.2 >/dev/null 2>&1
	done
	sleep 1
done

# ratio CONFIG WHAT: the median of CONFIG's per-round ratios to none, and
# their spread (min-max).
/usr/bin/python3 - "$TL_TMP" "${configs[@]}" "$@" <<'PY'
import statistics, sys
tmp, names = sys.argv[1], sys.argv[2:]
nconf = (len(names) + 1) // 2
configs, kos = names[:nconf], ["(no module)"] + names[nconf:]
def load(c, w):
    return [int(x) for x in open(f"{tmp}/{c}.{w}").read().split()]
for c, ko in zip(configs, kos):
    out = []
    for w in ("connect", "bulk"):
        base, got = load("none", w), load(c, w)
        r = [g / b for g, b in zip(got, base)]
        out.append(f"{w} {statistics.median(r):.3f} "
                   f"[{min(r):.3f}-{max(r):.3f}] median {statistics.median(got)}")
    print(f"path-cost: {ko}: " + "; ".join(out) + f" ({len(r)} rounds)")
PY
tl_done
