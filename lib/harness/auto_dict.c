/* auto_dict.c - see auto_dict.h. */
#include "auto_dict.h"

#include <string.h>

typedef struct token {
  uint8_t len;
  uint8_t data[CFZ_AUTO_DICT_MAX_LEN];
} token;

static token tokens[CFZ_AUTO_DICT_CAP];
static size_t ntokens;
static size_t next_replace; /* the oldest token once full */

void cfz_auto_dict_add(const uint8_t *p, size_t len) {
  if (len < 2)
    return;
  if (len > CFZ_AUTO_DICT_MAX_LEN)
    len = CFZ_AUTO_DICT_MAX_LEN;
  for (size_t i = 0; i < ntokens; i++)
    if (tokens[i].len == len && memcmp(tokens[i].data, p, len) == 0)
      return;
  token *t;
  if (ntokens < CFZ_AUTO_DICT_CAP) {
    t = &tokens[ntokens++];
  } else {
    t = &tokens[next_replace];
    next_replace = (next_replace + 1) % CFZ_AUTO_DICT_CAP;
  }
  t->len = (uint8_t)len;
  memcpy(t->data, p, len);
}

size_t cfz_auto_dict_size(void) { return ntokens; }

const uint8_t *cfz_auto_dict_pick(cfz_rng *r, size_t *len) {
  if (ntokens == 0)
    return NULL;
  const token *t = &tokens[cfz_rng_below(r, ntokens)];
  *len = t->len;
  return t->data;
}

void cfz_auto_dict_clear(void) {
  ntokens = 0;
  next_replace = 0;
}
