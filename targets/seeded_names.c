/* seeded_names.c - a name parser with many compare sites, for the
 * reproducibility test (tests/integration/test_determinism.c).
 *
 * The input is a dotted name, "label.label...": each label is classified
 * (number, keyword, word) by its own compare sites, handled through a table
 * of function pointers (indirect calls), and the parser keeps no state
 * between inputs.  A name with the label "cfz" and other labels that
 * weigh more than 3 (p.ops) reaches __builtin_trap() (SIGILL).  Finding it
 * takes compare feedback (the keyword strcmp) and some tens of thousands of
 * executions: long enough that a run which is not reproducible shows it.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum kind { NUMBER, KEYWORD, WORD, BAD };

typedef struct parse {
  unsigned seen; /* bits: "cfz", "seed", 42 */
  unsigned ops;  /* something to compute, so labels are not dead code */
} parse;

static const char *const keywords[] = {"cfz",  "seed", "end",  "name",
                                       "host", "port", "path", "user"};

static int keyword_index(const char *s) {
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (strcmp(s, keywords[i]) == 0)
      return (int)i;
  return -1;
}

static enum kind classify(const char *s, size_t n) {
  if (n == 0 || n > 16)
    return BAD;
  size_t digits = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] >= '0' && s[i] <= '9')
      digits++;
  if (digits == n)
    return NUMBER;
  if (keyword_index(s) >= 0)
    return KEYWORD;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || s[i] == '_'))
      return BAD;
  return WORD;
}

static void on_number(parse *p, const char *s) {
  long v = 0;
  for (; *s; s++)
    v = v * 10 + (*s - '0');
  if (v == 42)
    p->seen |= 4;
  else if (v > 65535)
    p->ops += 2;
  else
    p->ops++;
}

static void on_keyword(parse *p, const char *s) {
  switch (keyword_index(s)) {
  case 0:
    p->seen |= 1;
    break;
  case 1:
    p->seen |= 2;
    break;
  default:
    p->ops += 3;
    break;
  }
}

static void on_word(parse *p, const char *s) {
  if (strncmp(s, "x-", 2) == 0)
    p->ops += 5;
  else if (strlen(s) > 8)
    p->ops += 7;
  else
    p->ops++;
}

static void on_bad(parse *p, const char *s) { p->ops += (unsigned)strlen(s); }

static void (*const handlers[])(parse *, const char *) = {on_number, on_keyword,
                                                          on_word, on_bad};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > 128)
    return 0;
  char *buf = malloc(size + 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  parse p = {0, 0};
  char *s = buf;
  for (;;) {
    char *dot = strchr(s, '.');
    if (dot)
      *dot = 0;
    handlers[classify(s, strlen(s))](&p, s);
    if (!dot)
      break;
    s = dot + 1;
  }
  free(buf);
  if ((p.seen & 1) && p.ops > 3)
    __builtin_trap();
  return (int)(p.ops & 0);
}
