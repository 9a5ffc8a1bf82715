#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report: bench/run.sh's lines to a table, targets and plots.

Usage: report.py RAW OUTDIR KERNEL [--no-plot]

RAW holds the guest's "bench: ROUND WORKLOAD CONFIG VALUE" lines,
"bench-dump: CONFIG SOURCES FULL_MS TOP20_MS" lines, "bench-profile:"
lines (perf: CONFIG WORKLOAD samples N, or entry|self|module PCT SYMBOL)
and "bench-info:" notes. Each figure becomes a ratio to the same round's
"none" figure of the same workload (dump and flood: to the same round's figure without
the dump or flood; the gateway's: to gw-none): the median of those
ratios and their spread are what the run says, absolute TCG figures
being noise. Writes
OUTDIR/results.md (also printed), OUTDIR/connect.png and OUTDIR/scale.png.
Exit status 0 even when a target is missed (the results say so); 1 when
the input lacks a figure (a configuration, workload or round never
measured).
"""
import collections
import datetime
import os
import re
import statistics
import subprocess
import sys

CONFIGS = ["none", "tcplimit", "tl-100k", "ct-count", "meter", "connlimit", "hashlimit"]
WORKLOADS = {
    "connect1": "new connections/s, one client",
    "connect2": "new connections/s, two clients at once",
    "bulk": "iperf3 bulk throughput (2 streams)",
    "http": "nginx requests/s under wrk (8 connections)",
}
# Measured with connect1 only: the scale and the flood's configuration.
SCALE = ["tl-1k", "tl-100k", "tl-1m"]
# Through a router: compared with gw-none.
GATEWAY = ["gw-tcplimit", "gw-ct-count"]
GATEWAY_WORKLOADS = ["connect1", "connect2", "bulk"]
# Workloads compared with the same configuration's figure without them.
SPECIAL = {
    "dump": ("tl-1m", "nodump", "connect1 while tcplimitctl dumps all sources"),
    "flood": ("tl-flood", "noflood", "connect1 during a spoofed SYN flood"),
}
UNITS = {"connect1": "conn/s", "connect2": "conn/s", "bulk": "bit/s", "http": "req/s",
         "dump": "conn/s", "flood": "conn/s"}
CAN_CAP_CONCURRENCY = ["ct-count", "connlimit"]


def load(path):
    figures = collections.defaultdict(dict)  # (workload, config) -> {round: value}
    dumps = {}  # config -> (sources, full ms, top-20 ms)
    sources = {}  # config -> sources in its table
    notes = []
    profiles = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(path) as f:
        for line in f:
            words = line.split()
            if line.startswith("bench: ") and len(words) == 5:
                _, rnd, work, conf, value = words
                figures[(work, conf)][int(rnd)] = float(value)
            elif line.startswith("bench-dump: ") and len(words) == 5:
                dumps[words[1]] = tuple(int(w) for w in words[2:])
            elif line.startswith("bench-profile: ") and len(words) >= 5:
                key = (words[1], words[2])
                if words[3] == "samples":
                    profiles[key]["samples"] = int(words[4])
                elif len(words) >= 6:
                    profiles[key][words[3]].append((float(words[4]), " ".join(words[5:])))
            elif line.startswith("bench-info: "):
                note = line[len("bench-info: "):].strip()
                notes.append(note)
                m = re.match(r"(\S+): (\d+) sources in the table", note)
                if m:
                    sources[m.group(1)] = int(m.group(2))
    return figures, dumps, sources, notes, profiles


def ratios(figures, work, conf, base_work=None, base_conf="none"):
    base = figures[(base_work or work, base_conf)]
    got = figures[(work, conf)]
    return [got[r] / base[r] for r in sorted(got) if r in base and base[r] > 0]


def row(figures, conf, work, base_work=None, base_conf="none"):
    rounds = max(len(v) for v in figures.values())
    r = ratios(figures, work, conf, base_work, base_conf)
    if len(r) < rounds:
        raise SystemExit(f"report.py: {len(r)} {work} ratios for {conf}, want {rounds}")
    absolute = statistics.median(figures[(work, conf)].values())
    return (conf, work, statistics.median(r), min(r), max(r), len(r), absolute)


def table(figures):
    rows = [row(figures, conf, work) for work in WORKLOADS for conf in CONFIGS]
    rows += [row(figures, conf, "connect1") for conf in SCALE + ["tl-flood"]
             if conf not in CONFIGS]
    rows += [row(figures, conf, work, base, conf) for work, (conf, base, _) in SPECIAL.items()]
    rows += [row(figures, conf, work, base_conf="gw-none")
             for work in GATEWAY_WORKLOADS for conf in GATEWAY]
    return rows


def targets(rows, dumps):
    med = {(conf, work): m for conf, work, m, *_ in rows}
    out = []

    def check(what, ok, figure):
        out.append(f"- {'met' if ok else '**missed**'}: {what} ({figure})")

    for work in ("connect1", "connect2"):
        tl = med[("tcplimit", work)]
        check(f"tcplimit {work} >= 0.95 of no filter", tl >= 0.95, f"{tl:.3f}")
        for peer in CAN_CAP_CONCURRENCY:
            check(f"tcplimit {work} above {peer}", tl > med[(peer, work)],
                  f"{tl:.3f} against {med[(peer, work)]:.3f}")
        full = med[("tl-100k", work)]
        check(f"tcplimit with 100k sources {work} >= 0.95", full >= 0.95, f"{full:.3f}")
    for work in ("bulk", "http"):
        tl = med[("tcplimit", work)]
        check(f"tcplimit {work} >= 0.98 of no filter", tl >= 0.98, f"{tl:.3f}")
    for work in ("connect1", "connect2"):
        gw, ct = med[("gw-tcplimit", work)], med[("gw-ct-count", work)]
        check(f"gateway tcplimit {work} >= 0.95 of the router without a filter", gw >= 0.95,
              f"{gw:.3f}")
        check(f"gateway tcplimit {work} above gateway ct-count", gw > ct,
              f"{gw:.3f} against {ct:.3f}")
    gw = med[("gw-tcplimit", "bulk")]
    check("gateway tcplimit bulk >= 0.98 of the router without a filter", gw >= 0.98,
          f"{gw:.3f}")
    flat = med[("tl-1m", "connect1")] / med[("tl-1k", "connect1")]
    check("flat per-SYN cost: connect1 with 1M sources >= 0.95 of with 1k", flat >= 0.95,
          f"{flat:.3f}")
    flood = med[("tl-flood", "flood")]
    check("legitimate connects during a SYN flood >= 0.9 of without", flood >= 0.9,
          f"{flood:.3f}")
    n, full, top = dumps["tl-1m"]
    check(f"top-20 of {n} sources at least 10x faster than a full dump",
          top * 10 <= full, f"{full} ms against {top} ms")
    return out


ENTRIES = ["tcplimit_hook4", "tcplimit_gc_work", "nf_conntrack_in", "nft_do_chain"]


def profile_lines(profiles):
    """The perf section: each entry point's inclusive share and tcplimit's
    own code, then the symbols with the most samples of their own."""
    if not profiles:
        return []
    out = ["", "## Where the time goes (perf)", "",
           "One more figure of each under `perf record -a -g` (cpu-clock, every CPU, "
           "sampling only while the figure runs). Percentages are of all samples, idle "
           "included; an entry point's share counts its callees' samples with its own; "
           "tcplimit's own code is the samples of its functions alone.", "",
           "| configuration | workload | samples | " + " | ".join(ENTRIES)
           + " | tcplimit's own code |",
           "|---|---|---|" + "---|" * (len(ENTRIES) + 1)]
    for (conf, work), p in profiles.items():
        entry = {sym: pct for pct, sym in p["entry"]}
        total = next((pct for pct, sym in p["module"] if sym == "total"), 0.0)
        out.append(f"| {conf} | {work} | {p.get('samples', 0)} | "
                   + " | ".join(f"{entry[e]:.2f}%" if e in entry else "-" for e in ENTRIES)
                   + f" | {total:.2f}% |")
    for (conf, work), p in profiles.items():
        top = ", ".join(f"{sym} {pct:.1f}%" for pct, sym in p["self"])
        own = ", ".join(f"{sym} {pct:.2f}%" for pct, sym in p["module"] if sym != "total")
        out += ["", f"- {conf} {work}: most samples of their own: {top}; "
                f"tcplimit's functions: {own or 'none sampled'}"]
    return out


def plot(rows, outdir):
    data = os.path.join(outdir, "connect.dat")
    with open(data, "w") as f:
        f.write("# config connect1 lo1 hi1 connect2 lo2 hi2\n")
        for conf in CONFIGS:
            r = {work: (m, lo, hi) for c, work, m, lo, hi, *_ in rows if c == conf}
            f.write(f"{conf} {' '.join('%.4f %.4f %.4f' % r[w] for w in ('connect1', 'connect2'))}\n")
    script = f"""
set terminal png size 900,500
set output '{os.path.join(outdir, "connect.png")}'
set title 'New connections per second, ratio to no filter (median, min-max over rounds)'
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set grid ytics
set key top right
set xtics rotate by -20
plot '{data}' using 2:3:4:xtic(1) title 'one client', '' using 5:6:7 title 'two clients'
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


def plot_scale(rows, sources, outdir):
    data = os.path.join(outdir, "scale.dat")
    with open(data, "w") as f:
        f.write("# sources median lo hi\n")
        for conf, work, m, lo, hi, *_ in sorted(rows, key=lambda r: sources.get(r[0], 0)):
            if conf in SCALE and work == "connect1":
                f.write(f"{sources[conf]} {m:.4f} {lo:.4f} {hi:.4f}\n")
    script = f"""
set terminal png size 700,450
set output '{os.path.join(outdir, "scale.png")}'
set title 'New connections per second against sources tracked (ratio to no filter)'
set logscale x
set xlabel 'sources in the table'
set ylabel 'connect rate / no filter'
set yrange [0:*]
set grid
set key off
plot '{data}' using 1:2:3:4 with yerrorlines lw 2 pt 7
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    raw, outdir, kernel = sys.argv[1:4]
    figures, dumps, sources, notes, profiles = load(raw)
    rows = table(figures)
    rounds = max(n for *_, n, _ in rows)
    cpus = next((m.group(1) for n in notes for m in [re.search(r"(\d+) CPUs", n)] if m), "?")
    lines = [
        "# tcplimit benchmark results",
        "",
        f"Run {datetime.date.today().isoformat()}, kernel {kernel}, qemu TCG with {cpus} vCPUs, "
        f"{rounds} interleaved rounds (`make bench`; Documentation/benchmarks.rst says how "
        "to read and rerun it). Ratios are to the same round's figure without a filter; "
        "the spread is the lowest and highest round.",
        "",
        "| configuration | workload | median ratio | spread | rounds | median figure |",
        "|---|---|---|---|---|---|",
    ]
    for conf, work, m, lo, hi, n, absolute in rows:
        lines.append(f"| {conf} | {work} | {m:.3f} | {lo:.3f}-{hi:.3f} | {n} | "
                     f"{absolute:.0f} {UNITS[work]} |")
    lines += ["", "Workloads:", ""]
    lines += [f"- {w}: {d}" for w, d in WORKLOADS.items()]
    lines += [f"- {w}: {d}, as a ratio to {c}'s {b} figure (the same without) in the same round"
              for w, (c, b, d) in SPECIAL.items()]
    lines += ["", "Configurations gw-tcplimit (gateway mode) and gw-ct-count filter on a "
              "router between client and server; their ratios are to the same router "
              "without a filter (gw-none)."]
    lines += ["", "Configurations tl-1k, tl-100k and tl-1m hold "
              + ", ".join(f"{sources[c]}" for c in SCALE) + " other sources.",
              "", "## Control plane", "",
              "| configuration | sources | full dump | top 20 |", "|---|---|---|---|"]
    lines += [f"| {c} | {n} | {full} ms | {top} ms |" for c, (n, full, top) in dumps.items()]
    lines += ["", "## Targets (issue 13)", ""] + targets(rows, dumps)
    lines += profile_lines(profiles)
    if notes:
        lines += ["", "## Notes from the run", ""] + [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write(text)
    if "--no-plot" not in sys.argv:
        plot(rows, outdir)
        plot_scale(rows, sources, outdir)
    print(text, end="")


if __name__ == "__main__":
    main()
