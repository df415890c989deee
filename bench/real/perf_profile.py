"""Profiles of the process that runs the target (libFuzzer's process, cfz's worker), for run.py --profile.

The harness functions of a profile are the engine's own: for libFuzzer the `fuzzer::` and
`std::__Fuzzer::` (its private libc++) names and the `__sanitizer_cov_*` / `__sancov_*` callbacks; for
cfz every function defined in `libcfz_harness.a` (its callbacks included). Self time only: a libc call
(memset, memcpy) is counted as libc's, whoever made it. Issue 9 asks that no harness function take a
larger share of its profile than libFuzzer's counterpart takes of libFuzzer's; the counterparts compared
are the callbacks by name and the engines' own code as a whole (report.py).
"""
import os
import re
import subprocess

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
