/* status_line.h - one line on a terminal, rewritten in place.
 *
 * On a terminal (stderr is a tty and TERM is not "dumb") the status is one
 * line that each update overwrites: a carriage return, the ANSI "erase to
 * end of line" sequence and the new text, cut to the terminal's width so
 * that it never wraps, with no newline.  Anything else printed must first
 * clear that line (cfz_status_line_clear), or keep it as a finished line
 * (cfz_status_line_end), so nothing is garbled.  Off a terminal the caller
 * prints plain log lines instead (cfz_status_line_live is false) and the
 * other calls do nothing.  The state lives in the caller's struct. */
#ifndef CFZ_STATUS_LINE_H
#define CFZ_STATUS_LINE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct cfz_status_line {
  FILE *out;        /* stderr */
  bool live;        /* out is a terminal: lines are updated in place */
  bool stdout_live; /* stdout is that terminal too (--json events) */
  bool shown;       /* a status line is on the screen, without newline */
} cfz_status_line;

/* Looks at stderr and stdout (isatty, TERM). */
void cfz_status_line_init(cfz_status_line *s);
/* True when updates are drawn in place. */
bool cfz_status_line_live(const cfz_status_line *s);
/* Replaces the line on the screen with text (one line, no newline). */
void cfz_status_line_show(cfz_status_line *s, const char *text);
/* Erases the line, if one is shown, so other output starts at column 0. */
void cfz_status_line_clear(cfz_status_line *s);
/* Keeps the line on the screen as a finished line (ends it with a
 * newline), if one is shown. */
void cfz_status_line_end(cfz_status_line *s);

#endif
