/* libfuzzer_flags.c - libFuzzer's command line (libfuzzer_flags.h). */
#include "libfuzzer_flags.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum kind { K_INT, K_UINT, K_STR } kind;

typedef struct flag_desc {
  const char *name;
  kind kind;
  size_t offset; /* into cfz_lf_flags */
  long def;      /* default of an integer flag */
  const char *help;
} flag_desc;

#define F(name, kind, def, help)                                               \
  { #name, kind, offsetof(cfz_lf_flags, name), def, help }

static const flag_desc k_flags[] = {
    F(verbosity, K_INT, 1, "Verbosity level (0: quiet)."),
    F(seed, K_UINT, 0, "Random seed. If 0, a seed is generated."),
    F(runs, K_INT, -1,
      "Number of executions (-1: no limit); with input files, each file "
      "runs this many times."),
    F(max_len, K_INT, 0,
      "Largest input the mutator builds. If 0, guessed from the corpus."),
    F(len_control, K_INT, 100,
      "Grow the length limit from small inputs (0: use max_len at once)."),
    F(timeout, K_INT, 1200,
      "An input that runs longer than this many seconds is a timeout."),
    F(error_exitcode, K_INT, CFZ_LF_ERROR_EXITCODE,
      "Exit code when a crash or leak is found."),
    F(timeout_exitcode, K_INT, CFZ_LF_TIMEOUT_EXITCODE,
      "Exit code when a timeout is found."),
    F(max_total_time, K_INT, 0,
      "If positive, stop fuzzing after this many seconds."),
    F(help, K_INT, 0, "Print this help."),
    F(fork, K_INT, 0, "Fuzz in this many worker processes (cfz's workers)."),
    F(merge, K_INT, 0,
      "If 1, add the inputs of the 2nd, 3rd... directories that bring new "
      "coverage to the 1st."),
    F(set_cover_merge, K_INT, 0, "Same as -merge=1 in cfz."),
    F(merge_control_file, K_STR, 0,
      "Control file of a resumable or two-step merge."),
    F(minimize_crash, K_INT, 0,
      "If 1, minimize the given crash input (use -runs=N or "
      "-max_total_time=N, and -exact_artifact_path)."),
    F(use_value_profile, K_INT, 0, "Use compare-distance features."),
    F(jobs, K_UINT, 0, "Number of fuzzing jobs (cfz: worker processes)."),
    F(workers, K_UINT, 0, "Number of simultaneous workers for -jobs."),
    F(dict, K_STR, 0, "Dictionary file (libFuzzer/AFL format)."),
    F(artifact_prefix, K_STR, 0,
      "Write crash, timeout, oom and leak inputs as "
      "$(artifact_prefix)KIND-SHA1."),
    F(exact_artifact_path, K_STR, 0,
      "Write the one artifact to this path (overrides -artifact_prefix)."),
    F(print_final_stats, K_INT, 0, "If 1, print stat:: lines at exit."),
    F(close_fd_mask, K_INT, 0,
      "If 1, close the target's stdout; 2, its stderr; 3, both."),
    F(detect_leaks, K_INT, 1,
      "If 1 and the target has LeakSanitizer, find leaks while fuzzing."),
    F(rss_limit_mb, K_INT, 2048,
      "If non-zero, memory above this many Mb is an out-of-memory."),
    F(malloc_limit_mb, K_INT, 0,
      "If non-zero, one malloc above this many Mb is an out-of-memory "
      "(0: rss_limit_mb)."),
    F(ignore_remaining_args, K_INT, 0,
      "If 1, ignore every argument after this one."),
    F(create_missing_dirs, K_INT, 0,
      "If 1, create the output corpus and artifact directories when "
      "missing."),
};
#undef F

/* libFuzzer flags that cfz accepts and does not implement. */
static const char *const k_ignored[] = {
    "seed_inputs",
    "keep_seed",
    "cross_over",
    "cross_over_uniform_dist",
    "mutate_depth",
    "reduce_depth",
    "shuffle",
    "prefer_small",
    "exit_on_time",
    "fork_corpus_groups",
    "ignore_timeouts",
    "ignore_ooms",
    "ignore_crashes",
    "stop_file",
    "merge_inner",
    "cleanse_crash",
    "minimize_crash_internal_step",
    "features_dir",
    "mutation_graph_file",
    "use_counters",
    "use_memmem",
    "use_cmp",
    "shrink",
    "reduce_inputs",
    "reload",
    "report_slow_units",
    "only_ascii",
    "print_pcs",
    "print_funcs",
    "print_corpus_stats",
    "print_coverage",
    "print_full_coverage",
    "dump_coverage",
    "handle_segv",
    "handle_bus",
    "handle_abrt",
    "handle_ill",
    "handle_fpe",
    "handle_int",
    "handle_term",
    "handle_trap",
    "handle_xfsz",
    "handle_usr1",
    "handle_usr2",
    "handle_winexcept",
    "purge_allocator_interval",
    "trace_malloc",
    "exit_on_src_pos",
    "exit_on_item",
    "focus_function",
    "entropic",
    "entropic_feature_frequency_threshold",
    "entropic_number_of_rarest_features",
    "entropic_scale_per_exec_time",
    "analyze_dict",
    "use_clang_coverage",
    "data_flow_trace",
    "collect_data_flow",
};

#define NFLAGS (sizeof k_flags / sizeof k_flags[0])
#define NIGNORED (sizeof k_ignored / sizeof k_ignored[0])

void cfz_lf_flags_init(cfz_lf_flags *f) {
  memset(f, 0, sizeof *f);
  for (size_t i = 0; i < NFLAGS; i++) {
    char *p = (char *)f + k_flags[i].offset;
    if (k_flags[i].kind == K_INT)
      *(long *)(void *)p = k_flags[i].def;
    else if (k_flags[i].kind == K_UINT)
      *(unsigned long *)(void *)p = (unsigned long)k_flags[i].def;
  }
  f->artifact_prefix = "";
}

void cfz_lf_flags_free(cfz_lf_flags *f) {
  free(f->inputs);
  f->inputs = NULL;
  f->ninputs = 0;
}

/* The value of "-name=value" when param names that flag, else NULL. */
static const char *flag_value(const char *param, const char *name) {
  size_t len = strlen(name);
  if (param[0] == '-' && strncmp(param + 1, name, len) == 0 &&
      param[len + 1] == '=')
    return param + len + 2;
  return NULL;
}

/* libFuzzer's integer reading: an optional '-', then digits up to the
 * first non-digit (which ends the number and drops the sign, as libFuzzer
 * does); saturates instead of overflowing. */
static long lf_stol(const char *s) {
  long res = 0, sign = 1;
  if (*s == '-') {
    s++;
    sign = -1;
  }
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return res;
    int d = *s - '0';
    res = res > (LONG_MAX - d) / 10 ? LONG_MAX : res * 10 + d;
  }
  return res * sign;
}

/* libFuzzer keeps its integer flags in an int. */
static long clamp_int(long v) {
  return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : v;
}

static void set_flag(cfz_lf_flags *f, const flag_desc *d, const char *v) {
  char *p = (char *)f + d->offset;
  switch (d->kind) {
  case K_INT:
    *(long *)(void *)p = clamp_int(lf_stol(v));
    break;
  case K_UINT: {
    long n = lf_stol(v);
    *(unsigned long *)(void *)p =
        n < 0 ? (unsigned long)UINT_MAX
              : (unsigned long)(n > UINT_MAX ? UINT_MAX : n);
    break;
  }
  case K_STR:
    *(const char **)(void *)p = v;
    break;
  }
}

/* "--name...": libFuzzer ignores it, with a note the first time. */
static void double_dash(const char *param, bool *noted, cfz_strbuf *msgs) {
  if (!*noted) {
    *noted = true;
    cfz_sb_str(msgs, "INFO: libFuzzer ignores flags that start with '--'\n");
  }
  for (size_t i = 0; i < NFLAGS; i++)
    if (flag_value(param + 1, k_flags[i].name))
      cfz_sb_printf(msgs, "WARNING: did you mean '%s' (single dash)?\n",
                    param + 1);
}

static void one_flag(cfz_lf_flags *f, const char *param, bool *noted,
                     cfz_strbuf *msgs) {
  if (param[1] == '-') {
    double_dash(param, noted, msgs);
    return;
  }
  for (size_t i = 0; i < NFLAGS; i++) {
    const char *v = flag_value(param, k_flags[i].name);
    if (v) {
      set_flag(f, &k_flags[i], v);
      return;
    }
  }
  for (size_t i = 0; i < NIGNORED; i++) {
    if (flag_value(param, k_ignored[i])) {
      cfz_sb_printf(msgs, "INFO: cfz does not implement %s; ignored\n", param);
      return;
    }
  }
  cfz_sb_printf(msgs,
                "\n\nWARNING: unrecognized flag '%s'; use -help=1 to list all "
                "flags\n\n",
                param);
}

int cfz_lf_parse(int argc, char **argv, cfz_lf_flags *f, cfz_strbuf *msgs) {
  cfz_lf_flags_init(f);
  f->inputs = calloc((size_t)(argc > 0 ? argc : 1), sizeof *f->inputs);
  if (!f->inputs)
    return -1;
  bool noted = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') {
      f->inputs[f->ninputs++] = argv[i];
      continue;
    }
    one_flag(f, a, &noted, msgs);
    if (f->ignore_remaining_args)
      break;
  }
  if (f->set_cover_merge && !f->merge)
    f->merge = 1;
  return msgs->oom ? -1 : 0;
}

cfz_lf_mode cfz_lf_mode_of(const cfz_lf_flags *f,
                           bool (*is_file)(const char *path, void *ctx),
                           void *ctx) {
  if (f->help)
    return CFZ_LF_HELP;
  if (f->minimize_crash)
    return CFZ_LF_MINIMIZE;
  if (f->merge)
    return CFZ_LF_MERGE;
  if (f->ninputs == 0)
    return CFZ_LF_FUZZ;
  for (size_t i = 0; i < f->ninputs; i++)
    if (!is_file(f->inputs[i], ctx))
      return CFZ_LF_FUZZ;
  return CFZ_LF_REPRODUCE;
}

long cfz_lf_malloc_limit(const cfz_lf_flags *f) {
  return f->malloc_limit_mb ? f->malloc_limit_mb : f->rss_limit_mb;
}

void cfz_lf_help_text(const char *prog, cfz_strbuf *out) {
  cfz_sb_printf(out,
                "Usage (libFuzzer's command line, fuzzed by cfz):\n\n"
                "To fuzz, pass 0 or more corpus directories (new inputs go "
                "to the first):\n"
                "%s [-flag1=val1 [-flag2=val2 ...] ] [dir1 [dir2 ...] ]\n\n"
                "To run inputs without fuzzing, pass 1 or more files:\n"
                "%s [-flag1=val1 [-flag2=val2 ...] ] file1 [file2 ...]\n\n"
                "Flags: (strictly in form -flag=value)\n",
                prog, prog);
  size_t width = 0;
  for (size_t i = 0; i < NFLAGS; i++)
    if (strlen(k_flags[i].name) > width)
      width = strlen(k_flags[i].name);
  for (size_t i = 0; i < NFLAGS; i++) {
    const flag_desc *d = &k_flags[i];
    cfz_sb_printf(out, " %-*s\t", (int)width, d->name);
    if (d->kind == K_STR)
      cfz_sb_str(out, "\"\"");
    else
      cfz_sb_printf(out, "%ld", d->def);
    cfz_sb_printf(out, "\t%s\n", d->help);
  }
  cfz_sb_str(out, "\nOther flags of libFuzzer are accepted and ignored; "
                  "flags starting with '--' are ignored.\n"
                  "cfz is found beside this executable, then on PATH, then "
                  "in $CFZ_DRIVER.\n");
}
