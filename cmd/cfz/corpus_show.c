/* corpus_show.c - `cfz corpus show`: decode corpus files and print their
 * values. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "corpus_cli.h"
#include "corpus_format.h"
#include "corpus_list.h"
#include "corpus_store.h"
#include "dir_list.h"
#include "file_read.h"
#include "target_probe.h"

#define SHOW_CHARS 4096   /* escaped characters of one value in `show` */
#define HEXDUMP_MIN 32    /* bytes values longer than this get a dump */
#define HEXDUMP_BYTES 256 /* how much of them is dumped */

static const char usage_show[] =
    "usage: cfz corpus show FILE...\n"
    "\n"
    "Decodes each corpus file (cfz or Go text format, or raw bytes) and\n"
    "prints its values, one per line as `type: value`.  Exit status 1 when a\n"
    "file cannot be read or decoded.\n"
    "\n"
    "options:\n"
    "  -h, --help            print this help\n";

/* ---- cfz corpus show ---- */

static void hexdump(const uint8_t *p, size_t len) {
  size_t n = len < HEXDUMP_BYTES ? len : HEXDUMP_BYTES;
  for (size_t off = 0; off < n; off += 16) {
    printf("    %08zx ", off);
    for (size_t i = 0; i < 16; i++) {
      if (off + i < n)
        printf("%s%02x", i == 8 ? "  " : " ", p[off + i]);
      else
        printf("%s  ", i == 8 ? "  " : " ");
    }
    printf("  |");
    for (size_t i = 0; i < 16 && off + i < n; i++) {
      uint8_t c = p[off + i];
      putchar(c >= 0x20 && c < 0x7f ? c : '.');
    }
    printf("|\n");
  }
  if (len > n)
    printf("    ... %zu more bytes\n", len - n);
}

/* The file's format, from its first line. */
static int file_format(const char *path, const char **fmt) {
  uint8_t *head;
  size_t len;
  char err[512];
  if (cfz_file_read(path, 64, &head, &len, err, sizeof err) != 0) {
    fprintf(stderr, "cfz: %s\n", err);
    return -1;
  }
  *fmt = cfz_corpus_format_name(head, len);
  free(head);
  return 0;
}

static void show_value(const cfz_value *v) {
  const char *tn = cfz_type_name(v->type);
  cfz_strbuf b = {0};
  if (cli_is_buffer(v->type)) {
    cfz_corpus_quote(&b, v->v.bytes.data, v->v.bytes.len, SHOW_CHARS);
    cfz_sb_printf(&b, " (%zu byte%s)", v->v.bytes.len,
                  v->v.bytes.len == 1 ? "" : "s");
  } else {
    cfz_corpus_literal(&b, v);
  }
  char *s = cfz_sb_take(&b);
  printf("  %s: %s\n", tn ? tn : "?", s ? s : "(out of memory)");
  free(s);
  if (cli_is_buffer(v->type) && v->v.bytes.len > HEXDUMP_MIN)
    hexdump(v->v.bytes.data, v->v.bytes.len);
}

static void show_usage(FILE *f) { fputs(usage_show, f); }

int cfz_corpus_show(int argc, char **argv) {
  static const cfz_command cmd = {.name = "cfz corpus show",
                                  .options = "help",
                                  .usage = show_usage,
                                  .min_operands = 1,
                                  .target_is_name = true,
                                  .operands_error =
                                      "cfz corpus show: no file given"};
  cfz_cli o;
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  rc = 0;
  for (int i = 0; i < o.noperands; i++) {
    const char *path = o.operands[i];
    cfz_values vals = {0};
    char err[1024];
    if (cfz_corpus_read_file(path, &vals, err, sizeof err) != 0) {
      fflush(stdout);
      fprintf(stderr, "cfz: %s\n", err);
      rc = 1;
      continue;
    }
    const char *fmt;
    if (file_format(path, &fmt) != 0) {
      cfz_values_free(&vals);
      rc = 1;
      continue;
    }
    printf("%s: %s, %zu value%s\n", path, fmt, vals.n, vals.n == 1 ? "" : "s");
    for (size_t k = 0; k < vals.n; k++)
      show_value(&vals.v[k]);
    cfz_values_free(&vals);
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    return 2;
  }
  return rc;
}
