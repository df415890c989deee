/* replay.c - run inputs by hand, without the driver (replay.h). */
#include "replay.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_format.h"
#include "exec_context.h"

#define TIMEOUT_EXIT 70

typedef struct opts {
  const char *target;
  long runs;        /* each input this many times */
  unsigned timeout; /* seconds per input, 0: none */
} opts;

typedef struct tally {
  unsigned passed, failed, skipped, errors;
} tally;

/* Written by the SIGALRM handler: preformatted before each input. */
static char g_timeout_msg[PATH_MAX + 128];
static size_t g_timeout_len;

static void on_alarm(int sig) {
  (void)sig;
  ssize_t w = write(STDERR_FILENO, g_timeout_msg, g_timeout_len);
  (void)w;
  _exit(TIMEOUT_EXIT);
}

static void usage(FILE *f, const char *argv0) {
  fprintf(f,
          "usage: %s [options] [FILE_OR_DIR...]\n"
          "\n"
          "Runs each input file once (every file of a directory) and prints\n"
          "PASS or FAIL for it; with no file, runs the seeds added with\n"
          "cfz_add.  To fuzz this target, run: cfz run %s\n"
          "\n"
          "options:\n"
          "  -t, --target NAME  the target to run (when there are several)\n"
          "  -h, --help         print this help\n"
          "  -runs=N            run each input N times (libFuzzer)\n"
          "  -timeout=N         fail an input that runs longer than N "
          "seconds\n"
          "                     (exit status %d, libFuzzer)\n"
          "  other -name=value libFuzzer flags are accepted and ignored\n"
          "\n"
          "exit status: 0 all passed, 1 an input failed, 2 usage error or\n"
          "unreadable input, %d timeout\n",
          argv0, argv0, TIMEOUT_EXIT, TIMEOUT_EXIT);
}

static int parse_long(const char *s, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || errno != 0)
    return -1;
  *out = v;
  return 0;
}

/* A libFuzzer-style "-name=value" flag. Returns 0, or -1 (bad value). */
static int libfuzzer_flag(const char *arg, opts *o) {
  const char *eq = strchr(arg, '=');
  size_t nlen = (size_t)(eq - (arg + 1));
  long v;
  if (nlen == 4 && strncmp(arg + 1, "runs", 4) == 0) {
    if (parse_long(eq + 1, &v) != 0)
      return -1;
    o->runs = v < 0 ? 1 : v;
  } else if (nlen == 7 && strncmp(arg + 1, "timeout", 7) == 0) {
    if (parse_long(eq + 1, &v) != 0 || v < 0 || v > 86400L * 365)
      return -1;
    o->timeout = (unsigned)v;
  } else {
    fprintf(stderr, "cfz: note: ignoring libFuzzer flag %s\n", arg);
  }
  return 0;
}

/* Runs one input o->runs times; prints its verdict. */
static void run_input(const cfz_target *t, const char *label,
                      const cfz_value *vals, const opts *o, tally *tl) {
  int w = snprintf(g_timeout_msg, sizeof g_timeout_msg,
                   "FAIL %s: timeout after %u seconds\n", label, o->timeout);
  g_timeout_len = w < 0                               ? 0
                  : (size_t)w >= sizeof g_timeout_msg ? sizeof g_timeout_msg - 1
                                                      : (size_t)w;
  fprintf(stderr, "Running: %s\n", label);
  bool skipped = false;
  for (long r = 0; r < o->runs; r++) {
    if (o->timeout)
      alarm(o->timeout);
    cfz_outcome out = cfz_exec_run(t, vals);
    if (o->timeout)
      alarm(0);
    if (out == CFZ_OUTCOME_FAILURE) {
      fprintf(stderr, "FAIL %s: %s\n", label, cfz_exec_message());
      tl->failed++;
      return;
    }
    skipped = skipped || out == CFZ_OUTCOME_SKIP;
  }
  fprintf(stderr, "%s %s\n", skipped ? "SKIP" : "PASS", label);
  if (skipped)
    tl->skipped++;
  else
    tl->passed++;
}

static void type_names(char *buf, size_t len, const cfz_value *vals, size_t n,
                       const cfz_type *types) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < len; i++) {
    const char *nm = cfz_type_name(vals ? vals[i].type : types[i]);
    int w =
        snprintf(buf + used, len - used, "%s%s", i ? ", " : "", nm ? nm : "?");
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

static void run_file(const cfz_target *t, const char *path, const opts *o,
                     tally *tl) {
  cfz_values vals = {0};
  char err[1024];
  if (cfz_corpus_read_file(path, &vals, err, sizeof err) != 0) {
    fprintf(stderr, "ERROR %s: %s\n", path, err);
    tl->errors++;
    return;
  }
  if (!cfz_values_match_types(vals.v, vals.n, t->params, t->nparams)) {
    char got[256], want[256];
    type_names(got, sizeof got, vals.v, vals.n, NULL);
    type_names(want, sizeof want, NULL, t->nparams, t->params);
    fprintf(stderr, "ERROR %s: holds (%s), but %s takes (%s)\n", path, got,
            t->name, want);
    tl->errors++;
  } else {
    run_input(t, path, vals.v, o, tl);
  }
  cfz_values_free(&vals);
}

static int only_regular(const struct dirent *d) {
  return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static void run_path(const cfz_target *t, const char *path, const opts *o,
                     tally *tl) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "ERROR %s: %s\n", path, strerror(errno));
    tl->errors++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    run_file(t, path, o, tl);
    return;
  }
  struct dirent **names;
  int n = scandir(path, &names, only_regular, alphasort);
  if (n < 0) {
    fprintf(stderr, "ERROR %s: cannot list the directory: %s\n", path,
            strerror(errno));
    tl->errors++;
    return;
  }
  for (int i = 0; i < n; i++) {
    char file[PATH_MAX];
    int w = snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
    struct stat fs;
    if (w < 0 || (size_t)w >= sizeof file) {
      fprintf(stderr, "ERROR %s/%s: path too long\n", path, names[i]->d_name);
      tl->errors++;
    } else if (stat(file, &fs) != 0) {
      fprintf(stderr, "ERROR %s: %s\n", file, strerror(errno));
      tl->errors++;
    } else if (S_ISREG(fs.st_mode)) {
      run_file(t, file, o, tl);
    }
    free(names[i]);
  }
  free(names);
}

static void run_seeds(const cfz_target *t, const opts *o, tally *tl) {
  size_t n;
  const cfz_values *seeds = cfz_registry_seeds(t, &n);
  if (n == 0) {
    fprintf(stderr, "%s: no seeds (cfz_add) to run\n", t->name);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    char label[CFZ_TARGET_NAME_MAX + 32];
    snprintf(label, sizeof label, "%s seed #%zu", t->name, i);
    run_input(t, label, seeds[i].v, o, tl);
  }
}

/* Parses the command line: options into *o, file arguments into files.
 * Returns -1 to go on, or the exit status (0 after --help, 2 on a usage
 * error). */
static int parse_args(int argc, char **argv, const char *argv0, opts *o,
                      char **files, size_t *nfiles) {
  bool opts_done = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (opts_done || a[0] != '-' || a[1] == '\0') {
      files[(*nfiles)++] = argv[i];
    } else if (strcmp(a, "--") == 0) {
      opts_done = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout, argv0);
      return 0;
    } else if (strcmp(a, "-t") == 0 || strcmp(a, "--target") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "cfz: %s needs a target name\n", a);
        return 2;
      }
      o->target = argv[++i];
    } else if (strncmp(a, "--target=", 9) == 0) {
      o->target = a + 9;
    } else if (a[1] != '-' && strchr(a, '=')) {
      if (libfuzzer_flag(a, o) != 0) {
        fprintf(stderr, "cfz: bad value in %s\n", a);
        return 2;
      }
    } else {
      fprintf(stderr, "cfz: unknown option %s (see %s --help)\n", a, argv0);
      return 2;
    }
  }
  return -1;
}

/* The SIGALRM handler that ends an input past -timeout.  Returns 0, or 2
 * (said on stderr). */
static int install_alarm(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  if (sigemptyset(&sa.sa_mask) != 0 || sigaction(SIGALRM, &sa, NULL) != 0) {
    fprintf(stderr, "cfz: sigaction(SIGALRM): %s\n", strerror(errno));
    return 2;
  }
  return 0;
}

/* Runs the files (or the seeds) and prints the tally.  Returns the exit
 * status. */
static int run_all(const opts *o, char **files, size_t nfiles) {
  tally tl = {0};
  char err[1024];
  if (nfiles == 0 && !o->target) {
    if (cfz_registry_count() == 0) {
      cfz_registry_select(NULL, NULL, err, sizeof err);
      fprintf(stderr, "cfz: %s\n", err);
      return 2;
    }
    for (size_t i = 0; i < cfz_registry_count(); i++)
      run_seeds(cfz_registry_get(i), o, &tl);
  } else {
    const cfz_target *t = cfz_registry_select(
        o->target, "choose one with -t NAME", err, sizeof err);
    if (!t) {
      fprintf(stderr, "cfz: %s\n", err);
      return 2;
    }
    if (nfiles == 0)
      run_seeds(t, o, &tl);
    for (size_t i = 0; i < nfiles; i++)
      run_path(t, files[i], o, &tl);
  }
  fprintf(stderr, "%u passed, %u failed, %u skipped, %u unreadable\n",
          tl.passed, tl.failed, tl.skipped, tl.errors);
  return tl.failed ? 1 : tl.errors ? 2 : 0;
}

int cfz_replay_main(int argc, char **argv) {
  const char *argv0 = argc > 0 && argv[0] ? argv[0] : "target";
  opts o = {.runs = 1};
  char **files = calloc((size_t)(argc > 0 ? argc : 1), sizeof *files);
  if (!files) {
    fprintf(stderr, "cfz: out of memory\n");
    return 2;
  }
  size_t nfiles = 0;
  int rc = parse_args(argc, argv, argv0, &o, files, &nfiles);
  if (rc < 0 && o.timeout)
    rc = install_alarm() != 0 ? 2 : -1;
  if (rc < 0)
    rc = run_all(&o, files, nfiles);
  free(files);
  return rc;
}
