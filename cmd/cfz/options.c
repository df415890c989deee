/* options.c - the option parsing of every subcommand (commands.h). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "commands.h"
#include "libfuzzer_binary.h"
#include "make_dirs.h"

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

/* A whole number; name is the command, what the option ("--seed"). */
static int parse_u64(const char *name, const char *what, const char *arg,
                     uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (errno || end == arg || *end || arg[0] == '-') {
    fprintf(stderr, "%s: %s: \"%s\" is not a whole number\n", name, what, arg);
    return -1;
  }
  *out = v;
  return 0;
}

/* A number from lo to hi, as parse_u64. */
static int parse_range(const char *name, const char *what, const char *arg,
                       uint64_t lo, uint64_t hi, uint64_t *out) {
  if (parse_u64(name, what, arg, out) != 0)
    return -1;
  if (*out < lo || *out > hi) {
    fprintf(stderr, "%s: %s must be between %llu and %llu, not %s\n", name,
            what, (unsigned long long)lo, (unsigned long long)hi, arg);
    return -1;
  }
  return 0;
}

/* The options that need no checking: a string field takes the argument as
 * given, a flag becomes true. */
static const struct plain_option {
  int opt;
  bool is_flag;
  size_t off; /* in cfz_cli */
} plain_options[] = {
    {'t', false, offsetof(cfz_cli, run.target_name)},
    {'o', false, offsetof(cfz_cli, output)},
    {OPT_TESTDATA, false, offsetof(cfz_cli, run.testdata_dir)},
    {OPT_CACHE_DIR, false, offsetof(cfz_cli, run.cache_dir)},
    {OPT_DICT, false, offsetof(cfz_cli, run.dict_path)},
    {OPT_TYPES, false, offsetof(cfz_cli, types)},
    {OPT_STATS, false, offsetof(cfz_cli, fuzz.stats_path)},
    {OPT_LLVM_PROFDATA, false, offsetof(cfz_cli, llvm_profdata)},
    {OPT_LLVM_COV, false, offsetof(cfz_cli, llvm_cov)},
    {OPT_KEEP_GOING, true, offsetof(cfz_cli, fuzz.keep_going)},
    {OPT_DETERMINISTIC, true, offsetof(cfz_cli, fuzz.deterministic)},
    {OPT_VALUE_PROFILE, true, offsetof(cfz_cli, run.value_profile)},
    {OPT_JSON, true, offsetof(cfz_cli, run.json)},
    {OPT_NO_FEEDBACK, true, offsetof(cfz_cli, run.no_feedback)},
    {OPT_ALL, true, offsetof(cfz_cli, test_all)},
};

/* Sets a plain option.  Returns 0, or 1 when opt is none of them. */
static int set_plain(cfz_cli *o, int opt, const char *arg) {
  for (size_t i = 0; i < sizeof plain_options / sizeof plain_options[0]; i++) {
    if (plain_options[i].opt != opt)
      continue;
    char *field = (char *)o + plain_options[i].off;
    if (plain_options[i].is_flag)
      *(bool *)field = true;
    else
      *(const char **)field = arg;
    return 0;
  }
  return 1;
}

#define DURATIONS "a duration: 30s, 5m, 1h30m, 250ms"

/* A duration option; counts ("1000x") only when counts. */
static int parse_limit(const char *name, const char *what, const char *arg,
                       bool allow_zero, bool counts, cfz_limit *l) {
  char err[256];
  if (cfz_limit_parse(arg, allow_zero, l, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s: %s (%s%s)\n", name, what, err, DURATIONS,
            counts ? "; or a count: 1000x" : "");
    return -1;
  }
  if (l->count && !counts) {
    fprintf(stderr, "%s: %s: takes a duration, not a count (%s)\n", name, what,
            DURATIONS);
    return -1;
  }
  return 0;
}

/* The options that take a duration (or a count). */
static int parse_duration(cfz_cli *o, const char *name, int opt,
                          const char *arg) {
  cfz_limit l;
  switch (opt) {
  case OPT_FUZZ_TIME:
    return parse_limit(name, "--fuzz-time", arg, false, true,
                       &o->fuzz.fuzz_time);
  case OPT_MINIMIZE_TIME:
    return parse_limit(name, "--minimize-time", arg, true, true,
                       &o->fuzz.minimize_time);
  case OPT_TIMEOUT:
    if (parse_limit(name, "--timeout", arg, false, false, &l) != 0)
      return -1;
    o->run.timeout_ms = l.ns / 1000000u ? l.ns / 1000000u : 1;
    return 0;
  case OPT_STATUS_INTERVAL:
    if (parse_limit(name, "--status-interval", arg, false, false, &l) != 0)
      return -1;
    if (l.ns < 1000000u) {
      fprintf(stderr, "%s: --status-interval: must be at least 1ms\n", name);
      return -1;
    }
    o->fuzz.status_ms = l.ns / 1000000u;
    return 0;
  default:
    return set_plain(o, opt, arg);
  }
}

int cfz_options_parse_common(cfz_cli *o, const char *name, int opt,
                             const char *arg) {
  uint64_t v;
  if (opt == OPT_TESTDATA)
    o->testdata_given = true;
  switch (opt) {
  case 'j':
    if (parse_range(name, "--parallel (-j)", arg, 1, 1024, &v) != 0)
      return -1;
    o->run.parallel = (unsigned)v;
    return 0;
  case OPT_MAX_LEN:
    if (parse_range(name, "--max-len", arg, 1, 64u << 20, &v) != 0)
      return -1;
    o->run.max_len = (size_t)v;
    o->run.max_len_set = true;
    return 0;
  case OPT_SEED:
    if (parse_u64(name, "--seed", arg, &o->run.seed))
      return -1;
    o->run.seed_set = true;
    return 0;
  case OPT_RSS_LIMIT:
    if (parse_u64(name, "--rss-limit", arg, &o->run.rss_limit_mb))
      return -1;
    if (!o->malloc_limit_set)
      o->run.malloc_limit_mb = o->run.rss_limit_mb;
    return 0;
  case OPT_MALLOC_LIMIT:
    o->malloc_limit_set = true;
    return parse_u64(name, "--malloc-limit", arg, &o->run.malloc_limit_mb) ? -1
                                                                           : 0;
  default:
    return parse_duration(o, name, opt, arg);
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

int cfz_check_dirs(const char *name, char *const *dirs, int n) {
  for (int i = 0; i < n; i++) {
    struct stat st;
    if (stat(dirs[i], &st) != 0) {
      fprintf(stderr, "%s: corpus directory %s: %s\n", name, dirs[i],
              strerror(errno));
      return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
      fprintf(stderr, "%s: corpus directory %s: not a directory\n", name,
              dirs[i]);
      return -1;
    }
  }
  return 0;
}

/* True (message printed) when path exists and is not a directory. */
static bool not_a_dir(const char *name, const char *option, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || S_ISDIR(st.st_mode))
    return false;
  fprintf(stderr, "%s: %s %s: not a directory\n", name, option, path);
  return true;
}

int cfz_check_given_dir(const char *name, const char *option, const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0) {
    fprintf(stderr, "%s: %s %s: %s\n", name, option, dir, strerror(errno));
    return -1;
  }
  return not_a_dir(name, option, dir) ? -1 : 0;
}

/* Why dir cannot take a new file, or NULL when it can. */
static const char *unwritable_dir(const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0)
    return strerror(errno);
  if (!S_ISDIR(st.st_mode))
    return "not a directory";
  if (access(dir, W_OK | X_OK) != 0)
    return strerror(errno);
  return NULL;
}

int cfz_check_output_file(const char *name, const char *option,
                          const char *path, bool make_dir) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path),
             path);
  struct stat st;
  const char *why = NULL;
  if (!*path)
    why = "an empty file name";
  else if ((slash && !slash[1]) ||
           (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
    why = "a directory, not a file name";
  else if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
    why = strerror(errno);
  if (why) {
    fprintf(stderr, "%s: %s \"%s\": %s\n", name, option, path, why);
    return -1;
  }
  char made[512];
  if (make_dir && cfz_make_dirs(dir, made, sizeof made) != 0) {
    const char *m = strncmp(made, "cfz: ", 5) ? made : made + 5;
    fprintf(stderr, "%s: %s %s: %s\n", name, option, path, m);
    return -1;
  }
  if ((why = unwritable_dir(dir)) != NULL) {
    fprintf(stderr, "%s: %s %s: directory %s: %s\n", name, option, path, dir,
            why);
    return -1;
  }
  return 0;
}

/* Every long option of every subcommand; a command picks its own by name. */
static const struct option all_options[] = {
    {"parallel", required_argument, 0, 'j'},
    {"target", required_argument, 0, 't'},
    {"output", required_argument, 0, 'o'},
    {"help", no_argument, 0, 'h'},
    {"fuzz-time", required_argument, 0, OPT_FUZZ_TIME},
    {"minimize-time", required_argument, 0, OPT_MINIMIZE_TIME},
    {"timeout", required_argument, 0, OPT_TIMEOUT},
    {"max-len", required_argument, 0, OPT_MAX_LEN},
    {"seed", required_argument, 0, OPT_SEED},
    {"testdata", required_argument, 0, OPT_TESTDATA},
    {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
    {"dict", required_argument, 0, OPT_DICT},
    {"rss-limit", required_argument, 0, OPT_RSS_LIMIT},
    {"malloc-limit", required_argument, 0, OPT_MALLOC_LIMIT},
    {"keep-going", no_argument, 0, OPT_KEEP_GOING},
    {"deterministic", no_argument, 0, OPT_DETERMINISTIC},
    {"use-value-profile", no_argument, 0, OPT_VALUE_PROFILE},
    {"json", no_argument, 0, OPT_JSON},
    {"no-feedback", no_argument, 0, OPT_NO_FEEDBACK},
    {"all", no_argument, 0, OPT_ALL},
    {"types", required_argument, 0, OPT_TYPES},
    {"stats", required_argument, 0, OPT_STATS},
    {"status-interval", required_argument, 0, OPT_STATUS_INTERVAL},
    {"llvm-profdata", required_argument, 0, OPT_LLVM_PROFDATA},
    {"llvm-cov", required_argument, 0, OPT_LLVM_COV},
};
#define NOPTIONS (sizeof all_options / sizeof all_options[0])

/* True when the blank-separated list names holds the word w. */
static bool names_has(const char *names, const char *w) {
  size_t n = strlen(w);
  for (const char *p = names; (p = strstr(p, w)) != NULL; p += n)
    if ((p == names || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return true;
  return false;
}

/* The getopt tables of the options named in names: longopts (NOPTIONS + 1
 * entries, zero-terminated) and shortopts: "-:" (operands come back in
 * order as option 1, whatever POSIXLY_CORRECT says, so that options may
 * follow them; errors are ours to print) and the letters of those that
 * have one. */
static void select_options(const char *names, struct option *longopts,
                           char *shortopts) {
  size_t nl = 0, ns = 0;
  shortopts[ns++] = '-';
  shortopts[ns++] = ':';
  for (size_t i = 0; i < NOPTIONS; i++) {
    if (!names_has(names, all_options[i].name))
      continue;
    longopts[nl++] = all_options[i];
    int v = all_options[i].val;
    if (v >= 'a' && v <= 'z') {
      shortopts[ns++] = (char)v;
      if (all_options[i].has_arg == required_argument)
        shortopts[ns++] = ':';
    }
  }
  longopts[nl] = (struct option){0, 0, 0, 0};
  shortopts[ns] = '\0';
}

/* A getopt error of the command name (getopt quiet): "NAME: option --x
 * needs a value" or "NAME: unknown option --x", a blank line, the usage.
 * Returns 2. */
static int named_option_error(const char *name, int c, char **argv,
                              cfz_usage_fn usage) {
  const char *arg = argv[optind - 1];
  if (c == ':')
    fprintf(stderr, "%s: option %s needs a value\n", name, arg);
  else if (optopt && optopt != '?')
    fprintf(stderr, "%s: unknown option -%c\n", name, optopt);
  else
    fprintf(stderr, "%s: unknown option %s\n", name, arg);
  fputc('\n', stderr);
  usage(stderr);
  return 2;
}

/* The getopt_long loop of every subcommand: options anywhere, operands
 * gathered in order at argv[1..] (slots getopt has read already), and
 * after "--" everything an operand.  Returns -1 when all options are
 * parsed (o->operands set), else the exit status. */
static int parse_options(const cfz_command *cmd, int argc, char **argv,
                         cfz_cli *o) {
  struct option longopts[NOPTIONS + 1];
  char shortopts[2 * NOPTIONS + 3];
  select_options(cmd->options, longopts, shortopts);
  optind = 0; /* glibc: start afresh (read the "-" of shortopts again) */
  opterr = 0;
  int opt, n = 0;
  while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (opt == 1) {
      argv[1 + n++] = optarg;
      continue;
    }
    if (opt == 'h') {
      cmd->usage(stdout);
      return 0;
    }
    if (opt == '?' || opt == ':')
      return named_option_error(cmd->name, opt, argv, cmd->usage);
    int rc = cfz_options_parse_common(o, cmd->name, opt, optarg);
    if (rc < 0)
      return 2;
    if (rc > 0) {
      cmd->usage(stderr);
      return 2;
    }
  }
  for (int i = optind; i < argc; i++)
    argv[1 + n++] = argv[i];
  o->operands = argv + 1;
  o->noperands = n;
  return -1;
}

static bool is_help_word(const char *s) {
  return !strcmp(s, "-h") || !strcmp(s, "--help") || !strcmp(s, "help");
}

int cfz_dispatch(const char *name, const char *what, const cfz_subcommand *subs,
                 int argc, char **argv, cfz_usage_fn usage) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *sub = argv[1];
  bool help = is_help_word(sub);
  /* "help", and "help --help" / "help help": the general usage. */
  if (help && (argc == 2 || (argc == 3 && is_help_word(argv[2])))) {
    usage(stdout);
    return 0;
  }
  if (help && argc > 3) {
    fprintf(stderr, "%s %s: takes one %s, got \"%s\" too\n\n", name, sub, what,
            argv[3]);
    usage(stderr);
    return 2;
  }
  if (help) /* "help CMD": CMD's own help */
    sub = argv[2];
  for (const cfz_subcommand *s = subs; s->name; s++) {
    if (strcmp(sub, s->name) != 0)
      continue;
    if (!help)
      return s->run(argc - 1, argv + 1);
    char *hargv[] = {argv[2], "--help", NULL};
    return s->run(2, hargv);
  }
  fprintf(stderr, "%s: unknown %s \"%s\"\n\n", name, what, sub);
  usage(stderr);
  return 2;
}

int cfz_target_arg(const char *arg, char *buf, size_t len) {
  snprintf(buf, len, "%s%s", strchr(arg, '/') ? "" : "./", arg);
  return cfz_check_executable(buf);
}

int cfz_parse_command(const cfz_command *cmd, int argc, char **argv,
                      cfz_cli *o) {
  cfz_options_defaults(o);
  if (cmd->one_worker)
    o->run.parallel = 1;
  int rc = parse_options(cmd, argc, argv, o);
  if (rc >= 0)
    return rc;
  /* A root that exists but is a file: nothing could be read from it or
   * saved into it (a missing one is made where a command writes). */
  if ((o->testdata_given &&
       not_a_dir(cmd->name, "--testdata", o->run.testdata_dir)) ||
      (o->run.cache_dir &&
       not_a_dir(cmd->name, "--cache-dir", o->run.cache_dir)))
    return 2;
  int n = o->noperands;
  if (n < cmd->min_operands || (cmd->max_operands && n > cmd->max_operands)) {
    fprintf(stderr, "%s\n\n", cmd->operands_error);
    cmd->usage(stderr);
    return 2;
  }
  if (cmd->target_is_name)
    return -1;
  if (cfz_target_arg(o->operands[cmd->target_at], o->target_path,
                     sizeof o->target_path) != 0)
    return 2;
  o->run.target_path = o->target_path;
  return -1;
}
