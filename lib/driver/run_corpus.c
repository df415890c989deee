/* run_corpus.c - the target's corpus: gathering it, persisting failures,
 * saving new inputs (coordinator_impl.h). */
#include "coordinator_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus_format.h"
#include "corpus_store.h"
#include "project_cache.h"
#include "wire.h"

/* New inputs are written to the generated corpus on libuv's thread pool, a
 * batch at a time: an input waits in the next batch (coord.gen_next) for
 * at most GEN_DELAY_MS, or until GEN_BATCH inputs are waiting, or while a
 * batch is being written.  One hand-off per batch instead of one per input:
 * on a target that finds hundreds of inputs a second, the thread pool's
 * wake-ups (futex, eventfd, the context switches) were most of the driver's
 * CPU time.  When the run stops, what waits is written at once; only a
 * driver killed outright loses the last GEN_DELAY_MS of new inputs (never a
 * failure: those are persisted by co_persist). */
enum { GEN_DELAY_MS = 50, GEN_BATCH = 64 };

struct co_gen_batch {
  uv_work_t req;
  coord *c;
  char dir[PATH_MAX];
  cfz_values *vals;
  size_t n, cap;
  size_t failed; /* entries not written */
  char err[512]; /* the first failure */
};

static void write_batch(uv_work_t *req) {
  co_gen_batch *b = (co_gen_batch *)req;
  for (size_t i = 0; i < b->n; i++) {
    char path[PATH_MAX], err[512];
    if (cfz_corpus_write_volatile(b->dir, b->vals[i].v, b->vals[i].n, path,
                                  sizeof path, err, sizeof err) != 0 &&
        b->failed++ == 0)
      snprintf(b->err, sizeof b->err, "%s", err);
  }
}

static void free_batch(co_gen_batch *b) {
  for (size_t i = 0; b && i < b->n; i++)
    cfz_values_free(&b->vals[i]);
  if (b)
    free(b->vals);
  free(b);
}

static void kick_batch(coord *c);

static void batch_written(uv_work_t *req, int status) {
  co_gen_batch *b = (co_gen_batch *)req;
  coord *c = b->c;
  if (status == 0 && b->failed == 1)
    cfz_report_log(&c->rep,
                   "cfz: warning: cannot save to the generated corpus: %s",
                   b->err);
  else if (status == 0 && b->failed > 1)
    cfz_report_log(&c->rep,
                   "cfz: warning: cannot save %zu inputs to the generated "
                   "corpus; the first: %s",
                   b->failed, b->err);
  free_batch(b);
  c->gen_writing = false;
  kick_batch(c);
}

/* Hands c->gen_next to the thread pool; if it cannot, writes it here. */
static void start_batch(coord *c) {
  co_gen_batch *b = c->gen_next;
  c->gen_next = NULL;
  c->gen_writing = true;
  if (uv_queue_work(&c->loop, &b->req, write_batch, batch_written) != 0) {
    write_batch(&b->req);
    batch_written(&b->req, 0);
  }
}

void co_flush_generated(coord *c) {
  if (!c->gen_writing && c->gen_next)
    start_batch(c);
}

static void on_gen_timer(uv_timer_t *t) { co_flush_generated(t->data); }

/* Starts the waiting batch now, or arms the timer that will. */
static void kick_batch(coord *c) {
  if (c->gen_writing || !c->gen_next)
    return;
  if (c->gen_next->n >= GEN_BATCH ||
      uv_is_closing((uv_handle_t *)&c->gen_timer))
    start_batch(c);
  else if (!uv_is_active((uv_handle_t *)&c->gen_timer))
    uv_timer_start(&c->gen_timer, on_gen_timer, GEN_DELAY_MS, 0);
}

/* The next free entry of the waiting batch (made or grown); NULL when out
 * of memory. */
static cfz_values *batch_slot(coord *c) {
  co_gen_batch *b = c->gen_next;
  if (!b) {
    if (!(b = calloc(1, sizeof *b)))
      return NULL;
    b->c = c;
    snprintf(b->dir, sizeof b->dir, "%s", c->cache_dir);
    c->gen_next = b;
  }
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    cfz_values *v = realloc(b->vals, cap * sizeof *v);
    if (!v)
      return NULL;
    b->vals = v;
    b->cap = cap;
  }
  return &b->vals[b->n];
}

/* Queues an interesting input for the generated corpus. */
void co_save_generated(coord *c, const uint8_t *wire, size_t len) {
  cfz_values *v = batch_slot(c);
  if (!v) {
    cfz_report_log(&c->rep, "cfz: warning: cannot save to the generated "
                            "corpus: out of memory");
    return;
  }
  *v = (cfz_values){0};
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, v) != 0) {
    cfz_values_free(v);
    return;
  }
  c->gen_next->n++;
  kick_batch(c);
}

void co_free_generated(coord *c) {
  free_batch(c->gen_next);
  c->gen_next = NULL;
}

static void warn_loaded(void *ctx, const char *message) {
  coord *c = ctx;
  cfz_report_log(&c->rep, "cfz: warning: %s", message);
}

/* Writes vals to the seed corpus; on failure prints the input in full so
 * that it is not lost.  Returns 0 or -1. */
int co_persist(coord *c, const uint8_t *wire, size_t len, char *path,
               size_t pathlen) {
  cfz_values vals = {0};
  path[0] = 0;
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &vals) != 0) {
    cfz_report_log(&c->rep,
                   "cfz: internal error: cannot decode the failing input");
    return -1;
  }
  char err[512];
  int rc = 0;
  if (cfz_corpus_write(c->seed_dir, vals.v, vals.n, path, pathlen, err,
                       sizeof err) != 0) {
    path[0] = 0;
    cfz_report_log(&c->rep, "%s", err);
    char *text = NULL;
    size_t tlen = 0;
    if (cfz_corpus_encode(vals.v, vals.n, &text, &tlen) == 0) {
      cfz_report_log(&c->rep,
                     "cfz: the failing input could not be saved; here it is in "
                     "full:\n%s",
                     text);
      free(text);
    }
    rc = -1;
  }
  cfz_values_free(&vals);
  return rc;
}

int co_take_target_info(coord *c, const cfz_hello *h) {
  const char *name = h->target.name;
  if (!cfz_target_name_ok(name)) {
    cfz_report_log(&c->rep, "cfz: %s: invalid target name \"%s\"",
                   c->opt->target_path, name);
    return -1;
  }
  snprintf(c->target, sizeof c->target, "%s", name);
  c->ntypes = h->target.nparams;
  memcpy(c->types, h->target.params, c->ntypes * sizeof *c->types);
  c->nseeds = (size_t)h->seeds;
  /* gcc's trace-pc registers counters only once instrumented code runs, so
   * the warning waits for the baseline coverage (see end_warmup). */
  c->hello_counters = h->counters;
  /* the status line's edges: code counters, not extra features */
  if (c->cov.edges == 0)
    c->cov.edge_slots = h->edge_slots;
  snprintf(c->seed_dir, sizeof c->seed_dir, "%s/%s",
           c->opt->testdata_dir ? c->opt->testdata_dir : "testdata/fuzz",
           c->target);
  char *root =
      c->opt->cache_dir ? strdup(c->opt->cache_dir) : cfz_project_cache_dir();
  if (!root)
    return -1;
  snprintf(c->cache_dir, sizeof c->cache_dir, "%s/%s", root, c->target);
  free(root);
  return 0;
}

bool co_same_target(const coord *c, const cfz_hello *h) {
  return strcmp(h->target.name, c->target) == 0 &&
         h->target.nparams == c->ntypes;
}

/* For an observer: the corpus as loaded, entry sizes being the decoded
 * values' (bytes and strings), and the bound the mutator will get
 * (libFuzzer's -max_len=0 rule). */
static void report_loaded(coord *c, const uint64_t *files) {
  uint64_t min = 0, max = 0, total = 0;
  for (size_t i = 0; i < c->corpus.n; i++) {
    cfz_values v = {0};
    if (cfz_wire_decode(c->corpus.e[i].wire, c->corpus.e[i].len, c->types,
                        c->ntypes, &v) != 0)
      continue;
    uint64_t size = 0;
    for (size_t k = 0; k < v.n; k++)
      if (v.v[k].type == CFZ_BYTES || v.v[k].type == CFZ_STRING)
        size += v.v[k].v.bytes.len;
    cfz_values_free(&v);
    min = i == 0 || size < min ? size : min;
    max = size > max ? size : max;
    total += size;
  }
  size_t max_len = c->opt->max_len;
  if (!c->opt->max_len_set && max > max_len)
    max_len = (size_t)max;
  cfz_report_loaded(&c->rep,
                    c->cov.edge_slots ? c->cov.edge_slots : c->hello_counters,
                    files, c->opt->ncorpus_dirs, min, max, total, max_len);
}

/* The value area: larger corpus files are skipped unread. */
static size_t max_wire(const coord *c) {
  return c->nslots && c->slots[0].cl ? cfz_client_capacity(c->slots[0].cl) : 0;
}

static void on_load_entry(void *ctx, size_t dir, const char *path,
                          const uint8_t *wire, size_t len) {
  coord *c = ctx;
  co_load *l = &c->load;
  if (dir >= l->first_candidate) {
    cfz_index_add(&l->candidates, wire, len, path, 0);
    return;
  }
  size_t i = dir - l->first_corpus_dir;
  if (cfz_index_add(&c->corpus, wire, len, path, 0) >= 0 &&
      dir >= l->first_corpus_dir && i < c->opt->ncorpus_dirs && l->files)
    l->files[i]++;
}

static void on_load_dir_done(void *ctx, size_t dir, long files) {
  coord *c = ctx;
  if (files < 0 && c->load.unreadable[dir])
    cfz_report_log(&c->rep, "cfz: warning: %s: cannot be read",
                   c->load.unreadable[dir]);
}

static void on_load_done(void *ctx) {
  coord *c = ctx;
  c->load.loader = NULL;
  if (c->phase == PHASE_STOPPING)
    return;
  if (c->rep.obs && c->load.files)
    report_loaded(c, c->load.files);
  co_dispatch(c);
}

/* Appends dir to the list (named in a warning when it cannot be read). */
static void add_dir(const char **dirs, const char **unreadable, size_t *n,
                    const char *dir, bool named) {
  dirs[*n] = dir;
  unreadable[*n] = named ? dir : NULL;
  (*n)++;
}

/* The seed directory, -corpus dirs, the generated corpus (with_cache),
 * then MERGE's candidates: the generated corpus (unless skipped) and the
 * given directories. */
static size_t list_dirs(coord *c, bool with_cache, const char **dirs) {
  co_load *l = &c->load;
  size_t n = 0;
  add_dir(dirs, l->unreadable, &n, c->seed_dir, false);
  l->first_corpus_dir = n;
  for (size_t i = 0; i < c->opt->ncorpus_dirs; i++)
    add_dir(dirs, l->unreadable, &n, c->opt->corpus_dirs[i], true);
  if (with_cache)
    add_dir(dirs, l->unreadable, &n, c->cache_dir, false);
  l->first_candidate = n;
  if (c->policy->mode != CFZ_MODE_MERGE)
    return n;
  if (!c->merge_opt->skip_cache)
    add_dir(dirs, l->unreadable, &n, c->cache_dir, false);
  for (size_t i = 0; i < c->merge_opt->ndirs; i++)
    add_dir(dirs, l->unreadable, &n, c->merge_opt->dirs[i], true);
  return n;
}

void co_load_corpora(coord *c, bool with_cache) {
  co_load *l = &c->load;
  size_t most =
      2 + c->opt->ncorpus_dirs + 1 + (c->merge_opt ? c->merge_opt->ndirs : 0);
  const char **dirs = calloc(most, sizeof *dirs);
  l->unreadable = calloc(most, sizeof *l->unreadable);
  l->files = calloc(c->opt->ncorpus_dirs + 1, sizeof *l->files);
  cfz_index_init(&l->candidates);
  static const cfz_corpus_load_events ev = {on_load_entry, warn_loaded,
                                            on_load_dir_done, on_load_done};
  if (dirs && l->unreadable) {
    cfz_corpus_load_spec spec = {.dirs = dirs,
                                 .ndirs = list_dirs(c, with_cache, dirs),
                                 .types = c->types,
                                 .ntypes = c->ntypes,
                                 .max_wire = max_wire(c)};
    l->loader = cfz_corpus_loader_start(&c->loop, &spec, &ev, c);
  }
  free(dirs);
  if (!l->loader) {
    cfz_report_log(&c->rep, "cfz: cannot read the corpus: out of memory");
    co_stop(c, 2);
  }
}

bool co_loading(const coord *c) { return c->load.loader != NULL; }

void co_cancel_load(coord *c) {
  if (c->load.loader)
    cfz_corpus_loader_cancel(c->load.loader);
}

void co_free_load(coord *c) {
  free(c->load.files);
  free(c->load.unreadable);
  cfz_index_free(&c->load.candidates);
  memset(&c->load, 0, sizeof c->load);
}

void co_add_zero_value(coord *c) {
  if (!c->rep.obs) /* an observer says so in its own words */
    cfz_report_log(&c->rep, "cfz: warning: starting with empty corpus");
  cfz_value zero[CFZ_MAX_PARAMS];
  memset(zero, 0, sizeof zero);
  for (size_t i = 0; i < c->ntypes; i++)
    zero[i].type = c->types[i];
  uint8_t buf[CFZ_MAX_PARAMS * 8];
  size_t len = cfz_wire_encode(zero, c->ntypes, buf, sizeof buf);
  if (len)
    cfz_index_add(&c->corpus, buf, len, "zero value", 0);
}

/* Smallest first; equal sizes by content, so that the order (and with it
 * the kept set) does not depend on where the inputs came from. */
static int by_length(const void *a, const void *b) {
  const cfz_entry *x = a, *y = b;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return memcmp(x->wire, y->wire, x->len);
}

/* MERGE: candidates (the generated corpus, then the given dirs, read with
 * the corpus) run after every seed, smallest first, so the kept set is
 * small. */
void co_load_merge_candidates(coord *c) {
  c->merge_base = c->corpus.n;
  const cfz_corpus_index *cand = &c->load.candidates;
  for (size_t i = 0; i < cand->n; i++)
    cfz_index_add(&c->corpus, cand->e[i].wire, cand->e[i].len,
                  cand->e[i].origin, 0);
  /* Re-add everything in order (seeds, then candidates by size): the index
   * maps hashes to positions, so it is rebuilt rather than sorted. */
  size_t n = c->corpus.n - c->merge_base;
  cfz_entry *tail = malloc((n ? n : 1) * sizeof *tail);
  if (!tail)
    return;
  memcpy(tail, c->corpus.e + c->merge_base, n * sizeof *tail);
  qsort(tail, n, sizeof *tail, by_length);
  cfz_corpus_index ix;
  cfz_index_init(&ix);
  for (size_t i = 0; i < c->merge_base; i++)
    cfz_index_add(&ix, c->corpus.e[i].wire, c->corpus.e[i].len,
                  c->corpus.e[i].origin, 0);
  for (size_t i = 0; i < n; i++)
    cfz_index_add(&ix, tail[i].wire, tail[i].len, tail[i].origin, 0);
  free(tail);
  cfz_index_free(&c->corpus);
  c->corpus = ix;
}

/* libFuzzer's -max_len=0 rule: at least the largest corpus input. */
void co_choose_max_len(coord *c) {
  c->max_len = c->opt->max_len;
  if (c->opt->max_len_set)
    return;
  size_t cap = cfz_client_capacity(c->slots[0].cl);
  for (size_t i = 0; i < c->corpus.n; i++) {
    size_t len = c->corpus.e[i].len; /* wire bytes: an upper bound */
    if (len > c->max_len)
      c->max_len = len < cap ? len : cap;
  }
}
