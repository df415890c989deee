/* corpus_loader.c - corpus directories read off the event loop
 * (corpus_loader.h).
 *
 * One work request at a time: the thread pool lists a directory, or reads
 * the next piece of its files; the loop thread hands the piece's entries and
 * warnings to the owner, then queues the next request.  The two threads
 * never touch the loader at the same time (libuv runs the after-work
 * callback once the work is over), so it needs no lock. */
#include "corpus_loader.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_store.h"
#include "dir_list.h"
#include "wire.h"

/* An entry (path and wire) or a warning (message) of a piece, in order. */
typedef struct item {
  char *path;
  uint8_t *wire;
  size_t len;
  char *message;
} item;

struct cfz_corpus_loader {
  uv_work_t req;
  cfz_corpus_load_events ev;
  void *ctx;
  char **dirs;
  size_t ndirs;
  cfz_type *types;
  size_t ntypes, max_wire;
  atomic_bool cancelled; /* set on the loop thread, seen by the pool's */
  /* where the reading stands (thread pool, then loop thread) */
  size_t dir;       /* the directory being read */
  bool listed;      /* its listing is in ents */
  int list_rc;      /* cfz_dir_list: 0, 1 (missing) or -1 */
  cfz_dirent *ents; /* its entries; next is the next to read */
  size_t nents, next;
  long files; /* entries it gave so far */
  /* the piece read, for the loop thread */
  item *items;
  size_t nitems, cap;
};

static void push(cfz_corpus_loader *l, item it) {
  if (l->nitems == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 64;
    item *n = realloc(l->items, ncap * sizeof *n);
    if (!n) {
      free(it.path);
      free(it.wire);
      free(it.message);
      return;
    }
    l->items = n;
    l->cap = ncap;
  }
  l->items[l->nitems++] = it;
}

static void push_warning(cfz_corpus_loader *l, const char *message) {
  push(l, (item){.message = strdup(message)});
}

/* Wire-encodes vals as the entry for path; returns its length (0: out of
 * memory, a warning pushed). */
static size_t push_entry(cfz_corpus_loader *l, const char *path,
                         const cfz_values *vals) {
  size_t need = cfz_wire_size(vals->v, vals->n);
  item it = {.path = strdup(path), .wire = malloc(need ? need : 1)};
  it.len = it.wire ? cfz_wire_encode(vals->v, vals->n, it.wire, need) : 0;
  if (!it.path || !it.wire || (need && !it.len)) {
    free(it.path);
    free(it.wire);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: out of memory; skipped", path);
    push_warning(l, msg);
    return 0;
  }
  push(l, it);
  return it.len;
}

/* Thread pool: the listing of the current directory, or the next piece of
 * its files. */
static void read_piece(uv_work_t *req) {
  cfz_corpus_loader *l = req->data;
  char why[1024];
  if (l->cancelled || l->dir >= l->ndirs)
    return;
  if (!l->listed) {
    l->listed = true;
    l->list_rc =
        cfz_dir_list(l->dirs[l->dir], &l->ents, &l->nents, why, sizeof why);
    if (l->list_rc < 0)
      push_warning(l, why);
    return;
  }
  size_t files = 0, bytes = 0;
  while (l->next < l->nents && files < CFZ_LOADER_PIECE_FILES &&
         bytes < CFZ_LOADER_PIECE_BYTES && !l->cancelled) {
    const cfz_dirent *e = &l->ents[l->next++];
    cfz_values vals;
    int rc = cfz_corpus_load_entry(e, l->types, l->ntypes, l->max_wire, &vals,
                                   why, sizeof why);
    if (rc < 0)
      push_warning(l, why);
    if (rc <= 0)
      continue;
    size_t len = push_entry(l, e->path, &vals);
    cfz_values_free(&vals);
    files++;
    bytes += len;
  }
}

static void loader_free(cfz_corpus_loader *l) {
  for (size_t i = 0; i < l->nitems; i++) {
    free(l->items[i].path);
    free(l->items[i].wire);
    free(l->items[i].message);
  }
  free(l->items);
  cfz_dir_free(l->ents, l->nents);
  for (size_t i = 0; i < l->ndirs; i++)
    free(l->dirs[i]);
  free(l->dirs);
  free(l->types);
  free(l);
}

static void finish(cfz_corpus_loader *l) {
  l->ev.done(l->ctx);
  loader_free(l);
}

/* Loop thread: the piece's items to the owner, in order. */
static void deliver(cfz_corpus_loader *l) {
  for (size_t i = 0; i < l->nitems; i++) {
    item *it = &l->items[i];
    if (it->message && !l->cancelled) {
      l->ev.warn(l->ctx, it->message);
    } else if (!l->cancelled) {
      l->ev.entry(l->ctx, l->dir, it->path, it->wire, it->len);
      l->files++;
    }
    free(it->path);
    free(it->wire);
    free(it->message);
  }
  l->nitems = 0;
}

/* Loop thread: a directory listed and read to its end is done. */
static void end_dir_if_read(cfz_corpus_loader *l) {
  if (!l->listed || (l->list_rc == 0 && l->next < l->nents))
    return;
  l->ev.dir_done(l->ctx, l->dir, l->list_rc < 0 ? -1 : l->files);
  cfz_dir_free(l->ents, l->nents);
  l->ents = NULL;
  l->nents = l->next = 0;
  l->listed = false;
  l->files = 0;
  l->dir++;
}

static void piece_read(uv_work_t *req, int status) {
  cfz_corpus_loader *l = req->data;
  deliver(l);
  if (status != 0 || l->cancelled) {
    finish(l);
    return;
  }
  end_dir_if_read(l);
  if (l->dir >= l->ndirs) {
    finish(l);
    return;
  }
  int rc = uv_queue_work(req->loop, &l->req, read_piece, piece_read);
  if (rc != 0) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: cannot be read: %s", l->dirs[l->dir],
             uv_strerror(rc));
    l->ev.warn(l->ctx, msg);
    finish(l);
  }
}

static int copy_spec(cfz_corpus_loader *l, const cfz_corpus_load_spec *spec) {
  l->dirs = calloc(spec->ndirs + 1, sizeof *l->dirs);
  l->types = malloc((spec->ntypes ? spec->ntypes : 1) * sizeof *l->types);
  if (!l->dirs || !l->types)
    return -1;
  for (; l->ndirs < spec->ndirs; l->ndirs++)
    if (!(l->dirs[l->ndirs] = strdup(spec->dirs[l->ndirs])))
      return -1;
  if (spec->ntypes)
    memcpy(l->types, spec->types, spec->ntypes * sizeof *l->types);
  l->ntypes = spec->ntypes;
  l->max_wire = spec->max_wire;
  return 0;
}

cfz_corpus_loader *cfz_corpus_loader_start(uv_loop_t *loop,
                                           const cfz_corpus_load_spec *spec,
                                           const cfz_corpus_load_events *ev,
                                           void *ctx) {
  cfz_corpus_loader *l = calloc(1, sizeof *l);
  if (!l)
    return NULL;
  l->ev = *ev;
  l->ctx = ctx;
  l->req.data = l;
  if (copy_spec(l, spec) != 0 ||
      uv_queue_work(loop, &l->req, read_piece, piece_read) != 0) {
    loader_free(l);
    return NULL;
  }
  return l;
}

void cfz_corpus_loader_cancel(cfz_corpus_loader *l) {
  l->cancelled = true;
  uv_cancel((uv_req_t *)&l->req); /* when it has not started: at once */
}
