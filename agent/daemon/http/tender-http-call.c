/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <sys/ioctl.h>

#include "tender-error.h"
#include "tender-http-call.h"
#include "tender-http-connection.h"
#include "tender-http-message.h"
#include "tender-http-stream.h"

/*
 * TenderHttpCall: a plugin's call over HTTP (a route alias, or /v1/plugins/NAME/...), from
 * its hand-over to the plugin to its answer.  It lends the call what HTTP has: the end of the
 * connection, which cancels the call's cancellable, and a streamed answer (chunked), whose
 * writes wait while the client is behind.  An answer that did not stream is sent in the
 * route's shape; one that streamed is ended, with a last line for an error.
 */

typedef struct {
	TenderHttpRequest *req; /* owned */
	TenderHttpCallReplyFunc reply;
	TenderCall *call; /* until the call is completed; not a reference */
	guint hangup_id;
	TenderHttpStream *stream;
	gulong wrote_id;
	gulong finished_id;
	gboolean ndjson;
} TenderHttpCall;

static void
tender_http_call_free(gpointer data)
{
	TenderHttpCall *hc = data;

	g_clear_handle_id(&hc->hangup_id, g_source_remove);
	g_clear_signal_handler(&hc->wrote_id, hc->req->msg);
	g_clear_signal_handler(&hc->finished_id, hc->req->msg);
	g_clear_pointer(&hc->stream, tender_http_stream_release);
	tender_http_request_free(hc->req);
	g_free(hc);
}

/* the client hung up while the call was under way (readable with nothing to read is the
 * connection's end; bytes to read are a client's business, no reason to cancel) */
static gboolean
tender_http_call_hangup_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderHttpCall *hc = user_data;
	gint pending = 0;

	hc->hangup_id = 0;
	if ((condition & (G_IO_HUP | G_IO_ERR)) != 0 ||
	    (ioctl(fd, FIONREAD, &pending) == 0 && pending == 0))
		tender_call_stream_progress(hc->call, TRUE);
	return G_SOURCE_REMOVE;
}

static void
tender_http_call_watch(TenderCall *call, gpointer data, GCancellable *cancellable)
{
	TenderHttpCall *hc = data;
	GSocket *sock = tender_http_connection_get_message_socket(hc->req->msg);

	hc->call = call;
	if (sock == NULL || hc->stream != NULL)
		return;
	hc->hangup_id = g_unix_fd_add(g_socket_get_fd(sock),
				      G_IO_IN | G_IO_HUP | G_IO_ERR,
				      tender_http_call_hangup_cb,
				      hc);
}

static void
tender_http_call_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data)
{
	TenderHttpCall *hc = user_data;

	if (hc->call != NULL)
		tender_call_stream_progress(hc->call, FALSE);
}

static void
tender_http_call_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpCall *hc = user_data;

	g_clear_signal_handler(&hc->finished_id, hc->req->msg);
	if (hc->call != NULL)
		tender_call_stream_progress(hc->call, TRUE);
}

static gboolean
tender_http_call_begin_stream(TenderCall *call,
			      gpointer data,
			      const gchar *content_type,
			      GError **error)
{
	TenderHttpCall *hc = data;

	if (!tender_http_request_resume(hc->req))
		return FALSE;
	g_clear_handle_id(&hc->hangup_id, g_source_remove);
	hc->call = call;
	hc->ndjson = g_str_has_prefix(content_type, "application/x-ndjson");
	hc->stream = tender_http_stream_new(hc->req->msg, content_type);
	hc->wrote_id = g_signal_connect(hc->req->msg,
					"wrote-body-data",
					G_CALLBACK(tender_http_call_wrote_cb),
					hc);
	hc->finished_id = g_signal_connect(hc->req->msg,
					   "finished",
					   G_CALLBACK(tender_http_call_finished_cb),
					   hc);
	return TRUE;
}

static void
tender_http_call_write(gpointer data, GBytes *chunk)
{
	TenderHttpCall *hc = data;
	gsize len = 0;
	gconstpointer bytes = g_bytes_get_data(chunk, &len);

	if (len > 0)
		tender_http_stream_append(hc->stream, bytes, len);
}

static gsize
tender_http_call_get_pending(gpointer data)
{
	TenderHttpCall *hc = data;
	return tender_http_stream_get_pending(hc->stream);
}

/* a stream's last line, for an error after it began */
static void
tender_http_call_append_error(TenderHttpCall *hc, const GError *error)
{
	g_autofree gchar *line = tender_http_message_render_gerror(error);

	tender_http_stream_append(hc->stream, line, strlen(line));
	tender_http_stream_append(hc->stream, "\n", 1);
}

static void
tender_http_call_reply_cb(GVariant *value, const GError *error, gpointer user_data)
{
	TenderHttpCall *hc = user_data;

	/* the channel's free (after this) frees the request */
	hc->call = NULL;
	if (hc->stream != NULL) {
		if (error != NULL && hc->ndjson)
			tender_http_call_append_error(hc, error);
		tender_http_stream_end(hc->stream);
		return;
	}
	if (!tender_http_request_resume(hc->req))
		return;
	if (error != NULL) {
		tender_http_message_reply_gerror(hc->req->msg, error);
		return;
	}
	hc->reply(hc->req, value);
}

/**
 * tender_http_call_dispatch:
 * @req: (transfer full): an authorized request
 * @service: the service whose method it calls
 * @method: the method
 * @parameters: its in-args, sunk if floating
 * @reply: answers the method's out-args, unless the plugin streamed
 *
 * Hands the call to the plugin, which may answer later, or stream.
 */
void
tender_http_call_dispatch(TenderHttpRequest *req,
			  TenderService *service,
			  const gchar *method,
			  GVariant *parameters,
			  TenderHttpCallReplyFunc reply)
{
	TenderHttpCall *hc = g_new0(TenderHttpCall, 1);
	const TenderAuthoritySubject *subject = req->subject;
	TenderCallChannel channel = {
	    .watch = tender_http_call_watch,
	    .begin_stream = tender_http_call_begin_stream,
	    .write = tender_http_call_write,
	    .get_pending = tender_http_call_get_pending,
	    .data = hc,
	    .free = tender_http_call_free,
	};

	hc->req = req;
	hc->reply = reply;
	tender_http_request_pause(req);
	tender_service_call(service,
			    subject,
			    method,
			    parameters,
			    &channel,
			    tender_http_call_reply_cb,
			    hc);
}
