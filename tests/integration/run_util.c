/* run_util.c - see run_util.h. */
#include "run_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void child_exec(const char *cwd, char *const argv[], char *const env[],
                       int out) {
  dup2(out, 1);
  dup2(out, 2);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0)
    dup2(devnull, 0);
  if (cwd && chdir(cwd) != 0)
    _exit(126);
  for (char *const *e = env; e && *e; e++)
    putenv(*e);
  execv(argv[0], argv);
  fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

pid_t spawn_bg(const char *cwd, char *const argv[], char *const env[],
               int *out_fd) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    child_exec(cwd, argv, env, p[1]);
  }
  close(p[1]);
  *out_fd = p[0];
  return pid;
}

static void append(char **buf, size_t *len, const char *p, size_t n) {
  *buf = realloc(*buf, *len + n + 1);
  memcpy(*buf + *len, p, n);
  *len += n;
  (*buf)[*len] = 0;
}

bool wait_for_output(int fd, char **buf, size_t *len, const char *needle) {
  char tmp[4096];
  for (;;) {
    if (*buf && strstr(*buf, needle))
      return true;
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return *buf && strstr(*buf, needle);
    append(buf, len, tmp, (size_t)n);
  }
}

static unsigned occurrences(const char *s, const char *needle) {
  unsigned n = 0;
  for (const char *p = s; p && (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

bool wait_for_count(int fd, char **buf, size_t *len, const char *needle,
                    unsigned n) {
  char tmp[4096];
  for (;;) {
    if (*buf && occurrences(*buf, needle) >= n)
      return true;
    ssize_t got = read(fd, tmp, sizeof tmp);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    append(buf, len, tmp, (size_t)got);
  }
}

int wait_exit(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void run_cmd(const char *cwd, char *const argv[], char *const env[],
             run_result *r) {
  int fd;
  r->out = NULL;
  size_t len = 0;
  pid_t pid = spawn_bg(cwd, argv, env, &fd);
  wait_for_output(fd, &r->out, &len, "\x01never\x02");
  close(fd);
  if (!r->out)
    r->out = strdup("");
  r->status = wait_exit(pid);
}

void run_result_free(run_result *r) {
  free(r->out);
  r->out = NULL;
}

char *make_temp_dir(void) {
  char tmpl[] = "/tmp/cfz-test-XXXXXX";
  char *d = mkdtemp(tmpl);
  return d ? strdup(d) : NULL;
}

void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    unlink(dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      chmod(p, 0700);
      remove_tree(p);
    } else {
      unlink(p);
    }
  }
  closedir(d);
  rmdir(dir);
}

int count_files(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
      n++;
  }
  closedir(d);
  return n;
}

char *find_file_under(const char *root) {
  DIR *d = opendir(root);
  if (!d)
    return NULL;
  struct dirent *e;
  char *found = NULL;
  while (!found && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char sub[PATH_MAX];
    snprintf(sub, sizeof sub, "%s/%s", root, e->d_name);
    DIR *s = opendir(sub);
    if (!s)
      continue;
    struct dirent *f;
    while ((f = readdir(s))) {
      if (f->d_name[0] == '.')
        continue;
      char p[PATH_MAX + 256];
      snprintf(p, sizeof p, "%s/%s", sub, f->d_name);
      found = strdup(p);
      break;
    }
    closedir(s);
  }
  closedir(d);
  return found;
}

int count_cfz_shm(pid_t pid) {
  DIR *d = opendir("/dev/shm");
  if (!d)
    return 0;
  char prefix[64] = "cfz-";
  if (pid > 0)
    snprintf(prefix, sizeof prefix, "cfz-%ld-", (long)pid);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
  closedir(d);
  return n;
}

char *private_target(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *out = malloc(len);
  ck_assert_ptr_nonnull(out);
  snprintf(out, len, "%s/%s", dir, name);
  int in = open(target_path(name), O_RDONLY | O_CLOEXEC);
  ck_assert_msg(in >= 0, "open %s: %s", target_path(name), strerror(errno));
  int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  ck_assert_msg(fd >= 0, "create %s: %s", out, strerror(errno));
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    ck_assert_int_eq(write(fd, buf, (size_t)n), n);
  ck_assert_int_eq(n, 0);
  close(in);
  ck_assert_int_eq(close(fd), 0);
  return out;
}

int count_processes_of(const char *path) {
  char want[PATH_MAX];
  if (!realpath(path, want))
    return 0;
  DIR *d = opendir("/proc");
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    char link[PATH_MAX], exe[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%s/exe", e->d_name);
    ssize_t k = readlink(link, exe, sizeof exe - 1);
    if (k > 0) {
      exe[k] = 0;
      n += strcmp(exe, want) == 0;
      continue;
    }
    /* Zombies have no exe link; look at their name and state. */
    char statp[PATH_MAX], buf[512];
    snprintf(statp, sizeof statp, "/proc/%s/stat", e->d_name);
    FILE *f = fopen(statp, "r");
    if (!f)
      continue;
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = 0;
    const char *base = strrchr(want, '/');
    base = base ? base + 1 : want;
    char comm[32];
    snprintf(comm, sizeof comm, "(%.15s) Z", base);
    n += strstr(buf, comm) != NULL;
  }
  closedir(d);
  return n;
}

char *run_cfz(run_result *r, const char *dir, char *const env[], ...) {
  char *fresh = NULL;
  if (!dir) {
    fresh = make_temp_dir();
    ck_assert_ptr_nonnull(fresh);
    dir = fresh;
  }
  char cache[PATH_MAX + 32];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *argv[64];
  int n = 0;
  argv[n++] = CFZ_BIN;
  va_list ap;
  va_start(ap, env);
  for (char *a; (a = va_arg(ap, char *)) && n < 60;) {
    argv[n++] = a;
    if (n == 2)
      argv[n++] = cache; /* right after the subcommand */
  }
  va_end(ap);
  argv[n] = NULL;
  run_cmd(dir, argv, env, r);
  return fresh ? fresh : (char *)dir;
}

void run_fuzz(run_result *r, const char *dir, char *const env[],
              const char *jobs, const char *opt, const char *val,
              const char *execs, const char *target) {
  if (opt)
    run_cfz(r, dir, env, "run", "-j", jobs, "--seed", "1", opt, val,
            "--fuzz-time", execs, target, NULL);
  else
    run_cfz(r, dir, env, "run", "-j", jobs, "--seed", "1", "--fuzz-time", execs,
            target, NULL);
}

void assert_exit(const run_result *r, int want, const char *what) {
  ck_assert_msg(r->status == want, "%s%sexit %d (want %d)\n%s",
                what ? what : "", what ? ": " : "", r->status, want, r->out);
}

void assert_output_has(const run_result *r, const char *needle) {
  ck_assert_msg(strstr(r->out, needle), "no <%s> in\n%s", needle, r->out);
}

int run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}

const char *target_path(const char *name) {
  static char buf[8][PATH_MAX];
  static int next;
  char *p = buf[next++ % 8];
  snprintf(p, PATH_MAX, "%s/%s", CFZ_TARGETS_DIR, name);
  return p;
}

void assert_found_with_not_without(const char *target, with_without_run run,
                                   const void *ctx, const char *budget,
                                   const char *what) {
  run_result r;
  char *dir = make_temp_dir();
  run(dir, target, true, ctx, &r);
  ck_assert_msg(r.status == 1, "%s with %s: exit %d\n%s", target, what,
                r.status, r.out);
  ck_assert_msg(strstr(r.out, "--- FAIL"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);

  char done[64];
  snprintf(done, sizeof done, "execs: %s ", budget);
  dir = make_temp_dir();
  run(dir, target, false, ctx, &r);
  ck_assert_msg(r.status == 0, "%s without %s found it (exit %d):\n%s", target,
                what, r.status, r.out);
  ck_assert_msg(strstr(r.out, done), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}

/* Creates dir/rel (and its parent directories) holding len bytes. */
void put_file(const char *dir, const char *rel, const void *data, size_t len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
    *p = '\0';
    ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s",
                  path, strerror(errno));
    *p = '/';
  }
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f, "open %s: %s", path, strerror(errno));
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

void put_str(const char *dir, const char *rel, const char *s) {
  put_file(dir, rel, s, strlen(s));
}
