/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-http-message.h"
#include "tender-plugin-request-private.h"

/*
 * TenderPluginRequest: a plugin's view of one HTTP request.  The replies go through the
 * HTTP mirror's reply functions (tender-http-message.h), so that plugin routes answer with the
 * same error bodies and status codes as the core's.
 */

struct _TenderPluginRequest {
	gint ref_count;
	SoupServerMessage *msg;
	gchar *path;
	GPtrArray *captures;
	GHashTable *query;
	TenderAuthoritySubject *caller;
	gboolean replied;
	gboolean paused;
	gboolean finished; /* the client went away, or the reply was sent */
	gulong finished_id;
};

static void
tender_plugin_request_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderPluginRequest *self = user_data;
	self->finished = TRUE;
}

static gboolean
tender_plugin_request_begin_reply(TenderPluginRequest *self);

/**
 * tender_plugin_request_new:
 * @msg: the message, authorized
 * @path: the path below /v1/plugins/NAME/
 * @captures: (transfer full): the segments that matched the route's '*' elements
 * @query: (nullable): the query
 * @caller: (transfer full): who asks
 *
 * Returns: (transfer full): a request for a plugin's route
 */
TenderPluginRequest *
tender_plugin_request_new(SoupServerMessage *msg,
			  const gchar *path,
			  GPtrArray *captures,
			  GHashTable *query,
			  TenderAuthoritySubject *caller)
{
	TenderPluginRequest *self = g_new0(TenderPluginRequest, 1);

	self->ref_count = 1;
	self->msg = g_object_ref(msg);
	self->path = g_strdup(path);
	self->captures = captures;
	self->query = query != NULL ? g_hash_table_ref(query) : NULL;
	self->caller = caller;
	self->finished_id =
	    g_signal_connect(msg, "finished", G_CALLBACK(tender_plugin_request_finished_cb), self);
	return self;
}

/**
 * tender_plugin_request_get_replied:
 * @self: a #TenderPluginRequest
 *
 * Returns: whether a reply was given
 */
gboolean
tender_plugin_request_get_replied(TenderPluginRequest *self)
{
	return self->replied;
}

/**
 * tender_plugin_request_pause:
 * @self: a #TenderPluginRequest
 *
 * Holds the message until the plugin replies: called when the route returned without one.
 */
void
tender_plugin_request_pause(TenderPluginRequest *self)
{
	if (self->replied || self->paused || self->finished)
		return;
	self->paused = TRUE;
	soup_server_message_pause(self->msg);
}

/**
 * tender_plugin_request_ref:
 * @self: a #TenderPluginRequest
 *
 * Returns: (transfer full): @self, to reply later
 *
 * Since: 0.1
 */
TenderPluginRequest *
tender_plugin_request_ref(TenderPluginRequest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * tender_plugin_request_unref:
 * @self: a #TenderPluginRequest
 *
 * Drops a reference.  If the last one goes without a reply, the client gets a 500.
 *
 * Since: 0.1
 */
void
tender_plugin_request_unref(TenderPluginRequest *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->ref_count))
		return;
	if (!self->replied) {
		g_autoptr(GError) error =
		    g_error_new_literal(TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The plugin dropped the request without an answer");
		if (tender_plugin_request_begin_reply(self))
			tender_http_message_reply_gerror(self->msg, error);
	}
	g_clear_signal_handler(&self->finished_id, self->msg);
	g_object_unref(self->msg);
	g_free(self->path);
	if (self->captures != NULL)
		g_ptr_array_unref(self->captures);
	if (self->query != NULL)
		g_hash_table_unref(self->query);
	tender_authority_subject_free(self->caller);
	g_free(self);
}

/**
 * tender_plugin_request_get_method:
 * @self: a #TenderPluginRequest
 *
 * Returns: the HTTP method, e.g. "POST"
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_request_get_method(TenderPluginRequest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return soup_server_message_get_method(self->msg);
}

/**
 * tender_plugin_request_get_path:
 * @self: a #TenderPluginRequest
 *
 * Returns: the path below /v1/plugins/NAME/, e.g. "sessions/s1/files"
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_request_get_path(TenderPluginRequest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->path;
}

/**
 * tender_plugin_request_get_capture:
 * @self: a #TenderPluginRequest
 * @index: which '*' of the route, from 0
 *
 * Returns: (nullable): the path segment that matched it, never empty, or %NULL when the
 *   route has fewer
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_request_get_capture(TenderPluginRequest *self, guint index)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (self->captures == NULL || index >= self->captures->len)
		return NULL;
	return g_ptr_array_index(self->captures, index);
}

/**
 * tender_plugin_request_get_query:
 * @self: a #TenderPluginRequest
 * @key: a query parameter
 *
 * Returns: (nullable): its value, decoded
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_request_get_query(TenderPluginRequest *self, const gchar *key)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->query != NULL ? g_hash_table_lookup(self->query, key) : NULL;
}

/**
 * tender_plugin_request_get_body:
 * @self: a #TenderPluginRequest
 * @error: (nullable): a #GError, %TENDER_ERROR_INVALID_ARGUMENT for a body that is not a
 *   JSON object (reply with it as it is: that is a 400)
 *
 * Returns: (transfer full) (nullable): the body, a JSON object; %NULL without error when
 *   there is no body
 *
 * Since: 0.1
 */
JsonNode *
tender_plugin_request_get_body(TenderPluginRequest *self, GError **error)
{
	g_return_val_if_fail(self != NULL, NULL);
	return tender_http_message_get_body(self->msg, error);
}

/**
 * tender_plugin_request_get_caller:
 * @self: a #TenderPluginRequest
 *
 * Returns: (transfer none): who asks
 *
 * Since: 0.1
 */
const TenderCaller *
tender_plugin_request_get_caller(TenderPluginRequest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->caller;
}

/* %FALSE if there is nobody to answer any more */
static gboolean
tender_plugin_request_begin_reply(TenderPluginRequest *self)
{
	if (self->replied) {
		g_critical("a plugin replied twice to %s", self->path);
		return FALSE;
	}
	self->replied = TRUE;
	if (self->finished)
		return FALSE;
	if (self->paused) {
		self->paused = FALSE;
		soup_server_message_unpause(self->msg);
	}
	return TRUE;
}

/**
 * tender_plugin_request_reply_json:
 * @self: a #TenderPluginRequest
 * @status: an HTTP status, e.g. 200
 * @node: the body
 *
 * Answers with a JSON body.
 *
 * Since: 0.1
 */
void
tender_plugin_request_reply_json(TenderPluginRequest *self, guint status, JsonNode *node)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(node != NULL);
	if (!tender_plugin_request_begin_reply(self))
		return;
	tender_http_message_reply_json(self->msg, status, node);
}

/**
 * tender_plugin_request_reply_text:
 * @self: a #TenderPluginRequest
 * @status: an HTTP status, e.g. 200
 * @content_type: e.g. "text/plain; version=0.0.4" for Prometheus
 * @text: the body
 *
 * Answers with a text body.
 *
 * Since: 0.1
 */
void
tender_plugin_request_reply_text(TenderPluginRequest *self,
				 guint status,
				 const gchar *content_type,
				 const gchar *text)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(content_type != NULL && text != NULL);
	if (!tender_plugin_request_begin_reply(self))
		return;
	tender_http_message_reply_text(self->msg, status, content_type, g_strdup(text));
}

/**
 * tender_plugin_request_reply_error:
 * @self: a #TenderPluginRequest
 * @error: a #GError: a %TENDER_ERROR gets its status from the same table as the core's
 *   routes (e.g. %TENDER_ERROR_NOT_FOUND is 404); GIO and file errors are converted first
 *
 * Answers with {"error": {"name", "message"}}.
 *
 * Since: 0.1
 */
void
tender_plugin_request_reply_error(TenderPluginRequest *self, const GError *error)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(error != NULL);
	if (!tender_plugin_request_begin_reply(self))
		return;
	tender_http_message_reply_gerror(self->msg, error);
}
