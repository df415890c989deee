/* target_probe.c - asking a target executable for its targets
 * (target_probe.h). */
#include "target_probe.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "coverage_map.h"
#include "failure.h"
#include "worker_client.h"

#define PROBE_CAPACITY 4096u
#define PROBE_TIMEOUT_MS 10000u

typedef struct probe {
  const char *exe;
  cfz_hello *out;
  bool answered;
  int rc;
  char *err;
  size_t errlen;
} probe;

static void on_event(cfz_client *cl, void *ctx, cfz_client_result *r) {
  probe *p = ctx;
  if (r->kind == CFZ_CLIENT_RESPONSE && r->job == CFZ_JOB_HELLO) {
    p->answered = true;
    if (!r->hello)
      snprintf(p->err, p->errlen, "%s: %s", p->exe, r->message);
    else if (cfz_hello_copy(p->out, r->hello) != 0)
      snprintf(p->err, p->errlen, "out of memory");
    else
      p->rc = 0;
    cfz_client_stop(cl, 1000);
    return;
  }
  if (r->exit && !p->answered) {
    char status[64];
    cfz_exit_text(r->exit->exit_status, r->exit->term_signal, status,
                  sizeof status);
    snprintf(p->err, p->errlen,
             "%s: terminated without answering the handshake: %s (is it "
             "linked with the cfz harness?)%s%.300s",
             p->exe, r->kind == CFZ_CLIENT_PROTOCOL ? r->message : status,
             r->output && *r->output ? "\n" : "", r->output ? r->output : "");
  }
}

int cfz_probe_targets(const char *exe, cfz_hello *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  probe p = {.exe = exe, .out = out, .rc = -1, .err = err, .errlen = errlen};
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) {
    snprintf(err, errlen, "cannot initialise the event loop");
    return -1;
  }
  cfz_coverage_map cov;
  cfz_client *cl = NULL;
  if (cfz_covmap_init(&cov, err, errlen) == 0) {
    cfz_client_config cfg = {
        .path = exe,
        .coverage_fd = cfz_covmap_fd(&cov),
        .capacity = PROBE_CAPACITY,
        .startup_timeout_ms = PROBE_TIMEOUT_MS,
        .hello = {.call = CFZ_CALL_HELLO, .protocol = CFZ_PROTOCOL_VERSION},
        .probe = true};
    cl = cfz_client_new(&loop, &cfg, on_event, &p, err, errlen);
    if (cl && cfz_client_start(cl, err, errlen) == 0)
      uv_run(&loop, UV_RUN_DEFAULT);
  }
  cfz_client_free(cl);
  cfz_covmap_free(&cov);
  uv_run(&loop, UV_RUN_DEFAULT); /* handles closing */
  if (uv_loop_close(&loop) != 0 && p.rc == 0)
    snprintf(err, errlen, "event loop still busy");
  if (p.rc != 0)
    cfz_hello_free(out);
  return p.rc;
}

const cfz_target_info *cfz_probe_pick(const cfz_hello *h, const char *exe,
                                      const char *want, char *err,
                                      size_t errlen) {
  if (h->ntargets == 0) {
    snprintf(err, errlen, "%s reports no target", exe);
    return NULL;
  }
  if (!want)
    return &h->targets[0];
  size_t used = 0;
  char names[1024] = "";
  for (size_t i = 0; i < h->ntargets; i++) {
    if (!strcmp(h->targets[i].name, want))
      return &h->targets[i];
    int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                     h->targets[i].name);
    if (w > 0 && (size_t)w < sizeof names - used)
      used += (size_t)w;
  }
  snprintf(err, errlen, "%s has no target \"%s\" (it has: %s)", exe, want,
           names);
  return NULL;
}
