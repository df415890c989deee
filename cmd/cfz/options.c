/* options.c - option parsing shared by `cfz run` and `cfz minimize`. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "commands.h"
#include "libfuzzer_binary.h"

void cfz_options_defaults(cfz_cli *o) {
  memset(o, 0, sizeof *o);
  o->run.parallel = uv_available_parallelism();
  o->fuzz.minimize_time.ns = 60ull * 1000000000ull;
  o->run.timeout_ms = 10000;
  o->run.rss_limit_mb = 2048;
  o->run.malloc_limit_mb =
      2048; /* libFuzzer: -malloc_limit_mb = -rss_limit_mb */
  o->run.max_len = 4096;
  o->run.testdata_dir = "testdata/fuzz";
}

static int parse_u64(const char *arg, const char *what, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (errno || end == arg || *end || arg[0] == '-') {
    fprintf(stderr, "cfz: invalid %s \"%s\"\n", what, arg);
    return -1;
  }
  *out = v;
  return 0;
}

static int cfz_options_parse_flag(cfz_cli *o, int opt);

/* The options that take a duration (or a count). */
static int parse_duration(cfz_cli *o, int opt, const char *arg) {
  char err[256];
  switch (opt) {
  case OPT_FUZZ_TIME:
    if (cfz_limit_parse(arg, false, &o->fuzz.fuzz_time, err, sizeof err) != 0) {
      fprintf(stderr, "cfz: --fuzz-time: %s\n", err);
      return -1;
    }
    return 0;
  case OPT_MINIMIZE_TIME:
    if (cfz_limit_parse(arg, true, &o->fuzz.minimize_time, err, sizeof err) !=
        0) {
      fprintf(stderr, "cfz: --minimize-time: %s\n", err);
      return -1;
    }
    return 0;
  case OPT_TIMEOUT: {
    cfz_limit l;
    if (cfz_limit_parse(arg, false, &l, err, sizeof err) != 0 || l.count) {
      fprintf(stderr, "cfz: --timeout: %s\n",
              l.count ? "takes a duration, not a count" : err);
      return -1;
    }
    o->run.timeout_ms = l.ns / 1000000u ? l.ns / 1000000u : 1;
    return 0;
  }
  case OPT_STATUS_INTERVAL: {
    cfz_limit l;
    if (cfz_limit_parse(arg, false, &l, err, sizeof err) != 0 || l.count ||
        l.ns < 1000000u) {
      fprintf(stderr, "cfz: --status-interval: %s\n",
              l.count                   ? "takes a duration, not a count"
              : l.ns && l.ns < 1000000u ? "must be at least 1ms"
                                        : err);
      return -1;
    }
    o->fuzz.status_ms = l.ns / 1000000u;
    return 0;
  }
  default:
    return cfz_options_parse_flag(o, opt);
  }
}

int cfz_options_parse_common(cfz_cli *o, int opt, const char *arg) {
  uint64_t v;
  switch (opt) {
  case 'j':
    if (parse_u64(arg, "--parallel", &v))
      return -1;
    if (v == 0 || v > 1024) {
      fprintf(stderr, "cfz: --parallel must be between 1 and 1024\n");
      return -1;
    }
    o->run.parallel = (unsigned)v;
    return 0;
  case 't':
    o->run.target_name = arg;
    return 0;
  case OPT_MAX_LEN:
    if (parse_u64(arg, "--max-len", &v))
      return -1;
    if (v == 0 || v > (64u << 20)) {
      fprintf(stderr, "cfz: --max-len must be between 1 and 67108864\n");
      return -1;
    }
    o->run.max_len = (size_t)v;
    o->run.max_len_set = true;
    return 0;
  case OPT_SEED:
    if (parse_u64(arg, "--seed", &o->run.seed))
      return -1;
    o->run.seed_set = true;
    return 0;
  case OPT_RSS_LIMIT:
    if (parse_u64(arg, "--rss-limit", &o->run.rss_limit_mb))
      return -1;
    if (!o->malloc_limit_set)
      o->run.malloc_limit_mb = o->run.rss_limit_mb;
    return 0;
  case OPT_MALLOC_LIMIT:
    o->malloc_limit_set = true;
    return parse_u64(arg, "--malloc-limit", &o->run.malloc_limit_mb) ? -1 : 0;
  case OPT_TESTDATA:
    o->run.testdata_dir = arg;
    return 0;
  case OPT_CACHE_DIR:
    o->run.cache_dir = arg;
    return 0;
  case OPT_DICT:
    o->run.dict_path = arg;
    return 0;
  case OPT_STATS:
    o->fuzz.stats_path = arg;
    return 0;
  case 'o':
    o->output = arg;
    return 0;
  default:
    return parse_duration(o, opt, arg);
  }
}

/* The options without a value. */
static int cfz_options_parse_flag(cfz_cli *o, int opt) {
  switch (opt) {
  case OPT_KEEP_GOING:
    o->fuzz.keep_going = true;
    return 0;
  case OPT_DETERMINISTIC:
    o->fuzz.deterministic = true;
    return 0;
  case OPT_VALUE_PROFILE:
    o->run.value_profile = true;
    return 0;
  case OPT_JSON:
    o->run.json = true;
    return 0;
  case OPT_NO_FEEDBACK:
    o->run.no_feedback = true;
    return 0;
  case OPT_ALL:
    o->test_all = true;
    return 0;
  default:
    return 1;
  }
}

int cfz_check_executable(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "cfz: %s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    fprintf(stderr, "cfz: %s: not a regular file\n", path);
    return -1;
  }
  if (access(path, X_OK) != 0) {
    fprintf(stderr, "cfz: %s: not executable: %s\n", path, strerror(errno));
    return -1;
  }
  char err[512];
  int lf = cfz_is_libfuzzer_binary(path, err, sizeof err);
  if (lf != 0) {
    if (lf < 0)
      fprintf(stderr, "cfz: %s\n", err);
    else
      fprintf(stderr, "cfz: %s: %s\n", path, CFZ_LIBFUZZER_BINARY_HELP);
    return -1;
  }
  return 0;
}

int cfz_parse_options(int argc, char **argv, const char *shortopts,
                      const struct option *longopts, cfz_cli *o,
                      cfz_usage_fn usage) {
  optind = 1;
  int opt;
  while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (opt == 'h') {
      usage(stdout);
      return 0;
    }
    if (opt == '?') {
      usage(stderr);
      return 2;
    }
    int rc = cfz_options_parse_common(o, opt, optarg);
    if (rc < 0)
      return 2;
    if (rc > 0) {
      usage(stderr);
      return 2;
    }
  }
  return -1;
}

int cfz_target_arg(const char *arg, char *buf, size_t len) {
  snprintf(buf, len, "%s%s", strchr(arg, '/') ? "" : "./", arg);
  return cfz_check_executable(buf);
}

int cfz_parse_command(const cfz_command *cmd, int argc, char **argv, cfz_cli *o,
                      char *path, size_t pathlen) {
  cfz_options_defaults(o);
  if (cmd->one_worker)
    o->run.parallel = 1;
  int rc = cfz_parse_options(argc, argv, cmd->shortopts, cmd->longopts, o,
                             cmd->usage);
  if (rc >= 0)
    return rc;
  int n = argc - optind;
  if (n < cmd->min_operands || (cmd->max_operands && n > cmd->max_operands)) {
    fprintf(stderr, "%s\n\n", cmd->operands_error);
    cmd->usage(stderr);
    return 2;
  }
  if (cfz_target_arg(argv[optind + cmd->target_at], path, pathlen) != 0)
    return 2;
  o->run.target_path = path;
  return -1;
}
