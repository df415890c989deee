/* libfuzzer_dirs.c - libFuzzer's directory checks (libfuzzer_dirs.h). */
#include "libfuzzer_dirs.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "libfuzzer_checks.h"

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
      cfz_lf_require_dir(p->dirs[0], create, err) != 0)
    return 1;
  if (cfz_lf_check_artifacts(p->artifact_prefix, p->exact_path, create, err) !=
      0)
    return 1;
  if (p->mode == CFZ_LFP_FUZZ || p->mode == CFZ_LFP_CORPUS_RUN ||
      p->mode == CFZ_LFP_MERGE)
    return open_dirs(p->dirs, p->ndirs, err);
  return 0;
}
