/* cover.h - `cfz cover`: a coverage report of a target's corpus.
 *
 * The executable is a coverage build of the target (clang's source-based
 * coverage: -fprofile-instr-generate -fcoverage-mapping, linked with the
 * harness; cfz_add_coverage_target in CMake).  Its corpus is what `cfz run`
 * uses: the target's cfz_add seeds, <testdata>/<Target>/, the project's
 * generated corpus <cache>/<Target>/ (project_cache.h), and any extra
 * directories.  Every file is replayed through the target (cover_run.h; an
 * input that crashes is reported and skipped), the profiles are merged with
 * llvm-profdata, and llvm-cov writes the HTML report and the totals:
 *   <out>/html/index.html     llvm-cov show -format=html
 *   <out>/cover.profdata      the merged profile (for llvm-cov by hand)
 *   <out>/summary.json        llvm-cov export -summary-only
 *   <out>/replay.log          what the target printed
 * <out> is the output directory given, else <cache>/.cover/<Target>.
 *
 * A libFuzzer-style target is named after its executable, so the coverage
 * build's name is not that of the fuzzing build whose corpus is wanted: for
 * such a target, -t NAME (o->target) names the corpus, and without it an
 * executable "x_cov" reads x's corpus. */
#ifndef CFZ_COVER_H
#define CFZ_COVER_H

#include <limits.h>
#include <stdint.h>

#include "cover_run.h"
#include "protocol.h"

typedef struct cfz_cover_options {
  const char *exe;
  const char *target;       /* NULL: the executable's first (see above) */
  const char *testdata_dir; /* NULL: testdata/fuzz */
  const char *cache_dir;    /* NULL: the project's (project_cache.h) */
  const char *const *dirs;  /* more corpus directories */
  size_t ndirs;
  const char *output_dir; /* NULL: <cache>/.cover/<Target> */
  unsigned parallel;
  unsigned timeout_s;
  const char *llvm_profdata, *llvm_cov; /* NULL: found (llvm_tools.h) */
} cfz_cover_options;

typedef struct cfz_cover_total {
  uint64_t count, covered;
  double percent;
} cfz_cover_total;

typedef struct cfz_cover_result {
  char target[CFZ_PROTO_NAME_MAX];   /* whose corpus */
  char run_name[CFZ_PROTO_NAME_MAX]; /* the target in the executable */
  char output_dir[PATH_MAX];
  char html[PATH_MAX + 32]; /* <out>/html/index.html */
  size_t files;             /* corpus files found */
  cfz_cover_total lines, functions, regions;
  cfz_cover_run_result run;
} cfz_cover_result;

/* Builds the report.  Returns 0, or -1 with e.g. "./t has no coverage
 * mapping: build it with -fprofile-instr-generate -fcoverage-mapping
 * (cfz_add_coverage_target)" in err.  Free with cfz_cover_result_free. */
int cfz_cover(const cfz_cover_options *o, cfz_cover_result *r, char *err,
              size_t errlen);
void cfz_cover_result_free(cfz_cover_result *r);

#endif
