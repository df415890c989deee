/* target_registry.c - native and libFuzzer-style targets (target_registry.h).
 */
#include "target_registry.h"

#include "const_input.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The program's libFuzzer entry points, if it defines them. */
extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
    __attribute__((weak));
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

typedef struct entry {
  cfz_target t; /* first: a cfz_target * is an entry * */
  bool seeded;
  cfz_values *seeds;
  size_t nseeds;
} entry;

struct cfz_seeds {
  entry *e;
  size_t cap;
};

static entry **g_entries;
static size_t g_count, g_cap;

static const cfz_type k_bytes_param[] = {CFZ_BYTES};

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cfz: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

bool cfz_registry_name_ok(const char *name) { return cfz_target_name_ok(name); }

static void add_entry(const cfz_target *t) {
  if (g_count == g_cap) {
    size_t cap = g_cap ? 2 * g_cap : 8;
    entry **p = realloc(g_entries, cap * sizeof *p);
    if (!p)
      die("out of memory registering target %s", t->name);
    g_entries = p;
    g_cap = cap;
  }
  entry *e = calloc(1, sizeof *e);
  if (!e)
    die("out of memory registering target %s", t->name);
  e->t = *t;
  g_entries[g_count++] = e;
}

void cfz_register(const cfz_target_def *def) {
  if (!def || !def->fuzz)
    die("cfz_register: target %s has no fuzz function",
        def && def->name ? def->name : "(null)");
  if (!cfz_registry_name_ok(def->name))
    die("cfz_register: invalid target name \"%s\": use 1 to %d characters "
        "of [A-Za-z0-9_.-]",
        def->name ? def->name : "(null)", CFZ_TARGET_NAME_MAX - 1);
  if (def->nparams == 0 || !def->params)
    die("cfz_register: target %s declares no parameters", def->name);
  for (size_t i = 0; i < def->nparams; i++)
    if ((unsigned)def->params[i] >= CFZ_TYPE_COUNT)
      die("cfz_register: target %s: parameter %zu has unknown type %d",
          def->name, i + 1, (int)def->params[i]);
  if (cfz_registry_find(def->name))
    die("cfz_register: target %s is registered twice", def->name);
  cfz_target t = {.params = def->params,
                  .nparams = def->nparams,
                  .seeds = def->seeds,
                  .fuzz = def->fuzz};
  snprintf(t.name, sizeof t.name, "%s", def->name);
  add_entry(&t);
}

void cfz_registry_add_libfuzzer(const char *argv0, cfz_libfuzzer_fn fn) {
  if (!fn || g_count > 0)
    return;
  const char *base = argv0 ? strrchr(argv0, '/') : NULL;
  base = base ? base + 1 : argv0;
  if (!base || !*base)
    base = "fuzz_target";
  cfz_target t = {.params = k_bytes_param, .nparams = 1, .libfuzzer = fn};
  snprintf(t.name, sizeof t.name, "%s", base);
  for (char *p = t.name; *p; p++) {
    char c = *p;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      *p = '_';
  }
  if (!cfz_registry_name_ok(t.name))
    snprintf(t.name, sizeof t.name, "fuzz_target");
  add_entry(&t);
}

void cfz_registry_init(int *argc, char ***argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(argc, argv);
  const char *argv0 = (*argc > 0 && *argv) ? (*argv)[0] : NULL;
  /* libFuzzer's overwritten-input check around the entry point. */
  cfz_const_input_set(LLVMFuzzerTestOneInput);
  cfz_registry_add_libfuzzer(
      argv0, LLVMFuzzerTestOneInput ? cfz_const_input_entry : NULL);
}

size_t cfz_registry_count(void) { return g_count; }

const cfz_target *cfz_registry_get(size_t i) {
  return i < g_count ? &g_entries[i]->t : NULL;
}

const cfz_target *cfz_registry_find(const char *name) {
  for (size_t i = 0; name && i < g_count; i++)
    if (strcmp(g_entries[i]->t.name, name) == 0)
      return &g_entries[i]->t;
  return NULL;
}

void cfz_registry_names(char *buf, size_t buflen) {
  if (buflen == 0)
    return;
  buf[0] = '\0';
  size_t used = 0;
  for (size_t i = 0; i < g_count && used < buflen; i++) {
    int w = snprintf(buf + used, buflen - used, "%s%s", i ? ", " : "",
                     g_entries[i]->t.name);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

const cfz_target *cfz_registry_select(const char *name, const char *how,
                                      char *err, size_t errlen) {
  char names[1024];
  cfz_registry_names(names, sizeof names);
  if (g_count == 0) {
    snprintf(err, errlen,
             "no fuzz target is registered: define one with CFZ_TARGET or "
             "define LLVMFuzzerTestOneInput, and link the harness whole");
    return NULL;
  }
  if (name && *name) {
    const cfz_target *t = cfz_registry_find(name);
    if (!t)
      snprintf(err, errlen, "no target named \"%s\"; targets: %s", name, names);
    return t;
  }
  if (g_count == 1)
    return &g_entries[0]->t;
  snprintf(err, errlen, "this executable holds %zu targets (%s); %s", g_count,
           names, how ? how : "choose one");
  return NULL;
}

static void type_list(char *buf, size_t len, const cfz_value *vals, size_t n,
                      const cfz_type *types) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < len; i++) {
    cfz_type ty = vals ? vals[i].type : types[i];
    const char *nm = cfz_type_name(ty);
    int w =
        snprintf(buf + used, len - used, "%s%s", i ? ", " : "", nm ? nm : "?");
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

void cfz_add_values(cfz_seeds *s, const cfz_value *vals, size_t n) {
  if (!s || !s->e)
    die("cfz_add called outside a target's seed function");
  const cfz_target *t = &s->e->t;
  if (!cfz_values_match_types(vals, n, t->params, t->nparams)) {
    char got[512], want[512];
    type_list(got, sizeof got, vals, n, NULL);
    type_list(want, sizeof want, NULL, t->nparams, t->params);
    die("cfz_add for target %s: got %zu value(s) (%s), but the target takes "
        "%zu (%s)",
        t->name, n, got, t->nparams, want);
  }
  entry *e = s->e;
  if (e->nseeds == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    cfz_values *p = realloc(e->seeds, cap * sizeof *p);
    if (!p)
      die("out of memory adding a seed to %s", t->name);
    e->seeds = p;
    s->cap = cap;
  }
  cfz_values *slot = &e->seeds[e->nseeds];
  *slot = (cfz_values){0};
  if (cfz_values_copy(slot, vals, n) != 0)
    die("out of memory adding a seed to %s", t->name);
  e->nseeds++;
}

const cfz_values *cfz_registry_seeds(const cfz_target *t, size_t *n) {
  entry *e = (entry *)t;
  if (!e->seeded) {
    e->seeded = true;
    if (t->seeds) {
      cfz_seeds s = {.e = e, .cap = 0};
      t->seeds(&s);
    }
  }
  *n = e->nseeds;
  return e->nseeds ? e->seeds : NULL;
}

void cfz_registry_reset(void) {
  for (size_t i = 0; i < g_count; i++) {
    entry *e = g_entries[i];
    for (size_t k = 0; k < e->nseeds; k++)
      cfz_values_free(&e->seeds[k]);
    free(e->seeds);
    free(e);
  }
  free(g_entries);
  g_entries = NULL;
  g_count = g_cap = 0;
}
