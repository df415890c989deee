/* test_corpus_loader.c - corpus directories read off the loop: the same
 * entries and warnings, in the same order, as the synchronous load; a
 * directory larger than a piece; a missing and an unreadable one; cancel. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_loader.h"
#include "corpus_store.h"
#include "wire.h"

/* What the events said, as text lines: "E <dir> <path> <len>",
 * "W <message>", "D <dir> <files>", "done". */
typedef struct event_log {
  char **lines;
  size_t n, cap;
  int done;
} event_log;

static void add(event_log *l, const char *line) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 256;
    l->lines = realloc(l->lines, l->cap * sizeof *l->lines);
    ck_assert_ptr_nonnull(l->lines);
  }
  l->lines[l->n++] = strdup(line);
}

static void log_free(event_log *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->lines[i]);
  free(l->lines);
}

static void on_entry(void *ctx, size_t dir, const char *path,
                     const uint8_t *wire, size_t len) {
  (void)wire;
  char line[1024];
  snprintf(line, sizeof line, "E %zu %s %zu", dir, path, len);
  add(ctx, line);
}

static void on_warn(void *ctx, const char *message) {
  char line[1200];
  snprintf(line, sizeof line, "W %s", message);
  add(ctx, line);
}

static void on_dir_done(void *ctx, size_t dir, long files) {
  char line[64];
  snprintf(line, sizeof line, "D %zu %ld", dir, files);
  add(ctx, line);
}

static void on_done(void *ctx) {
  event_log *l = ctx;
  l->done++;
}

static const cfz_corpus_load_events events = {on_entry, on_warn, on_dir_done,
                                              on_done};

/* The synchronous load of dir as index k, into l. */
typedef struct sync_ctx {
  event_log *l;
  size_t k;
} sync_ctx;

static void sync_visit(void *ctx, const char *path, const cfz_values *vals) {
  sync_ctx *s = ctx;
  on_entry(s->l, s->k, path, NULL, cfz_wire_size(vals->v, vals->n));
}

static void sync_warn(void *ctx, const char *message) {
  on_warn(((sync_ctx *)ctx)->l, message);
}

static const cfz_type bytes_only[] = {CFZ_BYTES};

static void load_async(const char *const *dirs, size_t n, event_log *l,
                       bool cancel) {
  uv_loop_t loop;
  ck_assert_int_eq(uv_loop_init(&loop), 0);
  cfz_corpus_load_spec spec = {.dirs = dirs,
                               .ndirs = n,
                               .types = bytes_only,
                               .ntypes = 1,
                               .max_wire = 64};
  cfz_corpus_loader *ld = cfz_corpus_loader_start(&loop, &spec, &events, l);
  ck_assert_ptr_nonnull(ld);
  if (cancel)
    cfz_corpus_loader_cancel(ld);
  ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ck_assert_int_eq(uv_loop_close(&loop), 0);
  ck_assert_int_eq(l->done, 1);
}

static char root[256];

static void put(const char *rel, const char *text) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  FILE *f = fopen(p, "w");
  ck_assert_msg(f != NULL, "fopen %s: %s", p, strerror(errno));
  fputs(text, f);
  ck_assert_int_eq(fclose(f), 0);
}

/* Two directories: one of 600 files (more than a piece of 256), with a
 * FIFO, a file too large for the 64-byte value area and a malformed one
 * among them; one missing.  The events are those of cfz_corpus_load_dir,
 * in its order, then each directory's count. */
START_TEST(same_as_synchronous) {
  const char *base = getenv("TMPDIR");
  snprintf(root, sizeof root, "%s/cfz-test-loader-XXXXXX",
           base && *base ? base : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(root));
  char a[512], missing[512];
  snprintf(a, sizeof a, "%s/a", root);
  snprintf(missing, sizeof missing, "%s/missing", root);
  ck_assert_int_eq(mkdir(a, 0755), 0);
  for (int i = 0; i < 600; i++) {
    char rel[64], text[32];
    snprintf(rel, sizeof rel, "a/f%03d", i);
    snprintf(text, sizeof text, "input %d", i);
    put(rel, text);
  }
  char big[600 + 1];
  memset(big, 'x', 600);
  big[600] = 0;
  put("a/f100", big);
  put("a/f200", "cfz fuzz v1\nbogus(1)\n");
  char fifo[512];
  snprintf(fifo, sizeof fifo, "%s/a/f300", root);
  ck_assert_int_eq(unlink(fifo), 0);
  ck_assert_int_eq(mkfifo(fifo, 0644), 0);

  const char *dirs[] = {a, missing};

  event_log want = {0};
  for (size_t k = 0; k < 2; k++) {
    sync_ctx s = {&want, k};
    long files = cfz_corpus_load_dir(dirs[k], bytes_only, 1, 64, sync_visit,
                                     sync_warn, &s);
    on_dir_done(&want, k, files);
  }
  event_log got = {0};
  load_async(dirs, 2, &got, false);
  ck_assert_uint_eq(got.n, want.n);
  for (size_t i = 0; i < got.n; i++)
    ck_assert_str_eq(got.lines[i], want.lines[i]);
  ck_assert_str_eq(got.lines[got.n - 2], "D 0 597");
  ck_assert_str_eq(got.lines[got.n - 1], "D 1 0");

  /* Cancelled at once: done, and nothing else. */
  event_log none = {0};
  load_async(dirs, 2, &none, true);
  ck_assert_uint_eq(none.n, 0);

  /* An unreadable directory: a warning and -1 (root reads anything). */
  if (geteuid() != 0) {
    ck_assert_int_eq(chmod(a, 0), 0);
    event_log denied = {0};
    load_async(dirs, 1, &denied, false);
    ck_assert_uint_eq(denied.n, 2);
    ck_assert_msg(strstr(denied.lines[0], "Permission denied"), "%s",
                  denied.lines[0]);
    ck_assert_str_eq(denied.lines[1], "D 0 -1");
    ck_assert_int_eq(chmod(a, 0755), 0);
    log_free(&denied);
  }
  log_free(&want);
  log_free(&got);
  log_free(&none);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_loader");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, same_as_synchronous);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
