/* status_line.c - one line on a terminal, rewritten in place
 * (status_line.h). */
#include "status_line.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* "\r" back to column 0, then ESC [ K: erase to the end of the line. */
#define CLEAR_LINE "\r\033[K"

static bool is_terminal(int fd) {
  const char *term = getenv("TERM");
  return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

void cfz_status_line_init(cfz_status_line *s) {
  *s = (cfz_status_line){
      .out = stderr, .live = is_terminal(STDERR_FILENO), .stdout_live = false};
  s->stdout_live = s->live && isatty(STDOUT_FILENO);
}

bool cfz_status_line_live(const cfz_status_line *s) { return s->live; }

/* The terminal's width in columns; 80 when it does not say. */
static size_t columns(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

void cfz_status_line_show(cfz_status_line *s, const char *text) {
  if (!s->live)
    return;
  /* One column short of the width: writing the last column makes some
   * terminals wrap at once. */
  size_t width = columns(fileno(s->out));
  size_t n = strcspn(text, "\n");
  if (width > 1 && n > width - 1)
    n = width - 1;
  fprintf(s->out, CLEAR_LINE "%.*s", (int)n, text);
  fflush(s->out);
  s->shown = true;
}

void cfz_status_line_clear(cfz_status_line *s) {
  if (!s->shown)
    return;
  fputs(CLEAR_LINE, s->out);
  fflush(s->out);
  s->shown = false;
}

void cfz_status_line_end(cfz_status_line *s) {
  if (!s->shown)
    return;
  fputc('\n', s->out);
  fflush(s->out);
  s->shown = false;
}
