/* minimize.c - `cfz minimize [options] crashfile ./target`. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "corpus_format.h"
#include "corpus_store.h"
#include "file_read.h"

static void minimize_usage(FILE *f) {
  fprintf(
      f,
      "usage: cfz minimize [options] CRASHFILE ./target\n"
      "\n"
      "Shrinks a failing input (cfz format or raw bytes) with the target's\n"
      "minimizers, keeping only candidates that fail the same way, and writes\n"
      "the result in the input's format.  Exit status 0 when written, 2 when\n"
      "the input does not fail.\n"
      "\n"
      "options:\n"
      "  -o, --output PATH       where to write (default: next to CRASHFILE,\n"
      "                          named by content hash)\n"
      "      --minimize-time D   budget: a duration (60s) or a count (10000x)\n"
      "      --timeout D         an input running longer is a hang (default "
      "10s)\n"
      "  -t, --target NAME       the target, when the executable holds "
      "several\n"
      "      --max-len N         capacity for bytes/string values (4096)\n"
      "      --rss-limit MB      resident memory limit (2048; 0 = off)\n"
      "  -h, --help              show this help\n");
}

static size_t file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fclose(f);
  return n > 0 ? (size_t)n : 0;
}

static bool file_is_text(const char *path) {
  uint8_t *head;
  size_t n;
  char err[512];
  if (cfz_file_read(path, 64, &head, &n, err, sizeof err) != 0)
    return true;
  bool text = cfz_corpus_is_text(head, n);
  free(head);
  return text;
}

/* Writes best in the format of crash_file (raw bytes or the text format) to
 * output, or next to crash_file by content hash.  Frees best.  Returns 0
 * with the path in out and the size in *len, or -1 (message printed). */
static int write_minimized(const char *crash_file, const char *output,
                           cfz_values *best, char *out, size_t outlen,
                           size_t *len) {
  bool raw =
      !file_is_text(crash_file) && best->n == 1 && best->v[0].type == CFZ_BYTES;
  char *data = NULL;
  *len = 0;
  if (raw) {
    *len = best->v[0].v.bytes.len;
    data = malloc(*len ? *len : 1);
    if (data)
      memcpy(data, best->v[0].v.bytes.data, *len);
  } else if (cfz_corpus_encode(best->v, best->n, &data, len) != 0) {
    data = NULL;
  }
  cfz_values_free(best);
  if (!data) {
    fprintf(stderr, "cfz: out of memory\n");
    return -1;
  }
  char err[512];
  int rc;
  if (output) {
    snprintf(out, outlen, "%s", output);
    rc = cfz_file_write_atomic(out, data, *len, err, sizeof err);
  } else {
    char dirbuf[4096];
    snprintf(dirbuf, sizeof dirbuf, "%s", crash_file);
    rc = cfz_file_write_named(dirname(dirbuf), data, *len, out, outlen, err,
                              sizeof err);
  }
  free(data);
  if (rc != 0)
    fprintf(stderr, "%s\n", err);
  return rc;
}

int cfz_cmd_minimize(int argc, char **argv) {
  cfz_cli o;
  static const cfz_command cmd = {
      .name = "cfz minimize",
      .options = CFZ_COMMON_OPTIONS " output",
      .usage = minimize_usage,
      .min_operands = 2,
      .max_operands = 2,
      .target_at = 1,
      .one_worker = true,
      .operands_error = "cfz minimize: expected CRASHFILE and a target"};
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  if (o.fuzz.minimize_time.ns == 0 && o.fuzz.minimize_time.count == 0) {
    fprintf(stderr, "cfz minimize: --minimize-time 0 leaves nothing to do\n");
    return 2;
  }
  /* Checked before minimizing, so that the result has a place to go. */
  if (o.output && cfz_check_output_file(cmd.name, "-o", o.output, false) != 0)
    return 2;
  cfz_minimize_options mo = {.crash_file = o.operands[0],
                             .minimize_time = o.fuzz.minimize_time};
  cfz_minimize_result res = {0};
  int code = cfz_minimize(&o.run, &mo, &res);
  if (code != 0 || !res.reproduced) {
    cfz_values_free(&res.best);
    return code ? code : 2;
  }

  char out[4096];
  size_t len;
  if (write_minimized(mo.crash_file, o.output, &res.best, out, sizeof out,
                      &len) != 0)
    return 2;
  printf("minimized %s: %zu bytes -> %zu bytes in %llu executions\n"
         "failure: %s\nwritten to %s\n",
         mo.crash_file, file_size(mo.crash_file), len,
         (unsigned long long)res.execs, res.message, out);
  return 0;
}
