/* driver_exec.c - hand a libFuzzer-style command line over to cfz
 * (driver_exec.h). */
#include "driver_exec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Writes DIR/cfz into out when it is executable; dir has len bytes. */
static int try_dir(const char *dir, size_t len, char *out, size_t outlen) {
  if (len == 0) /* an empty PATH entry is the current directory */
    dir = ".", len = 1;
  int w = snprintf(out, outlen, "%.*s/cfz", (int)len, dir);
  if (w < 0 || (size_t)w >= outlen)
    return -1;
  return is_executable(out) ? 0 : -1;
}

int cfz_find_driver(const char *self_exe, const char *path_env,
                    const char *driver_env, char *out, size_t outlen) {
  if (self_exe) {
    const char *slash = strrchr(self_exe, '/');
    if (slash &&
        try_dir(self_exe, (size_t)(slash - self_exe), out, outlen) == 0)
      return 0;
  }
  for (const char *p = path_env; p && *p;) {
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (try_dir(p, len, out, outlen) == 0)
      return 0;
    p = end ? end + 1 : p + len;
  }
  if (driver_env && *driver_env && is_executable(driver_env)) {
    int w = snprintf(out, outlen, "%s", driver_env);
    if (w >= 0 && (size_t)w < outlen)
      return 0;
  }
  return -1;
}

void cfz_exec_driver(int argc, char **argv) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0) {
    fprintf(stderr, "ERROR: cfz: readlink(/proc/self/exe): %s\n",
            strerror(errno));
    return;
  }
  self[n] = '\0';
  char driver[PATH_MAX];
  const char *env = getenv(CFZ_DRIVER_ENV);
  if (cfz_find_driver(self, getenv("PATH"), env, driver, sizeof driver) != 0) {
    fprintf(stderr,
            "ERROR: cfz: %s is linked with cfz's harness: fuzzing it needs "
            "the cfz driver, and none was found (looked for cfz beside the "
            "target, on PATH, and in $%s%s%s)\n",
            self, CFZ_DRIVER_ENV, env ? "=" : " (unset)", env ? env : "");
    return;
  }
  char **args = calloc((size_t)argc + 3, sizeof *args);
  if (!args) {
    fprintf(stderr, "ERROR: cfz: out of memory\n");
    return;
  }
  args[0] = "cfz";
  args[1] = "libfuzzer";
  args[2] = self;
  for (int i = 1; i < argc; i++)
    args[i + 2] = argv[i];
  fflush(NULL);
  execv(driver, args);
  fprintf(stderr, "ERROR: cfz: cannot run the driver %s: %s\n", driver,
          strerror(errno));
  free(args);
}
