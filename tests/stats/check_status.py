#!/usr/bin/env python3
"""The live status (issue 13 item 3): on a terminal, `cfz run` keeps one
status line that it rewrites in place (carriage return and ANSI erase, no
newline between updates) and clears before any other output; off a terminal
it prints the plain log lines it always printed.

usage: check_status.py CFZ TARGETS_DIR
The terminal is a pseudo-terminal (python's pty).  Runs are bounded by
execution counts (--fuzz-time Nx), never by time: a short --status-interval
only makes updates frequent."""
import fcntl
import os
import re
import struct
import subprocess
import sys
import tempfile
import termios

CLEAR = b"\r\x1b[K"


def run_on_pty(argv, cwd):
    """Runs argv with stderr on a pseudo-terminal 200 columns wide; returns
    (exit status, everything written to the terminal)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    env = dict(os.environ, TERM="xterm")
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(), out


def fail(msg, out):
    sys.exit(f"FAIL: {msg}\n--- terminal output:\n{out!r}")


def updates_of(out):
    """What follows each erase sequence, up to the next one: a status
    update ("fuzz: ..."), or other output (a warning) that cleared it."""
    return out.split(CLEAR)[1:]


def check_clean_run(cfz, targets, tmp):
    cwd = os.path.join(tmp, "tty")
    os.mkdir(cwd)
    rc, out = run_on_pty(
        [cfz, "run", "-j", "1", "--fuzz-time", "300000x",
         "--status-interval", "5ms", "--cache-dir", "cache",
         os.path.join(targets, "trivial")], cwd)
    if rc != 0:
        fail(f"exit status {rc}", out)
    ups = updates_of(out)
    stats = [u for u in ups if u.startswith(b"fuzz: ") and b"execs:" in u]
    if len(stats) < 2:
        fail(f"{len(stats)} status update(s), want at least 2", out)
    # One line, changing in place: no newline inside or after an update
    # (other output, such as a warning, first erases it and starts at the
    # first column), except after the last one, which stays on the screen as
    # the run ends.
    for u in ups[:-1]:
        if u.startswith(b"fuzz: ") and b"\n" in u:
            fail(f"a newline between two updates: {u!r}", out)
    if not ups[-1].endswith(b"\r\n") or ups[-1].count(b"\n") != 1:
        fail(f"the last status does not end the line: {ups[-1]!r}", out)
    if len(set(stats)) < 2:
        fail("the status line never changes", out)
    # What it shows.
    for field in (b"execs:", b"/sec)", b"edges:", b"features:", b"corpus:",
                  b"failures:", b"last new:", b"rss:", b"workers:"):
        if field not in stats[-1]:
            fail(f"the status has no {field!r}: {stats[-1]!r}", out)
    execs = [int(re.search(rb"execs: (\d+)", u).group(1)) for u in stats]
    if execs != sorted(execs) or execs[-1] < 300000:
        fail(f"execs do not grow to the count: {execs}", out)
    # Nothing of the plain log format on a terminal.
    if b"new interesting:" in out:
        fail("plain log lines on a terminal", out)
    print(f"terminal: {len(stats)} in-place updates, execs {execs[0]} .. "
          f"{execs[-1]}")


def check_failure_run(cfz, targets, tmp):
    """A failure report and the warnings start on a clean line."""
    cwd = os.path.join(tmp, "tty-fail")
    os.mkdir(cwd)
    rc, out = run_on_pty(
        [cfz, "run", "-j", "1", "--seed", "1", "--fuzz-time", "200000x",
         "--minimize-time", "300x", "--status-interval", "1ms",
         "--cache-dir", "cache", "--testdata", "testdata",
         os.path.join(targets, "fail_segv")], cwd)
    if rc != 1:
        fail(f"exit status {rc}, want 1 (the crash)", out)
    at = out.find(b"--- FAIL")
    if at < 0:
        fail("no failure report", out)
    before = out[:at]
    if CLEAR not in before:
        fail("no status line drawn before the report", out)
    if not (before.endswith(b"\x1b[K") or before.endswith(b"\n") or
            not before):
        fail(f"the report does not start on a cleared line: "
             f"{before[-80:]!r}", out)
    # Every line of the report stands alone: between the report's start and
    # its last line no status update is drawn.
    end = out.find(b"FAIL\r\n", at + 8)
    if end < 0 or CLEAR in out[at:end]:
        fail("a status update inside the failure report", out)
    print("terminal: the failure report starts on a cleared line")


def check_not_a_terminal(cfz, targets, tmp):
    cwd = os.path.join(tmp, "pipe")
    os.mkdir(cwd)
    p = subprocess.run(
        [cfz, "run", "-j", "1", "--fuzz-time", "300000x",
         "--status-interval", "5ms", "--cache-dir", "cache",
         os.path.join(targets, "trivial")], cwd=cwd, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    err = p.stderr
    if p.returncode != 0:
        fail(f"exit status {p.returncode}", err)
    if b"\r" in err or b"\x1b" in err:
        fail("terminal control sequences when stderr is a pipe", err)
    lines = [l for l in err.splitlines() if re.fullmatch(
        rb"fuzz: elapsed: \w+, execs: \d+ \(\d+/sec\), new interesting: \d+ "
        rb"\(total: \d+\), features: \d+, edges: \d+, workers: \d+", l)]
    if len(lines) < 2:
        fail(f"{len(lines)} plain status line(s), want at least 2", err)
    print(f"pipe: {len(lines)} plain status lines")


def main():
    cfz, targets = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as tmp:
        check_clean_run(cfz, targets, tmp)
        check_failure_run(cfz, targets, tmp)
        check_not_a_terminal(cfz, targets, tmp)
    print("check_status: ok")


if __name__ == "__main__":
    main()
