/* cover.c - `cfz cover [options] ./target_cov [DIR...]`: a coverage report
 * of the corpus (lib/driver/cover.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "cover.h"

static void cover_usage(FILE *f) {
  fprintf(
      f,
      "usage: cfz cover [options] ./target_cov [CORPUS_DIR...]\n"
      "\n"
      "Replays the target's corpus (its cfz_add seeds, testdata/fuzz/<Target>/"
      ",\n"
      "the generated corpus, and the CORPUS_DIRs) through a coverage build of "
      "the\n"
      "target (clang -fprofile-instr-generate -fcoverage-mapping; in CMake,\n"
      "cfz_add_coverage_target), writes llvm-cov's HTML report and prints the\n"
      "lines, functions and regions covered.  An input that crashes is "
      "reported\n"
      "and skipped.  Needs clang's llvm-profdata and llvm-cov.\n"
      "\n"
      "options:\n"
      "  -o, --output DIR        report directory (default <cache dir>/.cover/"
      "<Target>)\n"
      "  -j, --parallel N        replay processes at once (default: number of "
      "CPUs)\n"
      "  -t, --target NAME       the target, when the executable holds "
      "several\n"
      "      --testdata DIR      seed corpora root (default testdata/fuzz)\n"
      "      --cache-dir DIR     generated corpora root (default: the "
      "project's)\n"
      "      --timeout D         an input running longer is skipped (default "
      "10s)\n"
      "      --llvm-profdata FILE  the llvm-profdata to use (default: found)\n"
      "      --llvm-cov FILE     the llvm-cov to use (default: found)\n"
      "  -h, --help              show this help\n");
}

static void print_total(const char *what, const cfz_cover_total *t,
                        const char *sep) {
  printf("%s %llu/%llu (%.2f%%)%s", what, (unsigned long long)t->covered,
         (unsigned long long)t->count, t->percent, sep);
}

static void print_result(const cfz_cover_result *r) {
  for (size_t i = 0; i < r->run.nskipped; i++) {
    const cfz_cover_skip *s = &r->run.skipped[i];
    fprintf(stderr, "cfz cover: skipped %s%s: %s\n",
            s->input ? s->input : "the seeds (cfz_add) of ",
            s->input ? "" : r->run_name, s->how);
  }
  fprintf(stderr,
          "cfz cover: %zu corpus files and the seeds, %zu processes, %zu "
          "skipped; report: %s\n",
          r->files, r->run.processes, r->run.nskipped, r->html);
  printf("%s: ", r->target);
  print_total("lines", &r->lines, ", ");
  print_total("functions", &r->functions, ", ");
  print_total("regions", &r->regions, "\n");
  fflush(stdout);
}

int cfz_cmd_cover(int argc, char **argv) {
  static const cfz_command cmd = {
      .name = "cfz cover",
      .options = "output parallel target testdata cache-dir timeout "
                 "llvm-profdata llvm-cov help",
      .usage = cover_usage,
      .min_operands = 1,
      .operands_error = "cfz cover: expected a target executable"};
  cfz_cli o;
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  if (cfz_check_dirs(cmd.name, o.operands + 1, o.noperands - 1) != 0 ||
      (o.testdata_given &&
       cfz_check_given_dir(cmd.name, "--testdata", o.run.testdata_dir) != 0))
    return 2;
  cfz_cover_options co = {.exe = o.target_path,
                          .target = o.run.target_name,
                          .testdata_dir = o.run.testdata_dir,
                          .cache_dir = o.run.cache_dir,
                          .dirs = (const char *const *)o.operands + 1,
                          .ndirs = (size_t)o.noperands - 1,
                          .output_dir = o.output,
                          .parallel = o.run.parallel,
                          .timeout_s =
                              (unsigned)((o.run.timeout_ms + 999) / 1000),
                          .llvm_profdata = o.llvm_profdata,
                          .llvm_cov = o.llvm_cov};
  cfz_cover_result r;
  char err[1024];
  rc = cfz_cover(&co, &r, err, sizeof err);
  if (rc == 0)
    print_result(&r);
  else
    fprintf(stderr, "cfz cover: %s\n", err);
  cfz_cover_result_free(&r);
  return rc == 0 ? 0 : 2;
}
