/* make_dirs.c - mkdir -p (make_dirs.h). */
#include "make_dirs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static void fail(char *err, size_t errlen, const char *what, const char *path,
                 int e) {
  snprintf(err, errlen, "cfz: %s %s: %s", what, path, strerror(e));
}

int cfz_make_dirs(const char *dir, char *err, size_t errlen) {
  char buf[PATH_MAX];
  size_t len = strlen(dir);
  if (len == 0 || len >= sizeof buf) {
    fail(err, errlen, "mkdir", dir, len ? ENAMETOOLONG : ENOENT);
    return -1;
  }
  memcpy(buf, dir, len + 1);
  for (size_t i = 1; i <= len; i++) {
    if (buf[i] != '/' && buf[i] != '\0')
      continue;
    if (buf[i - 1] == '/')
      continue; /* "a//b" or a trailing slash */
    char saved = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
      fail(err, errlen, "mkdir", buf, errno);
      return -1;
    }
    buf[i] = saved;
  }
  struct stat st;
  if (stat(dir, &st) != 0) {
    fail(err, errlen, "stat", dir, errno);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    fail(err, errlen, "mkdir", dir, ENOTDIR);
    return -1;
  }
  return 0;
}
