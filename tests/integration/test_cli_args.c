/* test_cli_args.c - the argument parsing of every subcommand: options may
 * follow the operands (also under POSIXLY_CORRECT), "--" ends them, corpus
 * directories must exist, and each bad option or value is a usage error
 * (exit status 2) that names the word. */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

/* Runs `cfz ARGS...` (NULL-terminated) in dir with env (may be NULL). */
static void cfz(run_result *r, const char *dir, char *const env[], ...) {
  char *argv[32];
  int n = 0;
  argv[n++] = CFZ_BIN;
  va_list ap;
  va_start(ap, env);
  for (char *a; (a = va_arg(ap, char *)) && n < 31;)
    argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  run_cmd(dir, argv, env, r);
}

static void done(run_result *r, char *dir) {
  run_result_free(r);
  remove_tree(dir);
  free(dir);
}

/* `cfz run ./target --seed 1 -j 1 --fuzz-time 200x --cache-dir DIR`: every
 * option after the target is honoured, with or without POSIXLY_CORRECT
 * (under which getopt would stop at the target). */
START_TEST(options_after_target_honoured) {
  char *posix[] = {"POSIXLY_CORRECT=1", NULL};
  char *const *envs[] = {NULL, posix};
  for (int i = 0; i < 2; i++) {
    char *dir = make_temp_dir();
    char cache[PATH_MAX + 16];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    run_result r;
    cfz(&r, dir, envs[i], "run", target_path("trivial"), "--seed", "1", "-j",
        "1", "--fuzz-time", "200x", "--cache-dir", cache, NULL);
    assert_exit(&r, 0, i ? "POSIXLY_CORRECT" : NULL);
    assert_output_has(&r, "execs: 200 (");
    assert_output_has(&r, "workers: 1\n");
    char *kept = find_file_under(cache); /* --cache-dir was honoured */
    ck_assert_msg(kept != NULL, "no generated corpus under %s", cache);
    free(kept);
    done(&r, dir);
  }
}
END_TEST

/* After "--" every word is an operand: a corpus directory named "-x" can be
 * given, and an option there is a (missing) directory, named as such. */
START_TEST(double_dash_ends_options) {
  char *dir = make_temp_dir();
  put_str(dir, "-x/a", "first");
  put_str(dir, "-x/b", "second input");
  put_str(dir, "-x/c", "third, longer input");
  run_result r;
  cfz(&r, dir, NULL, "corpus", "merge", "-o", "out", "--cache-dir=cache",
      target_path("trivial"), "--", "-x", NULL);
  assert_exit(&r, 0, "merge -- -x");
  assert_output_has(&r, "merge: 3 candidate input(s)");
  run_result_free(&r);
  cfz(&r, dir, NULL, "run", "--cache-dir=cache", target_path("trivial"), "--",
      "--fuzz-time", "10x", NULL);
  assert_exit(&r, 2, "run -- --fuzz-time");
  assert_output_has(&r, "cfz run: corpus directory --fuzz-time: No such file");
  done(&r, dir);
}
END_TEST

/* A corpus directory that does not exist, or is not a directory, is a
 * usage error naming it, in every command that takes them. */
START_TEST(missing_corpus_dir) {
  static const char *const names[] = {"cfz run", "cfz cover",
                                      "cfz corpus merge"};
  char *dir = make_temp_dir();
  put_str(dir, "file", "x");
  for (int i = 0; i < 3; i++) {
    for (int k = 0; k < 2; k++) {
      const char *arg = k ? "file" : "no-such-dir";
      run_result r;
      char want[128];
      snprintf(want, sizeof want, "%s: corpus directory %s: %s", names[i], arg,
               k ? "not a directory" : "No such file or directory");
      const char *t = target_path("trivial");
      if (i == 0)
        cfz(&r, dir, NULL, "run", "--cache-dir=cache", "--fuzz-time=1x", t, arg,
            NULL);
      else if (i == 1)
        cfz(&r, dir, NULL, "cover", "--cache-dir=cache", t, arg, NULL);
      else
        cfz(&r, dir, NULL, "corpus", "merge", "--cache-dir=cache", t, arg,
            NULL);
      assert_exit(&r, 2, want);
      assert_output_has(&r, want);
      run_result_free(&r);
    }
  }
  remove_tree(dir);
  free(dir);
}
END_TEST

/* Bad options and values: exit status 2 and a message naming the word. */
typedef struct bad_args {
  const char *args[6]; /* after "cfz"; "T" is the trivial target */
  const char *message;
} bad_args;

static const bad_args bad[] = {
    {{"run", "T", "--frob"}, "cfz run: unknown option --frob"},
    {{"run", "T", "-x"}, "cfz run: unknown option -x"},
    {{"run", "T", "-j"}, "cfz run: option -j needs a value"},
    {{"run", "T", "--fuzz-time"}, "cfz run: option --fuzz-time needs a value"},
    {{"run", "T", "-j", "0"},
     "cfz run: --parallel (-j) must be between 1 and 1024, not 0"},
    {{"run", "T", "-j", "abc"},
     "cfz run: --parallel (-j): \"abc\" is not a whole number"},
    {{"run", "T", "--fuzz-time", "10q"},
     "cfz run: --fuzz-time: invalid duration \"10q\" (a duration: 30s"},
    {{"run", "T", "--seed", "-1"},
     "cfz run: --seed: \"-1\" is not a whole number"},
    {{"run", "T", "--max-len", "0"},
     "cfz run: --max-len must be between 1 and 67108864"},
    {{"run", "T", "--timeout", "5x"},
     "cfz run: --timeout: takes a duration, not a count"},
    {{"run", "T", "--rss-limit", "lots"},
     "cfz run: --rss-limit: \"lots\" is not a whole number"},
    {{"minimize", "--frob"}, "cfz minimize: unknown option --frob"},
    {{"minimize", "c", "T", "--minimize-time", "1q"},
     "cfz minimize: --minimize-time: invalid"},
    {{"test", "T", "--frob"}, "cfz test: unknown option --frob"},
    {{"test", "T", "-j", "abc"}, "cfz test: --parallel (-j): \"abc\""},
    {{"cover", "T", "--frob"}, "cfz cover: unknown option --frob"},
    {{"cover", "T", "--timeout"}, "cfz cover: option --timeout needs a value"},
    {{"cover", "T", "--timeout", "0"},
     "cfz cover: --timeout: duration must be"},
    {{"corpus", "merge", "T", "--frob"}, "cfz corpus merge: unknown option"},
    {{"corpus", "merge", "T", "-j", "0"}, "cfz corpus merge: --parallel (-j)"},
    {{"corpus", "ls", "--frob"}, "cfz corpus ls: unknown option --frob"},
    {{"corpus", "add", "T", "f", "--frob"}, "cfz corpus add: unknown option"},
    {{"corpus", "show", "f", "--frob"}, "cfz corpus show: unknown option"},
    {{"plot", "f", "--frob"}, "cfz plot: unknown option --frob"},
    {{"corpus", "ls", "./no-such"},
     "cfz: ./no-such: No such file or directory"},
    {{"corpus", "add", "./no-such", "f"}, "cfz: ./no-such: No such file"},
    /* Commands that take no operands, and "help CMD". */
    {{"version", "extra"}, "cfz version: takes no arguments, got \"extra\""},
    {{"--version", "x"}, "cfz --version: takes no arguments, got \"x\""},
    {{"help", "run", "x"}, "cfz help: takes one command, got \"x\" too"},
    {{"help", "frob"}, "cfz: unknown command \"frob\""},
    /* A root given by hand that is not there: not an empty corpus. */
    {{"test", "--testdata", "typo", "T"},
     "cfz test: --testdata typo: No such file or directory"},
    {{"test", "--all", "--cache-dir", "typo", "T"},
     "cfz test: --cache-dir typo: No such file or directory"},
    {{"cover", "--testdata", "typo", "T"},
     "cfz cover: --testdata typo: No such file or directory"},
    /* A root that is a file, in any command: nothing could be saved. */
    {{"run", "--testdata", "f", "T"}, "cfz run: --testdata f: not a directory"},
    {{"run", "--cache-dir", "f", "T"},
     "cfz run: --cache-dir f: not a directory"},
    {{"corpus", "add", "--testdata", "f", "T", "f"},
     "cfz corpus add: --testdata f: not a directory"},
    {{"corpus", "ls", "--cache-dir", "f"},
     "cfz corpus ls: --cache-dir f: not a directory"},
    /* A file to write whose directory is missing: said before any work. */
    {{"run", "--stats", "f/sub/x.csv", "--fuzz-time", "1x", "T"},
     "cfz run: --stats f/sub/x.csv: mkdir f/sub: Not a directory"},
    {{"run", "--stats", "sub/", "--fuzz-time", "1x", "T"},
     "cfz run: --stats \"sub/\": a directory, not a file name"},
    {{"plot", "-o", "nodir/x.svg", "f"},
     "cfz plot: -o nodir/x.svg: directory nodir: No such file or directory"},
    {{"minimize", "-o", "nodir/x", "c", "T"},
     "cfz minimize: -o nodir/x: directory nodir: No such file or directory"},
    /* An executable that is no cfz target. */
    {{"run", "--fuzz-time", "1x", "/bin/true"},
     "exit status 0 (is it a cfz target, linked with cfz's harness?)"},
    {{"test", "/bin/true"},
     "exit status 0 (is it a cfz target, linked with cfz's harness?)"},
};

START_TEST(usage_errors_name_the_word) {
  const bad_args *b = &bad[_i];
  char *argv[8];
  int n = 0;
  argv[n++] = CFZ_BIN;
  for (int k = 0; k < 6 && b->args[k]; k++)
    argv[n++] = !strcmp(b->args[k], "T") ? (char *)target_path("trivial")
                                         : (char *)b->args[k];
  argv[n] = NULL;
  char *dir = make_temp_dir();
  put_str(dir, "f", "a file");
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  assert_exit(&r, 2, b->message);
  assert_output_has(&r, b->message);
  done(&r, dir);
}
END_TEST

/* What the checks above refuse leaves nothing behind (no generated corpus,
 * no testdata root); and "help CMD" is CMD's help. */
static bool exists_in(const char *dir, const char *name) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return access(p, F_OK) == 0;
}

START_TEST(refused_before_work) {
  char *dir = make_temp_dir();
  run_result r;
  put_str(dir, "f", "a file");
  cfz(&r, dir, NULL, "run", "--cache-dir=cache", "--fuzz-time=10x", "--stats",
      "f/x.csv", target_path("trivial"), NULL);
  assert_exit(&r, 2, "--stats f/x.csv");
  assert_output_has(&r, "cfz run: --stats f/x.csv: mkdir f: Not a directory");
  ck_assert_msg(!exists_in(dir, "cache"), "made the cache");
  run_result_free(&r);
  cfz(&r, dir, NULL, "test", "--testdata", "typo", target_path("trivial"),
      NULL);
  assert_exit(&r, 2, "--testdata typo");
  ck_assert_msg(!exists_in(dir, "typo"), "made typo");
  run_result_free(&r);
  put_str(dir, "td/.keep", "");
  cfz(&r, dir, NULL, "test", "--testdata", "td", target_path("trivial"), NULL);
  assert_exit(&r, 0, "--testdata td (exists)");
  run_result_free(&r);
  cfz(&r, dir, NULL, "help", "run", NULL);
  assert_exit(&r, 0, "help run");
  assert_output_has(&r, "usage: cfz run [options]");
  run_result_free(&r);
  cfz(&r, dir, NULL, "help", "--help", NULL);
  assert_exit(&r, 0, "help --help");
  assert_output_has(&r, "usage: cfz <command>");
  done(&r, dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz arguments");
  TCase *tc = tcase_create("args");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, options_after_target_honoured);
  tcase_add_test(tc, double_dash_ends_options);
  tcase_add_test(tc, missing_corpus_dir);
  tcase_add_test(tc, refused_before_work);
  tcase_add_loop_test(tc, usage_errors_name_the_word, 0,
                      (int)(sizeof bad / sizeof bad[0]));
  suite_add_tcase(s, tc);
  return run_suite(s);
}
