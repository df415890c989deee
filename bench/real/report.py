#!/usr/bin/env python3
"""Tables of the real-library benchmark: medians per library and the issue 9 criteria.

    report.py RESULTS.csv [--speed cpu|wall] [--header TEXT]   re-renders the Markdown of a run

Input: the rows run.py writes (one per library x start x engine x seed). Output: Markdown with
  - the medians table (execs/s, execs/CPU-s, edges at each snapshot, corpus, peak RSS, crash files);
  - the criteria of issue 9's "Done when", per library and start: cfz's median edges at 60 s and at
    120 s >= libFuzzer's (at N executions in the equal-executions mode), cfz's median speed >=
    libFuzzer's, and across the set the median of the cfz/libFuzzer speed ratios >= 1.5; PASS/FAIL each;
  - run by run (where each engine has 2 or more seeds): the edges of every cfz run against every
    libFuzzer run, as Vargha and Delaney's A12 (the chance that a cfz run ends above a libFuzzer run)
    and the two-sided Mann-Whitney U test's p, as Klees et al. ("Evaluating Fuzz Testing", 2018)
    recommend: a median behind by less than the seeds' spread is not a difference between engines.
Speed is execs per CPU-second by default (fair on a loaded, shared machine: --speed cpu), or per wall
second (--speed wall, the issue's figure on a quiet machine).
"""
import argparse
import csv
import json
import math
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


# --- run by run: A12 and the Mann-Whitney U test ------------------------------
SIGNIFICANCE = 0.05
EXACT_MAX = 400  # n1 * n2 up to which p is exact when no values tie


def ranks(xs):
    """Ranks 1..n of xs, ties sharing their mean rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def u_counts(n1, n2):
    """counts[u]: the orderings of n1 + n2 distinct values in which the first sample's U is u."""
    prev = [[1] + [0] * (n1 * n2) for _ in range(n2 + 1)]  # row m: U counts for (0, m)
    for a in range(1, n1 + 1):
        cur = [[0] * (n1 * n2 + 1) for _ in range(n2 + 1)]
        for m in range(n2 + 1):
            for u in range(a * m + 1):
                # the largest value is from sample 1 (it beats all m) or from sample 2
                cur[m][u] = (prev[m][u - m] if u >= m else 0) + (cur[m - 1][u] if m > 0 else 0)
        prev = cur
    return prev[n2]


def mann_whitney(xs, ys):
    """(A12, two-sided p) of xs against ys; None when either has fewer than 2 values."""
    n1, n2 = len(xs), len(ys)
    if n1 < 2 or n2 < 2:
        return None
    r = ranks(list(xs) + list(ys))
    u = sum(r[:n1]) - n1 * (n1 + 1) / 2.0
    a12 = u / (n1 * n2)
    ties = len(set(r)) < len(r)
    if not ties and n1 * n2 <= EXACT_MAX:
        counts = u_counts(n1, n2)
        total = float(sum(counts))
        lo = min(u, n1 * n2 - u)
        p = min(1.0, 2 * sum(counts[: int(lo) + 1]) / total)
        return a12, p
    n = n1 + n2
    tie_term = sum(t ** 3 - t for t in (r.count(v) for v in set(r))) / (n * (n - 1))
    sigma = math.sqrt(n1 * n2 / 12.0 * ((n + 1) - tie_term))
    if sigma == 0:
        return a12, 1.0
    z = max(0.0, abs(u - n1 * n2 / 2.0) - 0.5) / sigma
    return a12, min(1.0, math.erfc(z / math.sqrt(2)))


def run_by_run_table(rows, keys):
    out = []
    for lib, start in groups(rows):
        for k in criteria_keys(keys):
            xs = {e: [float(r[k]) for r in rows if r["lib"] == lib and r["start"] == start
                      and r["engine"] == e and r.get(k) not in (None, "")] for e in ENGINES}
            t = mann_whitney(xs["cfz"], xs["libfuzzer"])
            if t is None:
                continue
            a12, p = t
            reading = ("no significant difference" if p >= SIGNIFICANCE
                       else "cfz ahead" if a12 > 0.5 else "cfz behind")
            out.append("| %s | %s | %s | %d / %d | %.2f | %.3f | %s |" % (
                lib, start, key_label(k), len(xs["cfz"]), len(xs["libfuzzer"]), a12, p, reading))
    if not out:
        return []
    return ["", "### Run by run", "",
            "Every cfz run's edges against every libFuzzer run's: A12 is the chance that a cfz run ends above a "
            "libFuzzer run (0.5: even; ties count half), p the two-sided Mann-Whitney U test's (exact without "
            "ties, else the normal approximation); below %.2f the engines differ." % SIGNIFICANCE, "",
            "| library | start | edges at | seeds cfz / libFuzzer | A12 | p | reading |",
            "|---|---|---|---:|---:|---:|---|"] + out


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
    lines += run_by_run_table(rows, keys)
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
