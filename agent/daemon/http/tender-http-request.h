/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tender-authority.h"
#include "tender-engine.h"
#include "tender-http-router.h"
#include "tender-http-server.h"

G_BEGIN_DECLS

typedef gboolean (*TenderEngineFinishFunc)(TenderEngine *engine, GAsyncResult *res, GError **error);

/* one request to the HTTP mirror, from its headers to its answer */
struct _TenderHttpRequest {
	TenderHttpServer *self; /* set once the body is read */
	SoupServerMessage *msg; /* likewise */
	gchar *path;
	TenderHttpMatch match;
	GHashTable *query;
	/* who asks: the credentials of a unix socket's client; over TCP, the token's uid */
	gboolean local;
	gboolean has_token;
	GPid pid;
	guint32 uid;
	TenderAuthoritySubject *subject;
	/* CreateWorkload's and ImportWorkload's arguments, as the Manager takes them, decoded from
	 * the body before the call is authorized (so that polkit sees the command it brings), or
	 * why they could not be (answered once the call is authorized) */
	GVariant *params;
	GError *params_error;
	gboolean finished;
	gulong finished_id;
	TenderEngineFinishFunc finish; /* of the asynchronous engine call under way */
};

TenderHttpRequest *
tender_http_request_new(const gchar *path);
void
tender_http_request_free(TenderHttpRequest *req);
void
tender_http_request_set_message(TenderHttpRequest *req,
				TenderHttpServer *self,
				SoupServerMessage *msg,
				GHashTable *query);
void
tender_http_request_pause(TenderHttpRequest *req);
gboolean
tender_http_request_resume(TenderHttpRequest *req);
const gchar *
tender_http_request_get_query(TenderHttpRequest *req, const gchar *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderHttpRequest, tender_http_request_free)

G_END_DECLS
