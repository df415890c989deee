/* thin_lib.c - a small "library under test" that targets/CMakeLists.txt
 * builds WITHOUT coverage, as a user's ordinary CMake library would be: the
 * thin_coverage target calls it, and cfz must say that the code under test
 * is not instrumented (docs/build.md, cfz_instrument). */
#include <stddef.h>
#include <stdint.h>

int thin_parse(const uint8_t *data, size_t size);

int thin_parse(const uint8_t *data, size_t size) {
  int score = 0;
  for (size_t i = 0; i < size; i++) {
    if (data[i] == 'T')
      score += 1;
    else if (data[i] == 'H')
      score += 2;
    else if (data[i] > 0x80)
      score -= 1;
  }
  return score;
}
