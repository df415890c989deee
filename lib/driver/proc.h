/* proc.h - running a helper process (a replay batch, an llvm tool) with
 * libuv.
 *
 * The child gets argv (argv[0] searched in $PATH when it has no '/'), the
 * environment env (NULL: ours), stdin ignored, and stdout and stderr on the
 * given descriptors (-1: ours).  With limit_ms it is killed (SIGKILL) when
 * it runs longer.  Used by `cfz cover`; fuzzing workers have their own
 * module (worker.h). */
#ifndef CFZ_PROC_H
#define CFZ_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct cfz_proc_spec {
  char **argv; /* NULL-terminated */
  char **env;  /* NULL-terminated "K=V"; NULL: inherit ours */
  int out_fd, err_fd;
  uint64_t limit_ms; /* 0: none */
} cfz_proc_spec;

typedef struct cfz_proc_status {
  int64_t exit_status;
  int term_signal; /* 0: it exited */
  bool timed_out;  /* killed because it ran past limit_ms */
} cfz_proc_status;

typedef void (*cfz_proc_done_fn)(void *ctx, const cfz_proc_status *st);

/* Starts the process on loop; done is called once, after it has ended and
 * its handles are closed.  Returns 0, or -1 with e.g. "spawn ./t: No such
 * file or directory" in err (done is then never called). */
int cfz_proc_start(uv_loop_t *loop, const cfz_proc_spec *s,
                   cfz_proc_done_fn done, void *ctx, char *err, size_t errlen);

/* Runs the process to its end on a loop of its own.  Returns 0 with *st
 * filled, or -1 with the reason in err. */
int cfz_proc_run(const cfz_proc_spec *s, cfz_proc_status *st, char *err,
                 size_t errlen);

/* Our environment without the variables named in drop (NULL-terminated, may
 * be NULL), plus the "K=V" entries of set (NULL-terminated).  Malloc'd,
 * NULL-terminated; NULL when out of memory.  Free with cfz_env_free. */
char **cfz_env_with(const char *const *set, const char *const *drop);
void cfz_env_free(char **env);

#endif
