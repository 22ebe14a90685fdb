/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-authority.h"
#include "tender-call-private.h"
#include "tender-error.h"

/*
 * TenderCall: one call of a declared method, the same whichever front-end it came by.  It
 * checks what the plugin answers (a value of the out-signature, or an error of
 * TENDER_ERROR) before the front-end turns it into a D-Bus reply or an HTTP response.
 */

struct _TenderCall {
	gchar *plugin_name;
	TenderAuthoritySubject *caller;
	gchar *subpath;
	gchar *method;
	GVariant *parameters;
	GVariantType *out_type;
	TenderCallReplyFunc func;
	gpointer user_data;
	TenderCallChannel channel; /* what the front-end lends */
	GCancellable *cancellable; /* made when the plugin asks */
	gboolean streaming;
	gboolean gone;	/* the caller went away */
	GQueue waiting; /* GTasks of writes that wait for the caller */
};

/**
 * tender_call_new:
 * @plugin_name: the plugin's name, for warnings
 * @caller: who called, authorized already; copied
 * @subpath: the service's subpath, "" for the plugin's own object
 * @method: the method's name
 * @parameters: the in-args, a tuple of the in-signature; sunk if floating
 * @out_type: the tuple type the plugin must return
 * @func: gets the outcome, once
 * @user_data: for @func
 *
 * Returns: (transfer full): a call to hand to the plugin, which completes it
 */
TenderCall *
tender_call_new(const gchar *plugin_name,
		const TenderCaller *caller,
		const gchar *subpath,
		const gchar *method,
		GVariant *parameters,
		const GVariantType *out_type,
		TenderCallReplyFunc func,
		gpointer user_data)
{
	TenderCall *self = g_new0(TenderCall, 1);

	self->plugin_name = g_strdup(plugin_name);
	self->caller = tender_authority_subject_copy(caller);
	self->subpath = g_strdup(subpath);
	self->method = g_strdup(method);
	self->parameters = g_variant_ref_sink(parameters);
	self->out_type = g_variant_type_copy(out_type);
	self->func = func;
	self->user_data = user_data;
	return self;
}

static void
tender_call_fail_writes(TenderCall *self, gint code, const gchar *message)
{
	GTask *task;

	while ((task = g_queue_pop_head(&self->waiting)) != NULL) {
		g_task_return_new_error(task, G_IO_ERROR, code, "%s", message);
		g_object_unref(task);
	}
}

static void
tender_call_free(TenderCall *self)
{
	tender_call_fail_writes(self, G_IO_ERROR_CANCELLED, "The call was completed");
	if (self->channel.free != NULL)
		self->channel.free(self->channel.data);
	g_clear_object(&self->channel.fd_list);
	g_clear_object(&self->cancellable);
	g_free(self->plugin_name);
	tender_authority_subject_free(self->caller);
	g_free(self->subpath);
	g_free(self->method);
	g_variant_unref(self->parameters);
	g_variant_type_free(self->out_type);
	g_free(self);
}

/**
 * tender_call_get_caller:
 * @self: a #TenderCall
 *
 * Returns: (transfer none): who called, with its uid (see tender_caller_get_uid())
 *
 * Since: 0.2
 */
const TenderCaller *
tender_call_get_caller(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->caller;
}

/**
 * tender_call_get_method:
 * @self: a #TenderCall
 *
 * Returns: the method's name, as the introspection XML has it
 *
 * Since: 0.2
 */
const gchar *
tender_call_get_method(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->method;
}

/**
 * tender_call_get_subpath:
 * @self: a #TenderCall
 *
 * Returns: the subpath the service was added at, "" for the plugin's own object
 *
 * Since: 0.2
 */
const gchar *
tender_call_get_subpath(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->subpath;
}

/**
 * tender_call_get_parameters:
 * @self: a #TenderCall
 *
 * Returns: (transfer none): the in-args, a tuple of the method's in-signature
 *
 * Since: 0.2
 */
GVariant *
tender_call_get_parameters(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->parameters;
}

/**
 * tender_call_return_value:
 * @self: (transfer full): a #TenderCall
 * @value: (nullable): the out-args, a tuple of the method's out-signature, sunk if floating;
 *   %NULL for a method without out-args
 *
 * Completes the call with a value, and frees it.  A value of another type than the
 * out-signature is never sent: the caller gets org.tender.Agent1.Error.Failed instead, and
 * the journal a warning.
 *
 * Since: 0.2
 */
void
tender_call_return_value(TenderCall *self, GVariant *value)
{
	g_autoptr(GVariant) reply = NULL;

	g_return_if_fail(self != NULL);
	if (value == NULL)
		value = g_variant_new_tuple(NULL, 0);
	reply = g_variant_ref_sink(value);
	if (!g_variant_is_of_type(reply, self->out_type)) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *want = g_variant_type_dup_string(self->out_type);
		g_warning("plugin %s: %s returned a %s, not the %s its XML declares",
			  self->plugin_name,
			  self->method,
			  g_variant_get_type_string(reply),
			  want);
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The plugin answered %s with a value of the wrong type",
			    self->method);
		self->func(NULL, error, self->user_data);
	} else {
		self->func(reply, NULL, self->user_data);
	}
	tender_call_free(self);
}

/**
 * tender_call_return_error:
 * @self: (transfer full): a #TenderCall
 * @error: the error; a #TENDER_ERROR code reaches the caller as its D-Bus error name and
 *   HTTP status, other domains as org.tender.Agent1.Error.Failed (or their nearest code)
 *
 * Completes the call with an error, and frees it.
 *
 * Since: 0.2
 */
void
tender_call_return_error(TenderCall *self, const GError *error)
{
	g_autoptr(GError) copy = NULL;

	g_return_if_fail(self != NULL);
	if (error != NULL)
		copy = g_error_copy(error);
	else
		copy = g_error_new(TENDER_ERROR,
				   TENDER_ERROR_FAILED,
				   "The plugin failed %s without saying why",
				   self->method);
	tender_error_convert(&copy);
	self->func(NULL, copy, self->user_data);
	tender_call_free(self);
}

/**
 * tender_call_set_channel:
 * @self: a #TenderCall, not yet handed to the plugin
 * @channel: what the front-end lends it; copied (its @fd_list referenced)
 */
void
tender_call_set_channel(TenderCall *self, const TenderCallChannel *channel)
{
	g_return_if_fail(self != NULL && channel != NULL);
	self->channel = *channel;
	if (channel->fd_list != NULL)
		g_object_ref(channel->fd_list);
}

/**
 * tender_call_is_streaming:
 * @self: a #TenderCall
 *
 * Returns: whether the plugin began a stream (the front-end then ends it at the reply,
 *   instead of sending the value)
 */
gboolean
tender_call_is_streaming(TenderCall *self)
{
	return self->streaming;
}

static gboolean
tender_call_release_write_cb(gpointer user_data)
{
	g_task_return_boolean(G_TASK(user_data), TRUE);
	return G_SOURCE_REMOVE;
}

/* the writes that waited go on once the caller took most of what was there: from the main
 * loop, not from within the front-end's notification */
static void
tender_call_release_writes(TenderCall *self)
{
	GTask *task;

	if (self->channel.get_pending(self->channel.data) > TENDER_CALL_STREAM_BACKLOG / 4)
		return;
	while ((task = g_queue_pop_head(&self->waiting)) != NULL)
		g_idle_add_full(G_PRIORITY_DEFAULT,
				tender_call_release_write_cb,
				task,
				g_object_unref);
}

/**
 * tender_call_stream_progress:
 * @self: a #TenderCall that streams
 * @gone: the caller went away (else: it took some of the stream)
 *
 * For the front-end: lets the writes that waited go on, or fail.
 */
void
tender_call_stream_progress(TenderCall *self, gboolean gone)
{
	if (gone) {
		self->gone = TRUE;
		if (self->cancellable != NULL)
			g_cancellable_cancel(self->cancellable);
		tender_call_fail_writes(self, G_IO_ERROR_CONNECTION_CLOSED, "The caller went away");
		return;
	}
	if (self->streaming)
		tender_call_release_writes(self);
}

/**
 * tender_call_get_fd_list:
 * @self: a #TenderCall
 *
 * The descriptors that came with a D-Bus call: an argument (or a member of an a{sv}) of type
 * h is an index in this list.  Take your own copy with g_unix_fd_list_get().
 *
 * Returns: (transfer none) (nullable): the list, or %NULL (none came, or over HTTP)
 *
 * Since: 0.5
 */
GUnixFDList *
tender_call_get_fd_list(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->channel.fd_list;
}

/**
 * tender_call_get_cancellable:
 * @self: a #TenderCall
 *
 * A cancellable that tenderd cancels when the caller goes away before the call is
 * completed: a D-Bus caller that leaves the bus, an HTTP client that closes its connection.
 * A long call (a command that runs, a stream that follows) should then stop; it is still
 * completed as usual (the answer is dropped).
 *
 * Returns: (transfer none): the call's cancellable, valid until the call is completed
 *
 * Since: 0.5
 */
GCancellable *
tender_call_get_cancellable(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (self->cancellable == NULL) {
		self->cancellable = g_cancellable_new();
		if (self->gone)
			g_cancellable_cancel(self->cancellable);
		else if (self->channel.watch != NULL)
			self->channel.watch(self, self->channel.data, self->cancellable);
	}
	return self->cancellable;
}

/**
 * tender_call_begin_stream:
 * @self: a #TenderCall
 * @content_type: what the chunks are, e.g. "application/x-ndjson" or "text/plain;
 *   charset=utf-8"
 * @error: a #GError
 *
 * Answers an HTTP call with a stream (status 200, chunked transfer encoding) whose chunks
 * tender_call_write_stream_async() sends as they come.  tender_call_return_value() then
 * ends the stream (its value is checked, not sent); tender_call_return_error() ends it too,
 * after a last line {"error": {"name", "message"}} if @content_type is
 * application/x-ndjson.  A call that came over D-Bus cannot stream: give it descriptors.
 *
 * Returns: %TRUE if the stream began; %FALSE with NotSupported if the call cannot stream,
 *   with Failed if the caller is gone already
 *
 * Since: 0.5
 */
gboolean
tender_call_begin_stream(TenderCall *self, const gchar *content_type, GError **error)
{
	g_return_val_if_fail(self != NULL && content_type != NULL, FALSE);
	g_return_val_if_fail(!self->streaming, FALSE);
	if (self->channel.begin_stream == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "%s cannot stream its answer this way: only over HTTP",
			    self->method);
		return FALSE;
	}
	if (self->gone ||
	    !self->channel.begin_stream(self, self->channel.data, content_type, error)) {
		if (error != NULL && *error == NULL)
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "The caller went away");
		return FALSE;
	}
	self->streaming = TRUE;
	return TRUE;
}

/**
 * tender_call_write_stream_async:
 * @self: a #TenderCall whose stream began
 * @chunk: what to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the chunk is on its way and the caller keeps up
 * @user_data: for @callback
 *
 * Sends a chunk of the stream.  The callback comes at once while little waits for the
 * caller, later when much does: wait for it before the next write, and a slow reader holds
 * the writer back instead of filling tenderd's memory.
 *
 * Since: 0.5
 */
void
tender_call_write_stream_async(TenderCall *self,
			       GBytes *chunk,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

	g_return_if_fail(self != NULL && chunk != NULL);
	g_task_set_source_tag(task, tender_call_write_stream_async);
	if (!self->streaming) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"The stream has not begun");
		return;
	}
	if (self->gone) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_CONNECTION_CLOSED,
					"The caller went away");
		return;
	}
	self->channel.write(self->channel.data, chunk);
	if (self->channel.get_pending(self->channel.data) <= TENDER_CALL_STREAM_BACKLOG) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_queue_push_tail(&self->waiting, g_steal_pointer(&task));
}

/**
 * tender_call_write_stream_finish:
 * @self: a #TenderCall
 * @res: the result
 * @error: a #GError: G_IO_ERROR_CONNECTION_CLOSED once the caller went away
 *
 * Returns: %TRUE if the chunk went out
 *
 * Since: 0.5
 */
gboolean
tender_call_write_stream_finish(TenderCall *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
