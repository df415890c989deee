#!/usr/bin/env python3
"""Tables of the real-library benchmark: medians per library and the issue 9 criteria.

    report.py RESULTS.csv [--speed cpu|wall] [--header TEXT]   re-renders the Markdown of a run

Input: the rows run.py writes (one per library x start x engine x seed). Output: Markdown with
  - the medians table (execs/s, execs/CPU-s, edges at each snapshot, corpus, peak RSS, crash files);
  - the criteria of issue 9's "Done when", per library and start: cfz's median edges at 60 s and at
    120 s >= libFuzzer's (at N executions in the equal-executions mode), cfz's median speed >=
    libFuzzer's, and across the set the median of the cfz/libFuzzer speed ratios >= 1.5; PASS/FAIL each.
Speed is execs per CPU-second by default (fair on a loaded, shared machine: --speed cpu), or per wall
second (--speed wall, the issue's figure on a quiet machine).
"""
import argparse
import csv
import json
import statistics

RATIO_GOAL = 1.5
ENGINES = ("libfuzzer", "cfz")
ENGINE_NAME = {"libfuzzer": "libFuzzer", "cfz": "cfz"}
CALLBACKS = ("__sanitizer_cov_", "__sancov_")


def med(xs):
    xs = [x for x in xs if x is not None and x != ""]
    return statistics.median(float(x) for x in xs) if xs else None


def fmt(x, nd=0):
    if x is None:
        return "—"
    return "{:,.{}f}".format(x, nd)


def snapshot_keys(rows):
    """The edges_* columns in snapshot order: edges_10s, edges_60s, ... or edges_40000x."""
    keys = [k for k in rows[0] if k.startswith("edges_")] if rows else []
    return sorted(keys, key=lambda k: int(k[6:-1]))


def key_label(k):
    n = int(k[6:-1])
    return "%d s" % n if k.endswith("s") else "%s execs" % fmt(n)


def groups(rows):
    """(lib, start) pairs in the order they first appear."""
    seen = []
    for r in rows:
        g = (r["lib"], r["start"])
        if g not in seen:
            seen.append(g)
    return seen


def medians(rows, lib, start, engine, keys):
    rs = [r for r in rows if r["lib"] == lib and r["start"] == start and r["engine"] == engine]
    if not rs:
        return None
    m = {k: med([r.get(k) for r in rs]) for k in keys}
    m.update({f: med([r.get(f) for r in rs]) for f in (
        "execs_per_s", "execs_per_cpu_s", "corpus", "peak_rss_mb", "crash_files", "execs")})
    m["cpu_share"] = med([float(r["cpu_s"]) / float(r["wall_s"]) for r in rs if r.get("wall_s")])
    m["seeds"] = len(rs)
    m["kind"] = rs[0].get("kind", "")
    m["errors"] = "; ".join(sorted({r["error"] for r in rs if r.get("error")}))
    return m


def ratio(a, b):
    return a / b if a is not None and b else None


def medians_table(rows, keys):
    head = ["library (kind)", "start", "engine", "seeds", "execs/s", "execs/CPU-s", "CPU share"] + \
        ["edges " + key_label(k) for k in keys] + \
        ["corpus", "peak RSS MB", "crash files", "cfz/libFuzzer execs/s", "cfz/libFuzzer execs/CPU-s"]
    out = ["| " + " | ".join(head) + " |", "|---|---|---|" + "---:|" * (len(head) - 3)]
    for lib, start in groups(rows):
        m = {e: medians(rows, lib, start, e, keys) for e in ENGINES}
        for e in ENGINES:
            x = m[e]
            if x is None:
                continue
            first = e == ENGINES[0] or m[ENGINES[0]] is None
            cells = ["%s (%s)" % (lib, x["kind"]) if first else "", start if first else "",
                     ENGINE_NAME[e] + (" ⚠ " + x["errors"] if x["errors"] else ""), "%d" % x["seeds"],
                     fmt(x["execs_per_s"]), fmt(x["execs_per_cpu_s"]),
                     fmt(100 * x["cpu_share"] if x["cpu_share"] is not None else None) + " %"]
            cells += [fmt(x[k]) for k in keys]
            cells += [fmt(x["corpus"]), fmt(x["peak_rss_mb"]), fmt(x["crash_files"])]
            if e == "cfz" and m["libfuzzer"]:
                lf = m["libfuzzer"]
                cells += [fmt(ratio(x["execs_per_s"], lf["execs_per_s"]), 2),
                          fmt(ratio(x["execs_per_cpu_s"], lf["execs_per_cpu_s"]), 2)]
            else:
                cells += ["", ""]
            out.append("| " + " | ".join(cells) + " |")
    return out


def verdict(cfz, lf):
    """'PASS'/'FAIL' for cfz >= libFuzzer, 'n/a' when a figure is missing."""
    if cfz is None or lf is None:
        return "n/a"
    return "PASS" if cfz >= lf else "FAIL"


def criteria_keys(keys):
    """The edge snapshots the criteria look at: 60 s and 120 s, or the N-executions one."""
    if keys and keys[-1].endswith("x"):
        return keys[-1:]
    return ["edges_60s", "edges_120s"]


def criteria(rows, keys, speed):
    """Per (lib, start): [(label, cfz, lf, verdict)], and the speed ratios."""
    sp = "execs_per_cpu_s" if speed == "cpu" else "execs_per_s"
    table, ratios = [], []
    for lib, start in groups(rows):
        m = {e: medians(rows, lib, start, e, keys) for e in ENGINES}
        if m["cfz"] is None or m["libfuzzer"] is None:
            continue
        checks = []
        for k in criteria_keys(keys):
            c, lf = m["cfz"].get(k), m["libfuzzer"].get(k)
            checks.append(("edges at " + key_label(k), c, lf, verdict(c, lf)))
        c, lf = m["cfz"][sp], m["libfuzzer"][sp]
        checks.append(("speed", c, lf, verdict(c, lf)))
        r = ratio(c, lf)
        if r is not None:
            ratios.append(r)
        table.append((lib, start, checks, r))
    return table, ratios


def criteria_table(rows, keys, speed):
    table, ratios = criteria(rows, keys, speed)
    unit = "execs/CPU-s" if speed == "cpu" else "execs/s"
    ck = criteria_keys(keys)
    head = ["library", "start"]
    for k in ck:
        head += ["edges at %s cfz / libFuzzer" % key_label(k), "≥"]
    head += ["%s cfz / libFuzzer" % unit, "ratio", "≥"]
    out = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|---|" * len(ck) + "---:|---:|---|"]
    verdicts = {}
    for lib, start, checks, r in table:
        cells = [lib, start]
        for label, c, lf, v in checks:
            cells += ["%s / %s" % (fmt(c), fmt(lf)), "**%s**" % v if v == "FAIL" else v]
            verdicts.setdefault(label, []).append(("%s (%s)" % (lib, start), v))
        cells.insert(len(cells) - 1, fmt(r, 2))
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    mr = statistics.median(ratios) if ratios else None
    out.append("Criteria (issue 9, \"Done when\"; speed = %s; medians of the seeds):" % unit)
    for label in [("edges at " + key_label(k)) for k in ck] + ["speed"]:
        what = "cfz's median %s ≥ libFuzzer's on every library and start" % (
            label if label != "speed" else unit)
        out.append("- %s: %s" % (what, overall(verdicts.get(label, []))))
    out.append("- median of the cfz/libFuzzer %s ratios across the set ≥ %.1f×: %s (%s over %d rows)" % (
        unit, RATIO_GOAL, "**PASS**" if mr is not None and mr >= RATIO_GOAL else "**FAIL**",
        fmt(mr, 2), len(ratios)))
    shares = {e: med([float(r["cpu_s"]) / float(r["wall_s"]) for r in rows if r["engine"] == e and r.get("wall_s")])
              for e in ENGINES}
    if not keys[-1].endswith("x") and None not in shares.values():
        out += ["", "CPU share (median over every run): libFuzzer %.0f %%, cfz %.0f %% of a core. Edges at a "
                "given wall time depend on it; on a shared machine the comparison free of it is at equal "
                "executions (`--execs`)." % (100 * shares["libfuzzer"], 100 * shares["cfz"])]
    return out


def overall(vs):
    """One criterion over the set: FAIL if any row fails, PASS if all pass, else n/a (figures
    missing: runs shorter than the snapshot, or an engine without a result)."""
    bad = [name for name, v in vs if v == "FAIL"]
    missing = [name for name, v in vs if v == "n/a"]
    if bad:
        return "**FAIL** (not met: %s)" % ", ".join(bad)
    if not vs or missing:
        return "n/a (no figure for %s)" % (", ".join(missing) or "any library")
    return "**PASS**"


# --- profiles (run.py --profile) ---------------------------------------------
PROFILE_MARGIN = 1.0  # percentage points of sampling noise allowed before a harness function "costs more"


def profile_medians(rows, lib, start, engine):
    """{symbol: median percent over the seeds' profiles} of one engine (0 where a profile lacks it)."""
    profs = [json.loads(r["profile"]) for r in rows if r["lib"] == lib and r["start"] == start
             and r["engine"] == engine and r.get("profile")]
    if not profs:
        return None
    names = set().union(*profs)
    return {n: statistics.median(p.get(n, 0.0) for p in profs) for n in names}


def own_code(prof):
    """The engine's own code: its harness share less the coverage callbacks."""
    return prof["=harness"] - sum(p for s, p in prof.items() if s.startswith(CALLBACKS))


def profile_checks(lf, cz):
    """[(what, cfz %, libFuzzer %, verdict)]: each callback by name, then the engines' own code."""
    out = []
    for s in sorted(n for n in set(lf) | set(cz) if n.startswith(CALLBACKS)):
        c, l = cz.get(s, 0.0), lf.get(s, 0.0)
        if max(c, l) >= PROFILE_MARGIN:
            out.append((s, c, l, "PASS" if c <= l + PROFILE_MARGIN else "FAIL"))
    c, l = own_code(cz), own_code(lf)
    out.append(("engine's own code", c, l, "PASS" if c <= l + PROFILE_MARGIN else "FAIL"))
    return out


def profile_table(rows):
    if not any(r.get("profile") for r in rows):
        return []
    out = ["", "### Profiles", "",
           "Self time of the process that runs the target (libFuzzer's; cfz's worker), percent of its samples, "
           "median over the seeds; harness = the engine's functions (bench/real/perf_profile.py). A harness "
           "function fails when it takes more than libFuzzer's counterpart + %.0f point (sampling noise)." %
           PROFILE_MARGIN, "",
           "| library | start | samples cfz / libFuzzer | harness total cfz / libFuzzer | costlier in cfz than in libFuzzer | ≥ |",
           "|---|---|---:|---:|---|---|"]
    bad = []
    for lib, start in groups(rows):
        lf, cz = profile_medians(rows, lib, start, "libfuzzer"), profile_medians(rows, lib, start, "cfz")
        if not lf or not cz:
            continue
        fails = [(w, c, l) for w, c, l, v in profile_checks(lf, cz) if v == "FAIL"]
        if fails:
            bad.append("%s (%s)" % (lib, start))
        out.append("| %s | %s | %s / %s | %.1f %% / %.1f %% | %s | %s |" % (
            lib, start, fmt(cz["=samples"]), fmt(lf["=samples"]), cz["=harness"], lf["=harness"],
            "; ".join("`%s` %.1f %% vs %.1f %%" % f for f in fails) or "—", "**FAIL**" if fails else "PASS"))
    out += ["", "- no harness function costlier than libFuzzer's counterpart (callbacks by name, the engine's "
            "own code as a whole): %s" % ("**FAIL** (not met: %s)" % ", ".join(bad) if bad else "**PASS**")]
    return out


def render(rows, speed, header=""):
    keys = snapshot_keys(rows)
    lines = [header, ""] if header else []
    lines += medians_table(rows, keys) + ["", "### Criteria", ""] + criteria_table(rows, keys, speed)
    lines += profile_table(rows)
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--speed", default="cpu", choices=["cpu", "wall"])
    ap.add_argument("--header", default="")
    args = ap.parse_args()
    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    print(render(rows, args.speed, args.header), end="")


if __name__ == "__main__":
    main()
