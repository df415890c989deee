/* features_off.c - CFZ_FEATURES_OFF (features_off.h). */
#include "features_off.h"

#include <stdlib.h>
#include <string.h>

bool cfz_feature_off(const char *name) {
  const char *p = getenv("CFZ_FEATURES_OFF");
  size_t n = strlen(name);
  while (p != NULL && *p) {
    size_t item = strcspn(p, ",");
    if (item == n && memcmp(p, name, n) == 0)
      return true;
    p += item;
    if (*p == ',')
      p++;
  }
  return false;
}
