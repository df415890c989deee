/* test_harness_rss_peak.c - the worker's peak-RSS check (rss_peak.h): a
 * spike allocated, touched and freed before the check is still seen, and
 * ends the process with CFZ_OOM_EXIT_STATUS and the peak in the header. */
#include <check.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rss_peak.h"

#define SPIKE_MB 96u

/* mmap, not malloc: an allocator (ASan's quarantine) may keep freed memory
 * resident. */
static void spike(void) {
  size_t n = (size_t)SPIKE_MB << 20;
  char *p =
      mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(p, MAP_FAILED);
  memset(p, 1, n);
  ck_assert_int_eq(munmap(p, n), 0);
}

static void pause_past_cadence(void) {
  struct timespec ts = {0, 2 * CFZ_PEAK_EVERY_NS};
  nanosleep(&ts, NULL);
}

/* Runs the check in a child with limit (peak at start + 48 MB), after a
 * spike or not; returns its wait status and the header's oom_rss_mb. */
static int run_child(bool with_spike, uint64_t *oom_mb) {
  cfz_shm_header *hdr = mmap(NULL, sizeof *hdr, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(hdr, MAP_FAILED);
  memset(hdr, 0, sizeof *hdr);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    cfz_peak_reset();
    cfz_peak_start(cfz_peak_mb() + 48);
    if (with_spike)
      spike();
    pause_past_cadence();
    cfz_peak_after_run(hdr);
    _exit(0);
  }
  int st = 0;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  *oom_mb = hdr->oom_rss_mb;
  munmap(hdr, sizeof *hdr);
  return st;
}

START_TEST(spike_then_free_is_seen) {
  uint64_t mb = 0;
  int st = run_child(true, &mb);
  ck_assert(WIFEXITED(st));
  ck_assert_int_eq(WEXITSTATUS(st), CFZ_OOM_EXIT_STATUS);
  ck_assert_uint_ge(mb, SPIKE_MB);
}
END_TEST

START_TEST(no_spike_no_exit) {
  uint64_t mb = 1;
  int st = run_child(false, &mb);
  ck_assert(WIFEXITED(st));
  ck_assert_int_eq(WEXITSTATUS(st), 0);
  ck_assert_uint_eq(mb, 0);
}
END_TEST

/* The reset (where /proc/self/clear_refs may be written) forgets a spike
 * made before it: start-up's memory does not count. */
START_TEST(reset_forgets_earlier_spike) {
  spike();
  uint64_t before = cfz_peak_mb();
  ck_assert_uint_ge(before, SPIKE_MB);
  if (cfz_peak_reset() != 0)
    return; /* not permitted here: nothing to check */
  ck_assert_uint_lt(cfz_peak_mb(), before - SPIKE_MB / 2);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rss_peak");
  TCase *tc = tcase_create("peak");
  tcase_add_test(tc, spike_then_free_is_seen);
  tcase_add_test(tc, no_spike_no_exit);
  tcase_add_test(tc, reset_forgets_earlier_spike);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
