/* llvm_tools.c - a coverage build and its llvm tools (llvm_tools.h). */
#include "llvm_tools.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"

static const uint8_t *find_bytes(const uint8_t *hay, size_t n,
                                 const char *needle) {
  size_t len = strlen(needle);
  for (size_t i = 0; i + len <= n; i++) {
    const uint8_t *hit = memchr(hay + i, needle[0], n - i - len + 1);
    if (!hit)
      return NULL;
    if (memcmp(hit, needle, len) == 0)
      return hit;
    i = (size_t)(hit - hay);
  }
  return NULL;
}

int cfz_cov_binary_read(const char *exe, cfz_cov_binary *out, char *err,
                        size_t errlen) {
  memset(out, 0, sizeof *out);
  uint8_t *buf;
  size_t n;
  if (cfz_file_read(exe, 0, &buf, &n, err, errlen) != 0)
    return -1;
  out->has_mapping = find_bytes(buf, n, "__llvm_covmap") != NULL;
  static const char version[] = "clang version ";
  const uint8_t *v = find_bytes(buf, n, version);
  if (v) {
    size_t at = (size_t)(v - buf) + sizeof version - 1;
    int major = 0;
    while (at < n && buf[at] >= '0' && buf[at] <= '9' && major < 1000)
      major = major * 10 + (buf[at++] - '0');
    out->clang_major = major;
  }
  free(buf);
  return 0;
}

/* name found in $PATH: its path into out.  Returns true when found. */
static bool in_path(const char *name, char *out, size_t outlen) {
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    int w = snprintf(out, outlen, "%.*s/%s", (int)len, len ? path : ".", name);
    if (w > 0 && (size_t)w < outlen && access(out, X_OK) == 0)
      return true;
    path += len + (colon ? 1 : 0);
  }
  return false;
}

static int find_one(const char *tool, int major, const char *given, char *out,
                    size_t outlen, char *err, size_t errlen) {
  if (given) {
    if (access(given, X_OK) != 0) {
      snprintf(err, errlen, "%s: %s", given, strerror(errno));
      return -1;
    }
    snprintf(out, outlen, "%s", given);
    return 0;
  }
  char name[64], looked[256] = "";
  if (major > 0) {
    snprintf(name, sizeof name, "%s-%d", tool, major);
    if (in_path(name, out, outlen))
      return 0;
    snprintf(out, outlen, "/usr/lib/llvm-%d/bin/%s", major, tool);
    if (access(out, X_OK) == 0)
      return 0;
    snprintf(looked, sizeof looked, "%s in PATH, %s and ", name, out);
  }
  if (in_path(tool, out, outlen))
    return 0;
  snprintf(err, errlen,
           "%s not found (looked for %s%s in PATH): install LLVM's tools "
           "(Debian: llvm) or give --%s FILE",
           tool, looked, tool, tool);
  return -1;
}

int cfz_llvm_tools_find(int clang_major, const char *profdata, const char *cov,
                        cfz_llvm_tools *out, char *err, size_t errlen) {
  if (find_one("llvm-profdata", clang_major, profdata, out->profdata,
               sizeof out->profdata, err, errlen) != 0)
    return -1;
  return find_one("llvm-cov", clang_major, cov, out->cov, sizeof out->cov, err,
                  errlen);
}
