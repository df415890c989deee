/* libfuzzer_checks.c - libFuzzer's start-up checks (libfuzzer_checks.h). */
#include "libfuzzer_checks.h"

#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

#include "dict.h"
#include "make_dirs.h"

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cfz_lf_require_dir(const char *dir, bool create, FILE *err) {
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

/* cfz_lf_require_dir of path's directory (POSIX dirname: "x" is "."). */
static int require_parent(const char *path, bool create, FILE *err) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  return cfz_lf_require_dir(dirname(buf), create, err);
}

int cfz_lf_check_artifacts(const char *prefix, const char *exact_path,
                           bool create, FILE *err) {
  size_t n = strlen(prefix);
  if (n && (prefix[n - 1] == '/' ? cfz_lf_require_dir(prefix, create, err)
                                 : require_parent(prefix, create, err)))
    return 1;
  if (exact_path && require_parent(exact_path, create, err) != 0)
    return 1;
  return 0;
}

int cfz_lf_check_dict(const char *path, size_t *entries, FILE *err) {
  cfz_dict d = {0};
  char why[512];
  if (cfz_dict_load(path, &d, why, sizeof why) != 0) {
    fprintf(err, "ParseDictionaryFile: %s\n", why);
    return 1;
  }
  *entries = d.n;
  cfz_dict_free(&d);
  struct stat st;
  if (stat(path, &st) == 0 && st.st_size == 0) {
    /* libFuzzer: "file does not exist or is empty" */
    fprintf(err, "ParseDictionaryFile: %s: the file is empty\n", path);
    return 1;
  }
  return 0;
}
