#!/usr/bin/env python3
"""Run cfz and libFuzzer on the real-library builds and tabulate the results.

Called by scripts/bench-real.sh once the binaries are built:
    run.py --dir D --cfz CFZ --seconds T --seeds N --start empty|seeds|both LIB...
D holds bin/<lib>-libfuzzer, bin/<lib>-cfz and obj/<lib>/seeds/ (see README.md).

One engine at a time, same seeds, same starting corpus. Edges are counted the
same way for both engines: the engine's corpus, snapshotted at 10/60/120 s
(and at the end), is replayed through the libFuzzer build with -runs=0 and its
`INITED cov:` figure is taken. cfz's corpus files (text format) are decoded to
raw bytes first. Results: D/results/<stamp>.csv and .md (also printed).
"""
import argparse
import csv
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

TIMEOUT_S = 10  # per-input hang limit, the same for both engines (cfz's default)


def log(msg):
    print("bench-real: " + msg, file=sys.stderr, flush=True)


# --- cfz corpus files -> raw bytes ------------------------------------------
SIMPLE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34, "'": 39}


def unquote(lit):
    """Decode a Go-quoted "..." or `...` literal (docs/corpus-format.md) to bytes."""
    if lit.startswith("`"):
        return lit[1:-1].replace("\r", "").encode()
    s = lit[1:-1]
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = s[i + 1]
        if e in SIMPLE:
            out.append(SIMPLE[e])
            i += 2
        elif e == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif e in "01234567":
            out.append(int(s[i + 1:i + 4], 8))
            i += 4
        elif e == "u":
            out += chr(int(s[i + 2:i + 6], 16)).encode()
            i += 6
        elif e == "U":
            out += chr(int(s[i + 2:i + 10], 16)).encode()
            i += 10
        else:
            raise ValueError("bad escape \\" + e)
    return bytes(out)


def to_raw(data):
    """The input bytes of one corpus file: cfz/Go text format or raw."""
    first, _, rest = data.partition(b"\n")
    if first.rstrip(b"\r") not in (b"cfz fuzz v1", b"go test fuzz v1"):
        return data
    for line in rest.decode().splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"\[\]byte\s*\(\s*(.*)\s*\)", line)
        if not m:
            raise ValueError("not a bytes value: " + line[:60])
        return unquote(m.group(1))
    return b""


# --- one engine run ---------------------------------------------------------
def copy_dir(src, dst, raw=False):
    """Copy the files of src (tolerating files that vanish meanwhile)."""
    os.makedirs(dst, exist_ok=True)
    if not os.path.isdir(src):
        return
    for name in os.listdir(src):
        try:
            with open(os.path.join(src, name), "rb") as f:
                data = f.read()
        except OSError:
            continue
        if raw:
            data = to_raw(data)
        with open(os.path.join(dst, name), "wb") as f:
            f.write(data)


def time_v(path):
    """(peak RSS in kB, user + system CPU seconds) from a /usr/bin/time -v report."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return 0, 0.0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    return (int(m.group(1)) if m else 0), cpu


class Run:
    def __init__(self, args, lib, engine, start, seed, wd):
        self.args, self.lib, self.engine, self.start, self.seed, self.wd = args, lib, engine, start, seed, wd
        self.bin_lf = os.path.join(args.dir, "bin", lib + "-libfuzzer")
        self.bin_cfz = os.path.join(args.dir, "bin", lib + "-cfz")
        self.seeds = os.path.join(args.dir, "obj", lib, "seeds")
        self.seed_dirs = [self.seeds] if start == "seeds" else []
        if engine == "libfuzzer":
            self.corpus = os.path.join(wd, "corpus")
        else:
            self.corpus = os.path.join(wd, "cache", lib + "-cfz")
        self.log_path = os.path.join(wd, "engine.log")
        self.error = ""

    def snapshot_times(self):
        T = self.args.seconds
        return [t for t in (10, 60, 120) if t < T] + [T]

    def command(self, remaining, k):
        timef = ["/usr/bin/time", "-v", "-o", os.path.join(self.wd, "time-%d.txt" % k)]
        if self.engine == "libfuzzer":
            return timef + [self.bin_lf, "-seed=%d" % (self.seed + 1000 * k),
                            "-max_total_time=%d" % remaining, "-timeout=%d" % TIMEOUT_S,
                            "-print_final_stats=1",
                            "-artifact_prefix=" + os.path.join(self.wd, "crashes") + "/",
                            self.corpus] + self.seed_dirs
        return timef + [self.args.cfz, "run", "--seed", str(self.seed + 1000 * k), "-j", "1",
                        "--fuzz-time", "%ds" % remaining, "--timeout", "%ds" % TIMEOUT_S,
                        "--minimize-time", "0", "--keep-going",
                        "--cache-dir", os.path.join(self.wd, "cache"),
                        "--testdata", os.path.join(self.wd, "testdata"),
                        self.bin_cfz] + self.seed_dirs

    def execute(self):
        os.makedirs(os.path.join(self.wd, "crashes"), exist_ok=True)
        os.makedirs(self.corpus, exist_ok=True)
        T = self.args.seconds
        times = self.snapshot_times()
        t0 = time.monotonic()
        done = threading.Event()

        def snapper():
            for t in times[:-1]:
                if done.wait(max(0, t0 + t - time.monotonic())):
                    return
                copy_dir(self.corpus, os.path.join(self.wd, "snap-%d" % t))

        th = threading.Thread(target=snapper)
        th.start()
        self.restarts = 0
        k = 0
        with open(self.log_path, "wb") as logf:
            while True:
                remaining = int(round(T - (time.monotonic() - t0)))
                if remaining < 1:
                    break
                cmd = self.command(remaining, k)
                logf.write(("$ " + " ".join(cmd) + "\n").encode())
                logf.flush()
                try:
                    # A session of its own: with the kernel's autogroup scheduling a session is
                    # a scheduling group, and cfz's worker already runs in its own session.
                    rc = subprocess.run(cmd, cwd=self.wd, stdout=logf, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, timeout=remaining + 60,
                                        start_new_session=True).returncode
                except subprocess.TimeoutExpired:
                    rc = -9
                    self.error = "did not stop within 60 s of its time limit"
                k += 1
                if rc == 0:
                    break
                if self.engine == "cfz":
                    if rc == 1:  # failures found (--keep-going): it ran to its limit
                        break
                    self.error = self.error or "cfz exited with status %d" % rc
                    break
                self.restarts += 1  # libFuzzer stops at a failure: go on with its corpus
        self.wall = time.monotonic() - t0
        done.set()
        th.join()
        last = times[-1]
        copy_dir(self.corpus, os.path.join(self.wd, "snap-%d" % last))
        for t in times[:-1]:  # a snapshot the run ended before: its final corpus
            if not os.path.isdir(os.path.join(self.wd, "snap-%d" % t)):
                copy_dir(self.corpus, os.path.join(self.wd, "snap-%d" % t))
        self.nruns = k

    def parse(self):
        with open(self.log_path, "rb") as f:
            out = f.read().decode(errors="replace")
        self.out = out
        if self.engine == "libfuzzer":
            execs = 0
            for chunk in out.split("\n$ ")[0:]:
                stat = re.findall(r"stat::number_of_executed_units: (\d+)", chunk)
                prog = re.findall(r"^#(\d+)\s", chunk, re.M)
                execs += max([int(x) for x in stat + prog] or [0])
            crashes = len(os.listdir(os.path.join(self.wd, "crashes")))
        else:
            m = re.findall(r"execs: (\d+)", out)
            execs = int(m[-1]) if m else 0
            tdir = os.path.join(self.wd, "testdata")
            crashes = sum(len(fs) for _, _, fs in os.walk(tdir)) if os.path.isdir(tdir) else 0
            if "terminated without fuzzing" in out:
                self.error = "start-up failure: " + out.split("terminated without fuzzing", 1)[1][:300]
        self.execs = execs
        self.crashes = crashes
        tv = [time_v(os.path.join(self.wd, "time-%d.txt" % k)) for k in range(self.nruns)]
        self.rss_mb = max([r for r, _ in tv] or [0]) / 1024
        self.cpu_s = sum(c for _, c in tv)
        self.corpus_size = len(os.listdir(os.path.join(self.wd, "snap-%d" % self.snapshot_times()[-1])))

    def edges(self):
        """Edges of each snapshot, counted by the libFuzzer build."""
        self.edge = {}
        for t in self.snapshot_times():
            snap = os.path.join(self.wd, "snap-%d" % t)
            raw = os.path.join(self.wd, "raw-%d" % t)
            shutil.rmtree(raw, ignore_errors=True)
            copy_dir(snap, raw, raw=(self.engine == "cfz"))
            cmd = [self.bin_lf, "-runs=0", "-detect_leaks=0", "-timeout=%d" % TIMEOUT_S,
                   "-rss_limit_mb=4096", raw] + self.seed_dirs
            try:
                p = subprocess.run(cmd, cwd=self.wd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, timeout=600)
                text = p.stdout.decode(errors="replace")
            except subprocess.TimeoutExpired:
                text = ""
            m = re.search(r"INITED cov: (\d+)", text)
            self.edge[t] = int(m.group(1)) if m else None
            if m is None:
                with open(os.path.join(self.wd, "replay-%d.log" % t), "w") as f:
                    f.write(text)
            shutil.rmtree(raw, ignore_errors=True)


# --- driver -----------------------------------------------------------------
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, nd=0):
    if x is None:
        return "—"
    return "{:,.{}f}".format(x, nd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cfz", required=True)
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--start", default="both", choices=["empty", "seeds", "both"])
    ap.add_argument("--engines", default="libfuzzer,cfz",
                    help="comma-separated subset of libfuzzer,cfz (e.g. cfz alone to compare cfz variants)")
    ap.add_argument("libs", nargs="+")
    args = ap.parse_args()
    args.dir = os.path.abspath(args.dir)
    args.cfz = os.path.abspath(args.cfz)
    stamp = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    rundir = os.path.join(args.dir, "runs", stamp)
    resdir = os.path.join(args.dir, "results")
    os.makedirs(resdir, exist_ok=True)
    kinds = {}
    manifest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.tsv")
    with open(manifest) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                cols = line.rstrip("\n").split("\t")
                kinds[cols[0]] = cols[3]
    times = [t for t in (10, 60, 120) if t < args.seconds] + [args.seconds]
    fields = ["lib", "kind", "start", "engine", "seed", "seconds", "execs", "execs_per_s", "cpu_s",
              "execs_per_cpu_s"] + \
             ["edges_%ds" % t for t in times] + ["corpus", "peak_rss_mb", "crash_files", "restarts", "error"]
    rows = []
    csv_path = os.path.join(resdir, stamp + ".csv")
    for lib in args.libs:
        has_seeds = bool(os.listdir(os.path.join(args.dir, "obj", lib, "seeds")))
        starts = {"empty": ["empty"], "seeds": ["seeds" if has_seeds else "empty"],
                  "both": ["empty", "seeds"] if has_seeds else ["empty"]}[args.start]
        for start in starts:
            for seed in range(1, args.seeds + 1):
                for engine in [e for e in ("libfuzzer", "cfz") if e in args.engines.split(",")]:
                    wd = os.path.join(rundir, lib, start, engine, "seed%d" % seed)
                    os.makedirs(wd)
                    r = Run(args, lib, engine, start, seed, wd)
                    log("%s %s start=%s seed=%d: %d s" % (lib, engine, start, seed, args.seconds))
                    r.execute()
                    r.parse()
                    r.edges()
                    row = {"lib": lib, "kind": kinds.get(lib, ""), "start": start, "engine": engine,
                           "seed": seed, "seconds": args.seconds, "execs": r.execs,
                           "execs_per_s": round(r.execs / r.wall, 1), "cpu_s": round(r.cpu_s, 1),
                           "execs_per_cpu_s": round(r.execs / r.cpu_s, 1) if r.cpu_s else None, "corpus": r.corpus_size,
                           "peak_rss_mb": round(r.rss_mb, 1), "crash_files": r.crashes,
                           "restarts": r.restarts, "error": r.error}
                    for t in times:
                        row["edges_%ds" % t] = r.edge[t]
                    rows.append(row)
                    log("  execs/s %s (per CPU-s %s), edges %s, corpus %d, rss %.0f MB, crash files %d%s" % (
                        row["execs_per_s"], row["execs_per_cpu_s"], "/".join(str(r.edge[t]) for t in times), r.corpus_size,
                        r.rss_mb, r.crashes, (", ERROR: " + r.error) if r.error else ""))
                    with open(csv_path, "w", newline="") as f:
                        w = csv.DictWriter(f, fieldnames=fields)
                        w.writeheader()
                        w.writerows(rows)
    # Markdown: medians over seeds.
    head = "| library (kind) | start | engine | execs/s | execs/CPU-s | CPU share | " + " | ".join(
        "edges %d s" % t for t in times) + \
        " | corpus | peak RSS MB | crash files | cfz/libFuzzer execs/s | cfz/libFuzzer execs/CPU-s |"
    lines = ["Medians of %d seed(s), %d s per run, one engine at a time (-j 1). Edges: each engine's corpus "
             "replayed through the libFuzzer build (`-runs=0`, `INITED cov:`)." % (args.seeds, args.seconds), "",
             head, "|---|---|---|" + "---:|" * (head.count("|") - 4)]
    ratios, cratios = [], []
    for lib in args.libs:
        for start in ("empty", "seeds"):
            sel = [r for r in rows if r["lib"] == lib and r["start"] == start]
            if not sel:
                continue
            eps, epc = {}, {}
            for engine in ("libfuzzer", "cfz"):
                rs = [r for r in sel if r["engine"] == engine]
                eps[engine] = med([r["execs_per_s"] for r in rs])
                epc[engine] = med([r["execs_per_cpu_s"] for r in rs])
            ratio = eps["cfz"] / eps["libfuzzer"] if eps["libfuzzer"] else None
            cratio = epc["cfz"] / epc["libfuzzer"] if epc["libfuzzer"] and epc["cfz"] else None
            if ratio is not None:
                ratios.append(ratio)
            if cratio is not None:
                cratios.append(cratio)
            for engine in ("libfuzzer", "cfz"):
                rs = [r for r in sel if r["engine"] == engine]
                if not rs:
                    continue
                errs = "; ".join(sorted({r["error"] for r in rs if r["error"]}))
                cells = ["%s (%s)" % (lib, kinds.get(lib, "")) if engine == "libfuzzer" else "",
                         start if engine == "libfuzzer" else "",
                         {"libfuzzer": "libFuzzer"}.get(engine, engine) + (" ⚠ " + errs if errs else ""),
                         fmt(eps[engine]), fmt(epc[engine]),
                         fmt(100 * med([r["cpu_s"] / r["seconds"] for r in rs])) + " %"]
                cells += [fmt(med([r["edges_%ds" % t] for r in rs])) for t in times]
                cells += [fmt(med([r["corpus"] for r in rs])), fmt(med([r["peak_rss_mb"] for r in rs])),
                          fmt(med([r["crash_files"] for r in rs])),
                          ("%.2f" % ratio if ratio is not None else "—") if engine == "cfz" else "",
                          ("%.2f" % cratio if cratio is not None else "—") if engine == "cfz" else ""]
                lines.append("| " + " | ".join(cells) + " |")
    if ratios:
        lines += ["", "Median cfz/libFuzzer ratio over the rows: execs/s %.2f, execs/CPU-s %s" % (
            statistics.median(ratios), "%.2f" % statistics.median(cratios) if cratios else "—")]
    md = "\n".join(lines) + "\n"
    with open(os.path.join(resdir, stamp + ".md"), "w") as f:
        f.write(md)
    print(md)
    log("results: %s and %s.md; runs in %s" % (csv_path, os.path.join(resdir, stamp), rundir))


if __name__ == "__main__":
    main()
