/* libfuzzer_dirs.c - libFuzzer's directory checks (libfuzzer_dirs.h). */
#include "libfuzzer_dirs.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus_store.h"

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* libFuzzer's ValidateDirectoryExists.  Returns 0 or 1. */
static int require_dir(const char *dir, bool create, FILE *err) {
  if (!*dir) {
    fprintf(err, "ERROR: Provided directory path is an empty string\n");
    return 1;
  }
  if (is_dir(dir))
    return 0;
  if (create) {
    char why[512];
    if (cfz_make_dirs(dir, why, sizeof why) == 0 && is_dir(dir))
      return 0;
    fprintf(err, "ERROR: Failed to create directory \"%s\"\n", dir);
    return 1;
  }
  fprintf(err, "ERROR: The required directory \"%s\" does not exist\n", dir);
  return 1;
}

/* require_dir of path's directory (POSIX dirname: "x" is "."). */
static int require_parent(const char *path, bool create, FILE *err) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  return require_dir(dirname(buf), create, err);
}

/* libFuzzer's corpus read: a directory that does not open ends the run. */
static int open_dirs(char *const *dirs, size_t n, FILE *err) {
  for (size_t i = 0; i < n; i++) {
    DIR *d = opendir(dirs[i]);
    if (!d) {
      fprintf(err, "%s: %s; exiting\n", strerror(errno), dirs[i]);
      return 1;
    }
    closedir(d);
  }
  return 0;
}

int cfz_lf_check_dirs(const cfz_lf_plan *p, FILE *err) {
  bool create = p->create_missing_dirs;
  struct stat st;
  if (p->ndirs && !(stat(p->dirs[0], &st) == 0 && S_ISREG(st.st_mode)) &&
      require_dir(p->dirs[0], create, err) != 0)
    return 1;
  const char *prefix = p->artifact_prefix;
  size_t n = strlen(prefix);
  if (n && (prefix[n - 1] == '/' ? require_dir(prefix, create, err)
                                 : require_parent(prefix, create, err)))
    return 1;
  if (p->exact_path && require_parent(p->exact_path, create, err) != 0)
    return 1;
  if (p->mode == CFZ_LFP_FUZZ || p->mode == CFZ_LFP_CORPUS_RUN ||
      p->mode == CFZ_LFP_MERGE)
    return open_dirs(p->dirs, p->ndirs, err);
  return 0;
}
