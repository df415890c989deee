/* dir_list.c - directory listings (dir_list.h). */
#include "dir_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b) {
  return strcmp(((const cfz_dirent *)a)->name, ((const cfz_dirent *)b)->name);
}

void cfz_dir_free(cfz_dirent *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].path);
  }
  free(v);
}

/* Fills e for dir/name.  Returns 0 or -1 (out of memory). */
static int fill(cfz_dirent *e, const char *dir, const char *name) {
  memset(e, 0, sizeof *e);
  size_t a = strlen(dir), b = strlen(name);
  e->name = strdup(name);
  e->path = malloc(a + b + 2);
  if (!e->name || !e->path)
    return -1;
  memcpy(e->path, dir, a);
  e->path[a] = '/';
  memcpy(e->path + a + 1, name, b + 1);
  struct stat st;
  if (stat(e->path, &st) != 0) {
    e->stat_errno = errno;
    e->size = -1;
    return 0;
  }
  e->size = (long long)st.st_size;
  e->is_dir = S_ISDIR(st.st_mode);
  e->is_regular = S_ISREG(st.st_mode);
  return 0;
}

/* Appends an entry for name; returns 0 or -1 (out of memory). */
static int append(cfz_dirent **v, size_t *n, size_t *cap, const char *dir,
                  const char *name) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    cfz_dirent *nv = realloc(*v, ncap * sizeof *nv);
    if (!nv)
      return -1;
    *v = nv;
    *cap = ncap;
  }
  int rc = fill(&(*v)[*n], dir, name);
  (*n)++; /* freed with the rest even when fill failed half-way */
  return rc;
}

int cfz_dir_list(const char *dir, cfz_dirent **out, size_t *n, char *err,
                 size_t errlen) {
  *out = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT)
      return 1;
    snprintf(err, errlen, "open %s: %s", dir, strerror(errno));
    return -1;
  }
  cfz_dirent *v = NULL;
  size_t count = 0, cap = 0;
  int rc = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) {
      if (errno != 0) {
        snprintf(err, errlen, "read %s: %s", dir, strerror(errno));
        rc = -1;
      }
      break;
    }
    if (e->d_name[0] == '.')
      continue;
    if (append(&v, &count, &cap, dir, e->d_name) != 0) {
      snprintf(err, errlen, "read %s: %s", dir, strerror(ENOMEM));
      rc = -1;
      break;
    }
  }
  if (closedir(d) != 0 && rc == 0) {
    snprintf(err, errlen, "close %s: %s", dir, strerror(errno));
    rc = -1;
  }
  if (rc != 0) {
    cfz_dir_free(v, count);
    return -1;
  }
  if (count > 1)
    qsort(v, count, sizeof *v, by_name);
  *out = v;
  *n = count;
  return 0;
}
