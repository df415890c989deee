#!/usr/bin/env python3
"""cover_diff.py - which functions one corpus covers and another does not, counted by the libFuzzer build.

    cover_diff.py BIN CORPUS_A CORPUS_B [--top N] [--func NAME]

BIN is a libFuzzer binary (e.g. $BENCH_REAL_DIR/bin/<lib>-libfuzzer); each corpus (a directory of raw inputs, e.g.
a run's snap-* copy) is replayed with `BIN -runs=0 -detect_leaks=0 -print_coverage=1 CORPUS`. Prints, per
function whose covered edges differ, `B - A`, A's and B's covered edges, the function's edges and its source
line, sorted by the difference (what B covers beyond A last), and both totals. --func NAME also prints the
source lines of that function's edges that A leaves uncovered (the checks its inputs fail), as libFuzzer
reports them. Used for docs/performance.md's "where cfz falls behind" analyses (issue 9).
"""
import argparse
import re
import subprocess
import sys

LINE = re.compile(r"COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.+) (\S+)$")


def coverage(binary, corpus):
    """{function: (covered, total, source)} and {function: [uncovered source lines]} of one corpus."""
    try:
        out = subprocess.run([binary, "-runs=0", "-detect_leaks=0", "-print_coverage=1", corpus],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                             check=False).stdout
    except OSError as e:
        sys.exit("cover_diff: cannot run %s: %s" % (binary, e))
    funcs, uncovered, cur = {}, {}, None
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            cur = m.group(3)
            funcs[cur] = (int(m.group(1)), int(m.group(2)), m.group(4))
            uncovered[cur] = []
        elif cur and line.startswith("  UNCOVERED_PC: "):
            uncovered[cur].append(line.split(": ", 1)[1].rsplit("/", 1)[-1])
    if not funcs:
        sys.exit("cover_diff: %s printed no COVERED_FUNC line for %s (not a libFuzzer build?)" % (binary, corpus))
    return funcs, uncovered


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("corpus_a")
    ap.add_argument("corpus_b")
    ap.add_argument("--top", type=int, default=20, help="functions shown at each end (default 20)")
    ap.add_argument("--func", help="print the uncovered lines of this function in A")
    args = ap.parse_args()
    a, a_unc = coverage(args.binary, args.corpus_a)
    b, _ = coverage(args.binary, args.corpus_b)
    rows = []
    for name in set(a) | set(b):
        ca, total, src = a.get(name, (0, 0, ""))
        cb, total_b, src_b = b.get(name, (0, 0, ""))
        if ca != cb:
            rows.append((cb - ca, name, ca, cb, max(total, total_b), src or src_b))
    rows.sort()
    shown = rows if len(rows) <= 2 * args.top else rows[:args.top] + rows[-args.top:]
    print("%6s %6s %6s %6s  %s" % ("B-A", "A", "B", "edges", "function (source)"))
    for d, name, ca, cb, total, src in shown:
        print("%+6d %6d %6d %6d  %s (%s)" % (d, ca, cb, total, name, src.rsplit("/", 1)[-1]))
    print("covered edges in functions: A %d, B %d (%d functions differ)"
          % (sum(v[0] for v in a.values()), sum(v[0] for v in b.values()), len(rows)))
    if args.func:
        if args.func not in a_unc:
            sys.exit("cover_diff: A does not enter %s" % args.func)
        print("%s: A covers %d of %d edges; uncovered: %s"
              % (args.func, a[args.func][0], a[args.func][1], " ".join(a_unc[args.func])))


if __name__ == "__main__":
    main()
