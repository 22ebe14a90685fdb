/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-http-request.h"

/*
 * TenderHttpRequest: made when a request's headers are there, with the route they match and
 * who asks; it gets its server and message once the body is read (holding neither until
 * then, so that a client that never sends its body holds nothing up), and the handler of its
 * route answers.
 */

/**
 * tender_http_request_new:
 * @path: the request's path
 *
 * Returns: (transfer full): a request of nobody known, for no route yet
 */
TenderHttpRequest *
tender_http_request_new(const gchar *path)
{
	TenderHttpRequest *req = g_new0(TenderHttpRequest, 1);

	req->path = g_strdup(path);
	req->pid = -1;
	req->uid = G_MAXUINT32;
	return req;
}

/**
 * tender_http_request_free:
 * @req: a #TenderHttpRequest
 */
void
tender_http_request_free(TenderHttpRequest *req)
{
	if (req->msg != NULL)
		g_clear_signal_handler(&req->finished_id, req->msg);
	g_clear_object(&req->self);
	g_clear_object(&req->msg);
	g_free(req->path);
	tender_http_match_clear(&req->match);
	if (req->query != NULL)
		g_hash_table_unref(req->query);
	tender_authority_subject_free(req->subject);
	g_clear_pointer(&req->params, g_variant_unref);
	g_clear_error(&req->params_error);
	g_free(req);
}

static void
tender_http_request_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpRequest *req = user_data;
	req->finished = TRUE;
}

/**
 * tender_http_request_set_message:
 * @req: a #TenderHttpRequest
 * @self: the server
 * @msg: the message, its body read
 * @query: (nullable): its query
 *
 * The request goes on to its route's handler.
 */
void
tender_http_request_set_message(TenderHttpRequest *req,
				TenderHttpServer *self,
				SoupServerMessage *msg,
				GHashTable *query)
{
	g_set_object(&req->self, self);
	g_set_object(&req->msg, msg);
	if (query != NULL)
		g_hash_table_ref(query);
	if (req->query != NULL)
		g_hash_table_unref(req->query);
	req->query = query;
}

/**
 * tender_http_request_pause:
 * @req: a #TenderHttpRequest
 *
 * Holds the message while an asynchronous answer is under way; see
 * tender_http_request_resume().
 */
void
tender_http_request_pause(TenderHttpRequest *req)
{
	if (req->finished_id == 0)
		req->finished_id = g_signal_connect(req->msg,
						    "finished",
						    G_CALLBACK(tender_http_request_finished_cb),
						    req);
	soup_server_message_pause(req->msg);
}

/**
 * tender_http_request_resume:
 * @req: a #TenderHttpRequest
 *
 * Called when an asynchronous answer is there.
 *
 * Returns: %FALSE if the client went away meanwhile
 */
gboolean
tender_http_request_resume(TenderHttpRequest *req)
{
	if (req->finished)
		return FALSE;
	soup_server_message_unpause(req->msg);
	return TRUE;
}

/**
 * tender_http_request_get_query:
 * @req: a #TenderHttpRequest
 * @key: a query parameter
 *
 * Returns: (nullable): its value
 */
const gchar *
tender_http_request_get_query(TenderHttpRequest *req, const gchar *key)
{
	return req->query != NULL ? g_hash_table_lookup(req->query, key) : NULL;
}
