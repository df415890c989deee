/* run_util.h - helpers for integration tests: run cfz and the example
 * targets as child processes, capture their output, inspect directories. */
#ifndef CFZ_RUN_UTIL_H
#define CFZ_RUN_UTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct run_result {
  int status; /* exit code, or 128 + signal number */
  char *out;  /* stdout and stderr, interleaved */
} run_result;

/* Runs argv (NULL-terminated) in cwd with extra "K=V" variables (NULL-
 * terminated, may be NULL) and waits for it. */
void run_cmd(const char *cwd, char *const argv[], char *const env[],
             run_result *r);
void run_result_free(run_result *r);

/* Starts argv in the background; its stdout+stderr go to *out_fd. */
pid_t spawn_bg(const char *cwd, char *const argv[], char *const env[],
               int *out_fd);
/* Reads fd into *buf (growing) until needle appears (true) or EOF (false). */
bool wait_for_output(int fd, char **buf, size_t *len, const char *needle);
/* Same, until needle appears n times (true) or EOF (false). */
bool wait_for_count(int fd, char **buf, size_t *len, const char *needle,
                    unsigned n);
/* Waits for pid; returns exit code or 128 + signal. */
int wait_exit(pid_t pid);

char *make_temp_dir(void);
void remove_tree(const char *dir);
/* Number of regular files in dir (0 if missing). */
int count_files(const char *dir);
/* Malloc'd path of the only/first regular file under root/<sub>/ for any
 * sub-directory; NULL if none. */
char *find_file_under(const char *root);
/* Names in /dev/shm that a cfz driver with this pid created ("cfz-<pid>-"),
 * or, for pid 0, any cfz driver (racy when tests run in parallel). */
int count_cfz_shm(pid_t pid);
/* Number of live processes whose executable is path (zombies included). */
int count_processes_of(const char *path);
/* Copies the target executable NAME into dir (as dir/NAME) and returns the
 * copy's path (malloc'd): processes counted by count_processes_of on it are
 * this test's, not those of a suite running beside it. */
char *private_target(const char *dir, const char *name);
/* Runs `cfz SUBCOMMAND --cache-dir=DIR/cache ARGS...` (the NULL-terminated
 * arguments after env, the first one being the subcommand) in dir with the
 * extra "K=V" variables env (may be NULL).  dir NULL: in a fresh temp dir,
 * returned malloc'd (the caller removes and frees it); otherwise returns
 * dir. */
char *run_cfz(run_result *r, const char *dir, char *const env[], ...);
/* Runs `cfz run -j JOBS --seed 1 [OPT VAL] --fuzz-time EXECS TARGET` in dir
 * (as run_cfz; opt NULL: no extra option) with the extra "K=V" variables
 * env (may be NULL). */
void run_fuzz(run_result *r, const char *dir, char *const env[],
              const char *jobs, const char *opt, const char *val,
              const char *execs, const char *target);
/* Fails the test unless r exited with want; the message names what (may be
 * NULL), the exit status and the output. */
void assert_exit(const run_result *r, int want, const char *what);
/* Fails the test unless r's output holds needle; the message is the
 * output. */
void assert_output_has(const run_result *r, const char *needle);
/* Runs every test of s in a fresh SRunner (CK_NORMAL) and frees it; returns
 * 1 if any failed, else 0 (main's exit status). */
int run_suite(Suite *s);

/* A found-with / not-without check (docs/feedback.md): run runs TARGET in
 * dir with (with = true) or without the mechanism under test, ctx being the
 * test's own settings; assert_found_with_not_without asserts that the run
 * with it fails (exit 1, a FAIL report) and the run without it does all of
 * budget executions (e.g. "60000") clean.  what names the mechanism. */
typedef void (*with_without_run)(const char *dir, const char *target, bool with,
                                 const void *ctx, run_result *r);
void assert_found_with_not_without(const char *target, with_without_run run,
                                   const void *ctx, const char *budget,
                                   const char *what);

/* Creates dir/rel (and its parent directories) holding len bytes (or the
 * string s); fails the test when it cannot. */
void put_file(const char *dir, const char *rel, const void *data, size_t len);
void put_str(const char *dir, const char *rel, const char *s);

/* Path of an example target in the build tree. */
const char *target_path(const char *name);

#endif
