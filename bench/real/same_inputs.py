#!/usr/bin/env python3
"""Speed of the two harnesses on the same inputs: each engine's corpus of a finished run replayed
through both binaries of each library.

    same_inputs.py --dir BENCH_REAL_DIR --run RUNDIR [--cfz-bin DIR] [--seed N] [--snap 120s]
                   [--passes 5] [--reps 2] LIB...

RUNDIR is a run of bench/real/run.py (`<out>/runs/<stamp>`, holding <lib>/empty/<engine>/seed<N>/snap-*).
For each library, cfz's and libFuzzer's snapshot (cfz's files decoded to raw bytes) are replayed by
`<lib>-cfz` and `<lib>-libfuzzer` with `-runs=PASSES -detect_leaks=0 -timeout=10 FILES`, under
`/usr/bin/time -v`, REPS times, the two binaries alternating; the table gives user + system CPU seconds
summed over the repetitions and the executions per CPU-second of each binary. The executions are the same
for both (inputs x passes x repetitions), so their ratio is the harnesses' speed on the same work, free of
what each engine's own inputs cost (libpng's deep inputs against its header-only ones: docs/performance.md).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import run  # noqa: E402

BINARIES = ("cfz", "libfuzzer")


def replay(binary, corpus, passes, timeout_s=1800):
    """User + system CPU seconds of one replay of every file of corpus, passes times each."""
    files = sorted(os.listdir(corpus))
    with tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False) as t:
        tpath = t.name
    try:
        cmd = ["/usr/bin/time", "-v", "-o", tpath, binary, "-runs=%d" % passes, "-detect_leaks=0",
               "-timeout=10", "-rss_limit_mb=4096"] + files
        subprocess.run(cmd, cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL, timeout=timeout_s, check=False)
        return run.time_v(tpath)[1]
    finally:
        os.unlink(tpath)


def summarise(lib, corpus_engine, inputs, execs, cpu):
    """A table row: cpu maps each binary to its CPU seconds for the same `execs` executions."""
    rate = {b: (execs / cpu[b] if cpu.get(b) else None) for b in BINARIES}
    ratio = rate["cfz"] / rate["libfuzzer"] if rate["cfz"] and rate["libfuzzer"] else None
    return {"lib": lib, "corpus": corpus_engine, "inputs": inputs, "execs": execs,
            "cpu_cfz": cpu.get("cfz"), "cpu_libfuzzer": cpu.get("libfuzzer"),
            "rate_cfz": rate["cfz"], "rate_libfuzzer": rate["libfuzzer"], "ratio": ratio}


def render(rows):
    out = ["| library | corpus of | inputs | executions | CPU-s cfz / libFuzzer harness | "
           "execs/CPU-s cfz / libFuzzer | ratio |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s / %s | %s / %s | %s |" % (
            r["lib"], r["corpus"], report.fmt(r["inputs"]), report.fmt(r["execs"]), report.fmt(r["cpu_cfz"], 2),
            report.fmt(r["cpu_libfuzzer"], 2), report.fmt(r["rate_cfz"]), report.fmt(r["rate_libfuzzer"]),
            report.fmt(r["ratio"], 2)))
    ratios = [r["ratio"] for r in rows if r["ratio"] is not None]
    if ratios:
        out += ["", "Median of the ratios (cfz's harness against libFuzzer's on the same executions): %.2f× "
                "over %d corpora." % (statistics.median(ratios), len(ratios))]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="BENCH_REAL_DIR: bin/<lib>-libfuzzer")
    ap.add_argument("--run", required=True, help="a run of run.py: <out>/runs/<stamp>")
    ap.add_argument("--cfz-bin", help="dir of the <lib>-cfz binaries (default DIR/bin)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--snap", default="120s", help="which snapshot: 10s, 60s, 120s, ...")
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("libs", nargs="+")
    args = ap.parse_args()
    bins = {"libfuzzer": os.path.join(args.dir, "bin"), "cfz": args.cfz_bin or os.path.join(args.dir, "bin")}
    rows = []
    work = tempfile.mkdtemp(prefix="same-inputs-")
    try:
        for lib in args.libs:
            binary = {b: os.path.join(bins[b], "%s-%s" % (lib, b)) for b in BINARIES}
            missing = [p for p in binary.values() if not os.access(p, os.X_OK)]
            if missing:
                sys.exit("same-inputs: %s: no executable %s" % (lib, " or ".join(missing)))
            for engine in ("cfz", "libfuzzer"):
                snap = os.path.join(args.run, lib, "empty", engine, "seed%d" % args.seed, "snap-" + args.snap)
                if not os.path.isdir(snap):
                    print("same-inputs: %s: no snapshot %s" % (lib, snap), file=sys.stderr)
                    continue
                raw = os.path.join(work, "%s-%s" % (lib, engine))
                shutil.rmtree(raw, ignore_errors=True)
                run.copy_dir(snap, raw, raw=(engine == "cfz"))
                inputs = len(os.listdir(raw))
                cpu = dict.fromkeys(BINARIES, 0.0)
                for rep in range(args.reps):
                    order = BINARIES if rep % 2 == 0 else BINARIES[::-1]
                    for b in order:
                        cpu[b] += replay(binary[b], raw, args.passes)
                rows.append(summarise(lib, engine, inputs, inputs * args.passes * args.reps, cpu))
                print("same-inputs: %s, %s's corpus: %d inputs, CPU-s cfz %.2f, libFuzzer %.2f" % (
                    lib, engine, inputs, cpu["cfz"], cpu["libfuzzer"]), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(render(rows), end="")


if __name__ == "__main__":
    main()
