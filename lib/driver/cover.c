/* cover.c - `cfz cover`: replay, merge, report (cover.h). */
#include "cover.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_store.h"
#include "dir_list.h"
#include "failure.h"
#include "llvm_tools.h"
#include "proc.h"
#include "project_cache.h"
#include "target_name.h"
#include "target_probe.h"

#define BATCH 64 /* inputs per replay process */

typedef struct strlist {
  char **v;
  size_t n, cap;
} strlist;

static int strlist_add(strlist *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return -1;
    l->v = v;
    l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(s)))
    return -1;
  l->n++;
  return 0;
}

static void strlist_free(strlist *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* Adds dir's regular files (dotfiles left out, sorted) to l.  A missing
 * dir adds nothing when optional, else it is an error. */
static int add_dir(strlist *l, const char *dir, bool optional, char *err,
                   size_t errlen) {
  cfz_dirent *ents;
  size_t n;
  int rc = cfz_dir_list(dir, &ents, &n, err, errlen);
  if (rc < 0)
    return -1;
  if (rc == 1) {
    if (optional)
      return 0;
    snprintf(err, errlen, "corpus directory %s: %s", dir, strerror(ENOENT));
    return -1;
  }
  int ret = 0;
  for (size_t i = 0; i < n && ret == 0; i++)
    if (ents[i].is_regular && strlist_add(l, ents[i].path) != 0) {
      snprintf(err, errlen, "out of memory");
      ret = -1;
    }
  cfz_dir_free(ents, n);
  return ret;
}

/* Lists dir's files whose names end in suffix into l (paths). */
static int list_suffix(const char *dir, const char *suffix, strlist *l,
                       char *err, size_t errlen) {
  cfz_dirent *ents;
  size_t n;
  if (cfz_dir_list(dir, &ents, &n, err, errlen) < 0)
    return -1;
  int ret = 0;
  size_t sl = strlen(suffix);
  for (size_t i = 0; i < n && ret == 0; i++) {
    size_t nl = strlen(ents[i].name);
    if (nl >= sl && strcmp(ents[i].name + nl - sl, suffix) == 0 &&
        strlist_add(l, ents[i].path) != 0) {
      snprintf(err, errlen, "out of memory");
      ret = -1;
    }
  }
  cfz_dir_free(ents, n);
  return ret;
}

static int remove_files(const strlist *l, char *err, size_t errlen) {
  for (size_t i = 0; i < l->n; i++)
    if (unlink(l->v[i]) != 0 && errno != ENOENT) {
      snprintf(err, errlen, "unlink %s: %s", l->v[i], strerror(errno));
      return -1;
    }
  return 0;
}

/* Runs a tool, its stdout into out_fd (-1: our stderr, so that our stdout
 * holds only the summary), its stderr to ours.  Returns 0 when it exits 0,
 * else -1 with "llvm-cov show failed: exit status 1" in err. */
static int run_tool(char **argv, const char *what, int out_fd, char *err,
                    size_t errlen) {
  cfz_proc_spec s = {
      .argv = argv, .out_fd = out_fd >= 0 ? out_fd : 2, .err_fd = -1};
  cfz_proc_status st;
  char msg[512];
  if (cfz_proc_run(&s, &st, msg, sizeof msg) != 0) {
    snprintf(err, errlen, "%s: %s", what, msg);
    return -1;
  }
  if (st.term_signal != 0 || st.exit_status != 0) {
    char how[64];
    cfz_exit_text(st.exit_status, st.term_signal, how, sizeof how);
    snprintf(err, errlen, "%s (%s) failed: %s", what, argv[0], how);
    return -1;
  }
  return 0;
}

static int write_list(const char *path, const strlist *l, char *err,
                      size_t errlen) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, errlen, "open %s: %s", path, strerror(errno));
    return -1;
  }
  for (size_t i = 0; i < l->n; i++)
    fprintf(f, "%s\n", l->v[i]);
  if (ferror(f) | (fclose(f) != 0)) {
    snprintf(err, errlen, "write %s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int read_total(json_t *totals, const char *key, cfz_cover_total *t) {
  json_t *o = json_object_get(totals, key);
  json_t *count = json_object_get(o, "count");
  json_t *covered = json_object_get(o, "covered");
  json_t *percent = json_object_get(o, "percent");
  if (!json_is_integer(count) || !json_is_integer(covered) ||
      !json_is_number(percent) || json_integer_value(count) < 0 ||
      json_integer_value(covered) < 0)
    return -1;
  t->count = (uint64_t)json_integer_value(count);
  t->covered = (uint64_t)json_integer_value(covered);
  t->percent = json_number_value(percent);
  return 0;
}

/* The totals of llvm-cov export -summary-only. */
static int read_summary(const char *path, cfz_cover_result *r, char *err,
                        size_t errlen) {
  json_error_t je;
  json_t *j = json_load_file(path, 0, &je);
  if (!j) {
    snprintf(err, errlen, "%s: line %d: %s", path, je.line, je.text);
    return -1;
  }
  json_t *totals =
      json_object_get(json_array_get(json_object_get(j, "data"), 0), "totals");
  int rc = 0;
  if (read_total(totals, "lines", &r->lines) != 0 ||
      read_total(totals, "functions", &r->functions) != 0 ||
      read_total(totals, "regions", &r->regions) != 0) {
    snprintf(err, errlen,
             "%s: no data[0].totals with lines, functions and regions", path);
    rc = -1;
  }
  json_decref(j);
  return rc;
}

/* The target's name (probing the executable) into r->run_name, and the
 * name of its corpus into r->target: the same, but for a libFuzzer-style
 * target (cover.h). */
static int pick_target(const cfz_cover_options *o, cfz_cover_result *r,
                       char *err, size_t errlen) {
  /* The probe runs the executable as a worker, which inherits our
   * environment; its profile must go nowhere (not default.profraw in the
   * working directory), so LLVM_PROFILE_FILE is set for the probe only. */
  const char *was = getenv("LLVM_PROFILE_FILE");
  char *saved = was ? strdup(was) : NULL;
  if ((was && !saved) || setenv("LLVM_PROFILE_FILE", "/dev/null", 1) != 0) {
    snprintf(err, errlen, "setenv LLVM_PROFILE_FILE: %s", strerror(errno));
    free(saved);
    return -1;
  }
  cfz_hello h;
  int rc = cfz_probe_targets(o->exe, &h, err, errlen);
  int restored = saved ? setenv("LLVM_PROFILE_FILE", saved, 1)
                       : unsetenv("LLVM_PROFILE_FILE");
  free(saved);
  if (rc == 0 && restored != 0) {
    snprintf(err, errlen, "setenv LLVM_PROFILE_FILE: %s", strerror(errno));
    cfz_hello_free(&h);
    return -1;
  }
  if (rc != 0)
    return -1;
  const cfz_target_info *t = NULL;
  if (h.ntargets == 1 && h.targets[0].libfuzzer) {
    /* Named after its executable: the coverage build's name is not the
     * fuzzing build's.  -t names the corpus, else "x_cov" means x's. */
    t = &h.targets[0];
    size_t n = strlen(t->name);
    if (o->target)
      snprintf(r->target, sizeof r->target, "%s", o->target);
    else if (n > 4 && strcmp(t->name + n - 4, "_cov") == 0)
      snprintf(r->target, sizeof r->target, "%.*s", (int)(n - 4), t->name);
    else
      snprintf(r->target, sizeof r->target, "%s", t->name);
  } else if ((t = cfz_probe_pick(&h, o->exe, o->target, err, errlen))) {
    snprintf(r->target, sizeof r->target, "%s", t->name);
  }
  if (t)
    snprintf(r->run_name, sizeof r->run_name, "%s", t->name);
  cfz_hello_free(&h);
  if (t && !cfz_target_name_ok(r->target)) {
    snprintf(err, errlen, "invalid target name \"%s\"", r->target);
    return -1;
  }
  return t ? 0 : -1;
}

/* Every corpus file of the target, in l. */
static int gather(const cfz_cover_options *o, const char *root,
                  const char *target, strlist *l, char *err, size_t errlen) {
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/%s",
           o->testdata_dir ? o->testdata_dir : "testdata/fuzz", target);
  if (add_dir(l, dir, true, err, errlen) != 0)
    return -1;
  snprintf(dir, sizeof dir, "%s/%s", root, target);
  if (add_dir(l, dir, true, err, errlen) != 0)
    return -1;
  for (size_t i = 0; i < o->ndirs; i++)
    if (add_dir(l, o->dirs[i], false, err, errlen) != 0)
      return -1;
  return 0;
}

/* Makes <out>/profiles, empty: profiles left by an interrupted run would
 * count twice. */
static int clear_profiles(const char *profiles, char *err, size_t errlen) {
  strlist raw = {0};
  int rc = cfz_make_dirs(profiles, err, errlen) != 0 ||
                   list_suffix(profiles, ".profraw", &raw, err, errlen) != 0 ||
                   remove_files(&raw, err, errlen) != 0
               ? -1
               : 0;
  strlist_free(&raw);
  return rc;
}

/* llvm-profdata merge of the raw profiles (listed in the file list). */
static int merge_profiles(const char *list, const strlist *raw,
                          const cfz_llvm_tools *tools, const char *profdata,
                          char *err, size_t errlen) {
  if (write_list(list, raw, err, errlen) != 0)
    return -1;
  char input_files[PATH_MAX + 32];
  snprintf(input_files, sizeof input_files, "--input-files=%s", list);
  char *argv[] = {
      (char *)tools->profdata, "merge", "-sparse", input_files, "-o",
      (char *)profdata,        NULL};
  return run_tool(argv, "llvm-profdata merge", -1, err, errlen);
}

/* Replays everything into <out>/profiles and merges it into profdata. */
static int replay_and_merge(const cfz_cover_options *o, cfz_cover_result *r,
                            const strlist *files, const cfz_llvm_tools *tools,
                            const char *profdata, char *err, size_t errlen) {
  char profiles[PATH_MAX + 16], log[PATH_MAX + 16], list[PATH_MAX + 16];
  snprintf(profiles, sizeof profiles, "%s/profiles", r->output_dir);
  snprintf(log, sizeof log, "%s/replay.log", r->output_dir);
  snprintf(list, sizeof list, "%s/profiles.list", r->output_dir);
  strlist raw = {0};
  if (clear_profiles(profiles, err, errlen) != 0)
    return -1;
  int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    snprintf(err, errlen, "open %s: %s", log, strerror(errno));
    return -1;
  }
  cfz_cover_run_options ro = {.exe = o->exe,
                              .target = r->run_name,
                              .inputs = (const char *const *)files->v,
                              .ninputs = files->n,
                              .seeds = true,
                              .profile_dir = profiles,
                              .log_fd = log_fd,
                              .parallel = o->parallel ? o->parallel : 1,
                              .batch = BATCH,
                              .timeout_s = o->timeout_s};
  int rc = cfz_cover_run(&ro, &r->run, err, errlen);
  if (close(log_fd) != 0 && rc == 0) {
    snprintf(err, errlen, "close %s: %s", log, strerror(errno));
    rc = -1;
  }
  if (rc == 0)
    rc = list_suffix(profiles, ".profraw", &raw, err, errlen);
  if (rc == 0 && raw.n == 0) {
    snprintf(err, errlen,
             "%s wrote no profile (every input crashed, or it is not built "
             "with -fprofile-instr-generate); see %s",
             o->exe, log);
    rc = -1;
  }
  if (rc == 0)
    rc = merge_profiles(list, &raw, tools, profdata, err, errlen);
  char scratch[512]; /* a second error is dropped: the first is reported */
  if (remove_files(&raw, rc == 0 ? err : scratch,
                   rc == 0 ? errlen : sizeof scratch) != 0)
    rc = -1;
  if (unlink(list) != 0 && errno != ENOENT && rc == 0) {
    snprintf(err, errlen, "unlink %s: %s", list, strerror(errno));
    rc = -1;
  }
  strlist_free(&raw);
  if (rc == 0 && rmdir(profiles) != 0) {
    snprintf(err, errlen, "rmdir %s: %s", profiles, strerror(errno));
    rc = -1;
  }
  return rc;
}

/* llvm-cov show (HTML) and export (the totals). */
static int report(const cfz_cover_options *o, cfz_cover_result *r,
                  const cfz_llvm_tools *tools, const char *profdata, char *err,
                  size_t errlen) {
  char instr[PATH_MAX + 32], outdir[PATH_MAX + 32], html[PATH_MAX + 16],
      summary[PATH_MAX + 16];
  snprintf(instr, sizeof instr, "-instr-profile=%s", profdata);
  snprintf(html, sizeof html, "%s/html", r->output_dir);
  snprintf(outdir, sizeof outdir, "-output-dir=%s", html);
  snprintf(r->html, sizeof r->html, "%s/index.html", html);
  char *show[] = {(char *)tools->cov,
                  "show",
                  (char *)o->exe,
                  instr,
                  "-format=html",
                  outdir,
                  NULL};
  if (run_tool(show, "llvm-cov show", -1, err, errlen) != 0)
    return -1;
  snprintf(summary, sizeof summary, "%s/summary.json", r->output_dir);
  int fd = open(summary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    snprintf(err, errlen, "open %s: %s", summary, strerror(errno));
    return -1;
  }
  char *export[] = {(char *)tools->cov, "export", (char *)o->exe, instr,
                    "-summary-only",    NULL};
  int rc = run_tool(export, "llvm-cov export", fd, err, errlen);
  if (close(fd) != 0 && rc == 0) {
    snprintf(err, errlen, "close %s: %s", summary, strerror(errno));
    rc = -1;
  }
  return rc == 0 ? read_summary(summary, r, err, errlen) : -1;
}

int cfz_cover(const cfz_cover_options *o, cfz_cover_result *r, char *err,
              size_t errlen) {
  memset(r, 0, sizeof *r);
  cfz_cov_binary bin;
  if (cfz_cov_binary_read(o->exe, &bin, err, errlen) != 0)
    return -1;
  if (!bin.has_mapping) {
    snprintf(err, errlen,
             "%s has no coverage mapping: build it with clang's "
             "-fprofile-instr-generate -fcoverage-mapping "
             "(cfz_add_coverage_target in CMake)",
             o->exe);
    return -1;
  }
  cfz_llvm_tools tools;
  if (cfz_llvm_tools_find(bin.clang_major, o->llvm_profdata, o->llvm_cov,
                          &tools, err, errlen) != 0 ||
      pick_target(o, r, err, errlen) != 0)
    return -1;
  char *root = o->cache_dir ? strdup(o->cache_dir) : cfz_project_cache_dir();
  if (!root) {
    snprintf(err, errlen, "cannot tell the cache directory: %s",
             strerror(errno));
    return -1;
  }
  if (o->output_dir)
    snprintf(r->output_dir, sizeof r->output_dir, "%s", o->output_dir);
  else
    snprintf(r->output_dir, sizeof r->output_dir, "%s/.cover/%s", root,
             r->target);
  strlist files = {0};
  char profdata[PATH_MAX + 16];
  snprintf(profdata, sizeof profdata, "%s/cover.profdata", r->output_dir);
  int rc = gather(o, root, r->target, &files, err, errlen);
  free(root);
  r->files = files.n;
  if (rc == 0)
    rc = cfz_make_dirs(r->output_dir, err, errlen);
  if (rc == 0)
    rc = replay_and_merge(o, r, &files, &tools, profdata, err, errlen);
  if (rc == 0)
    rc = report(o, r, &tools, profdata, err, errlen);
  strlist_free(&files);
  return rc;
}

void cfz_cover_result_free(cfz_cover_result *r) { cfz_cover_run_free(&r->run); }
