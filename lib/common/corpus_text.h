/* corpus_text.h - the fixed words of the corpus text format
 * (docs/corpus-format.md): its headers and the bits of the NaNs it writes
 * and reads as "NaN". */
#ifndef CFZ_CORPUS_TEXT_H
#define CFZ_CORPUS_TEXT_H

#define CFZ_CORPUS_HEADER "cfz fuzz v1"
#define CFZ_CORPUS_GO_HEADER "go test fuzz v1"

/* Bits of the canonical quiet NaNs, written and read as "NaN".  Go's
 * math.NaN() is 0x7ff8000000000001, so "NaN" in a Go file means those. */
#define CFZ_NAN64_BITS 0x7ff8000000000000ull
#define CFZ_GO_NAN64_BITS 0x7ff8000000000001ull
#define CFZ_NAN32_BITS 0x7fc00000u

#endif
