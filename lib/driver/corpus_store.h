/* corpus_store.h - corpus directories on disk.
 *
 * Seed corpus: <testdata>/<Target>/ (default testdata/fuzz/<Target>/).
 * Generated corpus: <cache>/<Target>/ where cache is --cache-dir, else
 * $XDG_CACHE_HOME/cfz, else $HOME/.cache/cfz.
 * A target that takes one bytes value (libFuzzer style) gets raw files, any
 * other the text format (corpus_file.h).
 * Files are named by the first 16 hex chars of SHA-256 of their bytes and
 * written atomically (temp file in the same dir, fsync, rename, fsync dir);
 * an existing file of that name is never overwritten (same content).
 * Entries of the generated corpus skip the two fsyncs
 * (cfz_corpus_write_volatile): fuzzing finds them again, and two disk
 * flushes per new input cost a fast target a quarter of its CPU time. */
#ifndef CFZ_CORPUS_STORE_H
#define CFZ_CORPUS_STORE_H

#include "dir_list.h"
#include "make_dirs.h"
#include "target_name.h"
#include "value.h"

/* "bytes,uint8" (sep ",") or "bytes, uint8" (sep ", "), malloc'd (NULL
 * when out of memory). */
char *cfz_types_string(const cfz_type *types, size_t n, const char *sep);
/* Why vals do not fit types, e.g. "has 1 value (bytes), target takes 2
 * (bytes, uint8)" (malloc'd), or NULL when they match. */
char *cfz_values_mismatch(const cfz_values *vals, const cfz_type *types,
                          size_t n);

/* Default generated-corpus root (malloc'd), per the rule above. */
char *cfz_default_cache_dir(void);

/* Called for each file that decodes and matches the types. */
typedef void (*cfz_corpus_visit_fn)(void *ctx, const char *path,
                                    const cfz_values *vals);
/* Called for each file that cannot be used, with a message naming it, e.g.
 * "testdata/fuzz/FuzzX/abc: line 2: malformed value ..." or
 * "...: has 1 value (bytes), target takes 2 (bytes, int32)". */
typedef void (*cfz_corpus_warn_fn)(void *ctx, const char *message);

/* Loads every regular file of dir (sorted by name); sub-directories are
 * passed over, any other kind of file (FIFO, device, socket) is a warning,
 * never opened.  A missing dir is an empty corpus.  max_wire (0: none) is the
 * value area: a file that cannot fit it is skipped with a warning without being
 * read (raw bytes: from its size; a text file, which spends up to 4 characters
 * on a byte, from 4 times that; only the first bytes are read, to tell which).
 * Returns the number of entries visited, or -1 when dir exists but cannot be
 * read (message via warn). */
long cfz_corpus_load_dir(const char *dir, const cfz_type *types, size_t n,
                         size_t max_wire, cfz_corpus_visit_fn visit,
                         cfz_corpus_warn_fn warn, void *ctx);

/* One entry of a listing (dir_list.h), by the rules of cfz_corpus_load_dir:
 * returns 1 with its values in vals (the caller frees them), 0 for a
 * directory (skipped in silence), or -1 with why it is skipped in why (a
 * FIFO, device or socket is never opened). */
int cfz_corpus_load_entry(const cfz_dirent *e, const cfz_type *types, size_t n,
                          size_t max_wire, cfz_values *vals, char *why,
                          size_t whylen);

/* Encodes vals (raw bytes for one bytes value, else the text format:
 * corpus_file.h) and writes it atomically into dir
 * (created with parents if missing).  On success returns 0 and the file's
 * path in path_out.  On failure returns -1 with e.g.
 * "cfz: open testdata/fuzz/FuzzX/.tmp-123: No space left on device". */
int cfz_corpus_write(const char *dir, const cfz_value *vals, size_t n,
                     char *path_out, size_t path_cap, char *err, size_t errlen);
/* Same, without the fsyncs: atomic against a crash of cfz (temp file and
 * rename), not against a power loss, which may lose the latest entries.
 * For the generated corpus. */
int cfz_corpus_write_volatile(const char *dir, const cfz_value *vals, size_t n,
                              char *path_out, size_t path_cap, char *err,
                              size_t errlen);

/* Writes data to path atomically (temp file in the same directory, fsync,
 * rename, fsync of the directory).  Returns 0, or -1 with a message naming
 * the file in err. */
int cfz_file_write_atomic(const char *path, const void *data, size_t len,
                          char *err, size_t errlen);
/* Same, into dir under the content-hash name of data (dir created if
 * missing; an existing file of that name is kept).  Path in path_out. */
int cfz_file_write_named(const char *dir, const void *data, size_t len,
                         char *path_out, size_t path_cap, char *err,
                         size_t errlen);

/* True when dir already holds vals under the name cfz_corpus_write would
 * give them. */
bool cfz_corpus_has(const char *dir, const cfz_value *vals, size_t n);

/* Removes the files of dir (dotfiles left alone) whose paths are not in
 * keep; a file that cannot be removed is a message through warn ("cfz:
 * remove d/f: Permission denied").  Returns the count removed, or -1 when
 * dir cannot be read. */
long cfz_corpus_prune(const char *dir, const char *const *keep, size_t nkeep,
                      cfz_corpus_warn_fn warn, void *ctx);

#endif
