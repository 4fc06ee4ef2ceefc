/*
 * dispatch.h - from a fully read request to a response: path checks,
 * authentication, routing, error rendering.
 */
#ifndef MC_HTTP_DISPATCH_H
#define MC_HTTP_DISPATCH_H

#include "http/http.h"

/* Fill r's response for the request. Never fails: errors become JSON. */
void mc_dispatch(struct mc_req *r);

/* Render r->err (or rc's default) as the JSON error response. */
void mc_http_error(struct mc_req *r, int rc);

/* Serve a static UI file for r->path; 404 JSON when none. */
int mc_static_serve(struct mc_req *r);

/* Resolve r->token into r->actor (anonymous when no token). */
int mc_auth_resolve(struct mc_req *r) MC_WUR;

#endif
