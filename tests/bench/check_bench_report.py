#!/usr/bin/env python3
"""The real-library benchmark's bookkeeping, without running any engine:
cfz corpus files decoded to raw bytes (bench/real/run.py's to_raw), the
criteria table of bench/real/report.py (medians over seeds, PASS/FAIL/n/a)
and its comparison of the engines' profiles, run.py's --first-seed header
the run-by-run test (A12, Mann-Whitney U), same_inputs.py's table and cover_diff.py's reading of libFuzzer's -print_coverage lines.

usage: check_bench_report.py BENCH_REAL_DIR (the repository's bench/real)"""
import os
import sys

sys.path.insert(0, sys.argv[1])
import report  # noqa: E402
import run  # noqa: E402


def row(lib, engine, seed, e60, e120, cpu_rate, wall_rate=1000.0):
    return {"lib": lib, "kind": "k", "start": "empty", "engine": engine, "seed": seed, "wall_s": "120",
            "cpu_s": "60", "execs": "1", "execs_per_s": str(wall_rate), "execs_per_cpu_s": str(cpu_rate),
            "edges_10s": "1", "edges_60s": e60, "edges_120s": e120, "corpus": "5", "peak_rss_mb": "9",
            "crash_files": "0", "error": ""}


def check_to_raw():
    assert run.to_raw(b"plain\x00bytes") == b"plain\x00bytes"
    assert run.to_raw(b'cfz fuzz v1\n[]byte("a\\x00\\n\\"\\101")\n') == b'a\x00\n"A'
    assert run.to_raw(b"go test fuzz v1\n[]byte(`raw`)\n") == b"raw"


def check_criteria():
    rows = []
    # lib a: cfz ahead everywhere (medians of seeds 1-3: 110 vs 100, 210 vs 200, 3000 vs 1000).
    for s, (c60, l60) in enumerate([(110, 100), (105, 120), (130, 90)], 1):
        rows.append(row("a", "libfuzzer", s, str(l60), "200", 1000))
        rows.append(row("a", "cfz", s, str(c60), "210", 3000))
    # lib b: cfz behind at 120 s, its speed ratio 1.0.
    for s in (1, 2, 3):
        rows.append(row("b", "libfuzzer", s, "50", "80", 500))
        rows.append(row("b", "cfz", s, "50", "70", 500))
    md = report.render(rows, "cpu")
    lines = md.splitlines()
    a = next(x for x in lines if x.startswith("| a | empty |"))
    assert "110 / 100 | PASS" in a and "210 / 200 | PASS" in a and "3.00 | PASS" in a, a
    b = next(x for x in lines if x.startswith("| b | empty |"))
    assert "50 / 50 | PASS" in b and "70 / 80 | **FAIL**" in b, b
    crit = [x for x in lines if x.startswith("- ")]
    assert crit[0].endswith("**PASS**"), crit
    assert "**FAIL** (not met: b (empty))" in crit[1], crit
    assert crit[2].endswith("**PASS**"), crit
    assert "**PASS** (2.00 over 2 rows)" in crit[3], crit  # median of 3.0 and 1.0
    # Runs shorter than 120 s: no 120 s figure, the criterion is n/a, not a pass.
    for r in rows:
        r.pop("edges_120s")
    crit = [x for x in report.render(rows, "wall").splitlines() if x.startswith("- ")]
    assert crit[1].startswith("- cfz's median edges at 120 s") and "n/a" in crit[1], crit
    assert "**FAIL** (1.00 over 2 rows)" in crit[3], crit  # per wall second both ran 1000/s


def check_execs_mode():
    rows = [dict(row("a", e, 1, "", "", 1), edges_5000x=v) for e, v in (("libfuzzer", "40"), ("cfz", "41"))]
    for r in rows:
        for k in ("edges_10s", "edges_60s", "edges_120s"):
            r.pop(k)
    crit = [x for x in report.render(rows, "cpu").splitlines() if x.startswith("- ")]
    assert crit[0] == "- cfz's median edges at 5,000 execs ≥ libFuzzer's on every library and start: **PASS**", crit


def check_profiles():
    import json
    rows = [row("a", "libfuzzer", 1, "1", "1", 1), row("a", "cfz", 1, "1", "1", 1)]
    rows[0]["profile"] = json.dumps({"=samples": 900, "=harness": 20.0, "__sanitizer_cov_trace_const_cmp4": 5.0,
                                     "__sanitizer_cov_trace_pc_indir": 3.0, "fuzzer::RunOne": 12.0})
    rows[1]["profile"] = json.dumps({"=samples": 800, "=harness": 19.5, "__sanitizer_cov_trace_const_cmp4": 12.0,
                                     "__sanitizer_cov_trace_pc_indir": 3.5, "cfz_cov_has_new": 4.0})
    md = report.render(rows, "cpu")
    line = next(x for x in md.splitlines() if x.startswith("| a | empty | 800 / 900"))
    # cmp4 7 points over: FAIL; pc_indir within the 1-point margin; own code 4.0 vs 12.0: fine.
    assert "`__sanitizer_cov_trace_const_cmp4` 12.0 % vs 5.0 %" in line and "pc_indir" not in line, line
    assert line.endswith("| **FAIL** |"), line
    assert "counterpart (callbacks by name, the engine's own code as a whole): **FAIL** (not met: a (empty))" in md


def check_run_by_run():
    # Exact p without ties: 3 against 3 fully apart is 2 of the 20 orderings; 8 against 8, 2 of 12,870.
    assert report.mann_whitney([4, 5, 6], [1, 2, 3]) == (1.0, 0.1)
    a12, p = report.mann_whitney(range(9, 17), range(1, 9))
    assert a12 == 1.0 and abs(p - 2 / 12870) < 1e-12, p
    a12, p = report.mann_whitney([1, 3, 5, 7], [2, 4, 6, 8])  # U = 6 of 16
    assert a12 == 0.375 and abs(p - 48 / 70) < 1e-12, p
    # Ties: the normal approximation; identical samples are even and not different.
    assert report.mann_whitney([5, 5, 5], [5, 5, 5]) == (0.5, 1.0)
    assert report.mann_whitney([1], [2, 3]) is None
    rows = []
    for s in range(1, 9):  # lib a: cfz above on every seed; lib b: interleaved
        rows.append(row("a", "libfuzzer", s, "1", str(100 + s), 1))
        rows.append(row("a", "cfz", s, "1", str(200 + s), 1))
        rows.append(row("b", "libfuzzer", s, "1", str(100 + 2 * s), 1))
        rows.append(row("b", "cfz", s, "1", str(101 + 2 * s), 1))
    lines = report.render(rows, "cpu").splitlines()
    a = next(x for x in lines if x.startswith("| a | empty | 120 s |"))
    assert "| 8 / 8 | 1.00 | 0.000 | cfz ahead |" in a, a
    b = next(x for x in lines if x.startswith("| b | empty | 120 s |"))
    assert b.endswith("| no significant difference |"), b


def check_same_inputs():
    import same_inputs
    # 1,000 executions: cfz's harness 2 CPU-s, libFuzzer's 4: 500 against 250 execs/CPU-s, ratio 2.
    a = same_inputs.summarise("a", "cfz", 100, 1000, {"cfz": 2.0, "libfuzzer": 4.0})
    assert a["rate_cfz"] == 500 and a["rate_libfuzzer"] == 250 and a["ratio"] == 2.0, a
    b = same_inputs.summarise("a", "libfuzzer", 10, 100, {"cfz": 1.0, "libfuzzer": 0.5})
    assert b["ratio"] == 0.5, b
    c = same_inputs.summarise("b", "cfz", 0, 0, {"cfz": 0.0, "libfuzzer": 0.0})  # nothing ran: no figure
    assert c["ratio"] is None, c
    md = same_inputs.render([a, b, c])
    assert "| a | cfz | 100 | 1,000 | 2.00 / 4.00 | 500 / 250 | 2.00 |" in md, md
    assert "| b | cfz | 0 | 0 | 0.00 / 0.00 | — / — | — |" in md, md
    assert "1.25× over 2 corpora" in md, md  # median of 2.0 and 0.5


def check_first_seed():
    import argparse
    a = argparse.Namespace(seeds=3, first_seed=1)
    assert run.seed_range(a) == "3 seed(s)", run.seed_range(a)
    a.first_seed = 3
    a.seeds = 4
    assert run.seed_range(a) == "seeds 3–4", run.seed_range(a)


def check_cover_diff_line():
    import cover_diff
    m = cover_diff.LINE.match("COVERED_FUNC: hits: 4 edges: 5/26 HUF_readStats_body_bmi2 /src/entropy_common.c:322")
    assert m and m.groups() == ("5", "26", "HUF_readStats_body_bmi2", "/src/entropy_common.c:322"), m
    # C++ names hold spaces; the source is the last field.
    m = cover_diff.LINE.match("COVERED_FUNC: hits: 9 edges: 40/125 Json::OurReader::readObject(Json::OurReader::"
                              "Token&, bool) /src/json_reader.cpp:1439")
    assert m and m.group(3) == "Json::OurReader::readObject(Json::OurReader::Token&, bool)", m.group(3)
    assert m.group(4) == "/src/json_reader.cpp:1439", m.group(4)


check_to_raw()
check_criteria()
check_execs_mode()
check_profiles()
check_run_by_run()
check_same_inputs()
check_first_seed()
check_cover_diff_line()
print("ok")
