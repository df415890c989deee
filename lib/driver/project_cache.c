/* project_cache.c - the current project's generated corpora root
 * (project_cache.h). */
#include "project_cache.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_hash.h"
#include "corpus_store.h"

int cfz_project_key(char *out, size_t outlen) {
  char *real = realpath(".", NULL);
  if (!real)
    return -1;
  char hash[17];
  if (cfz_content_name(real, strlen(real), hash) != 0) {
    free(real);
    errno = EIO;
    return -1;
  }
  const char *base = strrchr(real, '/');
  base = base && base[1] ? base + 1 : "root";
  /* Keep the name readable and safe: letters, digits, '.', '_', '-'. */
  char name[48];
  size_t n = 0;
  for (const char *p = base; *p && n + 1 < sizeof name; p++)
    name[n++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                               (*p >= '0' && *p <= '9') || *p == '.' ||
                               *p == '_' || *p == '-'
                           ? *p
                           : '_');
  name[n] = '\0';
  if (name[0] == '.')
    name[0] = '_';
  snprintf(out, outlen, "%s-%.8s", name, hash);
  free(real);
  return 0;
}

char *cfz_project_cache_dir(void) {
  char key[64];
  if (cfz_project_key(key, sizeof key) != 0)
    return NULL;
  char *root = cfz_default_cache_dir();
  if (!root)
    return NULL;
  size_t n = strlen(root) + 1 + strlen(key) + 1;
  char *dir = malloc(n);
  if (dir)
    snprintf(dir, n, "%s/%s", root, key);
  free(root);
  return dir;
}
