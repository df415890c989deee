/* report_fd.c - the harness's report fd and -close_fd_mask (report_fd.h). */
#include "report_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* The sanitizers' runtime, when linked: where their reports go. */
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

static int g_fd = STDERR_FILENO;
static FILE *g_stream; /* NULL: stderr */

int cfz_report_fd(void) { return g_fd; }

FILE *cfz_report_stream(void) { return g_stream ? g_stream : stderr; }

static int fail(char *err, size_t errlen, const char *call) {
  snprintf(err, errlen, "-close_fd_mask: %s: %s", call, strerror(errno));
  return -1;
}

/* Points fd at /dev/null.  Returns 0 or -1 (err set). */
static int discard(int fd, char *err, size_t errlen) {
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0)
    return fail(err, errlen, "open /dev/null");
  int rc = dup2(null, fd) < 0 ? fail(err, errlen, "dup2 /dev/null") : 0;
  close(null);
  return rc;
}

int cfz_close_fds(long mask, char *err, size_t errlen) {
  if ((mask & 2) && g_fd == STDERR_FILENO) {
    fflush(stderr);
    int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
      return fail(err, errlen, "dup stderr");
    FILE *f = fdopen(fd, "w");
    if (!f) {
      int e = errno;
      close(fd);
      errno = e;
      return fail(err, errlen, "fdopen");
    }
    setvbuf(f, NULL, _IONBF, 0); /* unbuffered, as stderr */
    if (discard(STDERR_FILENO, err, errlen) != 0) {
      fclose(f);
      return -1;
    }
    g_fd = fd;
    g_stream = f;
    if (__sanitizer_set_report_fd)
      __sanitizer_set_report_fd((void *)(intptr_t)fd);
  }
  if (mask & 1) {
    fflush(stdout);
    if (discard(STDOUT_FILENO, err, errlen) != 0)
      return -1;
  }
  return 0;
}
