#!/usr/bin/env python3
"""Profiles of the process that runs the target (libFuzzer's process, cfz's worker), for run.py --profile,
and (run as a script) whole runs of both engines at equal executions under perf, tabulated per harness
function: share of the target process's samples and CPU nanoseconds per execution.

    perf_profile.py --dir $BENCH_REAL_DIR --cfz BUILD/cfz --cfz-bin DIR --execs N [--seed S] [--freq F]
                    --out OUT LIB...

Each library: `perf record -F F -- <lib>-libfuzzer -seed=S -runs=N ...` and `perf record -F F -- cfz run
--seed S -j 1 --fuzz-time Nx ...`, both from an empty corpus; the target process's samples (perf's
`--comms`, the binary's name) are split by symbol. With cpu-clock sampling a sample is 1/F s of CPU, so
samples * 1e9 / F / N is the time a function takes per execution, whatever the other functions cost.

The harness functions of a profile are the engine's own: for libFuzzer the `fuzzer::` and
`std::__Fuzzer::` (its private libc++) names and the `__sanitizer_cov_*` / `__sancov_*` callbacks; for
cfz every function defined in `libcfz_harness.a` (its callbacks included). Self time only: a libc call
(memset, memcpy) is counted as libc's, whoever made it. Issue 9 asks that no harness function take a
larger share of its profile than libFuzzer's counterpart takes of libFuzzer's; the counterparts compared
are the callbacks by name and the engines' own code as a whole (report.py).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

LIBFUZZER_PREFIXES = ("fuzzer::", "std::__Fuzzer::", "__sanitizer_cov_", "__sancov_", "LLVMFuzzerRunDriver")
PERF_HZ = 499


def find_pid(binary, cwd):
    """The pid of a process running `binary` with working dir `cwd` (None if there is none)."""
    want_exe, want_cwd = os.path.realpath(binary), os.path.realpath(cwd)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if (os.path.realpath("/proc/%s/exe" % name) == want_exe
                    and os.path.realpath("/proc/%s/cwd" % name) == want_cwd):
                return int(name)
        except OSError:
            continue
    return None


def record(pid, seconds, out):
    """perf record of pid for `seconds` (self time, no call graph); False if perf failed."""
    cmd = ["perf", "record", "-q", "-F", str(PERF_HZ), "-o", out, "-p", str(pid), "--", "sleep", str(seconds)]
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=seconds + 60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def read_report(perf_data):
    """({symbol: percent of the samples}, number of samples) of a perf.data file."""
    try:
        text = subprocess.run(["perf", "report", "-i", perf_data, "--no-children", "-F", "overhead,sym",
                               "--stdio", "--percent-limit", "0.1"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, timeout=300).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return {}, 0
    m = re.search(r"^# Samples: ([\d.]+)([KM]?)", text, re.M)  # perf rounds: "3K"
    syms = {}
    for line in text.splitlines():
        m2 = re.match(r"^\s*([\d.]+)%\s+\[.\]\s+(.*?)\s*$", line)
        if m2:
            syms[m2.group(2)] = syms.get(m2.group(2), 0.0) + float(m2.group(1))
    return syms, int(float(m.group(1)) * {"": 1, "K": 1000, "M": 1000000}[m.group(2)]) if m else 0


def harness_names(archive):
    """The functions defined in the cfz harness archive."""
    try:
        out = subprocess.run(["nm", "--defined-only", archive], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode()
    except OSError:
        return set()
    return {f[2] for f in (line.split() for line in out.splitlines()) if len(f) == 3 and f[1] in "Tt"}


def harness_share(syms, engine, cfz_names):
    """The harness functions of a profile: {symbol: percent}."""
    if engine == "libfuzzer":
        return {s: p for s, p in syms.items() if s.startswith(LIBFUZZER_PREFIXES)}
    return {s: p for s, p in syms.items() if s in cfz_names or s.startswith(("__sanitizer_cov_", "__sancov_"))}


def profile_run(binary, cwd, seconds, out, engine, cfz_names):
    """Profiles the target process of a run; {symbol: percent} of its harness functions plus the keys
    '=samples' and '=harness' (their total), or {} when the process or perf was not there."""
    pid = find_pid(binary, cwd)
    if pid is None or not record(pid, seconds, out):
        return {}
    syms, samples = read_report(out)
    h = harness_share(syms, engine, cfz_names)
    h = {s: round(p, 2) for s, p in h.items()}
    h["=samples"] = samples
    h["=harness"] = round(sum(p for s, p in h.items() if not s.startswith("=")), 2)
    return h


# cfz's static helpers, counted with the callback they serve (libFuzzer's are inlined into theirs).
CFZ_GROUPS = {"switch_record": "__sanitizer_cov_trace_switch", "switch_lookup": "__sanitizer_cov_trace_switch",
              "switch_neighbours": "__sanitizer_cov_trace_switch"}
CALLBACK_PREFIX = "__sanitizer_cov_"


def comm_samples(perf_data, comm):
    """{symbol: samples} of the process named comm (perf keeps 15 characters) in perf_data."""
    text = subprocess.run(["perf", "report", "-i", perf_data, "--comms", comm[:15], "--no-children", "--sort", "sym",
                           "-F", "sample,sym", "--stdio"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          timeout=600).stdout.decode(errors="replace")
    syms = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(\d+)\s+\[.\]\s+(.*?)\s*$", line)
        if m:
            syms[m.group(2)] = syms.get(m.group(2), 0) + int(m.group(1))
    return syms


def whole_run(cmd, cwd, perf_data, freq):
    os.makedirs(cwd, exist_ok=True)
    with open(os.path.join(cwd, "log.txt"), "w") as logf:
        rc = subprocess.run(["perf", "record", "-q", "-F", str(freq), "-o", perf_data, "--"] + cmd, cwd=cwd,
                            stdout=logf, stderr=subprocess.STDOUT).returncode
    return rc


def grouped(syms, engine, cfz_names):
    """{harness function: samples}, cfz's helpers folded into their callback; '=engine' is every other
    harness function (the engine's own code)."""
    out = {}
    for s, n in harness_share(syms, engine, cfz_names).items():
        key = CFZ_GROUPS.get(s, s) if engine == "cfz" else s
        if not key.startswith(CALLBACK_PREFIX):
            key = "=engine"
        out[key] = out.get(key, 0) + n
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cfz", required=True)
    ap.add_argument("--cfz-bin", help="directory of the <lib>-cfz binaries (default DIR/bin)")
    ap.add_argument("--execs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--freq", type=int, default=1999)
    ap.add_argument("--out", required=True)
    ap.add_argument("--engines", default="libfuzzer,cfz")
    ap.add_argument("--replay", metavar="CORPUS",
                    help="instead of fuzzing, replay the inputs of CORPUS/<lib> (raw or cfz format) --execs "
                         "times each (-runs=N) in both engines: the same work, so the callbacks' costs per call "
                         "compare directly; the figures per execution are then per pass over the corpus")
    ap.add_argument("libs", nargs="+")
    a = ap.parse_args()
    cfz_bin = a.cfz_bin or os.path.join(a.dir, "bin")
    cfz_names = harness_names(os.path.join(os.path.dirname(os.path.abspath(a.cfz)), "libcfz_harness.a"))
    rows = []
    for lib in a.libs:
        res = {}
        for engine in a.engines.split(","):
            wd = os.path.join(a.out, lib, engine)
            shutil.rmtree(wd, ignore_errors=True)
            os.makedirs(os.path.join(wd, "corpus"))
            if engine == "libfuzzer":
                binary = os.path.join(a.dir, "bin", lib + "-libfuzzer")
                cmd = [binary, "-seed=%d" % a.seed, "-runs=%d" % a.execs, "-timeout=10", "-print_final_stats=1",
                       "-artifact_prefix=" + wd + "/", os.path.join(wd, "corpus")]
            else:
                binary = os.path.join(cfz_bin, lib + "-cfz")
                cmd = [os.path.abspath(a.cfz), "run", "--seed", str(a.seed), "-j", "1", "--fuzz-time",
                       "%dx" % a.execs, "--timeout", "10s", "--minimize-time", "0", "--keep-going", "--cache-dir",
                       os.path.join(wd, "cache"), "--testdata", os.path.join(wd, "testdata"), binary]
            if a.replay:
                raw = os.path.join(a.out, lib, "raw")
                if not os.path.isdir(raw):
                    import run as bench_run  # its cfz-format decoder
                    bench_run.copy_dir(os.path.join(a.replay, lib), raw, raw=True)
                files = sorted(os.path.join(raw, f) for f in os.listdir(raw))
                cmd = [binary, "-runs=%d" % a.execs, "-detect_leaks=0", "-timeout=10"] + files
            data = os.path.join(wd, "perf.data")
            whole_run(cmd, wd, data, a.freq)
            syms = comm_samples(data, os.path.basename(binary))
            res[engine] = (sum(syms.values()), grouped(syms, engine, cfz_names))
            print("%s %s: %d samples" % (lib, engine, res[engine][0]), file=sys.stderr, flush=True)
        rows.append((lib, res))
    ns = 1e9 / a.freq / a.execs  # --replay: per pass over the corpus
    print("| library | function | cfz % | libFuzzer % | cfz ns/exec | libFuzzer ns/exec |")
    print("|---|---|---:|---:|---:|---:|")
    for lib, res in rows:
        tot = {e: res[e][0] for e in res}
        print("| %s | (target process, samples) | %s | %s | %s | %s |" % (
            lib, tot.get("cfz", "-"), tot.get("libfuzzer", "-"),
            "%.0f" % (tot["cfz"] * ns) if "cfz" in tot else "-",
            "%.0f" % (tot["libfuzzer"] * ns) if "libfuzzer" in tot else "-"))
        keys = sorted(set().union(*(res[e][1].keys() for e in res)),
                      key=lambda k: -max(res[e][1].get(k, 0) for e in res))
        for k in keys:
            cells = []
            for e in ("cfz", "libfuzzer"):
                n = res[e][1].get(k, 0) if e in res else None
                cells.append("-" if n is None else "%.2f" % (100.0 * n / max(tot[e], 1)))
            for e in ("cfz", "libfuzzer"):
                n = res[e][1].get(k, 0) if e in res else None
                cells.append("-" if n is None else "%.0f" % (n * ns))
            name = "engine's own code" if k == "=engine" else "`%s`" % k[len(CALLBACK_PREFIX):]
            print("| | %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
