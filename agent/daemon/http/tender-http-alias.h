/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"
#include "tender-request.h"
#include "tender-service-list.h"

G_BEGIN_DECLS

/**
 * TenderHttpAliasReplyFunc:
 * @req: the request, whose match.service is the object
 * @value: (nullable): the method's out-args; %NULL for a route without a method
 *
 * Answers @req in the route's own shape.
 */
typedef void (*TenderHttpAliasReplyFunc)(TenderHttpRequest *req, GVariant *value);

/**
 * TenderHttpAliasFlags:
 * @TENDER_HTTP_ALIAS_NONE: the method takes no in-args
 * @TENDER_HTTP_ALIAS_BODY: its one in-arg, s, is the body, a JSON object, as text; no body is
 *   the object {}
 * @TENDER_HTTP_ALIAS_BODY_NEEDED: likewise, but no body is a 400 (the set's @body_needed)
 * @TENDER_HTTP_ALIAS_FALLBACK: without the set's @alias object the route is not there, and
 *   the core's route of the same path answers
 * @TENDER_HTTP_ALIAS_DETAIL: every error is answered as FastAPI's, {"detail": "message"}
 * @TENDER_HTTP_ALIAS_FASTAPI: %TENDER_HTTP_ALIAS_DETAIL, and the body is read as FastAPI
 *   reads a dict or a model (tender_http_fastapi_read_object(): a 422 without one, whatever
 *   its Content-Type), then given to the row's check and, with %TENDER_HTTP_ALIAS_BODY, to
 *   the method
 * @TENDER_HTTP_ALIAS_RAW: a plugin's alias: the method's in-args are (a{ss} s), the query's
 *   parameters and the row's named captures, and the body as text, whatever its type; its
 *   out-args (u s) are the answer's status and JSON body, sent as they are
 * @TENDER_HTTP_ALIAS_BYTES: with %TENDER_HTTP_ALIAS_RAW, bytes both ways: (a{ss} ay) in,
 *   (u s ay) out
 */
typedef enum {
	TENDER_HTTP_ALIAS_NONE = 0,
	TENDER_HTTP_ALIAS_BODY = 1 << 0,
	TENDER_HTTP_ALIAS_BODY_NEEDED = 1 << 1,
	TENDER_HTTP_ALIAS_FALLBACK = 1 << 2,
	TENDER_HTTP_ALIAS_DETAIL = 1 << 3,
	TENDER_HTTP_ALIAS_FASTAPI = 1 << 4 | TENDER_HTTP_ALIAS_DETAIL,
	TENDER_HTTP_ALIAS_RAW = 1 << 5,
	TENDER_HTTP_ALIAS_BYTES = 1 << 6,
} TenderHttpAliasFlags;

/**
 * TenderHttpAliasCheckFunc:
 * @req: an authorized request, whose match.service is the object
 * @body: (nullable): its body, with %TENDER_HTTP_ALIAS_FASTAPI
 *
 * Answers @req before the method is called, when the route's own rules say so.
 *
 * Returns: %FALSE if it answered @req
 */
typedef gboolean (*TenderHttpAliasCheckFunc)(TenderHttpRequest *req, JsonObject *body);

/**
 * TenderHttpAlias:
 * @verb: the HTTP method; GET answers HEAD too
 * @pattern: the path; a '*' segment is the object's name; a path without one is for the
 *   object of the set's @alias
 * @method: (nullable): the service's method the route calls, authorized as over D-Bus;
 *   %NULL: none, and no authorization
 * @reply: maps the outcome to the route's answer
 * @flags: where the in-args come from, and whether the route falls back to the core's
 * @check: (nullable): answers first, when the route's rules say so
 * @captures: (nullable): the names of the '*' segments, for %TENDER_HTTP_ALIAS_RAW
 *
 * One route of the HTTP mirror that is another name of a method of a service: paths that
 * clients know (seed 000's, a plugin's), kept as they are.
 */
typedef struct _TenderHttpAlias {
	const gchar *verb;
	const gchar *pattern;
	const gchar *method;
	TenderHttpAliasReplyFunc reply;
	TenderHttpAliasFlags flags;
	TenderHttpAliasCheckFunc check;
	const gchar *const *captures;
	const gchar *tag; /* a plugin's: the a{ss}'s "route" */
	gsize body_max;	  /* a plugin's, of bytes: the largest body; 0: the mirror's */
} TenderHttpAlias;

/**
 * TenderHttpAliasSet:
 * @aliases: the routes, ending with one whose verb is %NULL
 * @get_services: the built-in services the routes are for, of a server, or %NULL
 * @alias: the alias (tender_service_list_set_alias()) of the object of the routes without '*'
 * @missing: the 404 message when no object has @alias
 * @body_needed: the 400 message of %TENDER_HTTP_ALIAS_BODY_NEEDED without a body
 * @service: the object of every route of a plugin's set, its feature service; %NULL for a
 *   built-in set
 * @ref_count: 0 for a static set; a plugin's is built at runtime, and each request for one
 *   of its routes holds a reference
 *
 * The route aliases of one kind of built-in service, or those of a plugin
 * (tender_plugin_add_http_aliases()).
 */
typedef struct _TenderHttpAliasSet {
	const TenderHttpAlias *aliases;
	TenderServiceList *(*get_services)(TenderHttpServer *server);
	const gchar *alias;
	const gchar *missing;
	const gchar *body_needed;
	TenderService *service;
	gint ref_count;
} TenderHttpAliasSet;

const TenderHttpAliasSet *
tender_http_alias_set_ref(const TenderHttpAliasSet *set);
void
tender_http_alias_set_unref(const TenderHttpAliasSet *set);
const gchar *
tender_http_alias_get_builtin_pattern(guint index);
gboolean
tender_http_alias_match(TenderPluginList *plugins,
			const gchar *method,
			const gchar *path,
			TenderHttpMatch *match,
			guint *status,
			GString *allow);
gboolean
tender_http_alias_is_detail(TenderHttpServer *server, const TenderHttpMatch *match);
gboolean
tender_http_alias_is_raw(const TenderHttpMatch *match);
gsize
tender_http_alias_get_body_max(const TenderHttpMatch *match);
void
tender_http_alias_claim(TenderHttpRequest *req);
gboolean
tender_http_alias_prepare(TenderHttpRequest *req, TenderRequest *request);
void
tender_http_alias_call(TenderHttpRequest *owned);

G_END_DECLS
