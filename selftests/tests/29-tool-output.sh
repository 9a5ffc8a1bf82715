#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcplimitctl's output, text and JSON (-j, -p), for every subcommand, with
# exact numbers from known connections: 10.0.1.2 holds 5 (2 more rejected
# by set-max 5), 10.0.2.2 holds 2, fd00:1::2 holds 3. The JSON is parsed
# and checked value by value; "metrics" line by line (HELP and TYPE for each
# metric, tcplimit_* names, values equal to show -j's). -n NAME acts on a
# named namespace, a missing one fails cleanly. The filters of "sources"
# and "flush" need the kernel's TCPLIMIT_A_FILTER and TCPLIMIT_CMD_FLUSH.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || tl_skip "$PY not installed"
out=$TL_TMP/out
mkdir -p "$out"

# ctl_ok NAME ARGS...: tcplimitctl ARGS in srv succeeds, prints nothing on
# stderr; stdout into $out/NAME.
ctl_ok() {
	local name=$1 status

	shift
	tl_ctl srv "$@" >"$out/$name" 2>"$TL_TMP/err"
	status=$?
	[ "$status" -eq 0 ] || tl_fail "tcplimitctl $*: exit status $status: $(cat "$TL_TMP/err")"
	[ -s "$TL_TMP/err" ] && tl_fail "tcplimitctl $*: stderr: $(cat "$TL_TMP/err")"
}

# has_line FILE LINE: FILE has LINE exactly.
has_line() {
	if grep -qxF -- "$2" "$out/$1"; then
		tl_log "ok: $1 has '$2'"
	else
		tl_fail "$1 lacks the line '$2'"
		sed "s/^/  $1: /" "$out/$1"
	fi
}

tl_topology
# version with no module: not an error.
ctl_ok version-unloaded version
has_line version-unloaded "kernel: tcplimit module not loaded"
ctl_ok version-unloaded.json -j version
tl_load
tl_server srv :: 8000
ctl_ok set-max set-max 5
ctl_ok set-rate set-rate 10/1h burst 20
ctl_ok set-action set-action reject conn
ctl_ok set-syn-timeout set-syn-timeout 30s
ctl_ok set-idle-timeout set-idle-timeout 1h30m

tl_hold h1 c1 10.0.1.1 8000 7
tl_eq "10.0.1.2 client" "$TL_HELD" "established 5 failed 2"
tl_hold h2 c2 10.0.2.1 8000 2
tl_eq "10.0.2.2 client" "$TL_HELD" "established 2 failed 0"
tl_hold_args h3 c1 -b fd00:1::2 fd00:1::1 8000 3 3000
tl_eq "fd00:1::2 client" "$TL_HELD" "established 3 failed 0"
tl_conns_settle srv 10
busywait 10000 tl_prints 0 tl_proc srv halfopen || tl_fail "handshakes still in progress"

# --- show, text ---
ctl_ok show show
has_line show "tcplimit version 1"
has_line show "  mode: host"
has_line show "  dry-run: off"
has_line show "  max: 5"
has_line show "  rate: 10/1h burst 20"
has_line show "  prefix: v4 /32 v6 /64"
has_line show "  dst-rate: off"
has_line show "  syn-timeout: 30s"
has_line show "  idle-timeout: 1h30m"
has_line show "  reject: conn"
has_line show "  full-policy: admit"
has_line show "  sources: 3"
has_line show "  conns: 10"
has_line show "  admitted: 10"
has_line show "  limited_conn: 2"
has_line show "  rejected: 2"
tl_eq "show: source blocks" "$(grep '^source ' "$out/show" | tr '\n' ' ')" \
	"source 10.0.1.2/32 source 10.0.2.2/32 source fd00:1::/64 "
tl_eq "show: 10.0.1.2/32 (lib.sh)" "$(tl_show_field srv 10.0.1.2/32 limited)" 2
tl_eq "show: source lines" "$(awk '/^source / || /^  [a-z_]*: / && seen { print } /^source / { seen = 1 }' \
	"$out/show" | tr -s ' \n' ' ')" \
	"source 10.0.1.2/32 conns: 5 halfopen: 0 rate_avail: 15 limited: 2 slow: 0 source 10.0.2.2/32 conns: 2 halfopen: 0 rate_avail: 18 limited: 0 slow: 0 source fd00:1::/64 conns: 3 halfopen: 0 rate_avail: 17 limited: 0 slow: 0 "
ctl_ok show.json -j show
ctl_ok show-pretty.json -j -p show
[ "$(wc -l <"$out/show.json")" -eq 1 ] || tl_fail "show -j: not one line"
[ "$(wc -l <"$out/show-pretty.json")" -gt 20 ] || tl_fail "show -j -p: not indented"

# --- sources, text: a column line, then one line per source ---
ctl_ok sources sources
tl_eq "sources: text" "$(awk '{ $1 = $1; print }' "$out/sources" | tr '\n' ';')" \
	"source conns halfopen rate_avail limited slow;10.0.1.2/32 5 0 15 2 0;10.0.2.2/32 2 0 18 0 0;fd00:1::/64 3 0 17 0 0;"
ctl_ok sources.json -j sources

# --- -n NAME: the same as inside the namespace ---
"$TL_CTL" -n srv show >"$out/show-n" 2>&1 || tl_fail "-n srv show failed: $(cat "$out/show-n")"
cmp -s "$out/show" "$out/show-n" || tl_fail "-n srv show differs from show in srv"
"$TL_CTL" -n srv -j sources >"$out/sources-n.json" 2>&1 || tl_fail "-n srv -j sources failed"
cmp -s "$out/sources.json" "$out/sources-n.json" || tl_fail "-n srv -j sources differs"
"$TL_CTL" --netns srv set-dry-run on || tl_fail "--netns srv set-dry-run on"
tl_eq "dry_run after --netns srv set-dry-run on" "$(tl_proc srv dry_run)" 1
"$TL_CTL" -n srv set-dry-run off || tl_fail "-n srv set-dry-run off"
tl_eq "dry_run in the initial namespace" "$(awk '$1 == "dry_run" { print $2 }' /proc/net/tcplimit)" 0
for args in "-n no-such-ns set-max 1" "-j -n no-such-ns sources"; do
	# shellcheck disable=SC2086
	"$TL_CTL" $args >"$TL_TMP/o" 2>"$TL_TMP/err"
	status=$?
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || tl_fail "tcplimitctl $args: exit status $status"
	[ -s "$TL_TMP/o" ] && tl_fail "tcplimitctl $args: printed '$(cat "$TL_TMP/o")'"
	[ "$(wc -l <"$TL_TMP/err")" -eq 1 ] && grep -q "no-such-ns" "$TL_TMP/err" ||
		tl_fail "tcplimitctl $args: want one line naming no-such-ns, got '$(cat "$TL_TMP/err")'"
	tl_log "  $args: status $status: $(cat "$TL_TMP/err")"
done

# --- version, metrics, save, help ---
ctl_ok version version
has_line version "kernel: tcplimit module, netlink version 1"
ctl_ok version.json -j version
ctl_ok metrics metrics
ctl_ok save save
has_line save "tcplimitctl set-max 5"
has_line save "tcplimitctl set-rate 10/1h burst 20"
has_line save "tcplimitctl set-action reject conn"
has_line save "tcplimitctl set-idle-timeout 1h30m"
ctl_ok help help
grep -q '^Exit status: 0 success, 1 ' "$out/help" || tl_fail "help lacks the exit status"

# --- filtered sources and flush (kernel: TCPLIMIT_A_FILTER, TCPLIMIT_CMD_FLUSH) ---
# filtered NAME WANT ARGS...: "sources ARGS" lists the sources WANT, in order.
filtered() {
	local name=$1 want=$2

	shift 2
	ctl_ok "$name" sources "$@"
	tl_eq "sources $*" "$(awk 'NR > 1 { printf "%s ", $1 }' "$out/$name")" "$want"
}
filtered f-prefix24 "10.0.2.2/32 " prefix 10.0.2.77/24
filtered f-prefix6 "fd00:1::/64 " prefix fd00::/16
filtered f-host "10.0.1.2/32 " prefix 10.0.1.2
filtered f-none "" prefix 192.168.0.0/16
filtered f-limited "10.0.1.2/32 " limited
filtered f-top1 "10.0.1.2/32 " top 1
filtered f-top-limited "10.0.1.2/32 " top 1 by limited
filtered f-top-slow "10.0.1.2/32 " top 1 by slow
filtered f-top-v4 "10.0.1.2/32 10.0.2.2/32 " prefix 10.0.0.0/8 top 5
ctl_ok f-top.json -j sources top 2

ctl_ok flush0 flush
tl_eq "flush with every source busy" "$(cat "$out/flush0")" "flushed 0 sources"
tl_release "$h2"
busywait 10000 tl_prints 8 tl_proc srv conns || tl_fail "10.0.2.2's connections not closed"
tl_eq "sources before flush" "$(tl_proc srv sources)" 3
ctl_ok flush1 flush
tl_eq "flush after 10.0.2.2 left" "$(cat "$out/flush1")" "flushed 1 source"
tl_eq "sources after flush" "$(tl_proc srv sources)" 2
ctl_ok flush.json -j flush

# --- the JSON and the metrics, checked in one python run ---
"$PY" - "$out" <<'EOF' >"$TL_TMP/py" 2>&1
import json, os, re, sys

out = sys.argv[1]
fails = 0


def check(what, got, want):
    global fails
    if got == want:
        print("# ok: %s = %r" % (what, want))
    else:
        print("# FAIL: %s: got %r, want %r" % (what, got, want))
        fails += 1


def load(name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)


show = load("show.json")
check("show -j -p parses to show -j", load("show-pretty.json"), show)
check("show -j version", show["version"], 1)
want_config = {
    "mode": "host", "dry_run": False, "max": 5, "rate": 10,
    "rate_period_ms": 3600000, "rate_burst": 20, "halfopen_max": 0,
    "prefix4": 32, "prefix6": 64, "dst_max": 0, "dst_rate": 0,
    "syn_timeout_ms": 30000, "idle_timeout_ms": 5400000, "reject": ["conn"],
    "full_policy": "admit", "table_size": 65536, "flow_table_size": 262144,
    "ban_after": 0, "ban_time_ms": 900000, "ban_time_max_ms": 86400000,
    "slow_bytes": 0, "abnormal_max": 0, "slow_action": "none",
}
check("show -j config", show["config"], want_config)
want_stats = {
    "sources": 3, "conns": 10, "halfopen": 0, "admitted": 10, "limited_rate": 0,
    "limited_conn": 2, "limited_halfopen": 0, "limited_dst": 0, "table_full": 0,
    "expired": 0, "rejected": 2, "unproven": 0, "aborted": 0, "allowed": 0,
    "allowlist": 0, "banned": 0, "bans": 0, "ban_full": 0, "slow_found": 0,
    "slow_reset": 0, "events_suppressed": 0,
}
check("show -j stats", show["stats"], want_stats)
want_sources = [
    {"source": "10.0.1.2/32", "conns": 5, "halfopen": 0, "rate_avail": 15, "limited": 2,
     "slow": 0},
    {"source": "10.0.2.2/32", "conns": 2, "halfopen": 0, "rate_avail": 18, "limited": 0,
     "slow": 0},
    {"source": "fd00:1::/64", "conns": 3, "halfopen": 0, "rate_avail": 17, "limited": 0,
     "slow": 0},
]
check("show -j sources", show["sources"], want_sources)
check("sources -j", load("sources.json"), want_sources)
for name in ("show.json", "sources.json"):
    for t in re.findall(r'"([^"]*)":', open(os.path.join(out, name)).read()):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", t):
            check("%s: key %r snake_case" % (name, t), False, True)

check("version -j, no module", load("version-unloaded.json"),
      {"tool_version": load("version.json")["tool_version"], "netlink_version": 1,
       "module_loaded": False})
v = load("version.json")
check("version -j", (v["netlink_version"], v["module_loaded"], v["module_netlink_version"]),
      (1, True, 1))
check("version text", open(os.path.join(out, "version")).readline().strip(),
      "tcplimitctl %s (netlink version 1)" % v["tool_version"])

# Metrics: HELP and TYPE before each metric's samples, names, values.
helps, types, samples = {}, {}, {}
for n, line in enumerate(open(os.path.join(out, "metrics")).read().splitlines(), 1):
    m = re.fullmatch(r"# HELP (\S+) (.+)", line)
    if m:
        helps[m.group(1)] = n
        continue
    m = re.fullmatch(r"# TYPE (\S+) (counter|gauge)", line)
    if m:
        types[m.group(1)] = (n, m.group(2))
        continue
    m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="[a-z0-9]+"\})? (\S+)', line)
    if not m:
        check("metrics line %d %r" % (n, line), "unparsable", "a sample")
        continue
    name, labels, value = m.group(1), m.group(2) or "", m.group(3)
    if not re.fullmatch(r"tcplimit_[a-z_]+", name):
        check("metric name %r" % name, "bad", "^tcplimit_[a-z_]+$")
    if name not in helps or name not in types or helps[name] > n or types[name][0] > n:
        check("metric %s has HELP and TYPE before line %d" % (name, n), False, True)
    if name.endswith("_total") != (types.get(name, (0, ""))[1] == "counter"):
        check("metric %s: _total if and only if a counter" % name, False, True)
    samples[name + labels] = float(value)
for name in set(helps) | set(types):
    if not any(s.split("{")[0] == name for s in samples):
        check("metric %s has samples" % name, False, True)

for k, v in show["stats"].items():
    gauges = ("sources", "conns", "halfopen", "allowlist", "bans")
    name = "tcplimit_%s_total" % k if k not in gauges else "tcplimit_" + k
    check("metric %s" % name, samples.get(name), float(v))
cfg = show["config"]
for k, metric in (("max", "max_conn"), ("rate", "rate"), ("rate_burst", "rate_burst"),
                  ("halfopen_max", "halfopen_max"), ("dst_max", "dst_max"),
                  ("dst_rate", "dst_rate"), ("table_size", "table_size"),
                  ("flow_table_size", "flow_table_size")):
    check("metric tcplimit_config_%s" % metric, samples.get("tcplimit_config_" + metric),
          float(cfg[k]))
for k in ("rate_period_ms", "syn_timeout_ms", "idle_timeout_ms"):
    name = "tcplimit_config_" + k[:-3] + "_seconds"
    check("metric %s" % name, samples.get(name), cfg[k] / 1000)
check("metric tcplimit_config_dry_run", samples.get("tcplimit_config_dry_run"),
      float(cfg["dry_run"]))
check("metric prefix_len ipv4", samples.get('tcplimit_config_prefix_len{family="ipv4"}'),
      float(cfg["prefix4"]))
check("metric prefix_len ipv6", samples.get('tcplimit_config_prefix_len{family="ipv6"}'),
      float(cfg["prefix6"]))
for mode in ("host", "gateway"):
    check("metric mode %s" % mode, samples.get('tcplimit_config_mode{mode="%s"}' % mode),
          float(cfg["mode"] == mode))
for limit in ("rate", "conn", "halfopen", "dst", "full"):
    check("metric reject %s" % limit,
          samples.get('tcplimit_config_reject{limit="%s"}' % limit),
          float(limit in cfg["reject"]))
for pol in ("admit", "drop"):
    check("metric full_policy %s" % pol,
          samples.get('tcplimit_config_full_policy{policy="%s"}' % pol),
          float(cfg["full_policy"] == pol))
check("metrics: no per-source series", [s for s in samples if "10.0." in s], [])

# Kernel filters and flush.
if os.path.getsize(os.path.join(out, "f-top.json")):
    check("sources -j top 2", [s["source"] for s in load("f-top.json")],
          ["10.0.1.2/32", "fd00:1::/64"])
if os.path.getsize(os.path.join(out, "flush.json")):
    check("flush -j", load("flush.json"), {"flushed": 0})
sys.exit(1 if fails else 0)
EOF
status=$?
grep -v '^# ok: ' "$TL_TMP/py"
tl_log "python: $(grep -c '^# ok: ' "$TL_TMP/py") checks passed"
[ "$status" -eq 0 ] || tl_fail "JSON or metrics checks (above), python exit status $status"

tl_release "$h1"
tl_release "$h3"
tl_done
