/* corpus_loader.h - corpus directories read off the event loop.
 *
 * A load reads a list of directories in order, each by the rules of
 * cfz_corpus_load_dir (corpus_store.h: files sorted by name, those that
 * cannot be used named in a warning, never a FIFO or device opened).  The
 * listing and the files are read on libuv's thread pool, one piece at a
 * time (at most CFZ_LOADER_PIECE_FILES files or CFZ_LOADER_PIECE_BYTES
 * bytes of inputs, plus the file being read), so the loop keeps serving
 * workers, timers and signals while a slow disk, a file held by a lease or
 * a very large directory is read, and no more than one piece is held in
 * memory beyond what the owner keeps.
 *
 * What is read reaches the owner on the loop thread, in the order of a
 * synchronous load: each usable file as its wire encoding (wire.h), each
 * warning, the end of each directory, then done (always called once, also
 * after cfz_corpus_loader_cancel).  The loader frees itself after done. */
#ifndef CFZ_CORPUS_LOADER_H
#define CFZ_CORPUS_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "value.h"

#define CFZ_LOADER_PIECE_FILES 256u
#define CFZ_LOADER_PIECE_BYTES ((size_t)8 << 20)

typedef struct cfz_corpus_loader cfz_corpus_loader;

typedef struct cfz_corpus_load_events {
  /* A usable file of directory dir (an index into the list). */
  void (*entry)(void *ctx, size_t dir, const char *path, const uint8_t *wire,
                size_t len);
  /* A file skipped, or a directory that cannot be read, e.g.
   * "corpus/x: line 2: malformed value ...". */
  void (*warn)(void *ctx, const char *message);
  /* Directory dir is done: files is the number of entries it gave, or -1
   * when it exists but cannot be read (a missing one gives 0). */
  void (*dir_done)(void *ctx, size_t dir, long files);
  /* Every directory is done, or the load was cancelled. */
  void (*done)(void *ctx);
} cfz_corpus_load_events;

typedef struct cfz_corpus_load_spec {
  const char *const *dirs; /* read in this order (copied) */
  size_t ndirs;
  const cfz_type *types; /* the target's parameters (copied) */
  size_t ntypes;
  size_t max_wire; /* the value area (0: no bound), corpus_store.h */
} cfz_corpus_load_spec;

/* Starts reading; events follow on loop.  Returns the loader, or NULL when
 * out of memory or the thread pool refuses work (nothing is called). */
cfz_corpus_loader *cfz_corpus_loader_start(uv_loop_t *loop,
                                           const cfz_corpus_load_spec *spec,
                                           const cfz_corpus_load_events *ev,
                                           void *ctx);
/* No more entry, warn or dir_done events; done follows once the piece being
 * read (if any) is over. */
void cfz_corpus_loader_cancel(cfz_corpus_loader *l);

#endif
