#!/usr/bin/env python3
"""Stats over time (issue 13 item 4).

usage: check_stats.py stats CFZ TARGETS_DIR
         `cfz run --stats FILE` writes a well-formed CSV series whose execs
         grow; the default file lies beside the generated corpus; a full
         disk (/dev/full) gives one warning, not a failed run.
       check_stats.py plot CFZ TARGETS_DIR
         `cfz plot` draws a series as an SVG that parses as XML and holds
         the four panels, and as a PNG; errors say what failed.  Exits 77
         (skipped) when gnuplot is not installed.
Runs are bounded by execution counts (--fuzz-time Nx), never by time."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

COLUMNS = ["elapsed_ms", "execs", "execs_per_sec", "corpus", "corpus_bytes",
           "edges", "features", "failures", "workers", "rss_mb"]
COUNT = 300000


def cfz_run(cfz, targets, cwd, *args):
    return subprocess.run(
        [cfz, "run", "-j", "1", "--fuzz-time", f"{COUNT}x",
         "--status-interval", "5ms", "--cache-dir", "cache", *args,
         os.path.join(targets, "trivial")], cwd=cwd,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, check=False)


def read_series(path):
    with open(path, newline="", encoding="ascii") as f:
        rows = list(csv.reader(f))
    assert rows, f"{path}: empty"
    assert rows[0] == COLUMNS, f"{path}: header {rows[0]}"
    data = []
    for i, r in enumerate(rows[1:], 2):
        assert len(r) == len(COLUMNS), f"{path}:{i}: {r}"
        assert all(x.isdigit() for x in r), f"{path}:{i}: not integers: {r}"
        data.append(dict(zip(COLUMNS, map(int, r))))
    return data


def check_stats(cfz, targets, tmp):
    # --stats FILE, in a directory that does not exist yet
    p = cfz_run(cfz, targets, tmp, "--stats", "out/stats.csv")
    assert p.returncode == 0, f"exit {p.returncode}: {p.stderr}"
    rows = read_series(os.path.join(tmp, "out/stats.csv"))
    assert len(rows) >= 2, f"{len(rows)} row(s), want at least 2"
    for key in ("elapsed_ms", "execs"):
        seq = [r[key] for r in rows]
        assert seq == sorted(seq), f"{key} goes down: {seq}"
    assert rows[-1]["execs"] >= COUNT > rows[0]["execs"], \
        f"execs do not grow to the count: {[r['execs'] for r in rows]}"
    assert max(r["workers"] for r in rows) == 1
    assert max(r["rss_mb"] for r in rows) > 0, "no worker RSS in any row"
    assert rows[-1]["corpus"] >= 1 and rows[-1]["corpus_bytes"] >= 0
    assert rows[-1]["edges"] >= 1, "no edges"
    print(f"--stats: {len(rows)} rows, execs {rows[0]['execs']} .. "
          f"{rows[-1]['execs']}")

    # the default: <cache>/<Target>.stats.csv, beside the generated corpus
    d = os.path.join(tmp, "default")
    os.mkdir(d)
    p = cfz_run(cfz, targets, d)
    assert p.returncode == 0, f"exit {p.returncode}: {p.stderr}"
    cache = os.path.join(d, "cache")
    files = [f for f in os.listdir(cache) if f.endswith(".stats.csv")]
    assert len(files) == 1, f"cache holds {os.listdir(cache)}"
    target = files[0][:-len(".stats.csv")]
    rows = read_series(os.path.join(cache, files[0]))
    assert rows and rows[-1]["execs"] >= COUNT, rows[-1:]
    print(f"default: cache/{files[0]} beside cache/{target}/, "
          f"{len(rows)} rows")

    # a full disk: one warning, the run goes on
    p = cfz_run(cfz, targets, tmp, "--stats", "/dev/full")
    assert p.returncode == 0, f"--stats /dev/full: exit {p.returncode}"
    warnings = [l for l in p.stderr.splitlines() if "/dev/full" in l]
    assert len(warnings) == 1, f"want one warning, got: {p.stderr}"
    assert "No space left on device" in warnings[0], warnings[0]
    print(f"full disk: one warning: {warnings[0]}")


def check_plot(cfz, targets, tmp):
    if shutil.which("gnuplot") is None:
        print("SKIP: gnuplot is not installed (Debian/Ubuntu: apt-get "
              "install gnuplot-nox; scripts/setup.sh installs it)")
        sys.exit(77)
    p = cfz_run(cfz, targets, tmp, "--stats", "s.csv")
    assert p.returncode == 0, f"exit {p.returncode}: {p.stderr}"

    p = subprocess.run([cfz, "plot", "s.csv", "-o", "s.svg"], cwd=tmp,
                       capture_output=True, text=True, check=False)
    assert p.returncode == 0, f"cfz plot: exit {p.returncode}: {p.stderr}"
    root = ET.parse(os.path.join(tmp, "s.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    texts = " ".join(t.strip() for e in root.iter() if e.tag.endswith("text")
                     for t in e.itertext())
    for want in ("coverage", "edges", "corpus", "entries", "execs/s",
                 "failures", "time (s)", "s.csv"):
        assert want in texts, f"no {want!r} in the SVG's text: {texts[:500]}"
    paths = [e for e in root.iter() if e.tag.endswith("path")]
    assert len(paths) >= 4, f"{len(paths)} path elements"
    print(f"plot: s.svg parses, {len(paths)} paths, the four panels' titles")

    p = subprocess.run([cfz, "plot", "s.csv", "-o", "s.png"], cwd=tmp,
                       capture_output=True, text=True, check=False)
    assert p.returncode == 0, f"cfz plot -o s.png: {p.stderr}"
    with open(os.path.join(tmp, "s.png"), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", "s.png is not a PNG"

    # errors say what failed
    with open(os.path.join(tmp, "bad.csv"), "w", encoding="ascii") as f:
        f.write("elapsed_ms,execs\n1,2\n")
    p = subprocess.run([cfz, "plot", "bad.csv"], cwd=tmp, capture_output=True,
                       text=True, check=False)
    assert p.returncode == 2 and 'no column "execs_per_sec"' in p.stderr, \
        p.stderr
    empty = os.path.join(tmp, "empty-path")
    os.mkdir(empty)
    p = subprocess.run([cfz, "plot", "s.csv", "-o", "t.svg"], cwd=tmp,
                       env=dict(os.environ, PATH=empty), capture_output=True,
                       text=True, check=False)
    assert p.returncode == 2 and "cannot run gnuplot" in p.stderr, p.stderr
    print("plot: errors name the column and the missing gnuplot")


def main():
    mode, cfz, targets = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "stats":
            check_stats(cfz, targets, tmp)
        else:
            check_plot(cfz, targets, tmp)
    print(f"check_stats {mode}: ok")


if __name__ == "__main__":
    main()
