/* frame.h - protocol framing: a 4-byte little-endian length, then one JSON
 * object of that many bytes (see docs/protocol.md).  Used by the driver
 * (incremental decoder fed by libuv reads) and the harness (blocking fds). */
#ifndef CFZ_FRAME_H
#define CFZ_FRAME_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CFZ_MAX_FRAME (1u << 20)

/* Serialises obj into a malloc'd frame (prefix included); NULL on failure
 * or when the JSON text exceeds CFZ_MAX_FRAME. */
uint8_t *cfz_frame_encode(const json_t *obj, size_t *len);

typedef struct cfz_frame_decoder {
  uint8_t *buf;
  size_t len, cap;
} cfz_frame_decoder;

void cfz_frame_decoder_init(cfz_frame_decoder *d);
void cfz_frame_decoder_free(cfz_frame_decoder *d);
/* Appends received bytes.  Returns 0, or -1 on allocation failure. */
int cfz_frame_decoder_feed(cfz_frame_decoder *d, const void *data, size_t n);
/* Takes the next complete frame: returns 1 with a new reference in *out
 * (always a JSON object), 0 when more bytes are needed, -1 on a protocol
 * error with the reason in err ("frame of 2000000 bytes exceeds the 1048576
 * byte limit", "malformed JSON: ...", "frame is not a JSON object"). */
int cfz_frame_decoder_next(cfz_frame_decoder *d, json_t **out, char *err,
                           size_t errlen);

/* Blocking helpers for the worker side.  write: 0 or -1 (errno set).
 * read: 1 with *out, 0 on clean end of file before a frame, -1 on error
 * (message in err). */
int cfz_frame_write_fd(int fd, const json_t *obj);
int cfz_frame_read_fd(int fd, json_t **out, char *err, size_t errlen);

#endif
