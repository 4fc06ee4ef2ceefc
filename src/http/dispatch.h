/*
 * dispatch.h - from a fully read request to a response: path checks,
 * authentication, routing, error rendering.
 */
#ifndef MC_HTTP_DISPATCH_H
#define MC_HTTP_DISPATCH_H

#include "http/http.h"

/*
 * Fill r's response for the request. Never fails: errors become JSON. A
 * handler that returned MC_HTTP_PENDING leaves r->wpending set and the
 * response empty: the server finishes it with mc_http_write_resume.
 */
void mc_dispatch(struct mc_req *r);
/*
 * 1 when r may run on an event thread: a static file or a route marked
 * MC_RT_INLINE (never blocks except on its own reader). Matches the route
 * once and keeps it in r for mc_dispatch.
 */
int mc_dispatch_inline(struct mc_req *r);
/* The end of mc_dispatch: turn the handler's rc into the response. */
void mc_dispatch_finish(struct mc_req *r, int rc);

/* Render r->err (or rc's default) as the JSON error response. */
void mc_http_error(struct mc_req *r, int rc);

/* Serve a static UI file for r->path; 404 JSON when none. */
int mc_static_serve(struct mc_req *r);

/* Resolve r->token into r->actor (anonymous when no token). */
int mc_auth_resolve(struct mc_req *r) MC_WUR;

#endif
