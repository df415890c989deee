/* test_corpus_cli.c - `cfz corpus ls | show | add` against temporary
 * testdata and cache directories and the example targets. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_format.h"
#include "run_util.h"

/* Runs cfz with the NULL-terminated arguments in dir. */
static void cfz(run_result *r, const char *dir, ...) {
  char *argv[64];
  int n = 0;
  argv[n++] = CFZ_BIN;
  va_list ap;
  va_start(ap, dir);
  for (char *a; (a = va_arg(ap, char *)) && n < 62;)
    argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  run_cmd(dir, argv, NULL, r);
}

/* The line of out that starts with prefix (malloc'd), or NULL. */
static char *line_starting(const char *out, const char *prefix) {
  size_t pl = strlen(prefix);
  for (const char *p = out; p && *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len >= pl && !strncmp(p, prefix, pl))
      return strndup(p, len);
    p = nl ? nl + 1 : NULL;
  }
  return NULL;
}

/* The path of the only regular file of dir (malloc'd). */
static char *only_file(const char *dir) {
  DIR *d = opendir(dir);
  ck_assert_msg(d, "open %s: %s", dir, strerror(errno));
  char *found = NULL;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.')
      continue;
    ck_assert_msg(!found, "more than one file in %s", dir);
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    found = malloc(len);
    ck_assert_ptr_nonnull(found);
    snprintf(found, len, "%s/%s", dir, e->d_name);
  }
  ck_assert_int_eq(closedir(d), 0);
  ck_assert_msg(found, "no file in %s", dir);
  return found;
}

#define CFZ_FILE_A "cfz fuzz v1\n[]byte(\"CFZ\\x03xyz\")\nuint8(0)\n"
#define CFZ_FILE_B "cfz fuzz v1\n[]byte(\"hello\")\nuint8(7)\n"
#define MALFORMED "cfz fuzz v1\n[]byte(\"ok\")\nint8(300)\n"

/* Two targets: FuzzA with seeds and generated files, FuzzB generated only. */
static char *two_targets(void) {
  char *dir = make_temp_dir();
  ck_assert_ptr_nonnull(dir);
  put_str(dir, "testdata/fuzz/FuzzA/1111", CFZ_FILE_A); /* 42 bytes */
  put_str(dir, "testdata/fuzz/FuzzA/2222", "rawbytes"); /* 8 */
  put_str(dir, "cache/FuzzA/3333", CFZ_FILE_B);         /* 37 */
  put_str(dir, "cache/FuzzB/4444", "0123456789");       /* 10 */
  put_str(dir, "cache/FuzzB/.tmp-junk", "ignored");     /* dotfile */
  return dir;
}

static void done(run_result *r, char *dir) {
  run_result_free(r);
  remove_tree(dir);
  free(dir);
}

START_TEST(ls_all_targets) {
  char *dir = two_targets();
  run_result r;
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char *a = line_starting(r.out, "FuzzA ");
  char *b = line_starting(r.out, "FuzzB ");
  ck_assert_msg(a && b, "%s", r.out);
  unsigned seeds, gen;
  long long bytes;
  ck_assert_int_eq(sscanf(a, "FuzzA %u %u %lld", &seeds, &gen, &bytes), 3);
  ck_assert_uint_eq(seeds, 2);
  ck_assert_uint_eq(gen, 1);
  ck_assert_int_eq(bytes, 42 + 8 + 37);
  ck_assert_int_eq(sscanf(b, "FuzzB %u %u %lld", &seeds, &gen, &bytes), 3);
  ck_assert_uint_eq(seeds, 0);
  ck_assert_uint_eq(gen, 1);
  ck_assert_int_eq(bytes, 10);
  ck_assert(strstr(r.out, "FuzzA ") < strstr(r.out, "FuzzB "));
  ck_assert_msg(strstr(r.out, "total: 2 targets, 2 seed files, 2 generated "
                              "files, 97 bytes"),
                "%s", r.out);
  free(a);
  free(b);
  done(&r, dir);

  /* No corpora at all: an empty listing, not an error. */
  dir = make_temp_dir();
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", "--testdata", "none",
      NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "total: 0 targets"), "%s", r.out);
  done(&r, dir);
}
END_TEST

START_TEST(ls_one_target) {
  char *dir = two_targets();
  put_str(dir, "testdata/fuzz/FuzzA/1500", MALFORMED);
  run_result r;
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", "FuzzA", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char *l1 = line_starting(r.out, "1111 ");
  char *l15 = line_starting(r.out, "1500 ");
  char *l2 = line_starting(r.out, "2222 ");
  char *l3 = line_starting(r.out, "3333 ");
  ck_assert_msg(l1 && l15 && l2 && l3, "%s", r.out);
  char kind[32], types[64];
  unsigned size;
  ck_assert_int_eq(sscanf(l1, "1111 %31s %u %63s", kind, &size, types), 3);
  ck_assert_str_eq(kind, "seed");
  ck_assert_uint_eq(size, 42);
  ck_assert_str_eq(types, "bytes,uint8");
  ck_assert_msg(strstr(l1, "\"CFZ\\x03xyz\""), "%s", l1);
  /* The malformed file is listed with its error; the listing goes on. */
  ck_assert_int_eq(sscanf(l15, "1500 %31s %u", kind, &size), 2);
  ck_assert_str_eq(kind, "seed");
  ck_assert_msg(strstr(l15, "error: line 3: malformed value"), "%s", l15);
  ck_assert_int_eq(sscanf(l2, "2222 %31s %u %63s", kind, &size, types), 3);
  ck_assert_str_eq(kind, "seed");
  ck_assert_uint_eq(size, 8);
  ck_assert_str_eq(types, "bytes");
  ck_assert_msg(strstr(l2, "\"rawbytes\""), "%s", l2);
  ck_assert_int_eq(sscanf(l3, "3333 %31s %u %63s", kind, &size, types), 3);
  ck_assert_str_eq(kind, "generated");
  ck_assert_uint_eq(size, 37);
  ck_assert_str_eq(types, "bytes,uint8");
  ck_assert_msg(strstr(r.out, "total: 3 seed files, 1 generated file, "), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "1 malformed"), "%s", r.out);
  free(l1);
  free(l15);
  free(l2);
  free(l3);
  run_result_free(&r);

  /* A long value's preview is cut. */
  char big[200];
  memset(big, 'x', sizeof big);
  put_file(dir, "testdata/fuzz/FuzzB/big", big, sizeof big);
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", "FuzzB", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char *lb = line_starting(r.out, "big ");
  ck_assert_msg(lb, "%s", r.out);
  ck_assert_msg(strstr(lb, "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...") &&
                    strlen(lb) < 120,
                "%s", lb);
  free(lb);
  done(&r, dir);
}
END_TEST

/* A target name with neither a seed nor a generated corpus is not listed as
 * an empty corpus: it says so and exits 2 (docs/corpus-commands.md); a
 * target with only one of the two is listed. */
START_TEST(ls_unknown_target) {
  char *dir = two_targets();
  run_result r;
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", "NOSUCHTARGET", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz corpus ls: no corpus for target "
                              "NOSUCHTARGET: neither testdata/fuzz/"
                              "NOSUCHTARGET nor cache/NOSUCHTARGET exists"),
                "%s", r.out);
  ck_assert_msg(!strstr(r.out, "total:"), "%s", r.out);
  run_result_free(&r);
  cfz(&r, dir, "corpus", "ls", "--json", "--cache-dir", "cache", "NOSUCH",
      NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(!strstr(r.out, "totals"), "%s", r.out);
  run_result_free(&r);
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache", "FuzzB", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  done(&r, dir);
}
END_TEST

START_TEST(ls_target_executable) {
  /* The name comes from the executable's hello; files of other types are
   * marked. */
  char *dir = make_temp_dir();
  put_str(dir, "testdata/fuzz/FuzzParser/aaaa", CFZ_FILE_A);
  put_str(dir, "testdata/fuzz/FuzzParser/bbbb", "raw");
  run_result r;
  cfz(&r, dir, "corpus", "ls", "--cache-dir", "cache",
      target_path("example_parser"), NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "FuzzParser takes (bytes,uint8)"), "%s", r.out);
  char *la = line_starting(r.out, "aaaa ");
  char *lb = line_starting(r.out, "bbbb ");
  ck_assert_msg(la && lb, "%s", r.out);
  ck_assert_msg(!strstr(la, "mismatch"), "%s", la);
  ck_assert_msg(strstr(lb, "mismatch: has 1 value (bytes), target takes 2 "
                           "(bytes, uint8)"),
                "%s", lb);
  free(la);
  free(lb);
  done(&r, dir);
}
END_TEST

START_TEST(ls_json) {
  char *dir = two_targets();
  put_str(dir, "testdata/fuzz/FuzzA/1500", MALFORMED);
  run_result r;
  cfz(&r, dir, "corpus", "ls", "--json", "--cache-dir", "cache", "FuzzA", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  int seeds = 0, gen = 0, errors = 0, lines = 0;
  long long bytes = 0;
  json_t *totals = NULL;
  char *save = NULL;
  for (char *l = strtok_r(r.out, "\n", &save); l;
       l = strtok_r(NULL, "\n", &save)) {
    json_error_t je;
    json_t *o = json_loads(l, 0, &je);
    ck_assert_msg(o, "not JSON: %s (%s)", l, je.text);
    lines++;
    json_t *t = json_object_get(o, "totals");
    if (t) {
      totals = json_incref(t);
      json_decref(o);
      continue;
    }
    ck_assert_str_eq(json_string_value(json_object_get(o, "target")), "FuzzA");
    const char *kind = json_string_value(json_object_get(o, "kind"));
    ck_assert_ptr_nonnull(kind);
    seeds += !strcmp(kind, "seed");
    gen += !strcmp(kind, "generated");
    bytes += json_integer_value(json_object_get(o, "size"));
    const char *name = json_string_value(json_object_get(o, "name"));
    if (!strcmp(name, "1500")) {
      errors++;
      ck_assert_msg(
          strstr(json_string_value(json_object_get(o, "error")), "line 3"),
          "%s", l);
    } else if (!strcmp(name, "1111")) {
      json_t *types = json_object_get(o, "types");
      ck_assert_uint_eq(json_array_size(types), 2);
      ck_assert_str_eq(json_string_value(json_array_get(types, 0)), "bytes");
      ck_assert_str_eq(json_string_value(json_array_get(types, 1)), "uint8");
      ck_assert_str_eq(json_string_value(json_object_get(o, "preview")),
                       "\"CFZ\\x03xyz\"");
    }
    json_decref(o);
  }
  ck_assert_int_eq(lines, 5);
  ck_assert_int_eq(seeds, 3);
  ck_assert_int_eq(gen, 1);
  ck_assert_int_eq(errors, 1);
  ck_assert_ptr_nonnull(totals);
  ck_assert_int_eq(json_integer_value(json_object_get(totals, "seed_files")),
                   3);
  ck_assert_int_eq(
      json_integer_value(json_object_get(totals, "generated_files")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(totals, "errors")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(totals, "bytes")), bytes);
  json_decref(totals);
  run_result_free(&r);

  /* Without a target: one object per target, then totals. */
  cfz(&r, dir, "corpus", "ls", "--json", "--cache-dir", "cache", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  json_error_t je;
  json_t *all = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &je);
  ck_assert_msg(all, "%s", r.out);
  ck_assert_str_eq(json_string_value(json_object_get(all, "target")), "FuzzA");
  ck_assert_int_eq(json_integer_value(json_object_get(all, "seed_files")), 3);
  json_decref(all);
  const char *last = strstr(r.out, "{\"totals\"");
  ck_assert_msg(last, "%s", r.out);
  all = json_loads(last, 0, &je);
  ck_assert_msg(all, "%s", last);
  json_t *t = json_object_get(all, "totals");
  ck_assert_int_eq(json_integer_value(json_object_get(t, "targets")), 2);
  ck_assert_int_eq(json_integer_value(json_object_get(t, "generated_files")),
                   2);
  json_decref(all);
  done(&r, dir);
}
END_TEST

START_TEST(show_files) {
  char *dir = make_temp_dir();
  put_str(dir, "a", CFZ_FILE_A);
  put_file(dir, "raw", "ab\0\xff", 4);
  put_str(dir, "bad", MALFORMED);
  char big[300];
  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (char)i;
  put_file(dir, "big", big, sizeof big);
  run_result r;
  cfz(&r, dir, "corpus", "show", "a", "raw", "big", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "a: cfz fuzz v1, 2 values\n"
                              "  bytes: \"CFZ\\x03xyz\" (7 bytes)\n"
                              "  uint8: 0\n"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "raw: raw bytes (no header), 1 value\n"
                              "  bytes: \"ab\\x00\\xff\" (4 bytes)\n"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "(300 bytes)\n"
                              "    00000000  00 01 02 03"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "    000000f0  f0 f1"), "%s", r.out);
  ck_assert_msg(!strstr(r.out, "    00000100"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "... 44 more bytes"), "%s", r.out);
  run_result_free(&r);

  /* A malformed file: exit 1, the message names the file and line; the
   * other files are still shown. */
  cfz(&r, dir, "corpus", "show", "bad", "a", NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: bad: line 3: malformed value"), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "a: cfz fuzz v1, 2 values"), "%s", r.out);
  run_result_free(&r);

  cfz(&r, dir, "corpus", "show", "missing", NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "missing: No such file or directory"), "%s",
                r.out);
  done(&r, dir);
}
END_TEST

START_TEST(add_and_replay) {
  char *dir = make_temp_dir();
  put_str(dir, "in/crash-123", "I\x02xyE"); /* a libFuzzer-style raw file */
  put_str(dir, "in/a", CFZ_FILE_A);
  put_str(dir, "in/b", CFZ_FILE_B);
  run_result r;
  /* Raw file into a libFuzzer target, types from the executable. */
  cfz(&r, dir, "corpus", "add", "--testdata", "td",
      target_path("example_libfuzzer"), "in/crash-123", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "added 1 file to td/example_libfuzzer"), "%s",
                r.out);
  run_result_free(&r);
  /* cfz files by target name and --types. */
  cfz(&r, dir, "corpus", "add", "--testdata", "td", "--types", "bytes,uint8",
      "FuzzParser", "in/a", "in/b", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "added 2 files to td/FuzzParser"), "%s", r.out);
  ck_assert_msg(!strstr(r.out, "not checked"), "%s", r.out);
  run_result_free(&r);
  /* Adding the same content again writes nothing new. */
  cfz(&r, dir, "corpus", "add", "--testdata", "td", "FuzzParser", "in/a", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "types not checked"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "added 0 files to td/FuzzParser (1 already"),
                "%s", r.out);
  run_result_free(&r);

  char sub[1024];
  snprintf(sub, sizeof sub, "%s/td/FuzzParser", dir);
  ck_assert_int_eq(count_files(sub), 2);
  snprintf(sub, sizeof sub, "%s/td/example_libfuzzer", dir);
  ck_assert_int_eq(count_files(sub), 1);
  /* Written in the cfz format, content-hash named: decodes to the input. */
  char *file = only_file(sub);
  const char *base = strrchr(file, '/') + 1;
  ck_assert_uint_eq(strlen(base), 16);
  cfz_values v = {0};
  char err[256];
  ck_assert_msg(cfz_corpus_read_file(file, &v, err, sizeof err) == 0, "%s",
                err);
  ck_assert_uint_eq(v.n, 1);
  ck_assert_uint_eq(v.v[0].v.bytes.len, 5);
  ck_assert(!memcmp(v.v[0].v.bytes.data, "I\x02xyE", 5));
  cfz_values_free(&v);
  free(file);

  cfz(&r, dir, "corpus", "ls", "--testdata", "td", "--cache-dir", "cache",
      NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char *lp = line_starting(r.out, "FuzzParser ");
  char *ll = line_starting(r.out, "example_libfuzzer ");
  ck_assert_msg(lp && ll, "%s", r.out);
  unsigned seeds, gen;
  ck_assert_int_eq(sscanf(lp, "FuzzParser %u %u", &seeds, &gen), 2);
  ck_assert_uint_eq(seeds, 2);
  ck_assert_int_eq(sscanf(ll, "example_libfuzzer %u %u", &seeds, &gen), 2);
  ck_assert_uint_eq(seeds, 1);
  free(lp);
  free(ll);
  run_result_free(&r);

  /* The targets replay their new seed corpora. */
  char *argv1[] = {(char *)target_path("example_parser"), "td/FuzzParser",
                   NULL};
  run_cmd(dir, argv1, NULL, &r);
  ck_assert_msg(r.status == 0, "replay exit %d\n%s", r.status, r.out);
  ck_assert_msg(!strstr(r.out, "FAIL"), "%s", r.out);
  run_result_free(&r);
  /* A libFuzzer-style target runs files as libFuzzer does (a directory
   * would mean fuzzing). */
  snprintf(sub, sizeof sub, "%s/td/example_libfuzzer", dir);
  file = only_file(sub);
  char *argv2[] = {(char *)target_path("example_libfuzzer"), file, NULL};
  run_cmd(dir, argv2, NULL, &r);
  ck_assert_msg(r.status == 0, "replay exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "Executed "), "%s", r.out);
  free(file);
  done(&r, dir);
}
END_TEST

START_TEST(add_wrong_types_skipped) {
  char *dir = make_temp_dir();
  put_str(dir, "x", "just raw bytes");
  put_str(dir, "a", CFZ_FILE_A);
  put_str(dir, "bad", MALFORMED);
  run_result r;
  cfz(&r, dir, "corpus", "add", "--testdata", "td",
      target_path("example_parser"), "x", "a", "bad", NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: x: has 1 value (bytes), target takes 2 "
                              "(bytes, uint8)"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "cfz: bad: line 3: malformed value"), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "added 1 file to td/FuzzParser"), "%s", r.out);
  char sub[1024];
  snprintf(sub, sizeof sub, "%s/td/FuzzParser", dir);
  ck_assert_int_eq(count_files(sub), 1);
  run_result_free(&r);

  cfz(&r, dir, "corpus", "add", "--testdata", "td", "--types", "int32",
      "FuzzInt", "a", NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: a: has 2 values (bytes, uint8), target "
                              "takes 1 (int32)"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "added 0 files"), "%s", r.out);
  snprintf(sub, sizeof sub, "%s/td/FuzzInt", dir);
  ck_assert_int_eq(count_files(sub), 0);
  run_result_free(&r);

  cfz(&r, dir, "corpus", "add", "--types", "bytes,nope", "FuzzInt", "a", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "unknown type \"nope\""), "%s", r.out);
  done(&r, dir);
}
END_TEST

START_TEST(add_bad_target_name) {
  char *dir = make_temp_dir();
  put_str(dir, "a", CFZ_FILE_A);
  run_result r;
  cfz(&r, dir, "corpus", "add", "--testdata", "td", "x y", "a", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: invalid target name \"x y\""), "%s",
                r.out);
  run_result_free(&r);
  /* With a '/' it is a path to an executable (docs/corpus-commands.md). */
  cfz(&r, dir, "corpus", "add", "--testdata", "td", "../x", "a", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: ../x: No such file or directory"), "%s",
                r.out);
  char sub[1024];
  snprintf(sub, sizeof sub, "%s/x", dir);
  ck_assert_int_eq(access(sub, F_OK), -1);
  snprintf(sub, sizeof sub, "%s/td", dir);
  ck_assert_int_eq(access(sub, F_OK), -1);
  run_result_free(&r);
  cfz(&r, dir, "corpus", "ls", "..", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "invalid target name \"..\""), "%s", r.out);
  done(&r, dir);
}
END_TEST

START_TEST(usage_and_help) {
  char *dir = make_temp_dir();
  run_result r;
  cfz(&r, dir, "corpus", "--help", NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "usage: cfz corpus"), "%s", r.out);
  run_result_free(&r);
  const char *subs[] = {"ls", "show", "add"};
  for (int i = 0; i < 3; i++) {
    cfz(&r, dir, "corpus", subs[i], "--help", NULL);
    ck_assert_msg(r.status == 0, "%s: exit %d\n%s", subs[i], r.status, r.out);
    char want[64];
    snprintf(want, sizeof want, "usage: cfz corpus %s", subs[i]);
    ck_assert_msg(strstr(r.out, want), "%s", r.out);
    run_result_free(&r);
  }
  cfz(&r, dir, "corpus", "frobnicate", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "unknown subcommand \"frobnicate\""), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "usage: cfz corpus"), "%s", r.out);
  run_result_free(&r);
  cfz(&r, dir, "corpus", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  run_result_free(&r);
  cfz(&r, dir, "corpus", "ls", "--frob", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "unknown option --frob"), "%s", r.out);
  run_result_free(&r);
  cfz(&r, dir, "corpus", "show", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  done(&r, dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz corpus");
  TCase *tc = tcase_create("corpus");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, ls_all_targets);
  tcase_add_test(tc, ls_one_target);
  tcase_add_test(tc, ls_target_executable);
  tcase_add_test(tc, ls_unknown_target);
  tcase_add_test(tc, ls_json);
  tcase_add_test(tc, show_files);
  tcase_add_test(tc, add_and_replay);
  tcase_add_test(tc, add_wrong_types_skipped);
  tcase_add_test(tc, add_bad_target_name);
  tcase_add_test(tc, usage_and_help);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
