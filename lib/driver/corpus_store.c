/* corpus_store.c - corpus directories on disk (see corpus_store.h). */
#include "corpus_store.h"

#include "corpus_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "content_hash.h"
#include "corpus_format.h"
#include "dir_list.h"
#include "strbuf.h"

enum { TEMP_ATTEMPTS = 16 };

static char *join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = malloc(la + lb + 1);
  if (s) {
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
  }
  return s;
}

char *cfz_default_cache_dir(void) {
  const char *xdg = getenv("XDG_CACHE_HOME");
  /* The XDG spec says relative paths are to be ignored. */
  if (xdg && xdg[0] == '/')
    return join(xdg, "/cfz");
  const char *home = getenv("HOME");
  if (home && *home)
    return join(home, "/.cache/cfz");
  struct passwd pw, *res = NULL;
  char buf[4096];
  if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res &&
      res->pw_dir && *res->pw_dir)
    return join(res->pw_dir, "/.cache/cfz");
  return join(".cache", "/cfz");
}

/* ---- loading ------------------------------------------------------------ */

char *cfz_types_string(const cfz_type *types, size_t n, const char *sep) {
  cfz_strbuf b = {0};
  for (size_t i = 0; i < n; i++) {
    const char *name = cfz_type_name(types[i]);
    cfz_sb_printf(&b, "%s%s", i ? sep : "", name ? name : "?");
  }
  return cfz_sb_take(&b);
}

char *cfz_values_mismatch(const cfz_values *vals, const cfz_type *types,
                          size_t n) {
  if (cfz_values_match_types(vals->v, vals->n, types, n))
    return NULL;
  cfz_type *have = malloc((vals->n ? vals->n : 1) * sizeof *have);
  for (size_t i = 0; have && i < vals->n; i++)
    have[i] = vals->v[i].type;
  char *hs = have ? cfz_types_string(have, vals->n, ", ") : NULL;
  char *ts = cfz_types_string(types, n, ", ");
  cfz_strbuf b = {0};
  cfz_sb_printf(&b, "has %zu value%s (%s), target takes %zu (%s)", vals->n,
                vals->n == 1 ? "" : "s", hs ? hs : "?", n, ts ? ts : "?");
  free(have);
  free(hs);
  free(ts);
  return cfz_sb_take(&b);
}

static void warnf(cfz_corpus_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warnf(cfz_corpus_warn_fn warn, void *ctx, const char *fmt, ...) {
  if (!warn)
    return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  warn(ctx, msg);
}

/* True when the file of size bytes at path cannot hold an input of at most
 * max_wire wire bytes (see cfz_corpus_load_dir). */
static bool too_large(const char *path, long long size, size_t max_wire) {
  if (!max_wire || size < 0 || (uint64_t)size + 4 <= max_wire)
    return false;
  uint8_t head[32];
  ssize_t got = -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd >= 0) {
    got = read(fd, head, sizeof head);
    close(fd);
  }
  if (got > 0 && cfz_corpus_is_text(head, (size_t)got))
    return (uint64_t)size > 4 * (uint64_t)max_wire + 4096;
  return true;
}

int cfz_corpus_load_entry(const cfz_dirent *e, const cfz_type *types, size_t n,
                          size_t max_wire, cfz_values *vals, char *why,
                          size_t whylen) {
  vals->v = NULL;
  vals->n = 0;
  if (e->stat_errno) {
    snprintf(why, whylen, "stat %s: %s", e->path, strerror(e->stat_errno));
    return -1;
  }
  if (e->is_dir)
    return 0;
  if (!e->is_regular) {
    snprintf(why, whylen,
             "%s is not a regular file (a FIFO, a device or a socket); "
             "skipped without opening it",
             e->path);
    return -1;
  }
  if (too_large(e->path, e->size, max_wire)) {
    snprintf(why, whylen,
             "%s is larger than the %zu-byte value area (%lld bytes); skipped "
             "without reading it (a larger --max-len makes room)",
             e->path, max_wire, e->size);
    return -1;
  }
  if (cfz_corpus_read_file(e->path, vals, why, whylen) != 0)
    return -1;
  char *mismatch = cfz_values_mismatch(vals, types, n);
  if (mismatch) {
    snprintf(why, whylen, "%s: %s", e->path, mismatch);
    free(mismatch);
    cfz_values_free(vals);
    return -1;
  }
  return 1;
}

long cfz_corpus_load_dir(const char *dir, const cfz_type *types, size_t n,
                         size_t max_wire, cfz_corpus_visit_fn visit,
                         cfz_corpus_warn_fn warn, void *ctx) {
  cfz_dirent *ents;
  size_t count;
  char err[1024];
  int rc = cfz_dir_list(dir, &ents, &count, err, sizeof err);
  if (rc != 0) {
    if (rc < 0 && warn)
      warn(ctx, err);
    return rc > 0 ? 0 : -1;
  }
  long visited = 0;
  for (size_t i = 0; i < count; i++) {
    cfz_values vals;
    rc = cfz_corpus_load_entry(&ents[i], types, n, max_wire, &vals, err,
                               sizeof err);
    if (rc < 0 && warn)
      warn(ctx, err);
    if (rc <= 0)
      continue;
    if (visit)
      visit(ctx, ents[i].path, &vals);
    visited++;
    cfz_values_free(&vals);
  }
  cfz_dir_free(ents, count);
  return visited;
}

/* ---- writing ------------------------------------------------------------ */

static void fail_msg(char *err, size_t errlen, const char *what,
                     const char *path, int e) {
  snprintf(err, errlen, "cfz: %s %s: %s", what, path, strerror(e));
}

/* Splits path into its directory (into dirbuf) and base name. */
static const char *split_path(const char *path, char *dirbuf, size_t cap) {
  const char *slash = strrchr(path, '/');
  if (!slash) {
    snprintf(dirbuf, cap, ".");
    return path;
  }
  size_t n = (size_t)(slash - path);
  if (n == 0)
    n = 1; /* "/name": the root */
  if (n >= cap)
    n = cap - 1;
  memcpy(dirbuf, path, n);
  dirbuf[n] = '\0';
  return slash + 1;
}

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (w == 0) {
      errno = EIO;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static int fsync_dir(const char *dir, char *err, size_t errlen) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fail_msg(err, errlen, "open", dir, errno);
    return -1;
  }
  /* Some file systems cannot sync a directory; that is not an error. */
  if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
    fail_msg(err, errlen, "fsync", dir, errno);
    close(fd);
    return -1;
  }
  if (close(fd) != 0 && errno != EINTR) {
    fail_msg(err, errlen, "close", dir, errno);
    return -1;
  }
  return 0;
}

/* cfz_file_write_atomic, with the fsyncs only when durable. */
static int write_atomic(const char *path, const void *data, size_t len,
                        bool durable, char *err, size_t errlen) {
  char dir[PATH_MAX], tmp[PATH_MAX];
  if (strlen(path) >= sizeof dir) {
    fail_msg(err, errlen, "open", path, ENAMETOOLONG);
    return -1;
  }
  const char *base = split_path(path, dir, sizeof dir);
  if (!*base) {
    fail_msg(err, errlen, "open", path, EISDIR);
    return -1;
  }
  /* Concurrent writes of the same content in one process (from worker
   * threads) or a stale temp file get a numbered temp name. */
  int fd = -1;
  for (int attempt = 0; attempt < TEMP_ATTEMPTS && fd < 0; attempt++) {
    int n = attempt ? snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld-%d", dir, base,
                               (long)getpid(), attempt)
                    : snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", dir, base,
                               (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
      fail_msg(err, errlen, "open", path, ENAMETOOLONG);
      return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) {
      int e = errno; /* ENOENT: no directory (write_named makes it) */
      fail_msg(err, errlen, "open", tmp, e);
      errno = e;
      return -1;
    }
  }
  if (fd < 0) {
    fail_msg(err, errlen, "open", tmp, EEXIST);
    return -1;
  }
  if (write_all(fd, data, len) != 0) {
    fail_msg(err, errlen, "write", tmp, errno);
    goto fail;
  }
  if (durable && fsync(fd) != 0) {
    fail_msg(err, errlen, "fsync", tmp, errno);
    goto fail;
  }
  int cfd = fd;
  fd = -1;
  if (close(cfd) != 0 && errno != EINTR) {
    fail_msg(err, errlen, "close", tmp, errno);
    goto fail;
  }
  if (rename(tmp, path) != 0) {
    int e = errno;
    snprintf(err, errlen, "cfz: rename %s to %s: %s", tmp, path, strerror(e));
    goto fail;
  }
  return durable ? fsync_dir(dir, err, errlen) : 0;
fail:
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  return -1;
}

int cfz_file_write_atomic(const char *path, const void *data, size_t len,
                          char *err, size_t errlen) {
  return write_atomic(path, data, len, true, err, errlen);
}

/* True when path is a regular file holding exactly data (read without
 * trusting its size: at most len + 1 bytes). */
static bool same_content(const char *path, const void *data, size_t len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return false;
  struct stat st;
  bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              (uint64_t)st.st_size == (uint64_t)len;
  char buf[4096];
  size_t off = 0;
  while (same) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      same = n == 0 && off == len;
      break;
    }
    if (off + (size_t)n > len ||
        memcmp(buf, (const uint8_t *)data + off, (size_t)n) != 0)
      same = false;
    off += (size_t)n;
  }
  close(fd);
  return same;
}

enum { NAME_CLASH_TRIES = 16 };

/* cfz_file_write_named, durable or not (write_atomic). */
static int write_named(const char *dir, const void *data, size_t len,
                       bool durable, char *path_out, size_t path_cap, char *err,
                       size_t errlen) {
  if (path_cap)
    path_out[0] = '\0';
  char name[17];
  if (cfz_content_name(data, len, name) != 0) {
    snprintf(err, errlen, "cfz: cannot hash a corpus entry for %s", dir);
    return -1;
  }
  /* The directory is made when the first write finds it missing (ENOENT):
   * a stat of it before every write cost a system call per new input, and
   * cfz_make_dirs costs a mkdir per component of the path. */
  bool made_dir = false;
  /* The content's name; on a clash with other content (a file someone put
   * there), name-1, name-2, ...: never take a file as written unseen. */
  for (int k = 0; k < NAME_CLASH_TRIES; k++) {
    char path[PATH_MAX];
    int n = k ? snprintf(path, sizeof path, "%s/%s-%d", dir, name, k)
              : snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((size_t)n >= sizeof path || strlen(path) >= path_cap) {
      snprintf(err, errlen, "cfz: %s/%s: %s", dir, name,
               strerror(ENAMETOOLONG));
      return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
      if (!same_content(path, data, len))
        continue; /* same name, other content */
      snprintf(path_out, path_cap, "%s", path);
      return 0;
    }
    if (errno != ENOENT && !(errno == ENOTDIR && !made_dir)) {
      fail_msg(err, errlen, "stat", path, errno);
      return -1;
    }
    if (write_atomic(path, data, len, durable, err, errlen) != 0) {
      if ((errno != ENOENT && errno != ENOTDIR) || made_dir)
        return -1;
      if (cfz_make_dirs(dir, err, errlen) != 0)
        return -1;
      made_dir = true;
      k--; /* the same name again, in the directory just made */
      continue;
    }
    snprintf(path_out, path_cap, "%s", path);
    return 0;
  }
  snprintf(err, errlen,
           "cfz: %s/%s: %d files of that name hold other content; not written",
           dir, name, NAME_CLASH_TRIES);
  return -1;
}

int cfz_file_write_named(const char *dir, const void *data, size_t len,
                         char *path_out, size_t path_cap, char *err,
                         size_t errlen) {
  return write_named(dir, data, len, true, path_out, path_cap, err, errlen);
}

/* cfz_corpus_write, durable or not (write_atomic). */
static int corpus_write(const char *dir, const cfz_value *vals, size_t n,
                        bool durable, char *path_out, size_t path_cap,
                        char *err, size_t errlen) {
  uint8_t *data = NULL;
  size_t len = 0;
  if (cfz_corpus_file_encode(vals, n, &data, &len) != 0) {
    snprintf(err, errlen, "cfz: encoding a corpus entry for %s: %s", dir,
             strerror(ENOMEM));
    return -1;
  }
  int rc =
      write_named(dir, data, len, durable, path_out, path_cap, err, errlen);
  free(data);
  return rc;
}

int cfz_corpus_write(const char *dir, const cfz_value *vals, size_t n,
                     char *path_out, size_t path_cap, char *err,
                     size_t errlen) {
  return corpus_write(dir, vals, n, true, path_out, path_cap, err, errlen);
}

int cfz_corpus_write_volatile(const char *dir, const cfz_value *vals, size_t n,
                              char *path_out, size_t path_cap, char *err,
                              size_t errlen) {
  return corpus_write(dir, vals, n, false, path_out, path_cap, err, errlen);
}

bool cfz_corpus_has(const char *dir, const cfz_value *vals, size_t n) {
  uint8_t *text = NULL;
  size_t len = 0;
  char name[17], path[PATH_MAX];
  bool found = false;
  if (cfz_corpus_file_encode(vals, n, &text, &len) == 0 &&
      cfz_content_name(text, len, name) == 0 &&
      (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) < sizeof path) {
    struct stat st;
    found = stat(path, &st) == 0;
  }
  free(text);
  return found;
}

static bool listed(const char *const *paths, size_t n, const char *path) {
  for (size_t i = 0; i < n; i++)
    if (paths[i] && !strcmp(paths[i], path))
      return true;
  return false;
}

long cfz_corpus_prune(const char *dir, const char *const *keep, size_t nkeep,
                      cfz_corpus_warn_fn warn, void *ctx) {
  cfz_dirent *ents;
  size_t n;
  char err[768];
  int rc = cfz_dir_list(dir, &ents, &n, err, sizeof err);
  if (rc != 0)
    return rc > 0 ? 0 : -1;
  long removed = 0;
  for (size_t i = 0; i < n; i++) {
    if (listed(keep, nkeep, ents[i].path))
      continue;
    if (unlink(ents[i].path) != 0)
      warnf(warn, ctx, "cfz: remove %s: %s", ents[i].path, strerror(errno));
    else
      removed++;
  }
  cfz_dir_free(ents, n);
  return removed;
}
