/* Unit tests for failure kinds, messages, sanitizer reports, signatures. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"

START_TEST(signal_names) {
  char buf[32];
  ck_assert_str_eq(cfz_signal_name(SIGSEGV, buf, sizeof buf), "SIGSEGV");
  static const struct {
    int sig;
    const char *name;
  } want[] = {
      {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGILL, "SIGILL"},
      {SIGFPE, "SIGFPE"},   {SIGBUS, "SIGBUS"},   {SIGKILL, "SIGKILL"},
      {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGTRAP, "SIGTRAP"},
      {SIGSYS, "SIGSYS"},   {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},
      {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}, {SIGHUP, "SIGHUP"},
      {SIGQUIT, "SIGQUIT"}, {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
      {SIGCHLD, "SIGCHLD"}, {SIGSTOP, "SIGSTOP"}, {SIGVTALRM, "SIGVTALRM"},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    ck_assert_str_eq(cfz_signal_name(want[i].sig, buf, sizeof buf),
                     want[i].name);
  ck_assert_str_eq(cfz_signal_name(999, buf, sizeof buf), "signal 999");
#ifdef SIGRTMIN
  ck_assert_str_eq(cfz_signal_name(SIGRTMIN + 2, buf, sizeof buf),
                   "SIGRTMIN+2");
#endif
}
END_TEST

START_TEST(messages) {
  cfz_failure f;
  cfz_failure_from_exit(&f, 0, SIGSEGV, NULL);
  ck_assert_int_eq(f.kind, CFZ_FAIL_SIGNAL);
  ck_assert_int_eq(f.code, SIGSEGV);
  ck_assert_str_eq(f.message,
                   "fuzzing process terminated unexpectedly: signal SIGSEGV");
  ck_assert_str_eq(f.bug_type, "");
  ck_assert_str_eq(f.frames[0], "");

  cfz_failure_from_exit(&f, 99, 0, "some output\n");
  ck_assert_int_eq(f.kind, CFZ_FAIL_EXIT);
  ck_assert_int_eq(f.code, 99);
  ck_assert_str_eq(f.message,
                   "fuzzing process terminated unexpectedly: exit status 99");

  cfz_failure_hang(&f, 10000);
  ck_assert_int_eq(f.kind, CFZ_FAIL_HANG);
  ck_assert_str_eq(f.message,
                   "fuzzing process hung: no progress within 10s (--timeout)");
  cfz_failure_hang(&f, 1500);
  ck_assert_str_eq(
      f.message, "fuzzing process hung: no progress within 1500ms (--timeout)");

  cfz_failure_oom(&f, 2100, 2048);
  ck_assert_int_eq(f.kind, CFZ_FAIL_OOM);
  ck_assert_str_eq(
      f.message, "fuzzing process used 2100 MB, above the 2048 MB --rss-limit");

  cfz_failure_recoverable(&f, "bad header: got 3");
  ck_assert_int_eq(f.kind, CFZ_FAIL_RECOVERABLE);
  ck_assert_str_eq(f.message, "bad header: got 3");
}
END_TEST

static const char asan_report[] =
    "INFO: Seed: 1234\n"
    "=================================================================\n"
    "==123==ERROR: AddressSanitizer: heap-buffer-overflow on address "
    "0x602000000011 at pc 0x4f2a1b bp 0x7ffd sp 0x7ffc\n"
    "READ of size 1 at 0x602000000011 thread T0\n"
    "    #0 0x4f2a1b in parse_header /src/x.c:10:3\n"
    "    #1 0x4f2b00 in read_all /src/x.c:22:9\n"
    "    #2 0x4f2c00 in cfz_run_one /src/lib/harness/loop.c:99:5\n"
    "    #3 0x4f2d00 in main /src/x.c:40:1\n"
    "    #4 0x7f00 in __libc_start_main (/lib/libc.so.6+0x29d90)\n"
    "\n"
    "0x602000000011 is located 0 bytes after 1-byte region\n"
    "allocated by thread T0 here:\n"
    "    #0 0x4c0000 in malloc "
    "/llvm/compiler-rt/lib/asan/asan_malloc_linux.cpp:69:3\n"
    "    #1 0x4f2e00 in other_function /src/x.c:50:2\n"
    "\n"
    "SUMMARY: AddressSanitizer: heap-buffer-overflow /src/x.c:10:3 in "
    "parse_header\n"
    "==123==ABORTING\n";

START_TEST(asan_report_parsed) {
  cfz_failure f;
  cfz_failure_from_exit(&f, 0, SIGABRT, asan_report);
  ck_assert_str_eq(f.message,
                   "fuzzing process terminated unexpectedly: signal SIGABRT");
  ck_assert_str_eq(f.bug_type, "heap-buffer-overflow");
  ck_assert_str_eq(f.frames[0], "parse_header");
  ck_assert_str_eq(f.frames[1], "read_all");
  ck_assert_str_eq(f.frames[2], "main"); /* cfz_ frame skipped */
  char sig[1024];
  ck_assert_str_eq(cfz_failure_signature(&f, sig, sizeof sig),
                   "signal SIGABRT|heap-buffer-overflow|parse_header|"
                   "read_all|main");
  /* Parsing again (as the coordinator does) gives the same result. */
  cfz_failure_parse_report(&f, asan_report);
  ck_assert_str_eq(f.frames[0], "parse_header");
  ck_assert_str_eq(f.bug_type, "heap-buffer-overflow");
}
END_TEST

START_TEST(asan_segv_and_interceptors) {
  static const char report[] =
      "AddressSanitizer:DEADLYSIGNAL\n"
      "==7==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 "
      "(pc 0x55 bp 0x7ff sp 0x7ff T0)\n"
      "==7==The signal is caused by a READ memory access.\n"
      "    #0 0x55 in __interceptor_strlen /src/sanitizer_common.inc:389\n"
      "    #1 0x56 in ___interceptor_memcpy (/x+0x10)\n"
      "    #2 0x57 in __asan_memcpy (/x+0x11)\n"
      "    #3 0x58 in Parser::parse(char const*, unsigned long) "
      "/src/p.cc:10:3\n"
      "    #4 0x59 in std::vector<int, std::allocator<int> >::at(unsigned "
      "long) /usr/include/c++/vector:12\n"
      "    #5 0x5a in LLVMFuzzerTestOneInput /src/p.cc:30:1\n"
      "\n"
      "SUMMARY: AddressSanitizer: SEGV /src/p.cc:10:3 in Parser::parse\n";
  cfz_failure f;
  cfz_failure_from_exit(&f, 1, 0, report);
  ck_assert_str_eq(f.bug_type, "SEGV");
  ck_assert_str_eq(f.frames[0], "Parser::parse(char const*, unsigned long)");
  ck_assert_str_eq(f.frames[1],
                   "std::vector<int, std::allocator<int> >::at(unsigned long)");
  ck_assert_str_eq(f.frames[2], "LLVMFuzzerTestOneInput");
}
END_TEST

START_TEST(asan_canonical_types) {
  static const char dfree[] =
      "==9==ERROR: AddressSanitizer: attempting double-free on 0x6020 in "
      "thread T0:\n"
      "    #0 0x1 in free /compiler-rt/lib/asan/asan_malloc_linux.cpp:52\n"
      "    #1 0x2 in release /src/r.c:5:3\n"
      "SUMMARY: AddressSanitizer: double-free /src/r.c:5 in release\n";
  cfz_failure f;
  cfz_failure_from_exit(&f, 0, SIGABRT, dfree);
  ck_assert_str_eq(f.bug_type, "double-free");
  ck_assert_str_eq(f.frames[0], "release");
  ck_assert_str_eq(f.frames[1], "");

  /* The summary names the type when the message does not. */
  static const char badfree[] =
      "==9==ERROR: AddressSanitizer: attempting free on address which was "
      "not malloc()-ed: 0x7ffd in thread T0\n"
      "    #0 0x1 in free (/usr/lib/libasan.so.8+0xd9)\n"
      "    #1 0x2 in drop /src/r.c:9:3\n"
      "SUMMARY: AddressSanitizer: bad-free (/usr/lib/libasan.so.8+0xd9) in "
      "free\n";
  cfz_failure_from_exit(&f, 0, SIGABRT, badfree);
  ck_assert_str_eq(f.bug_type, "bad-free");
  ck_assert_str_eq(f.frames[0], "drop");

  /* Only the end of the output was kept: the summary alone. */
  cfz_failure_from_exit(
      &f, 0, SIGABRT,
      "...ted by thread T0 here:\n"
      "SUMMARY: AddressSanitizer: stack-overflow /src/r.c:3 in recurse\n");
  ck_assert_str_eq(f.bug_type, "stack-overflow");
}
END_TEST

START_TEST(lsan_report) {
  static const char report[] =
      "\n"
      "=================================================================\n"
      "==1==ERROR: LeakSanitizer: detected memory leaks\n"
      "\n"
      "Direct leak of 24 byte(s) in 1 object(s) allocated from:\n"
      "    #0 0x4c in malloc (/out/target+0x4c)\n"
      "    #1 0x4d in make_node /src/tree.c:7:14\n"
      "    #2 0x4e in build /src/tree.c:20:3\n"
      "    #3 0x4f in LLVMFuzzerTestOneInput /src/tree.c:30:3\n"
      "\n"
      "Direct leak of 8 byte(s) in 1 object(s) allocated from:\n"
      "    #0 0x4c in operator new(unsigned long) (/out/target+0x4c)\n"
      "    #1 0x4d in other /src/tree.c:9:14\n"
      "\n"
      "SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).\n";
  cfz_failure f;
  cfz_failure_from_exit(&f, 1, 0, report);
  ck_assert_int_eq(f.kind, CFZ_FAIL_EXIT);
  ck_assert_str_eq(f.bug_type, "memory-leak");
  /* malloc is the runtime's interceptor, even linked into the target. */
  ck_assert_str_eq(f.frames[0], "make_node");
  ck_assert_str_eq(f.frames[1], "build");
  ck_assert_str_eq(f.frames[2], "LLVMFuzzerTestOneInput");
  char sig[512];
  ck_assert_str_eq(
      cfz_failure_signature(&f, sig, sizeof sig),
      "exit status 1|memory-leak|make_node|build|LLVMFuzzerTestOneInput");
}
END_TEST

START_TEST(ubsan_report) {
  static const char report[] =
      "file.c:12:5: runtime error: signed integer overflow: 2147483647 + 1 "
      "cannot be represented in type 'int'\n"
      "    #0 0x4a in add_all /src/file.c:12:5\n"
      "    #1 0x4b in __ubsan_handle_add_overflow_abort (/x+0x4b)\n"
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior file.c:12:5 "
      "in\n";
  cfz_failure f;
  cfz_failure_from_exit(&f, 0, SIGABRT, report);
  ck_assert_str_eq(f.bug_type, "signed integer overflow");
  ck_assert_str_eq(f.frames[0], "add_all");
  ck_assert_str_eq(f.frames[1], "");

  /* Numbers vary with the input; the type must not. */
  cfz_failure a, b;
  cfz_failure_from_exit(&a, 0, SIGABRT,
                        "x.c:3:9: runtime error: index 10 out of bounds for "
                        "type 'int[4]'\n");
  cfz_failure_from_exit(&b, 0, SIGABRT,
                        "x.c:3:9: runtime error: index 77 out of bounds for "
                        "type 'int[4]'\n");
  ck_assert_str_eq(a.bug_type, "index out of bounds for type 'int[4]'");
  ck_assert(cfz_failure_same(&a, &b));
}
END_TEST

START_TEST(no_report) {
  cfz_failure f;
  cfz_failure_from_exit(&f, 0, SIGSEGV,
                        "==1== ERROR: libFuzzer: deadly signal\n"
                        "    #0 0x1 in something /x.c:1\n"
                        "just some output\n");
  ck_assert_str_eq(f.bug_type, "");
  ck_assert_str_eq(f.frames[0], "");
  char sig[256];
  ck_assert_str_eq(cfz_failure_signature(&f, sig, sizeof sig),
                   "signal SIGSEGV");
  cfz_failure_parse_report(&f, "");
  cfz_failure_parse_report(&f, NULL);
  ck_assert_str_eq(f.bug_type, "");
}
END_TEST

START_TEST(same_and_signature) {
  cfz_failure a, b;
  cfz_failure_from_exit(&a, 0, SIGSEGV, NULL);
  cfz_failure_from_exit(&b, 0, SIGSEGV, NULL);
  ck_assert(cfz_failure_same(&a, &b));
  cfz_failure_from_exit(&b, 0, SIGABRT, NULL);
  ck_assert(!cfz_failure_same(&a, &b));
  cfz_failure_from_exit(&b, 11, 0, NULL); /* exit 11 is not SIGSEGV */
  ck_assert(!cfz_failure_same(&a, &b));

  cfz_failure_from_exit(&a, 0, SIGABRT, asan_report);
  cfz_failure_from_exit(&b, 0, SIGABRT,
                        "==5==ERROR: AddressSanitizer: heap-use-after-free "
                        "on address 0x1\n    #0 0x1 in parse_header /x.c:1\n");
  ck_assert(!cfz_failure_same(&a, &b));
  /* Same bug type, different frames: same for minimization, distinct
   * signatures for --keep-going. */
  cfz_failure_from_exit(&b, 0, SIGABRT,
                        "==5==ERROR: AddressSanitizer: heap-buffer-overflow "
                        "on address 0x1\n    #0 0x1 in elsewhere /x.c:1\n");
  ck_assert(cfz_failure_same(&a, &b));
  char sa[512], sb[512];
  ck_assert_str_ne(cfz_failure_signature(&a, sa, sizeof sa),
                   cfz_failure_signature(&b, sb, sizeof sb));

  /* Recoverable: messages are not compared by same, but are signed. */
  cfz_failure_recoverable(&a, "value 3 too big");
  cfz_failure_recoverable(&b, "value 4 too big");
  ck_assert(cfz_failure_same(&a, &b));
  ck_assert_str_eq(cfz_failure_signature(&a, sa, sizeof sa),
                   "recoverable: value 3 too big");
  ck_assert_str_ne(sa, cfz_failure_signature(&b, sb, sizeof sb));

  cfz_failure_hang(&a, 1000);
  cfz_failure_hang(&b, 5000);
  ck_assert(cfz_failure_same(&a, &b));
  ck_assert_str_eq(cfz_failure_signature(&a, sa, sizeof sa), "hang");
  cfz_failure_oom(&b, 3000, 2048);
  ck_assert(!cfz_failure_same(&a, &b));
  ck_assert_str_eq(cfz_failure_signature(&b, sb, sizeof sb), "out of memory");
  cfz_failure_recoverable(&b, "x");
  ck_assert(!cfz_failure_same(&a, &b));

  /* A short buffer is truncated, still NUL-terminated. */
  char tiny[8];
  cfz_failure_from_exit(&a, 0, SIGABRT, asan_report);
  ck_assert_str_eq(cfz_failure_signature(&a, tiny, sizeof tiny), "signal ");
}
END_TEST

/* ---- titles: the failure as a person triages it ------------------------- */

static const char HBO_REPORT[] =
    "INFO: seed corpus: files: 3\n"
    "=================================================================\n"
    "==12345==ERROR: AddressSanitizer: heap-buffer-overflow on address "
    "0x602000000013 at pc 0x55d5c2b1e2a3 bp 0x7ffd1c2e9a10 sp "
    "0x7ffd1c2e9a08\n"
    "READ of size 1 at 0x602000000013 thread T0\n"
    "    #0 0x55d5c2b1e2a3 in parse_name /home/u/proj/src/parse.c:24:5\n"
    "    #1 0x55d5c2b1e4f1 in fuzz /home/u/proj/fuzz/fuzz_parse.c:12:3\n"
    "    #2 0x55d5c2b20a11 in cfz_run_one /src/cfz/lib/harness/exec.c:88:3\n"
    "    #3 0x7f1d2a229d8f in __libc_start_call_main "
    "csu/../sysdeps/nptl/libc_start_call_main.h:58:16\n"
    "\n"
    "0x602000000013 is located 0 bytes after 3-byte region "
    "[0x602000000010,0x602000000013)\n"
    "allocated by thread T0 here:\n"
    "    #0 0x55d5c2ad3e1e in malloc (/x/target+0xd3e1e)\n"
    "    #1 0x55d5c2b1e201 in parse_name /home/u/proj/src/parse.c:20:15\n"
    "\n"
    "SUMMARY: AddressSanitizer: heap-buffer-overflow "
    "/home/u/proj/src/parse.c:24:5 in parse_name\n"
    "Shadow bytes around the buggy address:\n";

START_TEST(title_heap_buffer_overflow) {
  cfz_failure f;
  char t[512];
  cfz_failure_from_exit(&f, 1, 0, HBO_REPORT);
  ck_assert_str_eq(f.bug_type, "heap-buffer-overflow");
  ck_assert_str_eq(f.access, "READ 1");
  ck_assert_str_eq(f.frames[0], "parse_name");
  ck_assert_str_eq(f.frames[1], "fuzz");
  ck_assert_str_eq(f.frames[2], ""); /* harness and libc skipped */
  ck_assert_str_eq(f.location, "parse.c:24");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "heap-buffer-overflow READ 1 in parse_name (parse.c:24)");
  ck_assert_str_eq(cfz_failure_kind_name(f.kind), "exit");
}
END_TEST

START_TEST(title_use_after_free_in_libc_memcpy) {
  static const char report[] =
      "==77==ERROR: AddressSanitizer: heap-use-after-free on address "
      "0x603000000040 at pc 0x4a bp 0x7f sp 0x7f\n"
      "WRITE of size 8 at 0x603000000040 thread T0\n"
      "    #0 0x4a1b in __asan_memcpy (/t/target+0x4a1b)\n"
      "    #1 0x7f12 in __memcpy_avx_unaligned_erms "
      "(/lib/x86_64-linux-gnu/libc.so.6+0x1a2b3)\n"
      "    #2 0x5c in node_copy(node*, node const*) /p/tree.cc:31:10\n"
      "    #3 0x5d in LLVMFuzzerTestOneInput /p/fuzz.cc:9:3\n"
      "\n"
      "freed by thread T0 here:\n"
      "    #0 0x4b in free (/t/target+0x4b)\n"
      "SUMMARY: AddressSanitizer: heap-use-after-free /p/tree.cc:31:10 in "
      "node_copy(node*, node const*)\n";
  cfz_failure f;
  char t[512];
  cfz_failure_from_exit(&f, 0, SIGABRT, report);
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "heap-use-after-free WRITE 8 in node_copy(node*, node "
                   "const*) (tree.cc:31)");
  ck_assert_str_eq(f.frames[1], "LLVMFuzzerTestOneInput");
}
END_TEST

START_TEST(title_segv_null) {
  static const char report[] =
      "AddressSanitizer:DEADLYSIGNAL\n"
      "=================================================================\n"
      "==4242==ERROR: AddressSanitizer: SEGV on unknown address "
      "0x000000000000 (pc 0x55e1 bp 0x7ffc sp 0x7ffc T0)\n"
      "==4242==The signal is caused by a WRITE memory access.\n"
      "==4242==Hint: address points to the zero page.\n"
      "    #0 0x55e1 in store_it /p/x.c:20:8\n"
      "    #1 0x55e2 in fuzz /p/x.c:31:3\n"
      "\n"
      "AddressSanitizer can not provide additional info.\n"
      "SUMMARY: AddressSanitizer: SEGV /p/x.c:20:8 in store_it\n"
      "==4242==ABORTING\n";
  cfz_failure f;
  char t[512];
  cfz_failure_from_exit(&f, 0, SIGABRT, report);
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "SEGV WRITE on address 0x0 in store_it (x.c:20)");
  ck_assert_str_eq(f.address, "0x0");
}
END_TEST

START_TEST(title_ubsan_lsan_glibc_plain) {
  cfz_failure f;
  char t[512];
  cfz_failure_from_exit(
      &f, 1, 0,
      "src/calc.c:7:12: runtime error: signed integer overflow: 2147483647 + "
      "1 cannot be represented in type 'int'\n"
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior "
      "src/calc.c:7:12 in \n");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "signed integer overflow (calc.c:7)");

  cfz_failure_from_exit(
      &f, 23, 0,
      "\n=================================================================\n"
      "==9==ERROR: LeakSanitizer: detected memory leaks\n"
      "\n"
      "Direct leak of 24 byte(s) in 1 object(s) allocated from:\n"
      "    #0 0x4a in malloc (/t+0x4a)\n"
      "    #1 0x5b in make_node /p/tree.c:31:10\n"
      "    #2 0x5c in fuzz /p/fuzz.c:5:3\n"
      "\n"
      "SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).\n");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "memory-leak in make_node (tree.c:31)");

  cfz_failure_from_exit(&f, 0, SIGABRT,
                        "parsing...\nfree(): invalid pointer\n");
  ck_assert_str_eq(f.bug_type, "free(): invalid pointer");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t),
                   "free(): invalid pointer (SIGABRT)");

  cfz_failure_from_exit(&f, 0, SIGABRT,
                        "*** stack smashing detected ***: terminated\n");
  ck_assert_str_eq(f.bug_type, "*** stack smashing detected ***");

  cfz_failure_from_exit(&f, 0, SIGSEGV, "no report here\n");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t), "SIGSEGV");
  cfz_failure_from_exit(&f, 7, 0, NULL);
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t), "exit status 7");
  cfz_failure_recoverable(&f, "dollar");
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t), "dollar");
  ck_assert_str_eq(cfz_failure_kind_name(f.kind), "recoverable");
  cfz_failure_hang(&f, 10000);
  ck_assert_str_eq(cfz_failure_title(&f, t, sizeof t), f.message);
}
END_TEST

int main(void) {
  Suite *s = suite_create("failure");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, signal_names);
  tcase_add_test(tc, messages);
  tcase_add_test(tc, asan_report_parsed);
  tcase_add_test(tc, asan_segv_and_interceptors);
  tcase_add_test(tc, asan_canonical_types);
  tcase_add_test(tc, lsan_report);
  tcase_add_test(tc, ubsan_report);
  tcase_add_test(tc, no_report);
  tcase_add_test(tc, same_and_signature);
  tcase_add_test(tc, title_heap_buffer_overflow);
  tcase_add_test(tc, title_use_after_free_in_libc_memcpy);
  tcase_add_test(tc, title_segv_null);
  tcase_add_test(tc, title_ubsan_lsan_glibc_plain);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
