/* Unit tests for driver-owned shared-memory regions. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shm.h"

/* Counts the entries of /dev/shm made by this process ("cfz-<pid>-..."). */
static int count_ours(void) {
  char prefix[64];
  snprintf(prefix, sizeof prefix, "cfz-%ld-", (long)getpid());
  DIR *d = opendir("/dev/shm");
  if (!d)
    return 0; /* no /dev/shm to leave anything in */
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
      n++;
  closedir(d);
  return n;
}

START_TEST(create_map_close) {
  int before = count_ours();
  cfz_shm s;
  char err[256] = "";
  ck_assert_msg(cfz_shm_create(&s, 65536, err, sizeof err) == 0, "%s", err);
  ck_assert_int_ge(s.fd, 0);
  ck_assert_ptr_nonnull(s.base);
  ck_assert_uint_eq(s.size, 65536);
  ck_assert_int_eq(count_ours(), before); /* unlinked at once */

  int flags = fcntl(s.fd, F_GETFD);
  ck_assert_int_ge(flags, 0);
  ck_assert(flags & FD_CLOEXEC);
  struct stat st;
  ck_assert_int_eq(fstat(s.fd, &st), 0);
  ck_assert_int_eq(st.st_size, 65536);
  ck_assert_int_eq(st.st_mode & 0777, 0600);

  /* Zero-filled, writable, and shared with a child through the fd. */
  unsigned char *p = s.base;
  ck_assert_int_eq(p[0], 0);
  ck_assert_int_eq(p[65535], 0);
  memcpy(p, "hello", 6);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int ok = memcmp(p, "hello", 6) == 0;
    p[100] = 42;
    p[65535] = 7;
    _exit(ok ? 0 : 1);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ck_assert_int_eq(p[100], 42);
  ck_assert_int_eq(p[65535], 7);

  /* A second mapping of the same fd sees the same bytes. */
  unsigned char buf[6];
  ck_assert_int_eq(pread(s.fd, buf, sizeof buf, 0), 6);
  ck_assert_int_eq(memcmp(buf, "hello", 6), 0);

  cfz_shm_close(&s);
  ck_assert_int_eq(s.fd, -1);
  ck_assert_ptr_null(s.base);
  cfz_shm_close(&s); /* closing twice is harmless */
  ck_assert_int_eq(count_ours(), before);
}
END_TEST

/* A worker holds the fd read-write: it must not be able to shrink (SIGBUS in
 * the driver's next read) or grow the region. */
START_TEST(sealed_against_resize) {
  cfz_shm s;
  char err[256] = "";
  ck_assert_msg(cfz_shm_create(&s, 65536, err, sizeof err) == 0, "%s", err);
  ck_assert(s.sealed);
  ck_assert_int_ne(ftruncate(s.fd, 0), 0);
  ck_assert_int_ne(ftruncate(s.fd, 1 << 20), 0);
  /* Through another open file description too (/proc/self/fd re-open). */
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", s.fd);
  int fd2 = open(path, O_RDWR);
  if (fd2 >= 0) {
    ck_assert_int_ne(ftruncate(fd2, 0), 0);
    ck_assert_int_ne(fcntl(fd2, F_ADD_SEALS, 0), 0); /* sealed for good */
    close(fd2);
  }
  struct stat st;
  ck_assert_int_eq(fstat(s.fd, &st), 0);
  ck_assert_int_eq(st.st_size, 65536);
  ck_assert(cfz_shm_intact(&s));
  ((volatile unsigned char *)s.base)[65535] = 1; /* still mapped in full */
  cfz_shm_close(&s);
}
END_TEST

START_TEST(many_regions_distinct) {
  enum { N = 16 };
  cfz_shm s[N];
  char err[256];
  for (int i = 0; i < N; i++) {
    ck_assert_msg(cfz_shm_create(&s[i], 4096, err, sizeof err) == 0, "%s", err);
    *(int *)s[i].base = i;
  }
  for (int i = 0; i < N; i++)
    ck_assert_int_eq(*(int *)s[i].base, i);
  ck_assert_int_eq(count_ours(), 0);
  for (int i = 0; i < N; i++)
    cfz_shm_close(&s[i]);
}
END_TEST

START_TEST(failure_is_named_and_cleaned_up) {
  int before = count_ours();
  cfz_shm s;
  char err[256] = "";
  ck_assert_int_eq(cfz_shm_create(&s, 0, err, sizeof err), -1);
  ck_assert_int_eq(s.fd, -1);
  ck_assert_ptr_null(s.base);
  ck_assert(err[0] != 0);

  /* Far more than any machine has: ftruncate or mmap refuses it. */
  err[0] = 0;
  ck_assert_int_eq(cfz_shm_create(&s, SIZE_MAX / 4, err, sizeof err), -1);
  ck_assert_msg(strncmp(err, "ftruncate ", 10) == 0 ||
                    strncmp(err, "mmap ", 5) == 0,
                "%s", err);
  ck_assert_int_eq(s.fd, -1);
  ck_assert_int_eq(count_ours(), before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("shm");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, create_map_close);
  tcase_add_test(tc, many_regions_distinct);
  tcase_add_test(tc, sealed_against_resize);
  tcase_add_test(tc, failure_is_named_and_cleaned_up);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
