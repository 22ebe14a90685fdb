/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gunixsocketaddress.h>
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-attach.h"
#include "tender-docker-client.h"
#include "tender-docker-demux.h"
#include "tender-docker-events.h"

/*
 * TenderDockerClient speaks the Docker Engine API to dockerd over its unix socket, without
 * blocking: libsoup 3 with the socket as the session's remote connectable (every request goes
 * there, whatever the URI's host), json-glib for the bodies.  connect negotiates the API
 * version (/_ping, then /version); every later request goes to /vX.Y/PATH.
 *
 * Answers are read to a bound: JSON answers to TENDER_DOCKER_ANSWER_MAX, error answers to
 * TENDER_DOCKER_ERROR_BODY_MAX (for dockerd's message), logs to a cap on each stream.
 * Errors are of the TENDER_ERROR domain: a connection that fails is
 * TENDER_ERROR_NOT_SUPPORTED "dockerd is not answering at SOCKET: ...", an answer's status
 * maps as tender_docker_api_check_status() says, with dockerd's own message; cancelling gives
 * G_IO_ERROR_CANCELLED.
 *
 * A container's stdin goes over a hijacked connection of its own (tender-docker-attach.c),
 * and /events is followed by a TenderDockerEvents, whose signals the client's are.
 */

#define TENDER_DOCKER_CLIENT_READ_SIZE (64 * 1024)
/* every request goes to this socket, so the host is only a name */
#define TENDER_DOCKER_CLIENT_BASE_URI "http://docker"
/* /events and a waiting /containers/ID/wait hold a connection each, besides the requests */
#define TENDER_DOCKER_CLIENT_CONNECTIONS_MAX 64

struct _TenderDockerClient {
	GObject parent_instance;
	gchar *socket_path;
	SoupSession *session;
	gchar *api_version;    /* negotiated by connect; NULL before */
	gchar *server_version; /* dockerd's own version */
	gboolean refused;      /* the last connect found dockerd, speaking no API of ours */
	TenderDockerEvents *events;
};

G_DEFINE_TYPE(TenderDockerClient, tender_docker_client, G_TYPE_OBJECT)

enum { SIGNAL_EVENT, SIGNAL_CONNECTED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static void
tender_docker_client_dispose(GObject *object)
{
	TenderDockerClient *self = TENDER_DOCKER_CLIENT(object);

	/* quietly: no ::connected while the client goes */
	g_clear_pointer(&self->events, tender_docker_events_free);
	if (self->session != NULL)
		soup_session_abort(self->session);
	g_clear_object(&self->session);
	G_OBJECT_CLASS(tender_docker_client_parent_class)->dispose(object);
}

static void
tender_docker_client_finalize(GObject *object)
{
	TenderDockerClient *self = TENDER_DOCKER_CLIENT(object);

	g_free(self->socket_path);
	g_free(self->api_version);
	g_free(self->server_version);
	G_OBJECT_CLASS(tender_docker_client_parent_class)->finalize(object);
}

static void
tender_docker_client_class_init(TenderDockerClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = tender_docker_client_dispose;
	object_class->finalize = tender_docker_client_finalize;

	/**
	 * TenderDockerClient::event:
	 * @self: the client
	 * @event: the Engine API's event object (Type, Action, Actor {ID, Attributes}, time,
	 *         timeNano)
	 *
	 * An event of a container labelled org.tender.owner, while the events are followed.
	 */
	signals[SIGNAL_EVENT] = g_signal_new("event",
					     G_TYPE_FROM_CLASS(klass),
					     G_SIGNAL_RUN_LAST,
					     0,
					     NULL,
					     NULL,
					     NULL,
					     G_TYPE_NONE,
					     1,
					     JSON_TYPE_OBJECT);
	/**
	 * TenderDockerClient::connected:
	 * @self: the client
	 * @connected: whether the event stream is open now
	 *
	 * The event stream has opened (or opened again), or dropped.
	 */
	signals[SIGNAL_CONNECTED] = g_signal_new("connected",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 1,
						 G_TYPE_BOOLEAN);
}

static void
tender_docker_client_init(TenderDockerClient *self)
{
}

/**
 * tender_docker_client_new:
 * @socket_path: dockerd's socket, /run/docker.sock
 *
 * Returns: (transfer full): a client, not connected yet
 */
TenderDockerClient *
tender_docker_client_new(const gchar *socket_path)
{
	TenderDockerClient *self = g_object_new(TENDER_TYPE_DOCKER_CLIENT, NULL);
	g_autoptr(GSocketAddress) address = NULL;

	g_return_val_if_fail(socket_path != NULL, NULL);
	self->socket_path = g_strdup(socket_path);
	address = g_unix_socket_address_new(socket_path);
	/* no timeout: /events and /wait answer when something happens; callers cancel */
	self->session = soup_session_new_with_options("remote-connectable",
						      address,
						      "proxy-resolver",
						      NULL,
						      "max-conns",
						      TENDER_DOCKER_CLIENT_CONNECTIONS_MAX,
						      "max-conns-per-host",
						      TENDER_DOCKER_CLIENT_CONNECTIONS_MAX,
						      "timeout",
						      0,
						      "user-agent",
						      "tender",
						      NULL);
	return self;
}

/**
 * tender_docker_client_get_socket_path:
 * @self: a #TenderDockerClient
 *
 * Returns: dockerd's socket
 */
const gchar *
tender_docker_client_get_socket_path(TenderDockerClient *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(self), NULL);
	return self->socket_path;
}

/**
 * tender_docker_client_get_api_version:
 * @self: a #TenderDockerClient
 *
 * Returns: (nullable): the API version spoken, "1.41", or %NULL before connecting
 */
const gchar *
tender_docker_client_get_api_version(TenderDockerClient *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(self), NULL);
	return self->api_version;
}

/**
 * tender_docker_client_get_server_version:
 * @self: a #TenderDockerClient
 *
 * Returns: (nullable): dockerd's version, "20.10.24", or %NULL before connecting
 */
const gchar *
tender_docker_client_get_server_version(TenderDockerClient *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(self), NULL);
	return self->server_version;
}

/* --- one exchange: a request, and its answer read to a bound --- */

typedef struct _TenderDockerExchange TenderDockerExchange;

/* what becomes of a successful answer: returns the task's result */
typedef void (*TenderDockerExchangeDone)(GTask *task, TenderDockerExchange *exchange);

struct _TenderDockerExchange {
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *body;
	gsize max;		  /* of body */
	gboolean success;	  /* the answer's status is 2xx or 304 */
	gboolean stream_only;	  /* a successful answer's body is left to done */
	TenderDockerDemux *demux; /* where a successful answer's body goes, or NULL */
	TenderDockerExchangeDone done;
	gboolean connecting; /* every error means that dockerd is not (usably) there */
};

static void
tender_docker_exchange_free(TenderDockerExchange *exchange)
{
	g_clear_object(&exchange->msg);
	g_clear_object(&exchange->stream);
	g_byte_array_unref(exchange->body);
	tender_docker_demux_free(exchange->demux);
	g_free(exchange);
}

/* the path's URI: under /vX.Y unless it is /_ping or /version, which negotiate it */
static gchar *
tender_docker_client_uri(TenderDockerClient *self, const gchar *path, GError **error)
{
	if (path == NULL || path[0] != '/') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "An Engine API path starts with /, not %s",
			    path != NULL ? path : "nothing");
		return NULL;
	}
	if (g_strcmp0(path, "/_ping") == 0 || g_strcmp0(path, "/version") == 0)
		return g_strconcat(TENDER_DOCKER_CLIENT_BASE_URI, path, NULL);
	if (self->api_version == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "tender is not connected to dockerd at %s",
			    self->socket_path);
		return NULL;
	}
	return g_strdup_printf(TENDER_DOCKER_CLIENT_BASE_URI "/v%s%s", self->api_version, path);
}

/* fails the exchange's task: a connection that failed means that dockerd is not there, and
 * so does any error while connecting */
static void
tender_docker_exchange_fail(GTask *task, GError *error)
{
	TenderDockerExchange *exchange = g_task_get_task_data(task);
	TenderDockerClient *self = g_task_get_source_object(task);

	if (exchange->connecting && error->domain == TENDER_ERROR &&
	    error->code != TENDER_ERROR_NOT_SUPPORTED) {
		GError *answer = error;
		error = g_error_new(TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "dockerd is not answering at %s: %s",
				    self->socket_path,
				    answer->message);
		g_error_free(answer);
	}
	tender_docker_api_not_answering(&error, self->socket_path);
	g_task_return_error(task, error);
}

static void
tender_docker_exchange_read(GTask *task);

/* the whole answer is read */
static void
tender_docker_exchange_end(GTask *task)
{
	TenderDockerExchange *exchange = g_task_get_task_data(task);
	GError *error = NULL;

	if (!tender_docker_api_check_status(soup_message_get_status(exchange->msg),
					    soup_message_get_reason_phrase(exchange->msg),
					    exchange->body->data,
					    exchange->body->len,
					    &error)) {
		tender_docker_exchange_fail(task, error);
		return;
	}
	exchange->done(task, exchange);
}

/* a piece of the answer's body: FALSE if it is one too many */
static gboolean
tender_docker_exchange_take(GTask *task, GBytes *bytes, GError **error)
{
	TenderDockerExchange *exchange = g_task_get_task_data(task);
	TenderDockerClient *self = g_task_get_source_object(task);
	gsize size = g_bytes_get_size(bytes);
	const guint8 *data = g_bytes_get_data(bytes, NULL);

	if (exchange->success && exchange->demux != NULL)
		return tender_docker_demux_feed(exchange->demux, data, size, error);
	if (!exchange->success) {
		/* an error answer: its first bytes are enough for the message */
		size = MIN(size, exchange->max - exchange->body->len);
	} else if (exchange->body->len + size > exchange->max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd at %s answered %s %s with more than %" G_GSIZE_FORMAT " bytes",
			    self->socket_path,
			    soup_message_get_method(exchange->msg),
			    g_uri_get_path(soup_message_get_uri(exchange->msg)),
			    exchange->max);
		return FALSE;
	}
	g_byte_array_append(exchange->body, data, (guint)size);
	return TRUE;
}

static void
tender_docker_exchange_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerExchange *exchange = g_task_get_task_data(task);
	g_autoptr(GBytes) bytes = NULL;
	GError *error = NULL;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL && !exchange->success &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* an error answer cut short: its status says enough */
		g_clear_error(&error);
		tender_docker_exchange_end(task);
		return;
	}
	if (bytes == NULL || !tender_docker_exchange_take(task, bytes, &error)) {
		tender_docker_exchange_fail(task, error);
		return;
	}
	if (g_bytes_get_size(bytes) == 0 ||
	    (!exchange->success && exchange->body->len >= exchange->max)) {
		/* the end, or enough of an error answer */
		tender_docker_exchange_end(task);
		return;
	}
	tender_docker_exchange_read(g_steal_pointer(&task));
}

static void
tender_docker_exchange_read(GTask *task)
{
	TenderDockerExchange *exchange = g_task_get_task_data(task);

	g_input_stream_read_bytes_async(exchange->stream,
					TENDER_DOCKER_CLIENT_READ_SIZE,
					G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task),
					tender_docker_exchange_read_cb,
					task);
}

static void
tender_docker_exchange_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerExchange *exchange = g_task_get_task_data(task);
	TenderDockerClient *self = g_task_get_source_object(task);
	GError *error = NULL;
	goffset length;
	guint status;

	exchange->stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (exchange->stream == NULL) {
		tender_docker_exchange_fail(task, error);
		return;
	}
	status = soup_message_get_status(exchange->msg);
	exchange->success = SOUP_STATUS_IS_SUCCESSFUL(status) || status == SOUP_STATUS_NOT_MODIFIED;
	if (!exchange->success) {
		exchange->max = TENDER_DOCKER_ERROR_BODY_MAX;
	} else if (exchange->stream_only) {
		exchange->done(task, exchange);
		return;
	}
	length = soup_message_headers_get_content_length(
	    soup_message_get_response_headers(exchange->msg));
	if (exchange->success && exchange->demux == NULL && length > (goffset)exchange->max) {
		error = g_error_new(TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "dockerd at %s answered %s %s with %" G_GOFFSET_FORMAT
				    " bytes, more than %" G_GSIZE_FORMAT,
				    self->socket_path,
				    soup_message_get_method(exchange->msg),
				    g_uri_get_path(soup_message_get_uri(exchange->msg)),
				    length,
				    exchange->max);
		tender_docker_exchange_fail(task, error);
		return;
	}
	tender_docker_exchange_read(g_steal_pointer(&task));
}

/* METHOD PATH with a JSON body or none, for @task (which becomes the exchange's: its data).
 * A successful answer's body is read into the exchange's body (at most max bytes), or fed to
 * its demux, or (stream_only) left unread; then done returns the task's result.  Errors are
 * returned without done. */
static void
tender_docker_exchange_start(GTask *task,
			     const gchar *method,
			     const gchar *path,
			     JsonNode *body,
			     TenderDockerExchange *exchange)
{
	TenderDockerClient *self = g_task_get_source_object(task);
	g_autofree gchar *uri = NULL;
	GError *error = NULL;

	exchange->body = g_byte_array_new();
	g_task_set_task_data(task, exchange, (GDestroyNotify)tender_docker_exchange_free);
	uri = tender_docker_client_uri(self, path, &error);
	if (uri == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	exchange->msg = soup_message_new(method, uri);
	if (exchange->msg == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"%s is not an Engine API path",
					path);
		g_object_unref(task);
		return;
	}
	if (body != NULL) {
		gchar *text = json_to_string(body, FALSE);
		g_autoptr(GBytes) bytes = g_bytes_new_take(text, strlen(text));
		soup_message_set_request_body_from_bytes(exchange->msg, "application/json", bytes);
	}
	soup_session_send_async(self->session,
				exchange->msg,
				G_PRIORITY_DEFAULT,
				g_task_get_cancellable(task),
				tender_docker_exchange_sent_cb,
				task);
}

/* a new exchange of the given kind */
static TenderDockerExchange *
tender_docker_exchange_new(TenderDockerExchangeDone done, gsize max)
{
	TenderDockerExchange *exchange = g_new0(TenderDockerExchange, 1);

	exchange->done = done;
	exchange->max = max;
	return exchange;
}

/* --- connect --- */

static void
tender_docker_client_version_done(GTask *task, TenderDockerExchange *exchange)
{
	TenderDockerClient *self = g_task_get_source_object(task);
	g_autoptr(JsonNode) root = NULL;
	JsonObject *obj = NULL;
	g_autofree gchar *api_version = NULL;
	GError *error = NULL;

	root = tender_json_parse((const gchar *)exchange->body->data,
				 (gssize)exchange->body->len,
				 TENDER_JSON_DEPTH_MAX,
				 &error);
	if (root != NULL && !JSON_NODE_HOLDS_OBJECT(root))
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "/version is not an object");
	if (error != NULL) {
		tender_docker_exchange_fail(task, error);
		return;
	}
	obj = json_node_get_object(root);
	api_version =
	    tender_docker_api_negotiate(self->socket_path,
					json_object_get_string_member_with_default(obj,
										   "ApiVersion",
										   NULL),
					json_object_get_string_member_with_default(obj,
										   "MinAPIVersion",
										   NULL),
					&error);
	if (api_version == NULL) {
		self->refused = TRUE;
		g_task_return_error(task, error);
		return;
	}
	g_free(self->server_version);
	self->server_version =
	    g_strdup(json_object_get_string_member_with_default(obj, "Version", NULL));
	g_free(self->api_version);
	self->api_version = g_steal_pointer(&api_version);
	g_debug("dockerd %s at %s, API %s",
		self->server_version != NULL ? self->server_version : "(unknown)",
		self->socket_path,
		self->api_version);
	g_task_return_boolean(task, TRUE);
}

static void
tender_docker_client_ping_done(GTask *task, TenderDockerExchange *exchange)
{
	TenderDockerExchange *version =
	    tender_docker_exchange_new(tender_docker_client_version_done,
				       TENDER_DOCKER_ERROR_BODY_MAX);

	/* the ping's exchange is freed here */
	version->connecting = TRUE;
	tender_docker_exchange_start(g_object_ref(task), "GET", "/version", NULL, version);
}

/**
 * tender_docker_client_connect_async:
 * @self: a #TenderDockerClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once dockerd has answered
 * @user_data: for @callback
 *
 * Asks dockerd whether it is there (/_ping) and which API versions it speaks (/version),
 * and chooses the version to speak: the older of dockerd's and TENDER_DOCKER_API_MAX.
 */
void
tender_docker_client_connect_async(TenderDockerClient *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerExchange *ping = tender_docker_exchange_new(tender_docker_client_ping_done,
								TENDER_DOCKER_ERROR_BODY_MAX);

	g_task_set_source_tag(task, tender_docker_client_connect_async);
	self->refused = FALSE;
	ping->connecting = TRUE;
	tender_docker_exchange_start(task, "GET", "/_ping", NULL, ping);
}

/**
 * tender_docker_client_connect_finish:
 * @self: a #TenderDockerClient
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE (%TENDER_ERROR_NOT_SUPPORTED) if dockerd is not there, or speaks an API
 * older than TENDER_DOCKER_API_MIN
 */
gboolean
tender_docker_client_connect_finish(TenderDockerClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_docker_client_get_refused:
 * @self: a #TenderDockerClient
 *
 * Returns: %TRUE if the last connect reached dockerd and found that it speaks no API version
 *	tender does (too old or too new): unlike a dockerd that is not there, one that will not
 *	do by waiting
 */
gboolean
tender_docker_client_get_refused(TenderDockerClient *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(self), FALSE);
	return self->refused;
}

/* --- requests --- */

/* a JSON answer, a string for a text one, null for none */
static void
tender_docker_client_request_done(GTask *task, TenderDockerExchange *exchange)
{
	const gchar *type =
	    soup_message_headers_get_content_type(soup_message_get_response_headers(exchange->msg),
						  NULL);
	const gchar *data = (const gchar *)exchange->body->data;
	gsize len = exchange->body->len;
	g_autofree gchar *text = NULL;
	JsonNode *node;
	GError *error = NULL;

	if (len == 0) {
		node = json_node_new(JSON_NODE_NULL);
	} else if (g_strcmp0(type, "application/json") == 0) {
		node = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, &error);
	} else if (g_utf8_validate(data, (gssize)len, NULL)) {
		text = g_strndup(data, len);
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_string(node, text);
	} else {
		node = NULL;
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd answered %s with bytes that are neither JSON nor text",
			    g_uri_get_path(soup_message_get_uri(exchange->msg)));
	}
	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, node, (GDestroyNotify)json_node_unref);
}

/**
 * tender_docker_client_request_async:
 * @self: a connected #TenderDockerClient
 * @method: GET, POST, DELETE, ...
 * @path: the path after /vX.Y, its segments escaped, with its query
 *        (tender_docker_api_build_path())
 * @body: (nullable): a JSON body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with dockerd's answer
 * @user_data: for @callback
 *
 * One request of the Engine API, whose answer is JSON (or nothing).
 */
void
tender_docker_client_request_async(TenderDockerClient *self,
				   const gchar *method,
				   const gchar *path,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_docker_client_request_async);
	tender_docker_exchange_start(task,
				     method,
				     path,
				     body,
				     tender_docker_exchange_new(tender_docker_client_request_done,
								TENDER_DOCKER_ANSWER_MAX));
}

/**
 * tender_docker_client_request_finish:
 * @self: a #TenderDockerClient
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the answer's JSON: a null node if it had no body, a string node
 * if it was text; %NULL if dockerd refused (the error maps from its status, with its message)
 */
JsonNode *
tender_docker_client_request_finish(TenderDockerClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

static void
tender_docker_client_send_done(GTask *task, TenderDockerExchange *exchange)
{
	g_task_return_pointer(task, g_object_ref(exchange->stream), g_object_unref);
}

/**
 * tender_docker_client_send_async:
 * @self: a connected #TenderDockerClient
 * @method: GET, POST, ...
 * @path: the path after /vX.Y, as for tender_docker_client_request_async()
 * @body: (nullable): a JSON body
 * @cancellable: (nullable): a #GCancellable, which also ends the answer's stream
 * @callback: called once dockerd has begun to answer
 * @user_data: for @callback
 *
 * A request whose answer is a stream (/events, followed logs, stats), for the caller to read.
 */
void
tender_docker_client_send_async(TenderDockerClient *self,
				const gchar *method,
				const gchar *path,
				JsonNode *body,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerExchange *exchange =
	    tender_docker_exchange_new(tender_docker_client_send_done, 0);

	g_task_set_source_tag(task, tender_docker_client_send_async);
	exchange->stream_only = TRUE;
	tender_docker_exchange_start(task, method, path, body, exchange);
}

/**
 * tender_docker_client_send_finish:
 * @self: a #TenderDockerClient
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the body of a successful answer, not read yet; %NULL if dockerd
 * refused
 */
GInputStream *
tender_docker_client_send_finish(TenderDockerClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* --- logs and stdin --- */

static void
tender_docker_client_logs_done(GTask *task, TenderDockerExchange *exchange)
{
	GError *error = NULL;

	if (!tender_docker_demux_end(exchange->demux, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_docker_client_logs_async:
 * @self: a connected #TenderDockerClient
 * @id: a container's id or name (of one without a TTY)
 * @max: how many bytes of stdout, and of stderr, to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the logs
 * @user_data: for @callback
 *
 * The container's output so far (GET /containers/ID/logs?stdout=1&stderr=1), demuxed.
 */
void
tender_docker_client_logs_async(TenderDockerClient *self,
				const gchar *id,
				gsize max,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerExchange *exchange =
	    tender_docker_exchange_new(tender_docker_client_logs_done, 0);
	g_autofree gchar *escaped = tender_docker_api_escape(id);
	g_autofree gchar *base = g_strdup_printf("/containers/%s/logs", escaped);
	g_autofree gchar *path =
	    tender_docker_api_build_path(base, "stdout", "1", "stderr", "1", NULL);

	g_task_set_source_tag(task, tender_docker_client_logs_async);
	exchange->demux = tender_docker_demux_new(max);
	tender_docker_exchange_start(task, "GET", path, NULL, exchange);
}

/**
 * tender_docker_client_logs_finish:
 * @self: a #TenderDockerClient
 * @res: the result
 * @out: (out) (transfer full) (optional): the first max bytes of stdout
 * @err: (out) (transfer full) (optional): the first max bytes of stderr
 * @truncated: (out) (optional): whether either had more
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE if dockerd refused, or sent a stream that is not multiplexed
 */
gboolean
tender_docker_client_logs_finish(TenderDockerClient *self,
				 GAsyncResult *res,
				 GByteArray **out,
				 GByteArray **err,
				 gboolean *truncated,
				 GError **error)
{
	TenderDockerExchange *exchange;

	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	if (!g_task_propagate_boolean(G_TASK(res), error))
		return FALSE;
	exchange = g_task_get_task_data(G_TASK(res));
	if (out != NULL)
		*out = g_byte_array_ref(
		    tender_docker_demux_get_data(exchange->demux, TENDER_DOCKER_STREAM_STDOUT));
	if (err != NULL)
		*err = g_byte_array_ref(
		    tender_docker_demux_get_data(exchange->demux, TENDER_DOCKER_STREAM_STDERR));
	if (truncated != NULL)
		*truncated = tender_docker_demux_get_truncated(exchange->demux);
	return TRUE;
}

/**
 * tender_docker_client_send_stdin_async:
 * @self: a connected #TenderDockerClient
 * @id: a container's id or name, made with OpenStdin (and StdinOnce)
 * @data: what to write to its stdin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the data is written and stdin closed
 * @data_: for @callback
 *
 * Attaches to the container's stdin (POST /containers/ID/attach?stream=1&stdin=1, a
 * hijacked connection), writes @data and closes stdin.  For a StdinOnce container, this
 * comes before /start; dockerd then holds the data (as much as the socket's buffers, some
 * 200 KiB: for more, start the container without waiting for the end of this) until the
 * container reads it.
 */
void
tender_docker_client_send_stdin_async(TenderDockerClient *self,
				      const gchar *id,
				      GBytes *data,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer data_)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, data_);
	g_autofree gchar *escaped = tender_docker_api_escape(id);
	g_autofree gchar *base = NULL;
	g_autofree gchar *path = NULL;

	g_task_set_source_tag(task, tender_docker_client_send_stdin_async);
	if (self->api_version == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_NOT_SUPPORTED,
					"tender is not connected to dockerd at %s",
					self->socket_path);
		return;
	}
	base = g_strdup_printf("/v%s/containers/%s/attach", self->api_version, escaped);
	path = tender_docker_api_build_path(base, "stream", "1", "stdin", "1", NULL);
	tender_docker_attach_stdin(g_steal_pointer(&task), self->socket_path, path, data);
}

/**
 * tender_docker_client_send_stdin_finish:
 * @self: a #TenderDockerClient
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE if dockerd refused the attach, or the connection failed
 */
gboolean
tender_docker_client_send_stdin_finish(TenderDockerClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* --- events --- */

/* the client lives through the emission, and so do its events */
static void
tender_docker_client_event_cb(JsonObject *event, gpointer user_data)
{
	g_autoptr(TenderDockerClient) self = g_object_ref(user_data);

	g_signal_emit(self, signals[SIGNAL_EVENT], 0, event);
}

static void
tender_docker_client_connected_cb(gboolean connected, gpointer user_data)
{
	g_autoptr(TenderDockerClient) self = g_object_ref(user_data);

	g_signal_emit(self, signals[SIGNAL_CONNECTED], 0, connected);
}

/**
 * tender_docker_client_start_events:
 * @self: a #TenderDockerClient
 *
 * Follows /events of containers labelled org.tender.owner: ::event for each, ::connected
 * when the stream opens or drops.  A stream that drops (dockerd stopped or restarted) is
 * opened again after 0.5 s, then 1 s, 2 s ... up to 30 s, resuming after the last event
 * received (also when started again after tender_docker_client_stop_events()).  Connects
 * first, if that has not been done.
 */
void
tender_docker_client_start_events(TenderDockerClient *self)
{
	g_return_if_fail(TENDER_IS_DOCKER_CLIENT(self));
	if (self->events == NULL)
		self->events = tender_docker_events_new(self,
							tender_docker_client_event_cb,
							tender_docker_client_connected_cb,
							self);
	tender_docker_events_start(self->events);
}

/**
 * tender_docker_client_stop_events:
 * @self: a #TenderDockerClient
 *
 * Stops following /events (emitting ::connected %FALSE if the stream was open).
 */
void
tender_docker_client_stop_events(TenderDockerClient *self)
{
	g_return_if_fail(TENDER_IS_DOCKER_CLIENT(self));
	if (self->events != NULL)
		tender_docker_events_stop(self->events);
}

/**
 * tender_docker_client_get_connected:
 * @self: a #TenderDockerClient
 *
 * Returns: whether the event stream is open
 */
gboolean
tender_docker_client_get_connected(TenderDockerClient *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(self), FALSE);
	return self->events != NULL && tender_docker_events_get_connected(self->events);
}
