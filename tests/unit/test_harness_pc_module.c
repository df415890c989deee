/* Unit tests for pc_module: code addresses relative to their module, the same
 * in every process of a binary whatever ASLR does. */
#include <check.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pc_module.h"

__attribute__((noinline)) static int local_function(int x) { return x * 3; }

/* What dladdr says: address - base of the module holding it. */
static uintptr_t expected(uintptr_t pc) {
  Dl_info info;
  ck_assert_msg(dladdr((void *)pc, &info) != 0, "dladdr found no module");
  return pc - (uintptr_t)info.dli_fbase;
}

START_TEST(test_executable) {
  uintptr_t pc = (uintptr_t)&local_function;
  ck_assert_uint_eq(cfz_pc_rel(pc), expected(pc));
  ck_assert_uint_eq(cfz_pc_rel(pc + 7), expected(pc) + 7);
  ck_assert_int_eq(local_function(2), 6);
}
END_TEST

START_TEST(test_shared_library) {
  /* The definition in libc, not a PLT stub of the executable. */
  void *f = dlsym(RTLD_DEFAULT, "strtoul");
  ck_assert_ptr_nonnull(f);
  uintptr_t pc = (uintptr_t)f;
  ck_assert_uint_eq(cfz_pc_rel(pc), expected(pc));
}
END_TEST

START_TEST(test_no_module) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(p, MAP_FAILED);
  uintptr_t a = (uintptr_t)p + 100;
  ck_assert_uint_eq(cfz_pc_rel(a), a);
  ck_assert_int_eq(munmap(p, 4096), 0);
}
END_TEST

/* Runs this executable again with "--print"; returns what it printed. */
static void run_child(uintptr_t *abs, uintptr_t *rel) {
  int fd[2];
  ck_assert_int_eq(pipe(fd), 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]);
    execl("/proc/self/exe", "test_harness_pc_module", "--print", (char *)NULL);
    _exit(127);
  }
  close(fd[1]);
  char buf[128] = {0};
  size_t n = 0;
  ssize_t r;
  while (n < sizeof buf - 1 &&
         (r = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0)
    n += (size_t)r;
  close(fd[0]);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ck_assert_int_eq(sscanf(buf, "%" SCNxPTR " %" SCNxPTR, abs, rel), 2);
}

START_TEST(test_same_in_every_process) {
  uintptr_t abs1, rel1, abs2, rel2;
  run_child(&abs1, &rel1);
  run_child(&abs2, &rel2);
  ck_assert_uint_eq(rel1, rel2);
  if (abs1 == abs2)
    fprintf(stderr, "note: ASLR is off here; the test shows less\n");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_pc_module");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_executable);
  tcase_add_test(tc, test_shared_library);
  tcase_add_test(tc, test_no_module);
  tcase_add_test(tc, test_same_in_every_process);
  suite_add_tcase(s, tc);
  return s;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--print") == 0) {
    uintptr_t pc = (uintptr_t)&local_function;
    printf("%" PRIxPTR " %" PRIxPTR "\n", pc, cfz_pc_rel(pc));
    return 0;
  }
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
