/* frame.c - length-prefixed JSON frames (see frame.h, docs/protocol.md). */
#include "frame.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t get_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static void put_u32le(uint8_t *p, uint32_t x) {
  p[0] = (uint8_t)x;
  p[1] = (uint8_t)(x >> 8);
  p[2] = (uint8_t)(x >> 16);
  p[3] = (uint8_t)(x >> 24);
}

uint8_t *cfz_frame_encode(const json_t *obj, size_t *len) {
  if (!obj)
    return NULL;
  size_t n = json_dumpb(obj, NULL, 0, JSON_COMPACT);
  if (n == 0 || n > CFZ_MAX_FRAME)
    return NULL;
  uint8_t *buf = malloc(4 + n);
  if (!buf)
    return NULL;
  size_t got = json_dumpb(obj, (char *)buf + 4, n, JSON_COMPACT);
  if (got != n) {
    free(buf);
    return NULL;
  }
  put_u32le(buf, (uint32_t)n);
  *len = 4 + n;
  return buf;
}

void cfz_frame_decoder_init(cfz_frame_decoder *d) {
  d->buf = NULL;
  d->len = 0;
  d->cap = 0;
}

void cfz_frame_decoder_free(cfz_frame_decoder *d) {
  free(d->buf);
  cfz_frame_decoder_init(d);
}

static bool head_oversize(const cfz_frame_decoder *d) {
  return d->len >= 4 && get_u32le(d->buf) > CFZ_MAX_FRAME;
}

static int append(cfz_frame_decoder *d, const uint8_t *p, size_t n) {
  if (n == 0)
    return 0;
  if (d->cap - d->len < n) {
    size_t ncap = d->cap ? d->cap : 256;
    while (ncap - d->len < n) {
      if (ncap > SIZE_MAX / 2)
        return -1;
      ncap *= 2;
    }
    uint8_t *nb = realloc(d->buf, ncap);
    if (!nb)
      return -1;
    d->buf = nb;
    d->cap = ncap;
  }
  memcpy(d->buf + d->len, p, n);
  d->len += n;
  return 0;
}

int cfz_frame_decoder_feed(cfz_frame_decoder *d, const void *data, size_t n) {
  const uint8_t *p = data;
  /* Once the frame at the head declares an oversize length, nothing more is
   * buffered: next() reports the error. */
  if (head_oversize(d))
    return 0;
  if (d->len < 4) {
    size_t take = 4 - d->len < n ? 4 - d->len : n;
    if (append(d, p, take) != 0)
      return -1;
    p += take;
    n -= take;
    if (head_oversize(d))
      return 0;
  }
  return append(d, p, n);
}

static void consume(cfz_frame_decoder *d, size_t n) {
  memmove(d->buf, d->buf + n, d->len - n);
  d->len -= n;
}

/* Parses one frame body; returns 1 with *out or -1 with err. */
static int parse_body(const uint8_t *body, size_t n, json_t **out, char *err,
                      size_t errlen) {
  json_error_t jerr;
  json_t *j = json_loadb((const char *)body, n,
                         JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  if (!j) {
    snprintf(err, errlen, "malformed JSON: %s", jerr.text);
    return -1;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    snprintf(err, errlen, "frame is not a JSON object");
    return -1;
  }
  *out = j;
  return 1;
}

int cfz_frame_decoder_next(cfz_frame_decoder *d, json_t **out, char *err,
                           size_t errlen) {
  *out = NULL;
  if (d->len < 4)
    return 0;
  uint32_t n = get_u32le(d->buf);
  if (n > CFZ_MAX_FRAME) {
    snprintf(err, errlen, "frame of %u bytes exceeds the %u byte limit", n,
             CFZ_MAX_FRAME);
    return -1;
  }
  if (d->len - 4 < n)
    return 0;
  int rc = parse_body(d->buf + 4, n, out, err, errlen);
  consume(d, 4 + (size_t)n);
  return rc;
}

int cfz_frame_write_fd(int fd, const json_t *obj) {
  size_t len = 0;
  uint8_t *buf = cfz_frame_encode(obj, &len);
  if (!buf) {
    errno = EMSGSIZE;
    return -1;
  }
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, buf + off, len - off);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      free(buf);
      errno = e;
      return -1;
    }
    off += (size_t)w;
  }
  free(buf);
  return 0;
}

/* Reads exactly n bytes; returns the number read (< n only at end of file)
 * or -1 with errno set. */
static ssize_t read_full(int fd, uint8_t *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = read(fd, p + off, n - off);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (r == 0)
      break;
    off += (size_t)r;
  }
  return (ssize_t)off;
}

int cfz_frame_read_fd(int fd, json_t **out, char *err, size_t errlen) {
  *out = NULL;
  uint8_t hdr[4];
  ssize_t r = read_full(fd, hdr, 4);
  if (r < 0) {
    snprintf(err, errlen, "read frame header: %s", strerror(errno));
    return -1;
  }
  if (r == 0)
    return 0;
  if (r < 4) {
    snprintf(err, errlen, "end of file inside a frame header (%zd of 4 bytes)",
             r);
    return -1;
  }
  uint32_t n = get_u32le(hdr);
  if (n > CFZ_MAX_FRAME) {
    snprintf(err, errlen, "frame of %u bytes exceeds the %u byte limit", n,
             CFZ_MAX_FRAME);
    return -1;
  }
  uint8_t *body = malloc(n ? n : 1);
  if (!body) {
    snprintf(err, errlen, "out of memory for a %u byte frame", n);
    return -1;
  }
  r = read_full(fd, body, n);
  if (r < 0) {
    snprintf(err, errlen, "read frame: %s", strerror(errno));
    free(body);
    return -1;
  }
  if ((size_t)r < n) {
    snprintf(err, errlen, "end of file inside a frame (%zd of %u bytes)", r, n);
    free(body);
    return -1;
  }
  int rc = parse_body(body, n, out, err, errlen);
  free(body);
  return rc;
}
