/* Integration tests for what a run tells its user (issue 13): failures
 * named by their sanitizer report, the JSON events, option parsing after
 * the target.  Bounded by execution counts. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run_util.h"

static void done(run_result *r, char *dir) {
  run_result_free(r);
  remove_tree(dir);
  free(dir);
}

static int count_occurrences(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* The JSON events of out whose "event" is name, as an array (owned). */
static json_t *events_named(const char *out, const char *name) {
  json_t *all = json_array();
  for (const char *p = out; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n && p[0] == '{') {
      json_t *ev = json_loadb(p, n, 0, NULL);
      const char *e = ev ? json_string_value(json_object_get(ev, "event")) : 0;
      if (e && strcmp(e, name) == 0)
        json_array_append(all, ev);
      json_decref(ev);
    }
    p += n + (nl ? 1 : 0);
  }
  return all;
}

static const char *field(json_t *ev, const char *key) {
  const char *s = json_string_value(json_object_get(ev, key));
  return s ? s : "";
}

/* Two different ASan bugs in one --keep-going run: two summary lines that
 * name each bug type and function, and two failure events with bug_type.
 * With this seed both are found within a few thousand executions. */
START_TEST(two_asan_bugs_named) {
  run_result r;
  char *dir =
      run_cfz(&r, NULL, NULL, "run", "-j", "1", "--seed", "1", "--fuzz-time",
              "20000x", "--minimize-time", "2000x", "--keep-going", "--json",
              target_path("asan_bugs_asan"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  const char *summary = strstr(r.out, "cfz: 2 distinct failure(s):\n");
  ck_assert_msg(summary != NULL, "%s", r.out);
  ck_assert_msg(strstr(summary, "\n  heap-buffer-overflow READ 1 in "
                                "read_past_end (asan_bugs.c:"),
                "%s", summary);
  ck_assert_msg(strstr(summary, "\n  heap-use-after-free READ 1 in "
                                "read_after_free (asan_bugs.c:"),
                "%s", summary);
  ck_assert_int_eq(count_occurrences(summary, " time(s), written to "
                                              "testdata/fuzz/FuzzAsanBugs/"),
                   2);
  /* Each report's first line is its title. */
  ck_assert_msg(strstr(r.out, ")\n    heap-buffer-overflow READ 1 in "
                              "read_past_end (asan_bugs.c:"),
                "%s", r.out);
  json_t *fails = events_named(r.out, "failure");
  ck_assert_msg(json_array_size(fails) == 2, "%zu failure events\n%s",
                json_array_size(fails), r.out);
  int hbo = 0, uaf = 0;
  for (size_t i = 0; i < 2; i++) {
    json_t *ev = json_array_get(fails, i);
    const char *bt = field(ev, "bug_type");
    hbo += strcmp(bt, "heap-buffer-overflow") == 0 &&
           strcmp(field(ev, "frame"), "read_past_end") == 0;
    uaf += strcmp(bt, "heap-use-after-free") == 0 &&
           strcmp(field(ev, "frame"), "read_after_free") == 0;
    ck_assert_str_eq(field(ev, "target"), "FuzzAsanBugs");
    ck_assert_msg(strstr(field(ev, "file"), "testdata/fuzz/FuzzAsanBugs/"),
                  "%s", field(ev, "file"));
    ck_assert_msg(strstr(field(ev, "signature"), bt), "%s",
                  field(ev, "signature"));
    ck_assert_msg(field(ev, "kind")[0] != '\0', "no kind");
    ck_assert_msg(json_integer_value(json_object_get(ev, "count")) >= 1,
                  "no count");
  }
  ck_assert_int_eq(hbo, 1);
  ck_assert_int_eq(uaf, 1);
  json_decref(fails);
  json_t *sum = events_named(r.out, "summary");
  ck_assert_int_eq(json_array_size(sum), 1);
  ck_assert_int_eq(
      json_array_size(json_object_get(json_array_get(sum, 0), "failures")), 2);
  json_decref(sum);
  done(&r, dir);
}
END_TEST

/* Options after the target are options, not corpus directories. */
START_TEST(options_after_target) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", target_path("trivial"), "--seed",
                      "1", "-j", "1", "--fuzz-time", "300x", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  done(&r, dir);
  dir = run_cfz(&r, NULL, NULL, "run", target_path("trivial"), "-j", "1",
                "--fuzz-time", "300x", "no-such-dir", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "corpus directory no-such-dir: No such file"),
                "%s", r.out);
  done(&r, dir);
}
END_TEST

/* Two projects with a target of the same name keep separate generated
 * corpora under one cache root; `cfz corpus ls` shows the project's own. */
START_TEST(cache_keyed_per_project) {
  char *root = make_temp_dir();
  char xdg[PATH_MAX + 32], env_xdg[PATH_MAX + 64], a[PATH_MAX + 32],
      b[PATH_MAX + 32], cfz_root[PATH_MAX + 64];
  snprintf(xdg, sizeof xdg, "%s/xdg", root);
  snprintf(a, sizeof a, "%s/a", root);
  snprintf(b, sizeof b, "%s/b", root);
  snprintf(cfz_root, sizeof cfz_root, "%s/cfz", xdg);
  ck_assert_int_eq(mkdir(xdg, 0700), 0);
  ck_assert_int_eq(mkdir(a, 0700), 0);
  ck_assert_int_eq(mkdir(b, 0700), 0);
  run_result r;
  snprintf(env_xdg, sizeof env_xdg, "XDG_CACHE_HOME=%s", xdg);
  char *env[] = {env_xdg, NULL};
  const char *dirs[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    char *argv[] = {
        CFZ_BIN,       "run",    "-j",
        "1",           "--seed", "1",
        "--fuzz-time", "3000x",  (char *)target_path("feedback_maze"),
        NULL};
    run_cmd(dirs[i], argv, env, &r);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
    run_result_free(&r);
  }
  /* <cache>/a-<hash>/feedback_maze and <cache>/b-<hash>/feedback_maze */
  ck_assert_int_eq(count_files(cfz_root), 0); /* only directories */
  int projects = 0;
  DIR *d = opendir(cfz_root);
  ck_assert_ptr_nonnull(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    ck_assert_msg(strncmp(e->d_name, "a-", 2) == 0 ||
                      strncmp(e->d_name, "b-", 2) == 0,
                  "%s", e->d_name);
    char gen[PATH_MAX * 2];
    snprintf(gen, sizeof gen, "%s/%s/feedback_maze", cfz_root, e->d_name);
    ck_assert_msg(count_files(gen) > 0, "nothing generated in %s", gen);
    projects++;
  }
  closedir(d);
  ck_assert_int_eq(projects, 2);
  for (int i = 0; i < 2; i++) {
    char *argv[] = {CFZ_BIN, "corpus", "ls", NULL};
    run_cmd(dirs[i], argv, env, &r);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
    char want[64];
    snprintf(want, sizeof want, "/cfz/%c-", i == 0 ? 'a' : 'b');
    ck_assert_msg(strstr(r.out, want), "%s", r.out);
    ck_assert_msg(strstr(r.out, "feedback_maze"), "%s", r.out);
    run_result_free(&r);
  }
  remove_tree(root);
  free(root);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz observe");
  TCase *tc = tcase_create("observe");
  tcase_set_timeout(tc, 200);
  tcase_add_test(tc, options_after_target);
  tcase_add_test(tc, cache_keyed_per_project);
  tcase_add_test(tc, two_asan_bugs_named);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
