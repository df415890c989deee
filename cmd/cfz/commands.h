/* commands.h - the cfz subcommands; each parses its own options and returns
 * the process exit status (0 ok, 1 failure found, 2 usage or set-up error). */
#ifndef CFZ_COMMANDS_H
#define CFZ_COMMANDS_H

int cfz_cmd_run(int argc, char **argv);
int cfz_cmd_minimize(int argc, char **argv);
int cfz_cmd_corpus(int argc, char **argv);
int cfz_cmd_test(int argc, char **argv);
/* `cfz cover` (cover.c): a coverage report of the corpus. */
int cfz_cmd_cover(int argc, char **argv);
/* `cfz corpus merge` (corpus_merge.c); argv[0] is "merge". */
int cfz_cmd_corpus_merge(int argc, char **argv);
/* `cfz libfuzzer TARGET ARGS...` (libfuzzer.c): run by a libFuzzer-style
 * target started with libFuzzer's command line. */
int cfz_cmd_libfuzzer(int argc, char **argv);
/* `cfz plot [-o OUT] FILE` (plot.c): draws a stats file with gnuplot. */
int cfz_cmd_plot(int argc, char **argv);

/* Shared option helpers (options.c). */
#include "coordinator.h"

/* What the options of any subcommand set: the run's shared options, and
 * those of the mode (each command passes on the part its mode takes). */
typedef struct cfz_cli {
  cfz_run_options run;
  cfz_fuzz_options fuzz;  /* --fuzz-time, --minimize-time, --keep-going */
  bool malloc_limit_set;  /* --malloc-limit given: it no longer follows
                             --rss-limit */
  bool test_all;          /* cfz test --all */
  bool testdata_given;    /* --testdata given (not the default) */
  const char *output;     /* -o, --output */
  const char *types;      /* cfz corpus add --types */
  char target_path[4096]; /* the target operand as a path */
  const char *llvm_profdata, *llvm_cov; /* cfz cover --llvm-profdata/-cov */
  char **operands; /* the words that are not options, in order */
  int noperands;
} cfz_cli;

enum {
  OPT_FUZZ_TIME = 256,
  OPT_MINIMIZE_TIME,
  OPT_TIMEOUT,
  OPT_MAX_LEN,
  OPT_SEED,
  OPT_TESTDATA,
  OPT_CACHE_DIR,
  OPT_DICT,
  OPT_RSS_LIMIT,
  OPT_MALLOC_LIMIT,
  OPT_KEEP_GOING,
  OPT_DETERMINISTIC,
  OPT_VALUE_PROFILE,
  OPT_JSON,
  OPT_NO_FEEDBACK,
  OPT_ALL,
  OPT_TYPES,
  OPT_STATS,
  OPT_STATUS_INTERVAL,
  OPT_LLVM_PROFDATA,
  OPT_LLVM_COV,
};

/* The long options that run, test, minimize and merge share (names of
 * options.c's table, blank-separated). */
#define CFZ_COMMON_OPTIONS                                                     \
  "parallel target minimize-time timeout max-len rss-limit malloc-limit help"

/* Fills o with the defaults of `cfz run`. */
void cfz_options_defaults(cfz_cli *o);
/* Parses one option of any command into o; returns 0 if handled, 1 if
 * not one of them, -1 on a bad value (message printed, starting with the
 * command's name, e.g. "cfz run: --seed: \"x\" is not a whole number"). */
int cfz_options_parse_common(cfz_cli *o, const char *name, int opt,
                             const char *arg);
/* Checks that path names an executable file; prints why not. */
int cfz_check_executable(const char *path);
/* Checks that each of the n paths names a directory; otherwise prints
 * "NAME: corpus directory X: why" and returns -1. */
int cfz_check_dirs(const char *name, char *const *dirs, int n);
/* Checks that dir, given by the user with option (e.g. "--testdata"),
 * names a directory; otherwise prints "NAME: OPTION DIR: why" and returns
 * -1. */
int cfz_check_given_dir(const char *name, const char *option, const char *dir);
/* Checks, before any work, that a file can be written at path (given with
 * option, e.g. "--stats"): its directory exists (with make_dir: is made,
 * mkdir -p) and is writable, and path is not a directory.  Otherwise
 * prints "NAME: OPTION PATH: why" and returns -1. */
int cfz_check_output_file(const char *name, const char *option,
                          const char *path, bool make_dir);

#include <stdio.h>

typedef void (*cfz_usage_fn)(FILE *f);

/* A command's shape: its options, its operands, and where the target is. */
typedef struct cfz_command {
  const char *name;    /* "cfz corpus ls": bad options are reported by name
                          ("cfz corpus ls: unknown option --x") */
  const char *options; /* its long options' names, blank-separated */
  cfz_usage_fn usage;
  int min_operands, max_operands; /* max 0: no bound */
  int target_at;                  /* the target's operand index */
  bool target_is_name;            /* the target operand stays as given (the
                                     corpus commands), not made a path */
  const char *operands_error;     /* e.g. "cfz run: expected a target" */
  bool one_worker;                /* -j defaults to 1 */
} cfz_command;

/* Sets o's defaults, parses argv's options into it (--help prints the
 * usage), checks the operand count, and makes the target operand a path
 * (into o->target_path, also o->run.target_path) unless
 * cmd->target_is_name.  Options may come before or after operands, as
 * with GNU getopt_long (also under POSIXLY_CORRECT); "--" ends them.  The
 * operands are gathered in order into o->operands (argv's slots are
 * reused).
 * Returns -1 to go on, else the exit status to return: 0 after --help,
 * 2 on a usage error. */
int cfz_parse_command(const cfz_command *cmd, int argc, char **argv,
                      cfz_cli *o);

/* A subcommand: its name and what runs it (argv[0] is the name). */
typedef struct cfz_subcommand {
  const char *name;
  int (*run)(int argc, char **argv);
} cfz_subcommand;

/* Runs the subcommand argv[1] of subs (NULL-terminated): none, usage on
 * stderr (2); -h, --help or help, usage on stdout (0), and followed by a
 * subcommand, that subcommand's --help; an unknown one, "NAME: unknown
 * WHAT \"x\"", a blank line and the usage (2). */
int cfz_dispatch(const char *name, const char *what, const cfz_subcommand *subs,
                 int argc, char **argv, cfz_usage_fn usage);

/* The target operand: a bare name means the file in the current directory
 * (not $PATH).  Writes the path to buf and checks it is executable.
 * Returns 0, or -1 with the reason printed. */
int cfz_target_arg(const char *arg, char *buf, size_t len);

#endif
