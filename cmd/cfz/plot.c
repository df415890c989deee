/* plot.c - `cfz plot [-o OUT] FILE`: draws a stats file (cfz run --stats)
 * with gnuplot.
 *
 * The file is read and checked here (stats_series.h); gnuplot gets one
 * script on its stdin with the numbers inline, so it never parses the CSV
 * and the file's name never reaches its command line.  docs/stats.md says
 * why gnuplot. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "file_read.h"
#include "stats_series.h"
#include "strbuf.h"

extern char **environ;

#define GNUPLOT "gnuplot"
#define INSTALL_HINT                                                           \
  "install gnuplot (Debian/Ubuntu: apt-get install gnuplot-nox)"

static void plot_usage(FILE *f) {
  fprintf(f,
          "usage: cfz plot [options] FILE\n"
          "\n"
          "Draws a stats file (cfz run --stats FILE, or the <Target>.stats.csv "
          "beside\n"
          "the generated corpus) with gnuplot: edges, corpus size, execs/s "
          "and failures\n"
          "over time, as SVG or PNG.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE       the picture, .svg or .png (default: FILE "
          "with .svg)\n"
          "  -h, --help              show this help\n");
}

/* s as a gnuplot single-quoted string: '' stands for a quote. */
static void add_quoted(cfz_strbuf *b, const char *s) {
  cfz_sb_str(b, "'");
  for (; *s; s++) {
    if (*s == '\'')
      cfz_sb_str(b, "''");
    else
      cfz_sb_add(b, s, 1);
  }
  cfz_sb_str(b, "'");
}

/* An axis from 0 to max with some room above ([0:1] for a column of
 * zeros); counts below 10 get a tick per whole number, not 0.5 steps. */
static void add_range(cfz_strbuf *b, const char *axis, uint64_t max) {
  cfz_sb_printf(b, "set %srange [0:%" PRIu64 "]\nset %stics %s\n", axis,
                max ? max + max / 10 + 1 : 1, axis,
                max < 10 ? "1" : "autofreq");
}

/* The gnuplot script: four panels over time (seconds), the data inline. */
static char *plot_script(const cfz_stats_series *s, const char *title,
                         const char *out, bool png) {
  cfz_strbuf b = {0};
  if (png)
    cfz_sb_str(&b, "set terminal pngcairo size 1000,1000 noenhanced "
                   "font 'sans,10' background '#ffffff'\n");
  else
    cfz_sb_str(&b, "set terminal svg size 1000,1000 noenhanced "
                   "font 'sans,11' background '#ffffff'\n");
  cfz_sb_str(&b, "set output ");
  add_quoted(&b, out);
  cfz_sb_str(&b, "\n$stats << EOD\n");
  for (size_t i = 0; i < s->n; i++) {
    const uint64_t *r = s->v[i];
    cfz_sb_printf(&b,
                  "%.3f %" PRIu64 " %" PRIu64 " %.1f %" PRIu64 " %" PRIu64
                  " %" PRIu64 "\n",
                  (double)r[CFZ_SERIES_ELAPSED_MS] / 1000.0,
                  r[CFZ_SERIES_EDGES], r[CFZ_SERIES_CORPUS],
                  (double)r[CFZ_SERIES_CORPUS_BYTES] / 1024.0,
                  r[CFZ_SERIES_EXECS_PER_SEC], r[CFZ_SERIES_FAILURES],
                  r[CFZ_SERIES_FEATURES]);
  }
  cfz_sb_str(&b, "EOD\n");
  double tmax = s->n ? (double)s->max[CFZ_SERIES_ELAPSED_MS] / 1000.0 : 0;
  cfz_sb_printf(&b, "set xrange [0:%.3f]\n", tmax > 0 ? tmax : 1.0);
  cfz_sb_str(&b, "set grid\nset key top left\nset xlabel 'time (s)'\n"
                 "set style data linespoints\nset pointsize 0.4\n"
                 "set multiplot layout 4,1 title ");
  add_quoted(&b, title);
  cfz_sb_str(&b, "\n");
  /* 1: coverage */
  add_range(&b, "y", s->max[CFZ_SERIES_FEATURES]);
  cfz_sb_str(&b, "set title 'coverage'\nset ylabel 'count'\n"
                 "plot $stats using 1:2 title 'edges' lw 2, "
                 "$stats using 1:7 title 'features' lw 1\n");
  /* 2: corpus entries, and its bytes on the right */
  add_range(&b, "y", s->max[CFZ_SERIES_CORPUS]);
  add_range(&b, "y2", (s->max[CFZ_SERIES_CORPUS_BYTES] + 1023) / 1024);
  cfz_sb_str(&b, "set title 'corpus'\nset ylabel 'entries'\n"
                 "set y2label 'KiB'\nset ytics nomirror\n"
                 "plot $stats using 1:3 title 'entries' lw 2 axes x1y1, "
                 "$stats using 1:4 title 'KiB' lw 1 axes x1y2\n"
                 "unset y2tics\nunset y2label\nset ytics mirror\n");
  /* 3: speed */
  add_range(&b, "y", s->max[CFZ_SERIES_EXECS_PER_SEC]);
  cfz_sb_str(&b, "set title 'execs/s'\nset ylabel 'execs/s'\n"
                 "set format y '%.1s%c'\n"
                 "plot $stats using 1:5 title 'execs/s' lw 2\n"
                 "set format y '%g'\n");
  /* 4: failures (a count: whole numbers only) */
  add_range(&b, "y", s->max[CFZ_SERIES_FAILURES]);
  cfz_sb_str(&b, "set title 'failures'\nset ylabel 'distinct failures'\n"
                 "plot $stats using 1:6 title 'failures' lw 2 with steps\n"
                 "unset multiplot\nset output\n");
  return cfz_sb_take(&b);
}

/* Writes all of s to fd.  Returns 0, or errno. */
static int write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Runs gnuplot with script on its stdin; its own messages go to our
 * stderr.  Returns 0, or -1 with what failed printed. */
static int run_gnuplot(const char *script) {
  int fds[2];
  if (pipe(fds) != 0) {
    fprintf(stderr, "cfz plot: pipe: %s\n", strerror(errno));
    return -1;
  }
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_t fa;
  int e = posix_spawn_file_actions_init(&fa);
  if (e == 0)
    e = posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
  if (e == 0)
    e = posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid = -1;
  char *argv[] = {GNUPLOT, NULL};
  if (e == 0)
    e = posix_spawnp(&pid, GNUPLOT, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[0]);
  if (e != 0) {
    close(fds[1]);
    fprintf(stderr, "cfz plot: cannot run %s: %s (%s)\n", GNUPLOT, strerror(e),
            e == ENOENT ? INSTALL_HINT : "posix_spawnp");
    return -1;
  }
  /* SIGPIPE is ignored (main.c): a gnuplot that quits early is EPIPE. */
  int werr = write_all(fds[1], script, strlen(script));
  if (close(fds[1]) != 0 && !werr)
    werr = errno;
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "cfz plot: waitpid %s (pid %d): %s\n", GNUPLOT, (int)pid,
              strerror(errno));
      return -1;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !werr)
    return 0;
  if (WIFSIGNALED(status))
    fprintf(stderr, "cfz plot: %s (pid %d) killed by signal %d\n", GNUPLOT,
            (int)pid, WTERMSIG(status));
  else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    fprintf(stderr, "cfz plot: %s (pid %d) failed: exit status %d\n", GNUPLOT,
            (int)pid, WEXITSTATUS(status));
  else
    fprintf(stderr, "cfz plot: writing the script to %s (pid %d): %s\n",
            GNUPLOT, (int)pid, strerror(werr));
  return -1;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The default picture: FILE without ".csv", plus ".svg". */
static void default_output(const char *file, char *buf, size_t len) {
  size_t n = strlen(file);
  if (ends_with(file, ".csv"))
    n -= 4;
  snprintf(buf, len, "%.*s.svg", (int)n, file);
}

/* The picture's name: it ends in .svg or .png and holds no newline.
 * Returns 0, or -1 with the reason printed. */
static int check_picture_name(const char *out, bool png) {
  if (!png && !ends_with(out, ".svg")) {
    fprintf(stderr,
            "cfz plot: %s: the picture's name must end in .svg or "
            ".png\n",
            out);
    return -1;
  }
  if (strchr(out, '\n')) {
    fprintf(stderr, "cfz plot: the picture's name holds a newline\n");
    return -1;
  }
  return 0;
}

/* Reads the stats file into *s, at least one row.  Returns 0, or -1 with
 * the reason printed. */
static int read_series(const char *file, cfz_stats_series *s) {
  uint8_t *text;
  size_t len;
  char err[1024];
  if (cfz_file_read(file, 0, &text, &len, err, sizeof err) != 0) {
    fprintf(stderr, "cfz plot: %s\n", err);
    return -1;
  }
  int rc =
      cfz_stats_series_parse(file, (const char *)text, len, s, err, sizeof err);
  free(text);
  if (rc != 0) {
    fprintf(stderr, "cfz plot: %s\n", err);
    return -1;
  }
  if (s->n == 0) {
    fprintf(stderr,
            "cfz plot: %s: no rows yet (one is written every status "
            "interval)\n",
            file);
    cfz_stats_series_free(s);
    return -1;
  }
  return 0;
}

int cfz_cmd_plot(int argc, char **argv) {
  static const cfz_command cmd = {.name = "cfz plot",
                                  .options = "output help",
                                  .usage = plot_usage,
                                  .min_operands = 1,
                                  .max_operands = 1,
                                  .target_is_name = true,
                                  .operands_error =
                                      "cfz plot: expected one stats file"};
  cfz_cli o;
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  const char *file = o.operands[0];
  char outbuf[4096];
  const char *out = o.output;
  if (!out) {
    default_output(file, outbuf, sizeof outbuf);
    out = outbuf;
  }
  bool png = ends_with(out, ".png");
  if (check_picture_name(out, png) != 0 ||
      cfz_check_output_file(cmd.name, o.output ? "-o" : "picture", out,
                            false) != 0)
    return 2;
  cfz_stats_series s;
  if (read_series(file, &s) != 0)
    return 2;
  const char *base = strrchr(file, '/');
  char title[512];
  snprintf(title, sizeof title, "cfz: %s (%zu rows)", base ? base + 1 : file,
           s.n);
  for (char *t = title; *t; t++)
    if (*t == '\n' || *t == '\r')
      *t = '?';
  char *script = plot_script(&s, title, out, png);
  cfz_stats_series_free(&s);
  if (!script) {
    fprintf(stderr, "cfz plot: out of memory\n");
    return 2;
  }
  rc = run_gnuplot(script);
  free(script);
  if (rc != 0)
    return 2;
  struct stat st;
  if (stat(out, &st) != 0 || st.st_size == 0) {
    fprintf(stderr, "cfz plot: %s: gnuplot wrote no picture\n", out);
    return 2;
  }
  printf("%s\n", out);
  return 0;
}
