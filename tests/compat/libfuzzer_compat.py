#!/usr/bin/env python3
"""libFuzzer compatibility test: runs a fuzz target the way OSS-Fuzz,
ClusterFuzz and ClusterFuzzLite run a libFuzzer binary, and reads its output
with ClusterFuzz's own regular expressions.

The same checks run against targets/lf_compat_crash.c built two ways:
  --engine libfuzzer   built with `clang -fsanitize=fuzzer` (real libFuzzer):
                       proves that the checks describe libFuzzer;
  --engine cfz         linked with cfz's harness: proves that cfz is read the
                       same way.
For cfz the target is copied into a scratch directory with `cfz` beside it,
as build.sh puts both into $OUT.

Every check is bounded by execution counts (-runs=N); the timeout and
out-of-memory checks take a few seconds of wall clock by their nature.

With --asan-target BIN (the same target built with AddressSanitizer), the
checks that need the sanitizer's malloc hooks (-malloc_limit_mb) run too.

usage: libfuzzer_compat.py --engine libfuzzer|cfz --target BIN [--cfz CFZ]
                           [--asan-target BIN] [--only NAME,...] [--keep]
Exit status: 0 every check passed, 1 some check failed, 2 usage error.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# --- ClusterFuzz's regular expressions, as ClusterFuzz writes them. ---
# src/clusterfuzz/_internal/bot/fuzzers/libFuzzer/stats.py
LIBFUZZER_CRASH_TYPE_REGEX = r'.*Test unit written to.*{type}'
LIBFUZZER_CRASH_START_MARKER = r'.*ERROR: (libFuzzer|.*Sanitizer):'
LIBFUZZER_ANY_CRASH_TYPE_REGEX = re.compile(
    r'(%s|%s)' % (LIBFUZZER_CRASH_START_MARKER,
                  LIBFUZZER_CRASH_TYPE_REGEX.format(type='')))
LIBFUZZER_CRASH_TESTCASE_REGEX = re.compile(
    LIBFUZZER_CRASH_TYPE_REGEX.format(type='crash'))
LIBFUZZER_OOM_TESTCASE_REGEX = re.compile(
    LIBFUZZER_CRASH_TYPE_REGEX.format(type='oom'))
LIBFUZZER_TIMEOUT_TESTCASE_REGEX = re.compile(
    LIBFUZZER_CRASH_TYPE_REGEX.format(type='timeout'))
LIBFUZZER_LOG_DICTIONARY_REGEX = re.compile(r'Dictionary: \d+ entries')
LIBFUZZER_LOG_END_REGEX = re.compile(r'Done\s+\d+\s+runs.*')
LIBFUZZER_LOG_LINE_REGEX = re.compile(
    r'^#\d+[\s]*(READ|INITED|NEW|pulse|REDUCE|RELOAD|DONE|:)\s.*')
LIBFUZZER_LOG_SEED_CORPUS_INFO_REGEX = re.compile(
    r'INFO:\s+seed corpus:\s+files:\s+(\d+).*rss:\s+(\d+)Mb.*')
LIBFUZZER_LOG_START_INITED_REGEX = re.compile(
    r'(#\d+\s+INITED\s+|INFO:\s+-fork=\d+:\s+fuzzing in separate process).*')
LIBFUZZER_MERGE_LOG_STATS_REGEX = re.compile(
    r'MERGE-OUTER:\s+\d+\s+new files with'
    r'\s+(\d+)\s+new features added;'
    r'\s+(\d+)\s+new coverage edges.*')
LIBFUZZER_MODULES_LOADED_REGEX = re.compile(
    r'^INFO:\s+Loaded\s+\d+\s+(modules|PC tables)\s+\((\d+)\s+.*\).*')
# src/clusterfuzz/_internal/bot/fuzzers/libfuzzer.py
CRASH_TESTCASE_REGEX = (r'.*Test unit written to\s*'
                        r'(.*(crash|oom|timeout|leak)-.*)')
STATS_REGEX = re.compile(r'stat::([A-Za-z_]+):\s*([^\s]+)')
# src/clusterfuzz/_internal/bot/fuzzers/libFuzzer/engine.py
MULTISTEP_MERGE_SUPPORT_TOKEN = b'fuzz target overwrites its const input'
# src/clusterfuzz/stacktraces/constants.py
LIBFUZZER_DEADLY_SIGNAL_REGEX = re.compile(
    r'.*ERROR:\s*libFuzzer:\s*deadly signal')
LIBFUZZER_FUZZ_TARGET_EXITED_REGEX = re.compile(
    r'.*ERROR:\s*libFuzzer:\s*fuzz target exited')
LIBFUZZER_OVERWRITES_CONST_INPUT_REGEX = re.compile(
    r'.*ERROR:\s*libFuzzer:\s*fuzz target overwrites its const input')
LIBFUZZER_TIMEOUT_REGEX = re.compile(r'.*ERROR:\s*libFuzzer:\s*timeout')
OUT_OF_MEMORY_REGEX = re.compile(r'.*(libFuzzer: out-of-memory \().*')
# libFuzzer's RSS line (FuzzerLoop.cpp, RssLimitCallback; "exceeds:" in
# releases before LLVM 9).
OOM_RSS_LINE = re.compile(r'^==\d+== ERROR: libFuzzer: out-of-memory '
                          r'\(used: \d+Mb; limit: 100Mb\)$')
# ClusterFuzz's exit codes (libFuzzer/constants.py): 77 a bug in the
# target, 1 an error in libFuzzer itself, 0 and 72 no crash.
TARGET_ERROR_EXITCODE = 77

# --- libFuzzer's own line layouts (FuzzerLoop.cpp), for lines ClusterFuzz
# only looks at in passing. ---
STATS_LINE = re.compile(
    r'^#\d+\t(INITED|NEW   |REDUCE|pulse |DONE  |RELOAD)'
    r'( cov: \d+)?( ft: \d+)?( corp: \d+(/\d+[KM]?b)?)?( lim: \d+)?'
    r' exec/s: \d+ rss: \d+Mb')
NEW_LINE = re.compile(r'^#\d+\tNEW    .* L: \d+/\d+ MS: \d+ ')
MS_LINE = re.compile(r'^MS: \d+ .*; base unit: [0-9a-f]{40}$')
SEED_LINE = re.compile(r'^INFO: Seed: (\d+)$')
SHA1_NAME = re.compile(r'^[0-9a-f]{40}$')


class Failed(Exception):
  pass


def expect(cond, what, output=None):
  if not cond:
    msg = what
    if output is not None:
      tail = '\n'.join(output.splitlines()[-40:])
      msg += '\n--- output (last 40 lines) ---\n' + tail
    raise Failed(msg)


def matching(regex, lines):
  return [m for m in (regex.match(l) for l in lines) if m]


def sha1(data):
  return hashlib.sha1(data).hexdigest()


def read(path):
  with open(path, 'rb') as f:
    return f.read()


def write(path, data):
  os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
  with open(path, 'wb') as f:
    f.write(data)


class Runner:

  def __init__(self, target, work, env):
    self.target = target
    self.work = work
    self.env = env

  def run(self, args, cwd, limit=600, commands=False):
    """Runs the target as ClusterFuzz does (stdout and stderr together);
    commands: the target's '!' inputs select failures."""
    os.makedirs(cwd, exist_ok=True)
    env = dict(self.env)
    if commands:
      env['LF_COMPAT_COMMANDS'] = '1'
    p = subprocess.run([self.target] + args,
                       cwd=cwd,
                       env=env,
                       stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT,
                       timeout=limit)
    out = p.stdout.decode('utf-8', 'replace')
    return p.returncode, out, out.splitlines()

  def dir(self, name):
    path = os.path.join(self.work, name)
    os.makedirs(path, exist_ok=True)
    return path


def testcase_path(lines):
  """ClusterFuzz's LibFuzzerCommon.get_testcase_path."""
  for line in lines:
    m = re.match(CRASH_TESTCASE_REGEX, line)
    if m:
      return m.group(1)
  return None


def check_artifact(cwd, lines, out, kind, content):
  path = testcase_path(lines)
  expect(path is not None, 'no "Test unit written to" line', out)
  full = os.path.join(cwd, path)
  expect(os.path.isfile(full), 'artifact %s missing' % path, out)
  data = read(full)
  expect(data == content, 'artifact %s holds %r, want raw %r' %
         (path, data, content))
  base = os.path.basename(path)
  expect(base == kind + sha1(data),
         'artifact name %s is not %s<sha1 of its bytes>' % (base, kind))
  b64 = [l for l in lines if l.startswith('Base64: ')]
  expect(b64 and base64.b64decode(b64[-1][8:]) == data,
         'no Base64: line with the artifact', out)
  expect(matching(MS_LINE, lines), 'no "MS: ...; base unit: SHA1" line', out)
  return full


def check_final_stats(lines, out):
  stats = {}
  for line in lines:
    m = STATS_REGEX.match(line)
    if m:
      expect(m.group(2).isdigit(), 'non-integer stat: %s' % line)
      stats[m.group(1)] = int(m.group(2))
  for key in ('number_of_executed_units', 'average_exec_per_sec',
              'new_units_added', 'slowest_unit_time_sec', 'peak_rss_mb'):
    expect(key in stats, 'no stat::%s line' % key, out)
  return stats


# --- the checks ---


def check_bad_build(r):
  """OSS-Fuzz's bad-build check: -seed=1337 -runs=4 with no corpus."""
  cwd = r.dir('bad_build')
  rc, out, lines = r.run(['-seed=1337', '-runs=4'], cwd)
  expect(rc == 0, 'exit status %d, want 0' % rc, out)
  expect(matching(re.compile(r'^Done 4 runs in \d+ second\(s\)$'), lines),
         'no "Done 4 runs in N second(s)"', out)
  expect(matching(LIBFUZZER_LOG_END_REGEX, lines), 'log end regex', out)
  mods = matching(LIBFUZZER_MODULES_LOADED_REGEX, lines)
  expect(mods and mods[0].group(1) == 'modules' and
         re.search(r'inline 8-bit counters', mods[0].group(0)),
         'no "INFO: Loaded 1 modules (N inline 8-bit counters)" line', out)
  expect(int(mods[0].group(2)) > 0, 'zero inline 8-bit counters', out)
  seeds = matching(SEED_LINE, lines)
  expect(seeds and seeds[0].group(1) == '1337', 'no "INFO: Seed: 1337"', out)
  expect(matching(LIBFUZZER_LOG_START_INITED_REGEX, lines), 'no INITED', out)
  for l in lines:
    if l.startswith('#'):
      expect(STATS_LINE.match(l), 'malformed stats line: %r' % l, out)


def check_fuzz_crash(r):
  """A ClusterFuzz fuzzing session: new corpus first, then the corpus."""
  cwd = r.dir('fuzz_crash')
  write(os.path.join(cwd, 'corpus', 'seed'), b'FU')
  os.makedirs(os.path.join(cwd, 'new'), exist_ok=True)
  os.makedirs(os.path.join(cwd, 'art'), exist_ok=True)
  write(os.path.join(cwd, 'x.dict'), b'"FUZ"\n')
  rc, out, lines = r.run([
      '-timeout=25', '-rss_limit_mb=2560', '-max_len=1000', '-dict=x.dict',
      '-artifact_prefix=art/', '-max_total_time=300', '-print_final_stats=1',
      '-seed=1', '-runs=500000', 'new', 'corpus'
  ], cwd)
  expect(rc == TARGET_ERROR_EXITCODE,
         'exit status %d, want %d' % (rc, TARGET_ERROR_EXITCODE), out)
  expect(matching(LIBFUZZER_LOG_DICTIONARY_REGEX, lines),
         'no "Dictionary: N entries"', out)
  info = matching(LIBFUZZER_LOG_SEED_CORPUS_INFO_REGEX, lines)
  expect(info and info[0].group(1) == '1', 'no seed corpus: files: 1', out)
  expect(matching(LIBFUZZER_LOG_START_INITED_REGEX, lines), 'no INITED', out)
  expect(matching(NEW_LINE, lines), 'no NEW line', out)
  for l in lines:
    if l.startswith('#'):
      expect(LIBFUZZER_LOG_LINE_REGEX.match(l), 'log line regex: %r' % l, out)
      expect(STATS_LINE.match(l), 'malformed stats line: %r' % l, out)
  expect(matching(LIBFUZZER_DEADLY_SIGNAL_REGEX, lines), 'no deadly signal',
         out)
  expect('SUMMARY: libFuzzer: deadly signal' in lines, 'no SUMMARY', out)
  expect(matching(LIBFUZZER_ANY_CRASH_TYPE_REGEX, lines), 'any crash', out)
  expect(matching(LIBFUZZER_CRASH_TESTCASE_REGEX, lines), 'crash testcase',
         out)
  path = testcase_path(lines)
  expect(path and path.startswith('art/crash-'), 'artifact %s' % path, out)
  data = read(os.path.join(cwd, path))
  expect(data.startswith(b'FUZ'), 'crash input %r' % data)
  check_artifact(cwd, lines, out, 'crash-', data)
  stats = check_final_stats(lines, out)
  expect(stats['number_of_executed_units'] > 0, 'no executions', out)
  news = os.listdir(os.path.join(cwd, 'new'))
  expect(news, 'no new unit in the first corpus directory', out)
  for n in news:
    expect(SHA1_NAME.match(n), 'new unit name %s is not a SHA-1' % n)
    expect(sha1(read(os.path.join(cwd, 'new', n))) == n,
           'new unit %s: not the SHA-1 of its raw bytes' % n)
  expect(os.listdir(os.path.join(cwd, 'corpus')) == ['seed'],
         'the second corpus directory changed')


def single_failure(r, name, cmd, flags):
  cwd = r.dir(name)
  write(os.path.join(cwd, 'corpus', 'in'), cmd)
  os.makedirs(os.path.join(cwd, 'art'), exist_ok=True)
  rc, out, lines = r.run(flags + ['-runs=100', 'corpus'], cwd, commands=True)
  return cwd, rc, out, lines


def check_timeout(r):
  cwd, rc, out, lines = single_failure(r, 'timeout', b'!T',
                                       ['-timeout=1', '-artifact_prefix=art/'])
  expect(rc == 70, 'exit status %d, want 70 (-timeout_exitcode)' % rc, out)
  expect(matching(LIBFUZZER_TIMEOUT_REGEX, lines), 'no timeout error', out)
  expect(
      matching(re.compile(r'^==\d+== ERROR: libFuzzer: timeout after \d+ '
                          r'seconds$'), lines), 'timeout line layout', out)
  expect(matching(LIBFUZZER_TIMEOUT_TESTCASE_REGEX, lines), 'timeout- unit',
         out)
  expect('SUMMARY: libFuzzer: timeout' in lines, 'no SUMMARY', out)
  check_artifact(cwd, lines, out, 'timeout-', b'!T')


def check_exit(r):
  cwd, rc, out, lines = single_failure(
      r, 'exit', b'!E', ['-exact_artifact_path=exit_unit',
                         '-artifact_prefix=art/'])
  expect(rc == TARGET_ERROR_EXITCODE, 'exit status %d, want 77' % rc, out)
  expect(matching(LIBFUZZER_FUZZ_TARGET_EXITED_REGEX, lines),
         'no "fuzz target exited"', out)
  expect('SUMMARY: libFuzzer: fuzz target exited' in lines, 'no SUMMARY', out)
  expect("artifact_prefix='art/'; Test unit written to exit_unit" in lines,
         'no -exact_artifact_path line', out)
  expect(read(os.path.join(cwd, 'exit_unit')) == b'!E', 'exit_unit content')
  expect(not os.listdir(os.path.join(cwd, 'art')),
         '-exact_artifact_path also wrote under -artifact_prefix')


def check_oom(r):
  cwd, rc, out, lines = single_failure(
      r, 'oom', b'!O', ['-rss_limit_mb=100', '-artifact_prefix=art/'])
  expect(rc == 71, 'exit status %d, want 71' % rc, out)
  expect(matching(OUT_OF_MEMORY_REGEX, lines), 'no out-of-memory (', out)
  expect(
      matching(
          re.compile(r'^==\d+== ERROR: libFuzzer: out-of-memory \(used: \d+Mb;'
                     r' limit: 100Mb\)$'), lines),
      'out-of-memory line layout', out)
  expect(matching(LIBFUZZER_OOM_TESTCASE_REGEX, lines), 'oom- unit', out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)
  check_artifact(cwd, lines, out, 'oom-', b'!O')


def check_const_input(r):
  cwd, rc, out, lines = single_failure(r, 'const_input', b'!W',
                                       ['-artifact_prefix=art/'])
  expect(rc == TARGET_ERROR_EXITCODE, 'exit status %d, want 77' % rc, out)
  expect(matching(LIBFUZZER_OVERWRITES_CONST_INPUT_REGEX, lines),
         'no "fuzz target overwrites its const input"', out)
  check_artifact(cwd, lines, out, 'crash-', b'!W')


def check_token(r):
  """ClusterFuzz uses two-step merge only when the binary has this."""
  expect(MULTISTEP_MERGE_SUPPORT_TOKEN in read(r.target),
         'the binary lacks %r' % MULTISTEP_MERGE_SUPPORT_TOKEN)


def check_merge(r):
  cwd = r.dir('merge')
  inputs = [b'a1', b'a2', b'b', b'c', b'd', b'dd', b'FU']
  for i, data in enumerate(inputs):
    write(os.path.join(cwd, 'in', 'f%d' % i), data)
  os.makedirs(os.path.join(cwd, 'out'), exist_ok=True)
  os.makedirs(os.path.join(cwd, 'art'), exist_ok=True)
  rc, out, lines = r.run(
      ['-merge=1', '-merge_control_file=ctl', '-artifact_prefix=art/', 'out',
       'in'], cwd)
  expect(rc == 0, 'exit status %d, want 0' % rc, out)
  m = [LIBFUZZER_MERGE_LOG_STATS_REGEX.match(l) for l in reversed(lines)]
  m = [x for x in m if x]
  expect(m, 'no MERGE-OUTER: N new files line', out)
  features, edges = int(m[0].group(1)), int(m[0].group(2))
  expect(features > 0 and edges > 0, 'no features or edges merged', out)
  files = os.listdir(os.path.join(cwd, 'out'))
  n = int(re.search(r'MERGE-OUTER:\s+(\d+)', m[0].group(0)).group(1))
  expect(len(files) == n, '%d files in out, the log says %d' % (len(files), n))
  expect(0 < n < len(inputs), 'merge kept %d of %d inputs' % (n, len(inputs)))
  for f in files:
    data = read(os.path.join(cwd, 'out', f))
    expect(data in inputs, 'merged unit %r is not an input' % data)
    expect(f == sha1(data), 'merged unit %s not named by its SHA-1' % f)


def check_minimize(r):
  cwd = r.dir('minimize')
  write(os.path.join(cwd, 'crash'), b'FUZ' + b'x' * 8)
  rc, out, lines = r.run([
      '-minimize_crash=1', '-runs=200', '-max_total_time=300',
      '-exact_artifact_path=min', 'crash'
  ], cwd)
  expect(rc == 0, 'exit status %d, want 0' % rc, out)
  data = read(os.path.join(cwd, 'min'))
  expect(data.startswith(b'FUZ') and len(data) < 11,
         'minimized input %r' % data, out)
  rc, out, lines = r.run(['-runs=100', 'min'], cwd)
  expect(rc != 0 and matching(LIBFUZZER_DEADLY_SIGNAL_REGEX, lines),
         'the minimized input does not crash (exit %d)' % rc, out)


def check_reproduce(r):
  """ClusterFuzz reproduces with -runs=100 TESTCASE."""
  cwd = r.dir('reproduce')
  write(os.path.join(cwd, 'ok'), b'abc')
  write(os.path.join(cwd, 'crash'), b'FUZZ')
  rc, out, lines = r.run(['-runs=3', 'ok'], cwd)
  expect(rc == 0, 'exit status %d, want 0' % rc, out)
  expect('Running: ok' in lines, 'no "Running: ok"', out)
  expect(matching(re.compile(r'^Executed ok in \d+ ms$'), lines),
         'no "Executed ok in N ms"', out)
  rc, out, lines = r.run(['-runs=100', '-timeout=20', 'crash'], cwd)
  expect(rc != 0, 'the crash reproduced with exit status 0', out)
  expect(matching(LIBFUZZER_DEADLY_SIGNAL_REGEX, lines), 'no deadly signal',
         out)


def check_flags(r):
  cwd = r.dir('flags')
  write(os.path.join(cwd, 'ok'), b'abc')
  rc, out, lines = r.run(['-definitely_not_a_flag=1', '-runs=1', 'ok'], cwd)
  expect(rc == 0, 'exit status %d, want 0' % rc, out)
  expect("WARNING: unrecognized flag '-definitely_not_a_flag=1'; use -help=1 "
         "to list all flags" in lines, 'no unrecognized-flag warning', out)
  rc, out, lines = r.run(['-help=1'], cwd)
  expect(rc == 0, '-help=1: exit status %d, want 0' % rc, out)
  for name in ('max_total_time', 'runs', 'seed', 'timeout', 'rss_limit_mb',
               'malloc_limit_mb', 'max_len', 'len_control', 'dict',
               'artifact_prefix', 'exact_artifact_path', 'print_final_stats',
               'close_fd_mask', 'detect_leaks', 'use_value_profile', 'jobs',
               'workers', 'fork', 'error_exitcode', 'timeout_exitcode',
               'merge', 'merge_control_file', 'minimize_crash', 'help'):
    expect(re.search(r'^ %s\s' % name, out, re.M), '-help=1 lacks %s' % name,
           out)


def check_missing_dirs(r):
  """A missing output corpus or artifact directory is an error (made with
  -create_missing_dirs=1); an input directory that does not open too."""
  cwd = r.dir('missing_dirs')
  os.makedirs(os.path.join(cwd, 'out'), exist_ok=True)
  for args, line in (
      (['nodir'], 'ERROR: The required directory "nodir" does not exist'),
      (['-merge=1', 'nodir', 'out'],
       'ERROR: The required directory "nodir" does not exist'),
      (['-artifact_prefix=noart/', 'out'],
       'ERROR: The required directory "noart/" does not exist'),
      (['-exact_artifact_path=noart/x', 'out'],
       'ERROR: The required directory "noart" does not exist'),
      (['out', 'nodir'], 'No such file or directory: nodir; exiting'),
      (['-merge=1', 'out', 'nodir'],
       'No such file or directory: nodir; exiting'),
  ):
    rc, out, lines = r.run(['-runs=10'] + args, cwd)
    expect(rc == 1, '%s: exit status %d, want 1' % (' '.join(args), rc), out)
    expect(line in lines, '%s: no %r' % (' '.join(args), line), out)
    expect(not os.path.exists(os.path.join(cwd, 'nodir')),
           '%s: made nodir' % ' '.join(args))
  rc, out, lines = r.run(
      ['-runs=10', '-create_missing_dirs=1', '-artifact_prefix=art/', 'new'],
      cwd)
  expect(rc == 0, '-create_missing_dirs=1: exit status %d, want 0' % rc, out)
  for d in ('new', 'art'):
    expect(os.path.isdir(os.path.join(cwd, d)),
           '-create_missing_dirs=1 did not make %s' % d, out)


def check_reproduce_flags(r):
  """Files on the command line (the target runs them itself): the artifact
  directories and -dict are still checked first, as in every mode."""
  cwd = r.dir('reproduce_flags')
  write(os.path.join(cwd, 'ok'), b'abc')
  write(os.path.join(cwd, 'empty.dict'), b'')
  for args, line in (
      (['-artifact_prefix=noart/'],
       'ERROR: The required directory "noart/" does not exist'),
      (['-artifact_prefix=noart/crash-'],
       'ERROR: The required directory "noart" does not exist'),
      (['-exact_artifact_path=noart/x'],
       'ERROR: The required directory "noart" does not exist'),
      (['-dict=nodict'], 'ParseDictionaryFile: '),
      (['-dict=empty.dict'], 'ParseDictionaryFile: '),
  ):
    rc, out, lines = r.run(['-runs=2'] + args + ['ok'], cwd)
    expect(rc == 1, '%s: exit status %d, want 1' % (' '.join(args), rc), out)
    expect([l for l in lines if l.startswith(line)],
           '%s: no %r' % (' '.join(args), line), out)
    expect('Running: ok' not in lines, '%s: ran the file' % args[0], out)
    expect(not os.path.exists(os.path.join(cwd, 'noart')), 'made noart')
  rc, out, lines = r.run(
      ['-runs=2', '-create_missing_dirs=1', '-artifact_prefix=art/', 'ok'],
      cwd)
  expect(rc == 0, '-create_missing_dirs=1: exit status %d, want 0' % rc, out)
  expect('Running: ok' in lines, '-create_missing_dirs=1: no Running', out)
  expect(os.path.isdir(os.path.join(cwd, 'art')),
         '-create_missing_dirs=1 did not make art', out)


def check_reproduce_oom(r):
  """ClusterFuzz reproduces an out-of-memory testcase with -rss_limit_mb:
  the file that needs more is reported as out-of-memory (exit 71)."""
  cwd = r.dir('reproduce_oom')
  write(os.path.join(cwd, 'oom'), b'!O')
  rc, out, lines = r.run(['-rss_limit_mb=100', '-runs=2', 'oom'], cwd,
                         commands=True)
  expect(rc == 71, 'exit status %d, want 71' % rc, out)
  expect(matching(OUT_OF_MEMORY_REGEX, lines), 'no out-of-memory (', out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)


def check_oom_during_input(r):
  """-rss_limit_mb is enforced while an input runs (libFuzzer's RSS
  thread): an input that keeps 200 MB and never returns is out-of-memory,
  not a timeout, fuzzing and reproducing alike.  -timeout only bounds a
  failing engine."""
  cwd, rc, out, lines = single_failure(
      r, 'oom_hold', b'!H',
      ['-rss_limit_mb=100', '-timeout=60', '-artifact_prefix=art/'])
  expect(rc == 71, 'fuzzing: exit status %d, want 71' % rc, out)
  expect(matching(OOM_RSS_LINE, lines), 'fuzzing: out-of-memory line', out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)
  check_artifact(cwd, lines, out, 'oom-', b'!H')
  write(os.path.join(cwd, 'hold'), b'!H')
  rc, out, lines = r.run(['-rss_limit_mb=100', '-timeout=60', '-runs=1',
                          'hold'], cwd, commands=True)
  expect(rc == 71, 'reproducing: exit status %d, want 71' % rc, out)
  expect(matching(OOM_RSS_LINE, lines), 'reproducing: out-of-memory line',
         out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)


NOISE_OUT, NOISE_ERR = 'LF_COMPAT_STDOUT_NOISE', 'LF_COMPAT_STDERR_NOISE'


def check_close_fd_mask(r):
  """-close_fd_mask=1 discards the target's stdout, 2 its stderr, 3 both;
  the engine's own lines (and the crash report) still come."""
  cwd = r.dir('close_fd_mask')
  write(os.path.join(cwd, 'noise'), b'!P')
  write(os.path.join(cwd, 'crash'), b'!Q')
  for mask in (0, 1, 2, 3):
    rc, out, lines = r.run(['-close_fd_mask=%d' % mask, '-runs=1', 'noise'],
                           cwd, commands=True)
    what = '-close_fd_mask=%d noise' % mask
    expect(rc == 0, '%s: exit status %d, want 0' % (what, rc), out)
    expect('Running: noise' in lines, '%s: no "Running: noise"' % what, out)
    expect((NOISE_OUT in lines) == (not mask & 1),
           '%s: stdout %s' % (what, 'kept' if mask & 1 else 'lost'), out)
    expect((NOISE_ERR in lines) == (not mask & 2),
           '%s: stderr %s' % (what, 'kept' if mask & 2 else 'lost'), out)
    rc, out, lines = r.run(['-close_fd_mask=%d' % mask, '-runs=1', 'crash'],
                           cwd, commands=True)
    expect(rc != 0 and matching(LIBFUZZER_DEADLY_SIGNAL_REGEX, lines),
           '-close_fd_mask=%d crash: no deadly signal' % mask, out)
  cwd, rc, out, lines = single_failure(
      r, 'close_fd_mask_fuzz', b'!Q',
      ['-close_fd_mask=3', '-artifact_prefix=art/'])
  expect(rc == TARGET_ERROR_EXITCODE, 'fuzzing: exit status %d' % rc, out)
  expect(matching(LIBFUZZER_DEADLY_SIGNAL_REGEX, lines),
         'fuzzing: no deadly signal', out)
  expect(NOISE_OUT not in lines and NOISE_ERR not in lines,
         'fuzzing with -close_fd_mask=3 printed the target\'s output', out)
  check_artifact(cwd, lines, out, 'crash-', b'!Q')


MALLOC_LINE = re.compile(
    r'^==\d+== ERROR: libFuzzer: out-of-memory \(malloc\(314572800\)\)$')


def check_malloc_limit(r):
  """-malloc_limit_mb (ASan builds): one malloc(300 MB) above a 100 MB
  limit is out-of-memory at once, with libFuzzer's malloc(N) line."""
  a = r.asan
  cwd = a.dir('malloc_limit')
  write(os.path.join(cwd, 'big'), b'!M')
  rc, out, lines = a.run(['-malloc_limit_mb=100', '-runs=1', 'big'], cwd,
                         commands=True)
  expect(rc == 71, 'reproducing: exit status %d, want 71' % rc, out)
  expect(matching(OUT_OF_MEMORY_REGEX, lines), 'no out-of-memory (', out)
  expect(matching(MALLOC_LINE, lines), 'reproducing: malloc(N) line', out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)
  # Without the limit (as big as the RSS limit, 2048) the input passes.
  rc, out, lines = a.run(['-runs=1', 'big'], cwd, commands=True)
  expect(rc == 0, 'no limit: exit status %d, want 0' % rc, out)
  cwd, rc, out, lines = single_failure(
      a, 'malloc_limit_fuzz', b'!M',
      ['-malloc_limit_mb=100', '-artifact_prefix=art/'])
  expect(rc == 71, 'fuzzing: exit status %d, want 71' % rc, out)
  expect(matching(MALLOC_LINE, lines), 'fuzzing: malloc(N) line', out)
  expect('SUMMARY: libFuzzer: out-of-memory' in lines, 'no SUMMARY', out)
  check_artifact(cwd, lines, out, 'oom-', b'!M')


CHECKS = [
    ('bad_build', check_bad_build),
    ('fuzz_crash', check_fuzz_crash),
    ('timeout', check_timeout),
    ('exit', check_exit),
    ('oom', check_oom),
    ('const_input', check_const_input),
    ('token', check_token),
    ('merge', check_merge),
    ('minimize', check_minimize),
    ('reproduce', check_reproduce),
    ('flags', check_flags),
    ('missing_dirs', check_missing_dirs),
    ('reproduce_flags', check_reproduce_flags),
    ('reproduce_oom', check_reproduce_oom),
    ('oom_during_input', check_oom_during_input),
    ('close_fd_mask', check_close_fd_mask),
    ('malloc_limit', check_malloc_limit),  # only with --asan-target
]
ASAN_CHECKS = {'malloc_limit'}


def main():
  ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  ap.add_argument('--engine', choices=('libfuzzer', 'cfz'), required=True)
  ap.add_argument('--target', required=True)
  ap.add_argument('--cfz', help='the cfz executable (engine cfz)')
  ap.add_argument('--asan-target', help='the target built with ASan')
  ap.add_argument('--only', help='comma-separated check names')
  ap.add_argument('--keep', action='store_true', help='keep the scratch dir')
  a = ap.parse_args()
  if a.engine == 'cfz' and not a.cfz:
    ap.error('--engine cfz needs --cfz')
  only = set(a.only.split(',')) if a.only else None
  unknown = (only or set()) - {n for n, _ in CHECKS}
  if unknown:
    ap.error('unknown check(s): %s' % ', '.join(sorted(unknown)))

  work = tempfile.mkdtemp(prefix='cfz-lfcompat-')
  env = dict(os.environ)
  env.pop('CFZ_WORKER', None)
  env.pop('CFZ_DRIVER', None)
  # No sanitizer is in play here; keep any inherited options from changing
  # exit codes.
  env.pop('ASAN_OPTIONS', None)
  env.pop('UBSAN_OPTIONS', None)
  bindir = os.path.join(work, 'out')
  os.makedirs(bindir)
  target = os.path.join(bindir, 'lf_compat_crash')
  shutil.copy2(a.target, target)
  if a.engine == 'cfz':
    os.symlink(os.path.abspath(a.cfz), os.path.join(bindir, 'cfz'))
  r = Runner(target, work, env)
  r.asan = None
  if a.asan_target:
    asan_target = os.path.join(bindir, 'lf_compat_crash_asan')
    shutil.copy2(a.asan_target, asan_target)
    r.asan = Runner(asan_target, work, env)

  failed = 0
  for name, fn in CHECKS:
    if only and name not in only:
      continue
    if name in ASAN_CHECKS and not r.asan:
      print('SKIP %s (no --asan-target)' % name, flush=True)
      continue
    t0 = time.monotonic()
    try:
      fn(r)
      print('PASS %s (%.1fs)' % (name, time.monotonic() - t0), flush=True)
    except Failed as e:
      failed += 1
      print('FAIL %s: %s' % (name, e), flush=True)
    except subprocess.TimeoutExpired as e:
      failed += 1
      print('FAIL %s: did not end: %s' % (name, e), flush=True)
  print('%s: %d failed' % (a.engine, failed))
  if a.keep:
    print('scratch directory kept: %s' % work)
  else:
    shutil.rmtree(work, ignore_errors=True)
  return 1 if failed else 0


if __name__ == '__main__':
  sys.exit(main())
