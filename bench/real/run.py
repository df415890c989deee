#!/usr/bin/env python3
"""Run cfz and libFuzzer on the real-library builds and tabulate the results.

Called by scripts/bench-real.sh once the binaries are built:
    run.py --dir D --cfz CFZ [--cfz-bin B] [--out O] [--seconds T | --execs N] [--seeds N]
           [--start empty|seeds|both] [--parallel N] [--speed cpu|wall] LIB...
D holds bin/<lib>-libfuzzer, bin/<lib>-cfz (or B/<lib>-cfz) and obj/<lib>/seeds/ (see README.md).

Each engine alone (-j 1), same seeds, same starting corpus; --parallel N runs N of these at
once, each process in a session of its own. Edges are counted the same way for both engines:
the engine's corpus, snapshotted at 10/60/120 s and at the end (--execs: after N executions),
is replayed through the libFuzzer build with -runs=0 and its `INITED cov:` figure is taken.
cfz's corpus files (text format) are decoded to raw bytes first. Results: O/results/<stamp>.csv
(every run, written as each finishes) and .md (medians and issue 9's criteria: report.py;
also printed).
"""
import argparse
import json
import concurrent.futures
import csv
import datetime
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

import perf_profile
import report

TIMEOUT_S = 10  # per-input hang limit, the same for both engines (cfz's default)
REPLAY_MARGIN_S = 60  # --stop-by: what a run's snapshot replays are expected to take


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


def lf_execs(text):
    """Executions of one libFuzzer process, from its final stats or its last #N line."""
    stat = re.findall(r"stat::number_of_executed_units: (\d+)", text)
    prog = re.findall(r"^#(\d+)\s", text, re.M)
    return max([int(x) for x in stat + prog] or [0])


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def points(args):
    """Snapshot points: [(key, seconds or None)]. Time mode: 10, 60, 120 s below the run's length and
    the end; equal-executions mode: the end only (after N executions)."""
    if args.execs:
        return [("%dx" % args.execs, None)]
    T = args.seconds
    return [("%ds" % t, t) for t in (10, 60, 120) if t < T] + [("%ds" % T, T)]


class Run:
    """One engine on one library, start and seed, in its own work dir wd."""

    def __init__(self, args, lib, engine, start, seed, wd):
        self.args, self.lib, self.engine, self.start, self.seed, self.wd = args, lib, engine, start, seed, wd
        self.bin_lf = os.path.join(args.dir, "bin", lib + "-libfuzzer")
        self.bin_cfz = os.path.join(args.cfz_bin, lib + "-cfz")
        self.seeds = os.path.join(args.dir, "obj", lib, "seeds")
        self.seed_dirs = [self.seeds] if start == "seeds" else []
        if engine == "libfuzzer":
            self.corpus = os.path.join(wd, "corpus")
        else:
            self.corpus = os.path.join(wd, "cache", lib + "-cfz")
        self.error = ""
        self.restarts = self.nruns = 0
        self.profile = {}

    def command(self, budget, k):
        """The k-th process of the run; budget: seconds left, or executions left (--execs)."""
        a = self.args
        timef = ["/usr/bin/time", "-v", "-o", os.path.join(self.wd, "time-%d.txt" % k)]
        if self.engine == "libfuzzer":
            limit = "-runs=%d" % budget if a.execs else "-max_total_time=%d" % budget
            return timef + [self.bin_lf, "-seed=%d" % (self.seed + 1000 * k), limit,
                            "-timeout=%d" % TIMEOUT_S, "-print_final_stats=1",
                            "-artifact_prefix=" + os.path.join(self.wd, "crashes") + "/",
                            self.corpus] + self.seed_dirs
        return timef + [a.cfz, "run", "--seed", str(self.seed + 1000 * k), "-j", "1",
                        "--fuzz-time", "%dx" % budget if a.execs else "%ds" % budget,
                        "--timeout", "%ds" % TIMEOUT_S, "--minimize-time", "0", "--keep-going",
                        "--cache-dir", os.path.join(self.wd, "cache"),
                        "--testdata", os.path.join(self.wd, "testdata"),
                        self.bin_cfz] + self.seed_dirs

    def budget(self, t0, done_execs):
        if self.args.execs:
            return self.args.execs - done_execs
        return int(round(self.args.seconds - (time.monotonic() - t0)))

    def snapper(self, t0, done):
        """Copies the corpus at each timed snapshot point but the last."""
        for key, t in points(self.args)[:-1]:
            if done.wait(max(0, t0 + t - time.monotonic())):
                return
            copy_dir(self.corpus, os.path.join(self.wd, "snap-" + key))

    def profiler(self, t0, done):
        """With --profile S: perf record of the target's process for S s from the middle of a timed run
        (2 s into a run of --execs) into self.profile (perf_profile.py)."""
        a = self.args
        at = 2 if a.execs else max(2, (a.seconds - a.profile) / 2)
        if done.wait(max(0, t0 + at - time.monotonic())):
            return
        binary = self.bin_lf if self.engine == "libfuzzer" else self.bin_cfz
        self.profile = perf_profile.profile_run(binary, self.wd, a.profile, os.path.join(self.wd, "perf.data"),
                                           self.engine, a.harness_names)

    def one_process(self, cmd, k):
        """Runs the k-th process in a session of its own (with the kernel's autogroup scheduling a
        session is a scheduling group; cfz's worker has one already); its exit status."""
        limit = self.args.cap if self.args.execs else self.args.seconds + 60
        with open(os.path.join(self.wd, "engine-%d.log" % k), "wb") as logf:
            logf.write(("$ " + " ".join(cmd) + "\n").encode())
            logf.flush()
            with subprocess.Popen(cmd, cwd=self.wd, stdout=logf, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True) as proc:
                try:
                    return proc.wait(timeout=limit)
                except subprocess.TimeoutExpired:
                    # The whole session, not only /usr/bin/time: SIGTERM lets cfz stop its
                    # workers (each in a session of its own); SIGKILL if that does not do.
                    self.error = "did not stop within %d s" % limit
                    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, None)):
                        try:
                            os.killpg(proc.pid, sig)
                            proc.wait(timeout=wait)
                            break
                        except (ProcessLookupError, subprocess.TimeoutExpired):
                            pass
                    return -9

    def execute(self):
        os.makedirs(os.path.join(self.wd, "crashes"), exist_ok=True)
        os.makedirs(self.corpus, exist_ok=True)
        t0 = time.monotonic()
        done = threading.Event()
        threads = [threading.Thread(target=self.snapper, args=(t0, done))]
        if self.args.profile:
            threads.append(threading.Thread(target=self.profiler, args=(t0, done)))
        for th in threads:
            th.start()
        done_execs = 0
        while self.budget(t0, done_execs) >= 1 and not self.error:
            rc = self.one_process(self.command(self.budget(t0, done_execs), self.nruns), self.nruns)
            self.nruns += 1
            if rc == 0:
                break
            if self.engine == "cfz":
                if rc != 1:  # 1: failures found (--keep-going), it ran to its limit
                    self.error = self.error or "cfz exited with status %d" % rc
                break
            # libFuzzer stops at a failure: go on with its corpus.
            self.restarts += 1
            done_execs += lf_execs(read(os.path.join(self.wd, "engine-%d.log" % (self.nruns - 1))))
        self.wall = time.monotonic() - t0
        done.set()
        for th in threads:
            th.join()
        pts = points(self.args)
        copy_dir(self.corpus, os.path.join(self.wd, "snap-" + pts[-1][0]))
        for key, _ in pts[:-1]:  # a snapshot the run ended before: its final corpus
            if not os.path.isdir(os.path.join(self.wd, "snap-" + key)):
                copy_dir(self.corpus, os.path.join(self.wd, "snap-" + key))

    def parse(self):
        logs = [read(os.path.join(self.wd, "engine-%d.log" % k)) for k in range(self.nruns)]
        if self.engine == "libfuzzer":
            self.execs = sum(lf_execs(t) for t in logs)
            self.crashes = len(os.listdir(os.path.join(self.wd, "crashes")))
        else:
            out = "".join(logs)
            m = re.findall(r"execs: (\d+)", out)
            self.execs = int(m[-1]) if m else 0
            tdir = os.path.join(self.wd, "testdata")
            self.crashes = sum(len(fs) for _, _, fs in os.walk(tdir)) if os.path.isdir(tdir) else 0
            if "terminated without fuzzing" in out:
                self.error = "start-up failure: " + out.split("terminated without fuzzing", 1)[1][:300]
        tv = [time_v(os.path.join(self.wd, "time-%d.txt" % k)) for k in range(self.nruns)]
        self.rss_mb = max([r for r, _ in tv] or [0]) / 1024
        self.cpu_s = sum(c for _, c in tv)
        self.corpus_size = len(os.listdir(os.path.join(self.wd, "snap-" + points(self.args)[-1][0])))

    def edges(self):
        """Edges of each snapshot, counted by the libFuzzer build (`-runs=0`, `INITED cov:`)."""
        self.edge = {}
        for key, _ in points(self.args):
            snap = os.path.join(self.wd, "snap-" + key)
            raw = os.path.join(self.wd, "raw-" + key)
            shutil.rmtree(raw, ignore_errors=True)
            copy_dir(snap, raw, raw=(self.engine == "cfz"))
            cmd = [self.bin_lf, "-runs=0", "-detect_leaks=0", "-timeout=%d" % TIMEOUT_S,
                   "-rss_limit_mb=4096", raw] + self.seed_dirs
            try:
                p = subprocess.run(cmd, cwd=self.wd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, timeout=900, start_new_session=True)
                text = p.stdout.decode(errors="replace")
            except subprocess.TimeoutExpired:
                text = ""
            m = re.search(r"INITED cov: (\d+)", text)
            self.edge[key] = int(m.group(1)) if m else None
            if m is None:
                with open(os.path.join(self.wd, "replay-%s.log" % key), "w") as f:
                    f.write(text)
            shutil.rmtree(raw, ignore_errors=True)

    def row(self, kind):
        r = {"lib": self.lib, "kind": kind, "start": self.start, "engine": self.engine, "seed": self.seed,
             "seconds": self.args.seconds if not self.args.execs else "", "execs_limit": self.args.execs or "",
             "wall_s": round(self.wall, 1), "execs": self.execs, "execs_per_s": round(self.execs / self.wall, 1),
             "cpu_s": round(self.cpu_s, 1),
             "execs_per_cpu_s": round(self.execs / self.cpu_s, 1) if self.cpu_s else None,
             "corpus": self.corpus_size, "peak_rss_mb": round(self.rss_mb, 1), "crash_files": self.crashes,
             "restarts": self.restarts, "error": self.error,
             "profile": json.dumps(self.profile, sort_keys=True) if self.profile else ""}
        for key, _ in points(self.args):
            r["edges_" + key] = self.edge[key]
        return r


# --- driver -----------------------------------------------------------------
def run_job(args, kinds, job):
    lib, start, seed, engine, wd = job
    if too_late(args):
        log("%s %s start=%s seed=%d: skipped (--stop-by)" % (lib, engine, start, seed))
        return None
    os.makedirs(wd)
    r = Run(args, lib, engine, start, seed, wd)
    log("%s %s start=%s seed=%d: %s" % (lib, engine, start, seed,
                                        "%d executions" % args.execs if args.execs else "%d s" % args.seconds))
    r.execute()
    r.parse()
    r.edges()
    row = r.row(kinds.get(lib, ""))
    log("%s %s start=%s seed=%d: execs %d, execs/s %s (per CPU-s %s), edges %s, corpus %d, rss %.0f MB, "
        "crash files %d%s" % (lib, engine, start, seed, r.execs, row["execs_per_s"], row["execs_per_cpu_s"],
                              "/".join(str(r.edge[k]) for k, _ in points(args)), r.corpus_size, r.rss_mb,
                              r.crashes, (", ERROR: " + r.error) if r.error else ""))
    return row


def plan(args, rundir):
    """The runs, in the order they start: seed by seed (so that a benchmark cut short has every
    library at the first seeds), for each library and start both engines one after the other (with
    --parallel 2, side by side under the same load)."""
    jobs = []
    for seed in range(args.first_seed, args.seeds + 1):
        for lib in args.libs:
            has_seeds = bool(os.listdir(os.path.join(args.dir, "obj", lib, "seeds")))
            starts = {"empty": ["empty"], "seeds": ["seeds" if has_seeds else "empty"],
                      "both": ["empty", "seeds"] if has_seeds else ["empty"]}[args.start]
            for start in starts:
                for engine in [e for e in ("libfuzzer", "cfz") if e in args.engines.split(",")]:
                    jobs.append((lib, start, seed, engine, os.path.join(rundir, lib, start, engine, "seed%d" % seed)))
    return jobs


def too_late(args):
    """With --stop-by: whether a run started now would end (replays included) after it."""
    if not args.stop_by:
        return False
    expected = 0 if args.execs else args.seconds + REPLAY_MARGIN_S
    return time.time() + expected > args.stop_by


class LoadSampler(threading.Thread):
    """The 1-minute load average every 30 s while the runs go on."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = [os.getloadavg()[0]]
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(30):
            self.samples.append(os.getloadavg()[0])


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    try:
        cc = subprocess.run(["clang", "--version"], stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        cc = "clang ?"
    return "%s, %d cores, %.0f GiB, %s" % (model, os.cpu_count(), mem, cc)


def git_rev():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        rev = subprocess.run(["git", "-C", here, "describe", "--always", "--dirty"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
    except OSError:
        rev = ""
    return rev or "?"


def anonymize(args, text, wd="<run>"):
    """Command text with this machine's paths replaced by names (for the docs)."""
    for path, name in ((wd, "<run>"), (os.path.join(args.dir, "obj"), "$BENCH_REAL_DIR/obj"),
                       (os.path.join(args.dir, "bin"), "$BENCH_REAL_DIR/bin"), (args.cfz_bin, "<cfz-bin>"),
                       (args.cfz, "cfz"), (args.out, "<out>"), (args.dir, "$BENCH_REAL_DIR")):
        text = text.replace(path, name)
    return text


def seed_range(args):
    """The seeds run, as the header says them: "3 seed(s)" (1 to 3), or "seeds 3–4" (--first-seed 3)."""
    if args.first_seed <= 1:
        return "%d seed(s)" % args.seeds
    return "seeds %d–%d" % (args.first_seed, args.seeds)


def header(args, stamp, t_end, load):
    start = "empty" if args.start == "empty" else "seeds"  # show the seed dir where it is used
    demo = Run(args, "<lib>", "libfuzzer", start, 1, "/nonexistent-run-dir")
    lf = anonymize(args, " ".join(demo.command(args.execs or args.seconds, 0)[4:]), demo.wd)
    demo = Run(args, "<lib>", "cfz", start, 1, "/nonexistent-run-dir")
    cz = anonymize(args, " ".join(demo.command(args.execs or args.seconds, 0)[4:]), demo.wd)
    begun = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%d %H:%M:%S")
    what = ("equal executions: %s per run" % "{:,}".format(args.execs)) if args.execs else "%d s per run" % args.seconds
    return "\n".join([
        "Run %s – %s UTC; %s; %s; starts: %s; %d run(s) at once (`--parallel %d`), each engine process "
        "in a session of its own." % (begun, t_end, what, seed_range(args), args.start, args.parallel,
                                      args.parallel),
        "",
        "- machine: %s; load average (1 min) over the run: min %.1f, median %.1f, max %.1f" % (
            machine(), min(load), statistics.median(load), max(load)),
        "- bench scripts at %s; %s" % (git_rev(), args.label or "cfz: " + anonymize(args, args.cfz)),
        "- command: `%s`" % anonymize(args, "bench/real/run.py " + shlex.join(sys.argv[1:])),
        "- libFuzzer: `/usr/bin/time -v %s`" % lf,
        "- cfz: `/usr/bin/time -v %s`" % cz,
        "- edges: each snapshot (cfz's files decoded to raw bytes) replayed by "
        "`$BENCH_REAL_DIR/bin/<lib>-libfuzzer -runs=0 -detect_leaks=0 SNAPSHOT [seeds]`, `INITED cov:`",
        "- speed: execs per wall second and per CPU-second (user + system of the engine's processes, "
        "cfz's driver included, from `/usr/bin/time -v`)",
    ])


def read_kinds():
    kinds = {}
    manifest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.tsv")
    with open(manifest) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                cols = line.rstrip("\n").split("\t")
                kinds[cols[0]] = cols[3]
    return kinds


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True, help="BENCH_REAL_DIR: bin/<lib>-libfuzzer, obj/<lib>/seeds")
    ap.add_argument("--cfz", required=True, help="the cfz driver")
    ap.add_argument("--cfz-bin", help="dir of the <lib>-cfz binaries (default DIR/bin)")
    ap.add_argument("--out", help="where runs/ and results/ go (default DIR)")
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--execs", type=int, default=0,
                    help="equal executions: both engines stop after N (-runs=N, --fuzz-time Nx); edges at the end")
    ap.add_argument("--cap", type=int, default=1800, help="with --execs: seconds after which a run is stopped")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=1,
                    help="start at this seed (seeds FIRST..SEEDS): more seeds for a run already made")
    ap.add_argument("--start", default="both", choices=["empty", "seeds", "both"])
    ap.add_argument("--parallel", type=int, default=1, help="engine runs at once (each in its own session)")
    ap.add_argument("--speed", default="cpu", choices=["cpu", "wall"],
                    help="the speed criterion: execs per CPU-second (shared machine) or per wall second")
    ap.add_argument("--engines", default="libfuzzer,cfz",
                    help="comma-separated subset of libfuzzer,cfz (e.g. cfz alone to compare cfz variants)")
    ap.add_argument("--profile", type=int, default=0,
                    help="perf record the target's process for S s in the middle of each run (perf_profile.py)")
    ap.add_argument("--stop-by", default="", help="HH:MM (UTC, today): start no run that would end after it")
    ap.add_argument("--label", default="", help="what cfz build this is, for the table's header")
    ap.add_argument("libs", nargs="+")
    args = ap.parse_args()
    args.dir = os.path.abspath(args.dir)
    args.cfz = os.path.abspath(args.cfz)
    args.cfz_bin = os.path.abspath(args.cfz_bin or os.path.join(args.dir, "bin"))
    args.out = os.path.abspath(args.out or args.dir)
    args.harness_names = perf_profile.harness_names(os.path.join(os.path.dirname(args.cfz), "libcfz_harness.a")) \
        if args.profile else set()
    if args.stop_by:
        now = datetime.datetime.now(datetime.timezone.utc)
        hh, mm = (int(x) for x in args.stop_by.split(":"))
        args.stop_by = now.replace(hour=hh, minute=mm, second=0, microsecond=0).timestamp()
    return args


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def main():
    args = parse_args()
    stamp = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    rundir = os.path.join(args.out, "runs", stamp)
    resdir = os.path.join(args.out, "results")
    os.makedirs(resdir, exist_ok=True)
    kinds = read_kinds()
    fields = ["lib", "kind", "start", "engine", "seed", "seconds", "execs_limit", "wall_s", "execs", "execs_per_s",
              "cpu_s", "execs_per_cpu_s"] + ["edges_" + k for k, _ in points(args)] + \
             ["corpus", "peak_rss_mb", "crash_files", "restarts", "error", "profile"]
    csv_path = os.path.join(resdir, stamp + ".csv")
    jobs = plan(args, rundir)
    load = LoadSampler()
    load.start()
    rows = [None] * len(jobs)
    lock = threading.Lock()
    md_path = os.path.join(resdir, stamp + ".md")
    md = "no runs planned (--first-seed is after --seeds, the last seed?)\n"
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        futs = {pool.submit(run_job, args, kinds, job): i for i, job in enumerate(jobs)}
        for fut in concurrent.futures.as_completed(futs):
            try:
                rows[futs[fut]] = fut.result()
            except Exception as e:  # one broken run must not lose the others' results
                log("run %s failed: %r" % (jobs[futs[fut]][:4], e))
            # Both files hold every finished run, so that an interrupted benchmark still has its table.
            with lock:
                done = [r for r in rows if r]
                write_csv(csv_path, done, fields)
                finished = len(done) == len(jobs)
                when = datetime.datetime.utcnow().strftime("%H:%M:%S") + ("" if finished else " (%d of %d runs done)" % (
                    len(done), len(jobs)))
                md = report.render(done, args.speed, header(args, stamp, when, load.samples)) if done else "no runs finished\n"
                with open(md_path, "w") as f:
                    f.write(md)
    load.stop.set()
    print(md)
    log("results: %s and %s; runs in %s" % (csv_path, md_path, rundir))

if __name__ == "__main__":
    main()
