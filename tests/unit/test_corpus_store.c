/* Unit tests for corpus directories: names, loading, atomic writes. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_store.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct seen {
  int visits, warnings;
  char paths[8][512];
  cfz_values vals[8];
  char warns[8][1024];
} seen;

static void on_visit(void *ctx, const char *path, const cfz_values *vals) {
  seen *s = ctx;
  ck_assert_int_lt(s->visits, 8);
  snprintf(s->paths[s->visits], sizeof s->paths[0], "%s", path);
  ck_assert_int_eq(cfz_values_copy(&s->vals[s->visits], vals->v, vals->n), 0);
  s->visits++;
}

static void on_warn(void *ctx, const char *message) {
  seen *s = ctx;
  ck_assert_int_lt(s->warnings, 8);
  snprintf(s->warns[s->warnings], sizeof s->warns[0], "%s", message);
  s->warnings++;
}

static void seen_free(seen *s) {
  for (int i = 0; i < s->visits; i++)
    cfz_values_free(&s->vals[i]);
}

static void make_tmpdir(char *buf, size_t len) {
  const char *base = getenv("TMPDIR");
  snprintf(buf, len, "%s/cfz-test-store-XXXXXX", base && *base ? base : "/tmp");
  ck_assert_msg(mkdtemp(buf) != NULL, "mkdtemp %s: %s", buf, strerror(errno));
}

static void put_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_msg(f != NULL, "fopen %s: %s", path, strerror(errno));
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "fopen %s: %s", path, strerror(errno));
  char *buf = malloc(1 << 16);
  ck_assert_ptr_nonnull(buf);
  *len = fread(buf, 1, (1 << 16) - 1, f);
  buf[*len] = 0;
  fclose(f);
  return buf;
}

/* Number of entries in dir (all of them, dotfiles too), and how many of
 * them are leftover temp files. */
static int count_entries(const char *dir, int *temps) {
  DIR *d = opendir(dir);
  ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
  int n = 0;
  *temps = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    n++;
    if (!strncmp(e->d_name, ".tmp-", 5))
      (*temps)++;
  }
  closedir(d);
  return n;
}

static void remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    chmod(path, 0700);
    DIR *d = opendir(path);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
          continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        remove_tree(sub);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* ---- names -------------------------------------------------------------- */

START_TEST(target_names) {
  ck_assert(cfz_target_name_ok("FuzzParser"));
  ck_assert(cfz_target_name_ok("fuzz_x-1.2"));
  ck_assert(cfz_target_name_ok("..."));
  ck_assert(cfz_target_name_ok("a..b"));
  ck_assert(!cfz_target_name_ok(""));
  ck_assert(!cfz_target_name_ok(NULL));
  ck_assert(!cfz_target_name_ok("."));
  ck_assert(!cfz_target_name_ok(".."));
  ck_assert(!cfz_target_name_ok("../x"));
  ck_assert(!cfz_target_name_ok("a/b"));
  ck_assert(!cfz_target_name_ok("/abs"));
  ck_assert(!cfz_target_name_ok("a b"));
  ck_assert(!cfz_target_name_ok("a\\b"));
  ck_assert(!cfz_target_name_ok("caf\xc3\xa9"));
  char longname[CFZ_TARGET_NAME_MAX + 1];
  memset(longname, 'a', CFZ_TARGET_NAME_MAX - 1);
  longname[CFZ_TARGET_NAME_MAX - 1] = 0;
  ck_assert(cfz_target_name_ok(longname));
  longname[CFZ_TARGET_NAME_MAX - 1] = 'a';
  longname[CFZ_TARGET_NAME_MAX] = 0;
  ck_assert(!cfz_target_name_ok(longname));
}
END_TEST

START_TEST(default_cache_dir) {
  setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
  setenv("HOME", "/home/u", 1);
  char *d = cfz_default_cache_dir();
  ck_assert_str_eq(d, "/xdg/cache/cfz");
  free(d);
  setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as XDG says */
  d = cfz_default_cache_dir();
  ck_assert_str_eq(d, "/home/u/.cache/cfz");
  free(d);
  unsetenv("XDG_CACHE_HOME");
  d = cfz_default_cache_dir();
  ck_assert_str_eq(d, "/home/u/.cache/cfz");
  free(d);
  unsetenv("HOME");
  d = cfz_default_cache_dir();
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(strstr(d, ".cache/cfz"));
  free(d);
}
END_TEST

/* ---- writing and loading ------------------------------------------------ */

static const cfz_type two_types[] = {CFZ_BYTES, CFZ_INT32};

START_TEST(write_load_round_trip) {
  char root[256], dir[512], path[1024], path2[1024], err[512] = "";
  make_tmpdir(root, sizeof root);
  snprintf(dir, sizeof dir, "%s/testdata/fuzz/FuzzX", root); /* missing */

  cfz_value v1[] = {CFZ_V_BYTES("a\0b\xff", 4), CFZ_V_INT32(-5)};
  ck_assert_msg(
      cfz_corpus_write(dir, v1, 2, path, sizeof path, err, sizeof err) == 0,
      "%s", err);
  /* Named by the content hash: dir + "/" + 16 hex chars. */
  ck_assert_uint_eq(strlen(path), strlen(dir) + 17);
  ck_assert_int_eq(strncmp(path, dir, strlen(dir)), 0);
  for (const char *p = path + strlen(dir) + 1; *p; p++)
    ck_assert(strchr("0123456789abcdef", *p) != NULL);

  /* Same content: same name, no second file. */
  ck_assert_int_eq(
      cfz_corpus_write(dir, v1, 2, path2, sizeof path2, err, sizeof err), 0);
  ck_assert_str_eq(path, path2);
  int temps;
  ck_assert_int_eq(count_entries(dir, &temps), 1);

  cfz_value v2[] = {CFZ_V_BYTES("", 0), CFZ_V_INT32(2147483647)};
  ck_assert_int_eq(
      cfz_corpus_write(dir, v2, 2, path2, sizeof path2, err, sizeof err), 0);
  ck_assert_str_ne(path, path2);
  ck_assert_int_eq(count_entries(dir, &temps), 2);
  ck_assert_int_eq(temps, 0);

  seen s = {0};
  ck_assert_int_eq(
      cfz_corpus_load_dir(dir, two_types, 2, 0, on_visit, on_warn, &s), 2);
  ck_assert_int_eq(s.warnings, 0);
  ck_assert_int_eq(s.visits, 2);
  /* Sorted by name. */
  ck_assert_int_lt(strcmp(s.paths[0], s.paths[1]), 0);
  int i1 = strcmp(s.paths[0], path) == 0 ? 0 : 1;
  ck_assert_str_eq(s.paths[i1], path);
  ck_assert_str_eq(s.paths[1 - i1], path2);
  ck_assert_uint_eq(s.vals[i1].n, 2);
  ck_assert(cfz_values_equal(s.vals[i1].v, v1, 2));
  ck_assert(cfz_values_equal(s.vals[1 - i1].v, v2, 2));
  seen_free(&s);
  remove_tree(root);
}
END_TEST

START_TEST(load_reports_bad_files) {
  char root[256], p[512], good[1024], err[512] = "";
  make_tmpdir(root, sizeof root);
  cfz_value v[] = {CFZ_V_BYTES("xyz", 3), CFZ_V_INT32(7)};
  ck_assert_msg(
      cfz_corpus_write(root, v, 2, good, sizeof good, err, sizeof err) == 0,
      "%s", err);
  snprintf(p, sizeof p, "%s/0bad", root);
  put_file(p, "cfz fuzz v1\n[]byte(\"ok\")\nint32(\n");
  snprintf(p, sizeof p, "%s/1wrongtype", root);
  put_file(p, "cfz fuzz v1\n[]byte(\"ok\")\n");
  snprintf(p, sizeof p, "%s/.hidden", root);
  put_file(p, "cfz fuzz v1\nnonsense\n");
  snprintf(p, sizeof p, "%s/subdir", root);
  ck_assert_int_eq(mkdir(p, 0755), 0);
  /* A FIFO with no writer: opened, it would block the load for good. */
  snprintf(p, sizeof p, "%s/2fifo", root);
  ck_assert_int_eq(mkfifo(p, 0644), 0);

  seen s = {0};
  ck_assert_int_eq(
      cfz_corpus_load_dir(root, two_types, 2, 0, on_visit, on_warn, &s), 1);
  ck_assert_int_eq(s.visits, 1);
  ck_assert_str_eq(s.paths[0], good);
  ck_assert_int_eq(s.warnings, 3);
  snprintf(p, sizeof p,
           "%s/2fifo is not a regular file (a FIFO, a device or a socket); "
           "skipped without opening it",
           root);
  ck_assert_str_eq(s.warns[2], p);
  /* Sorted: "0bad" first, then "1wrongtype". */
  char want[1024];
  snprintf(want, sizeof want, "%s/0bad: line 3", root);
  ck_assert_msg(strncmp(s.warns[0], want, strlen(want)) == 0, "%s", s.warns[0]);
  snprintf(want, sizeof want,
           "%s/1wrongtype: has 1 value (bytes), target takes 2 (bytes, "
           "int32)",
           root);
  ck_assert_str_eq(s.warns[1], want);
  seen_free(&s);

  /* A raw file (no header) is one bytes value. */
  static const cfz_type bytes_only[] = {CFZ_BYTES};
  snprintf(p, sizeof p, "%s/raw", root);
  ck_assert_int_eq(mkdir(p, 0755), 0);
  snprintf(p, sizeof p, "%s/raw/crash-123", root);
  put_file(p, "\x01\x02 raw bytes\n");
  memset(&s, 0, sizeof s);
  snprintf(p, sizeof p, "%s/raw", root);
  ck_assert_int_eq(
      cfz_corpus_load_dir(p, bytes_only, 1, 0, on_visit, on_warn, &s), 1);
  ck_assert_uint_eq(s.vals[0].n, 1);
  ck_assert_uint_eq(s.vals[0].v[0].v.bytes.len, 13);
  seen_free(&s);

  /* With a 12-byte value area: the raw file (13 bytes, 17 on the wire)
   * cannot fit and is skipped from its size; a text file of that size may
   * (escapes), so it is read. */
  snprintf(p, sizeof p, "%s/raw/text", root);
  put_file(p, "cfz fuzz v1\n[]byte(\"\\x00\")\n");
  memset(&s, 0, sizeof s);
  snprintf(p, sizeof p, "%s/raw", root);
  ck_assert_int_eq(
      cfz_corpus_load_dir(p, bytes_only, 1, 12, on_visit, on_warn, &s), 1);
  ck_assert_uint_eq(s.vals[0].v[0].v.bytes.len, 1);
  ck_assert_msg(strstr(s.warns[0], "raw/crash-123 is larger than the 12-byte "
                                   "value area (13 bytes); skipped without "
                                   "reading it"),
                "%s", s.warns[0]);
  seen_free(&s);
  remove_tree(root);
}
END_TEST

START_TEST(load_missing_and_unreadable) {
  char root[256], p[512];
  make_tmpdir(root, sizeof root);
  seen s = {0};
  snprintf(p, sizeof p, "%s/nope", root);
  ck_assert_int_eq(
      cfz_corpus_load_dir(p, two_types, 2, 0, on_visit, on_warn, &s), 0);
  ck_assert_int_eq(s.warnings, 0);

  snprintf(p, sizeof p, "%s/file", root);
  put_file(p, "x");
  ck_assert_int_eq(
      cfz_corpus_load_dir(p, two_types, 2, 0, on_visit, on_warn, &s), -1);
  ck_assert_int_eq(s.warnings, 1);
  char want[600];
  snprintf(want, sizeof want, "open %s: Not a directory", p);
  ck_assert_str_eq(s.warns[0], want);
  remove_tree(root);
}
END_TEST

START_TEST(write_errors_name_the_path) {
  char root[256], dir[512], path[1024], err[512] = "";
  make_tmpdir(root, sizeof root);
  cfz_value v[] = {CFZ_V_BYTES("q", 1), CFZ_V_INT32(1)};

  /* A directory below a regular file: ENOTDIR, whoever we are. */
  snprintf(dir, sizeof dir, "%s/plain", root);
  put_file(dir, "not a dir");
  snprintf(dir, sizeof dir, "%s/plain/FuzzX", root);
  ck_assert_int_eq(
      cfz_corpus_write(dir, v, 2, path, sizeof path, err, sizeof err), -1);
  char want[1024];
  snprintf(want, sizeof want, "cfz: mkdir %s: Not a directory", dir);
  ck_assert_str_eq(err, want);
  ck_assert_str_eq(path, "");

  /* The target dir itself is a file. */
  snprintf(dir, sizeof dir, "%s/plain", root);
  ck_assert_int_eq(
      cfz_corpus_write(dir, v, 2, path, sizeof path, err, sizeof err), -1);
  ck_assert_msg(strstr(err, dir) && strstr(err, "Not a directory"), "%s", err);

  /* Permissions mean nothing to root; check them only when they apply. */
  if (geteuid() != 0) {
    snprintf(dir, sizeof dir, "%s/ro", root);
    ck_assert_int_eq(mkdir(dir, 0500), 0);
    ck_assert_int_eq(
        cfz_corpus_write(dir, v, 2, path, sizeof path, err, sizeof err), -1);
    snprintf(want, sizeof want, "cfz: open %s/.tmp-", dir);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    ck_assert_msg(strstr(err, ": Permission denied"), "%s", err);
  }
  remove_tree(root);
}
END_TEST

START_TEST(atomic_write_replaces) {
  char root[256], path[512], err[512] = "";
  make_tmpdir(root, sizeof root);
  snprintf(path, sizeof path, "%s/out.txt", root);
  ck_assert_int_eq(cfz_file_write_atomic(path, "first", 5, err, sizeof err), 0);
  ck_assert_int_eq(cfz_file_write_atomic(path, "second", 6, err, sizeof err),
                   0);
  size_t len;
  char *got = slurp(path, &len);
  ck_assert_str_eq(got, "second");
  free(got);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777 & ~0644, 0); /* umask may narrow it */

  /* A stale temp file of ours does not block the write. */
  char stale[600];
  snprintf(stale, sizeof stale, "%s/.tmp-out.txt-%ld", root, (long)getpid());
  put_file(stale, "stale");
  ck_assert_msg(cfz_file_write_atomic(path, "third", 5, err, sizeof err) == 0,
                "%s", err);
  got = slurp(path, &len);
  ck_assert_str_eq(got, "third");
  free(got);
  unlink(stale);
  int temps;
  ck_assert_int_eq(count_entries(root, &temps), 1);
  ck_assert_int_eq(temps, 0);

  /* write_named: content-hash name, existing file kept. */
  char named[1024], named2[1024];
  snprintf(path, sizeof path, "%s/crashes/a/b", root);
  ck_assert_int_eq(cfz_file_write_named(path, "raw\0data", 8, named,
                                        sizeof named, err, sizeof err),
                   0);
  got = slurp(named, &len);
  ck_assert_uint_eq(len, 8);
  ck_assert_int_eq(memcmp(got, "raw\0data", 8), 0);
  free(got);
  ck_assert_int_eq(cfz_file_write_named(path, "raw\0data", 8, named2,
                                        sizeof named2, err, sizeof err),
                   0);
  ck_assert_str_eq(named, named2);
  ck_assert_int_eq(count_entries(path, &temps), 1);

  /* A file of that name with other content (issue 15): not taken as
   * written; the data goes to name-1, the other file is left alone. */
  FILE *f = fopen(named, "wb");
  ck_assert_ptr_nonnull(f);
  fputs("someone else's", f);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(cfz_file_write_named(path, "raw\0data", 8, named2,
                                        sizeof named2, err, sizeof err),
                   0);
  ck_assert_str_ne(named, named2);
  ck_assert_uint_eq(strlen(named2), strlen(named) + 2);
  ck_assert_str_eq(named2 + strlen(named), "-1");
  got = slurp(named2, &len);
  ck_assert_uint_eq(len, 8);
  ck_assert_int_eq(memcmp(got, "raw\0data", 8), 0);
  free(got);
  got = slurp(named, &len);
  ck_assert_uint_eq(len, 14);
  free(got);
  /* Written again: found at name-1. */
  char named3[1024];
  ck_assert_int_eq(cfz_file_write_named(path, "raw\0data", 8, named3,
                                        sizeof named3, err, sizeof err),
                   0);
  ck_assert_str_eq(named2, named3);
  ck_assert_int_eq(count_entries(path, &temps), 2);
  remove_tree(root);
}
END_TEST

/* The generated corpus's writes: the directory made when missing (no stat
 * of it before each write), content-hash names, the same content found
 * again, a clash with other content at name-1, no temp files left, and the
 * same names as the durable writes. */
START_TEST(volatile_write_links) {
  char root[256], dir[512], dur[512], path[1024], path2[1024], err[512] = "";
  make_tmpdir(root, sizeof root);
  snprintf(dir, sizeof dir, "%s/cache/FuzzX", root); /* missing */
  snprintf(dur, sizeof dur, "%s/durable", root);
  cfz_value v1[] = {CFZ_V_BYTES("a\0b\xff", 4), CFZ_V_INT32(-5)};
  ck_assert_msg(cfz_corpus_write_volatile(dir, v1, 2, path, sizeof path, err,
                                          sizeof err) == 0,
                "%s", err);
  ck_assert_int_eq(
      cfz_corpus_write(dur, v1, 2, path2, sizeof path2, err, sizeof err), 0);
  ck_assert_str_eq(path + strlen(dir), path2 + strlen(dur));
  int temps;
  ck_assert_int_eq(count_entries(dir, &temps), 1);
  ck_assert_int_eq(temps, 0);
  size_t len, len2;
  char *got = slurp(path, &len), *want = slurp(path2, &len2);
  ck_assert_uint_eq(len, len2);
  ck_assert_int_eq(memcmp(got, want, len), 0);
  free(want);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777 & ~0644, 0);

  /* Same content: the same file, nothing new. */
  ck_assert_int_eq(cfz_corpus_write_volatile(dir, v1, 2, path2, sizeof path2,
                                             err, sizeof err),
                   0);
  ck_assert_str_eq(path, path2);
  ck_assert_int_eq(count_entries(dir, &temps), 1);

  /* Other content under that name: ours goes to name-1. */
  put_file(path, "someone else's");
  ck_assert_int_eq(cfz_corpus_write_volatile(dir, v1, 2, path2, sizeof path2,
                                             err, sizeof err),
                   0);
  ck_assert_uint_eq(strlen(path2), strlen(path) + 2);
  ck_assert_str_eq(path2 + strlen(path), "-1");
  char *got2 = slurp(path2, &len2);
  ck_assert_uint_eq(len, len2);
  ck_assert_int_eq(memcmp(got, got2, len), 0);
  free(got);
  free(got2);
  ck_assert_int_eq(count_entries(dir, &temps), 2);
  ck_assert_int_eq(temps, 0);
  remove_tree(root);
}
END_TEST

/* ENOSPC needs a small file system: a 64 KiB tmpfs, when we may mount. */
START_TEST(no_space_left) {
  char root[256], err[512] = "", path[1024];
  make_tmpdir(root, sizeof root);
  if (mount("tmpfs", root, "tmpfs", 0, "size=64k") != 0) {
    fprintf(stderr, "no_space_left: skipped (mount tmpfs: %s)\n",
            strerror(errno));
    remove_tree(root);
    return;
  }
  size_t big = 256 * 1024;
  char *data = malloc(big);
  ck_assert_ptr_nonnull(data);
  memset(data, 'z', big);
  cfz_value v[] = {CFZ_V_BYTES(data, big), CFZ_V_INT32(0)};
  int rc = cfz_corpus_write(root, v, 2, path, sizeof path, err, sizeof err);
  int temps = 0, entries = count_entries(root, &temps);
  int urc = umount2(root, MNT_DETACH);
  free(data);
  remove_tree(root);
  ck_assert_int_eq(urc, 0);
  ck_assert_int_eq(rc, -1);
  char want[512];
  snprintf(want, sizeof want, "cfz: write %s/.tmp-", root);
  ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
  ck_assert_msg(strstr(err, ": No space left on device"), "%s", err);
  ck_assert_int_eq(entries, 0); /* the temp file was removed */
  ck_assert_int_eq(temps, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_store");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, target_names);
  tcase_add_test(tc, default_cache_dir);
  tcase_add_test(tc, write_load_round_trip);
  tcase_add_test(tc, load_reports_bad_files);
  tcase_add_test(tc, load_missing_and_unreadable);
  tcase_add_test(tc, write_errors_name_the_path);
  tcase_add_test(tc, atomic_write_replaces);
  tcase_add_test(tc, volatile_write_links);
  suite_add_tcase(s, tc);
  TCase *tm = tcase_create("tmpfs");
  tcase_add_test(tm, no_space_left);
  suite_add_tcase(s, tm);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
