/* target_name.c - the rule for target names (target_name.h). */
#include "target_name.h"

#include <string.h>

bool cfz_target_name_ok(const char *name) {
  if (!name || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return false;
  size_t n = 0;
  for (const char *p = name; *p; p++, n++) {
    char c = *p;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return n < CFZ_TARGET_NAME_MAX;
}
