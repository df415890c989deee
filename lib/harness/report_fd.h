/* report_fd.h - where the harness's own reports go: libFuzzer's
 * -close_fd_mask.
 *
 * libFuzzer with -close_fd_mask=1 points fd 1 at /dev/null; with 2 it first
 * duplicates fd 2, sends its own lines and the sanitizer's reports
 * (__sanitizer_set_report_fd) to the duplicate, then points fd 2 at
 * /dev/null; 3 does both.  The target's own output vanishes, the reports do
 * not.  cfz_close_fds(mask) does the same in this process: a target that
 * runs files itself applies -close_fd_mask at once (libfuzzer_main.c); a
 * worker applies the CFZ_CLOSE_FD_MASK its driver (`cfz libfuzzer`) puts in
 * the environment (harness_main.c).  Until then, and without bit 2, the
 * report fd is 2 and the report stream stderr.
 *
 * Every report of the harness that the driver or a person reads (failures,
 * out-of-memory, leaks, start-up errors) is written to cfz_report_stream()
 * or cfz_report_fd().  The fd may be written from a signal handler.
 */
#ifndef CFZ_REPORT_FD_H
#define CFZ_REPORT_FD_H

#include <stddef.h>
#include <stdio.h>

/* Applies mask (bit 0: stdout, bit 1: stderr; other bits ignored).
 * Returns 0, or -1 with why (the call and the error) in err; what failed is
 * left as it was. */
int cfz_close_fds(long mask, char *err, size_t errlen);

/* The fd and the stream of the harness's reports. */
int cfz_report_fd(void);
FILE *cfz_report_stream(void);

#endif
