/* auto_dict.h - the worker's persistent auto-dictionary: tokens that the
 * mutator took from recorded compares (or the user's dictionary) and whose
 * insertion led to new coverage, kept for the rest of the run and offered
 * to the mutator as dictionary words (libFuzzer's "PersAutoDict").
 *
 * The compare tables (cmp_trace.h) hold only what recent executions
 * compared; a token that once opened new code (a keyword, a magic number in
 * the byte form that worked) is worth trying again on other inputs long
 * after its compare has left the table.  At most CFZ_AUTO_DICT_CAP tokens
 * of 2..CFZ_AUTO_DICT_MAX_LEN bytes, de-duplicated by content; when full, a
 * new token replaces the oldest.  One per worker process. */
#ifndef CFZ_AUTO_DICT_H
#define CFZ_AUTO_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define CFZ_AUTO_DICT_CAP 512u
#define CFZ_AUTO_DICT_MAX_LEN 64u

/* Adds a token (copied; ignored when shorter than 2 bytes or already
 * there; cut to CFZ_AUTO_DICT_MAX_LEN). */
void cfz_auto_dict_add(const uint8_t *p, size_t len);
/* Number of tokens kept. */
size_t cfz_auto_dict_size(void);
/* A token chosen uniformly (*len set); NULL when empty. */
const uint8_t *cfz_auto_dict_pick(cfz_rng *r, size_t *len);
/* Forgets every token (tests). */
void cfz_auto_dict_clear(void);

#endif
