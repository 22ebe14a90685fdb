/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-http-alias.h"
#include "tender-http-connection.h"
#include "tender-http-images.h"
#include "tender-http-message.h"
#include "tender-http-request.h"
#include "tender-http-router.h"
#include "tender-http-server-private.h"

/*
 * TenderHttpServer is the HTTP front-end, a mirror of the D-Bus Manager: it routes each
 * request to the engine function the D-Bus method calls, after the same authorization
 * (TenderAuthority), and turns answers and errors into JSON.  It holds no workload logic.
 *
 * Clients on the unix socket are known by their credentials (SO_PEERCRED); clients on TCP
 * by a bearer token from the tokens file.
 *
 * This file listens, accepts, limits connections and their time, and refuses what it can
 * before a request's body is read; tender-http-router.c routes and authorizes, the handlers
 * (tender-http-workloads.c, -events.c, -plugins.c, -adapters.c) answer through
 * tender-http-message.c.
 */

/* connections the kernel queues until tenderd accepts them; GLib's default, 10, makes
 * clients beyond it wait for a SYN retransmission (1 s and more) under a burst */
#define TENDER_HTTP_SERVER_LISTEN_BACKLOG 256
/* connections accepted in one go before the main loop gets to other sources */
#define TENDER_HTTP_SERVER_ACCEPT_BATCH 32
/* how long tenderd stops accepting when it is out of descriptors or memory */
#define TENDER_HTTP_SERVER_ACCEPT_PAUSE_MSEC 1000

struct _TenderHttpServer {
	GObject parent_instance;
	TenderEngine *engine;
	TenderAuthority *authority;
	SoupServer *server;
	gchar *listen;
	gchar *socket_path;
	gchar *tokens;
	guint body_max;
	guint header_timeout_sec;
	guint idle_timeout_sec;
	guint max_connections;
	GPtrArray *listeners;	/* TenderHttpListener, one per listening socket */
	GPtrArray *connections; /* TenderHttpConnection of the open connections within
				   max-connections, until they close */
	TenderHttpEvents *events;
	TenderPluginList *plugins;
	TenderAdapterList *adapters;
	TenderImageStore *images;
};

G_DEFINE_TYPE(TenderHttpServer, tender_http_server, G_TYPE_OBJECT)

/**
 * tender_http_server_get_engine:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none): the engine it serves
 */
TenderEngine *
tender_http_server_get_engine(TenderHttpServer *self)
{
	return self->engine;
}

/**
 * tender_http_server_get_authority:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none): what decides who may call what
 */
TenderAuthority *
tender_http_server_get_authority(TenderHttpServer *self)
{
	return self->authority;
}

/**
 * tender_http_server_get_plugins:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none) (nullable): the plugins, once set
 */
TenderPluginList *
tender_http_server_get_plugins(TenderHttpServer *self)
{
	return self->plugins;
}

/**
 * tender_http_server_get_adapters:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none) (nullable): the adapter instances, once set
 */
TenderAdapterList *
tender_http_server_get_adapters(TenderHttpServer *self)
{
	return self->adapters;
}

/**
 * tender_http_server_get_events:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none): the events of GET /v1/events
 */
TenderHttpEvents *
tender_http_server_get_events(TenderHttpServer *self)
{
	return self->events;
}

/**
 * tender_http_server_set_images:
 * @self: a #TenderHttpServer
 * @images: the image store to serve below /v1/images
 */
void
tender_http_server_set_images(TenderHttpServer *self, TenderImageStore *images)
{
	g_return_if_fail(TENDER_IS_HTTP_SERVER(self));
	g_set_object(&self->images, images);
}

/**
 * tender_http_server_get_images:
 * @self: a #TenderHttpServer
 *
 * Returns: (transfer none) (nullable): the image store, once set
 */
TenderImageStore *
tender_http_server_get_images(TenderHttpServer *self)
{
	return self->images;
}

/* --- connections --- */

/*
 * tenderd accepts connections itself and hands each one to libsoup with
 * soup_server_accept_iostream(), instead of letting libsoup listen (soup_server_listen_socket):
 * the listener of libsoup 3.2 keeps a reference to the GSocket of every connection it accepts
 * (fixed in libsoup 3.4), so tenderd lost about 0.4 KiB a request.  Accepting here also settles
 * a connection's count, timeout and client credentials before libsoup reads a byte of it.
 *
 * Connections are kept alive (HTTP/1.1, unless the client says Connection: close; HTTP/1.0
 * closes after one request), with tenderd in charge of each one between requests:
 * tender-http-connection.c closes an idle connection after idle-timeout-sec, and at once when
 * its client hangs up.  A connection counts against max-connections from its accept(2) until
 * it has closed, whoever closed it (libsoup's SoupServerMessage::disconnected): the count is
 * exact at every moment, with no pruning.
 *
 * libsoup 3.2 keeps connections alive only on a server with a listener of its own: see
 * tender_http_connection_enable_keepalive().
 */

/* @conn has closed: it no longer counts */
static void
tender_http_server_connection_closed_cb(TenderHttpConnection *conn, gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);

	tender_http_connection_set_closed_func(conn, NULL, NULL);
	g_ptr_array_remove_fast(self->connections, conn);
}

/* takes @fd, a connection just accepted, and hands it to libsoup */
static void
tender_http_server_accept(TenderHttpServer *self, gint fd)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) sock = g_socket_new_from_fd(fd, &error);
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocketAddress) remote = NULL;
	TenderHttpConnection *conn;

	if (sock == NULL) {
		g_debug("HTTP connection dropped: %s", error->message);
		(void)close(fd);
		return;
	}
	local = g_socket_get_local_address(sock, &error);
	if (local != NULL)
		remote = g_socket_get_remote_address(sock, &error);
	if (remote == NULL) {
		/* the client has gone already */
		g_debug("HTTP connection dropped: %s", error->message);
		return;
	}
	conn = tender_http_connection_new(sock, self->idle_timeout_sec);
	conn->over_limit = self->connections->len >= self->max_connections;
	if (!conn->over_limit) {
		g_ptr_array_add(self->connections, g_rc_box_acquire(conn));
		tender_http_connection_set_closed_func(conn,
						       tender_http_server_connection_closed_cb,
						       self);
	}
	tender_http_connection_attach(conn, remote);
	if (!soup_server_accept_iostream(self->server,
					 G_IO_STREAM(conn->stream),
					 local,
					 remote,
					 &error)) {
		g_warning("HTTP connection dropped: %s", error->message);
		(void)g_io_stream_close(G_IO_STREAM(conn->stream), NULL, NULL);
	}
}

static void
tender_http_server_weak_ref_free(GWeakRef *ref)
{
	g_weak_ref_clear(ref);
	g_free(ref);
}

/* holds the message weakly: a client that goes away takes its message and socket along */
static gboolean
tender_http_server_header_timeout_cb(gpointer user_data)
{
	g_autoptr(SoupServerMessage) msg = g_weak_ref_get((GWeakRef *)user_data);
	GSocket *sock = msg != NULL ? tender_http_connection_get_message_socket(msg) : NULL;

	if (msg != NULL)
		g_object_set_data(G_OBJECT(msg), "tender-http-header-timeout", NULL);
	if (sock != NULL)
		(void)g_socket_shutdown(sock, TRUE, TRUE, NULL);
	return G_SOURCE_REMOVE;
}

static void
tender_http_server_cancel_header_timeout(SoupServerMessage *msg)
{
	guint id = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(msg), "tender-http-header-timeout"));

	if (id != 0) {
		g_source_remove(id);
		g_object_set_data(G_OBJECT(msg), "tender-http-header-timeout", NULL);
	}
}

static void
tender_http_server_request_finished_cb(SoupServer *server,
				       SoupServerMessage *msg,
				       gpointer user_data)
{
	TenderHttpConnection *conn = tender_http_connection_from_message(msg);

	tender_http_server_cancel_header_timeout(msg);
	if (conn != NULL)
		tender_http_connection_request_finished(conn, msg);
}

static void
tender_http_server_request_started_cb(SoupServer *server,
				      SoupServerMessage *msg,
				      gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	TenderHttpConnection *conn = tender_http_connection_from_message(msg);
	GWeakRef *ref = g_new0(GWeakRef, 1);
	guint id;

	if (conn != NULL)
		tender_http_connection_request_started(conn, msg);
	g_weak_ref_init(ref, msg);
	/* the request's headers must come within the header timeout */
	id = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
					self->header_timeout_sec,
					tender_http_server_header_timeout_cb,
					ref,
					(GDestroyNotify)tender_http_server_weak_ref_free);
	g_object_set_data(G_OBJECT(msg), "tender-http-header-timeout", GUINT_TO_POINTER(id));
}

/**
 * tender_http_server_set_adapters:
 * @self: a #TenderHttpServer
 * @adapters: the adapter instances to serve below /v1/adapters/ (and /api/...)
 */
void
tender_http_server_set_adapters(TenderHttpServer *self, TenderAdapterList *adapters)
{
	g_return_if_fail(TENDER_IS_HTTP_SERVER(self));
	g_set_object(&self->adapters, adapters);
}

#define TENDER_HTTP_REQUEST_KEY "tender-http-request"

/* after the headers, before the body: everything that can be refused without reading it */
static void
tender_http_server_early_cb(SoupServer *server,
			    SoupServerMessage *msg,
			    const char *path,
			    GHashTable *query,
			    gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	TenderHttpConnection *conn = tender_http_connection_from_message(msg);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	g_autoptr(GString) allow = g_string_new(NULL);
	g_autoptr(TenderHttpRequest) req = tender_http_request_new(path);
	g_autoptr(GError) error = NULL;
	guint status = 0;
	gboolean fastapi;
	gboolean raw;
	gboolean streamed;
	gsize body_max;
	goffset length;
	SoupEncoding encoding;

	tender_http_server_cancel_header_timeout(msg);
	/* the connection closes after this response: say so (see "connections" above) */
	if ((conn != NULL && conn->over_limit) ||
	    soup_server_message_get_http_version(msg) == SOUP_HTTP_1_0 ||
	    soup_message_headers_header_contains(headers, "Connection", "close"))
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Connection",
					     "close");
	if (conn != NULL && conn->over_limit) {
		tender_http_message_reply_error(msg,
						SOUP_STATUS_SERVICE_UNAVAILABLE,
						TENDER_ERROR_FAILED,
						"Too many connections");
		return;
	}
	if (!tender_http_router_match(self->plugins,
				      soup_server_message_get_method(msg),
				      path,
				      &req->match,
				      &status,
				      allow)) {
		g_autofree gchar *message = NULL;
		gboolean detail = FALSE;
		if (status == SOUP_STATUS_METHOD_NOT_ALLOWED) {
			message = g_strdup_printf("%s is not allowed on %s; use %s",
						  soup_server_message_get_method(msg),
						  path,
						  allow->str);
			tender_http_message_reply_error(msg,
							status,
							TENDER_ERROR_INVALID_ARGUMENT,
							message);
			soup_message_headers_replace(soup_server_message_get_response_headers(msg),
						     "Allow",
						     allow->str);
			return;
		}
		/* the paths of a plugin that waits for its service: not there yet, rather than
		 * not there */
		message = tender_http_router_deferred_message(self->plugins, path, &detail);
		if (message != NULL) {
			if (detail)
				tender_http_message_set_detail_errors(msg);
			tender_http_message_reply_error(msg,
							SOUP_STATUS_SERVICE_UNAVAILABLE,
							TENDER_ERROR_UNAVAILABLE,
							message);
			return;
		}
		message = g_strdup_printf("No route %s", path);
		tender_http_message_reply_error(msg, status, TENDER_ERROR_NOT_FOUND, message);
		return;
	}
	/* seed 000's routes answer errors as its FastAPI did, and read any body */
	fastapi = FALSE;
	if (tender_http_alias_is_detail(self, &req->match)) {
		tender_http_message_set_detail_errors(msg);
		fastapi = (req->match.alias->flags & TENDER_HTTP_ALIAS_FASTAPI) ==
			  TENDER_HTTP_ALIAS_FASTAPI;
	}
	/* a plugin's alias takes any body: the plugin reads it */
	raw = tender_http_alias_is_raw(&req->match);
	/* an image's archive is streamed to the store, whatever its size and type */
	streamed = req->match.route == TENDER_HTTP_ROUTE_IMAGE_IMPORT;
	encoding = soup_message_headers_get_encoding(headers);
	length = soup_message_headers_get_content_length(headers);
	if (encoding != SOUP_ENCODING_NONE && encoding != SOUP_ENCODING_CONTENT_LENGTH) {
		tender_http_message_reply_error(msg,
						SOUP_STATUS_LENGTH_REQUIRED,
						TENDER_ERROR_INVALID_ARGUMENT,
						"A request body needs a Content-Length");
		return;
	}
	/* an alias of bytes may say its own largest body */
	body_max = tender_http_alias_get_body_max(&req->match);
	if (body_max == 0)
		body_max = self->body_max;
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > (goffset)body_max && !streamed) {
		g_autofree gchar *message =
		    g_strdup_printf("The request body is larger than %" G_GSIZE_FORMAT " bytes",
				    body_max);
		tender_http_message_reply_error(msg,
						SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
						TENDER_ERROR_INVALID_ARGUMENT,
						message);
		return;
	}
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > 0 && !fastapi && !raw &&
	    !streamed) {
		const gchar *type = soup_message_headers_get_content_type(headers, NULL);
		if (g_strcmp0(type, "application/json") != 0) {
			tender_http_message_reply_error(msg,
							SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
							TENDER_ERROR_INVALID_ARGUMENT,
							"The request body must be "
							"application/json");
			return;
		}
	}
	if (conn != NULL && conn->is_unix) {
		req->local = TRUE;
		req->pid = conn->pid;
		req->uid = conn->uid;
	}
	if (!tender_http_router_authenticate(req, headers, self->tokens, &error)) {
		tender_http_message_reply_error(msg,
						SOUP_STATUS_UNAUTHORIZED,
						TENDER_ERROR_ACCESS_DENIED,
						error->message);
		return;
	}
	if (streamed) {
		tender_http_images_import_begin(self, msg, query, g_steal_pointer(&req));
		return;
	}
	/* the handler takes it once the body is there */
	g_object_set_data_full(G_OBJECT(msg),
			       TENDER_HTTP_REQUEST_KEY,
			       g_steal_pointer(&req),
			       (GDestroyNotify)tender_http_request_free);
}

/* the body is there: the request goes on to its route, if it may */
static void
tender_http_server_handler_cb(SoupServer *server,
			      SoupServerMessage *msg,
			      const char *path,
			      GHashTable *query,
			      gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	TenderHttpRequest *req = g_object_steal_data(G_OBJECT(msg), TENDER_HTTP_REQUEST_KEY);

	/* the early handler answered already */
	if (req == NULL)
		return;
	tender_http_request_set_message(req, self, msg, query);
	tender_http_router_authorize(req);
}

/**
 * tender_http_server_set_plugins:
 * @self: a #TenderHttpServer
 * @plugins: the loaded plugins
 *
 * Serves /v1/plugins and the plugins' routes below /v1/plugins/NAME/.
 */
void
tender_http_server_set_plugins(TenderHttpServer *self, TenderPluginList *plugins)
{
	g_return_if_fail(TENDER_IS_HTTP_SERVER(self));
	g_set_object(&self->plugins, plugins);
}

/* --- listening --- */

typedef struct {
	TenderHttpServer *self;
	GSocket *socket;
	GSource *source; /* ready to accept; NULL while paused */
	guint resume_id; /* ends a pause */
} TenderHttpListener;

static void
tender_http_listener_free(TenderHttpListener *listener)
{
	if (listener->source != NULL)
		g_source_destroy(listener->source);
	g_clear_pointer(&listener->source, g_source_unref);
	g_clear_handle_id(&listener->resume_id, g_source_remove);
	(void)g_socket_close(listener->socket, NULL);
	g_object_unref(listener->socket);
	g_free(listener);
}

static void
tender_http_listener_start(TenderHttpListener *listener);

static gboolean
tender_http_listener_resume_cb(gpointer user_data)
{
	TenderHttpListener *listener = user_data;

	listener->resume_id = 0;
	tender_http_listener_start(listener);
	return G_SOURCE_REMOVE;
}

/* errors of accept(2) that concern one connection only: the next one may do */
static gboolean
tender_http_listener_error_is_transient(gint err)
{
	switch (err) {
	case EINTR:
	case ECONNABORTED:
	case EPROTO:
	case EPERM:
	case ENETDOWN:
	case ENETUNREACH:
	case ENONET:
	case ENOPROTOOPT:
	case EHOSTDOWN:
	case EHOSTUNREACH:
	case EOPNOTSUPP:
		return TRUE;
	default:
		return FALSE;
	}
}

/* the listening socket is readable: connections wait (GSocket makes every fd non-blocking) */
static gboolean
tender_http_listener_ready_cb(GSocket *sock, GIOCondition condition, gpointer user_data)
{
	TenderHttpListener *listener = user_data;

	for (guint i = 0; i < TENDER_HTTP_SERVER_ACCEPT_BATCH; i++) {
		gint fd = accept4(g_socket_get_fd(sock), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		gint err = errno;

		if (fd >= 0) {
			tender_http_server_accept(listener->self, fd);
			continue;
		}
		if (err == EAGAIN || err == EWOULDBLOCK)
			break;
		if (tender_http_listener_error_is_transient(err))
			continue;
		/* out of descriptors or memory: the connection stays queued and the socket
		 * readable, so wait rather than spin */
		g_warning("HTTP API: cannot accept a connection: %s; trying again in %u ms",
			  g_strerror(err),
			  (guint)TENDER_HTTP_SERVER_ACCEPT_PAUSE_MSEC);
		g_clear_pointer(&listener->source, g_source_unref);
		listener->resume_id = g_timeout_add(TENDER_HTTP_SERVER_ACCEPT_PAUSE_MSEC,
						    tender_http_listener_resume_cb,
						    listener);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void
tender_http_listener_start(TenderHttpListener *listener)
{
	listener->source = g_socket_create_source(listener->socket, G_IO_IN, NULL);
	g_source_set_callback(listener->source,
			      G_SOURCE_FUNC(tender_http_listener_ready_cb),
			      listener,
			      NULL);
	g_source_attach(listener->source, NULL);
}

/* accepts the connections to @sock, a listening socket */
static void
tender_http_server_add_listener(TenderHttpServer *self, GSocket *sock)
{
	TenderHttpListener *listener = g_new0(TenderHttpListener, 1);

	listener->self = self;
	listener->socket = g_object_ref(sock);
	tender_http_listener_start(listener);
	g_ptr_array_add(self->listeners, listener);
}

/* listens on the bound @sock, with our backlog, and accepts its connections */
static gboolean
tender_http_server_listen_on(TenderHttpServer *self, GSocket *sock, GError **error)
{
	g_socket_set_listen_backlog(sock, TENDER_HTTP_SERVER_LISTEN_BACKLOG);
	if (!g_socket_listen(sock, error))
		return FALSE;
	tender_http_server_add_listener(self, sock);
	return TRUE;
}

static gboolean
tender_http_server_listen_unix(TenderHttpServer *self, GError **error)
{
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autofree gchar *dir = g_path_get_dirname(self->socket_path);
	struct stat st;

	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	/* clients of any user may reach the socket; each request is authorized */
	if (chmod(dir, 0755) != 0)
		g_warning("cannot make %s accessible: %s", dir, g_strerror(errno));
	if (lstat(self->socket_path, &st) == 0) {
		g_autoptr(GSocket) probe = NULL;
		g_autoptr(GSocketAddress) existing = NULL;

		if (!S_ISSOCK(st.st_mode)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "%s exists and is not a socket",
				    self->socket_path);
			return FALSE;
		}
		/* never take the socket of a tenderd that still serves on it */
		probe = g_socket_new(G_SOCKET_FAMILY_UNIX,
				     G_SOCKET_TYPE_STREAM,
				     G_SOCKET_PROTOCOL_DEFAULT,
				     NULL);
		existing = g_unix_socket_address_new(self->socket_path);
		if (probe != NULL && g_socket_connect(probe, existing, NULL, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "%s is in use by another process",
				    self->socket_path);
			return FALSE;
		}
		/* a stale socket of an earlier tenderd */
		(void)unlink(self->socket_path);
	}
	sock = g_socket_new(G_SOCKET_FAMILY_UNIX,
			    G_SOCKET_TYPE_STREAM,
			    G_SOCKET_PROTOCOL_DEFAULT,
			    error);
	if (sock == NULL)
		return FALSE;
	address = g_unix_socket_address_new(self->socket_path);
	if (!g_socket_bind(sock, address, FALSE, error))
		return FALSE;
	if (chmod(self->socket_path, 0666) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot set the mode of %s: %s",
			    self->socket_path,
			    g_strerror(errno));
		return FALSE;
	}
	return tender_http_server_listen_on(self, sock, error);
}

static gboolean
tender_http_server_listen_tcp(TenderHttpServer *self, GError **error)
{
	g_autoptr(GSocketConnectable) connectable = NULL;
	g_autoptr(GInetAddress) inet = NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(GSocket) sock = NULL;
	const gchar *host;

	connectable = g_network_address_parse(self->listen, 8086, error);
	if (connectable == NULL)
		return FALSE;
	host = g_network_address_get_hostname(G_NETWORK_ADDRESS(connectable));
	inet = g_inet_address_new_from_string(host);
	if (inet == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[http] listen=%s: the host must be an IP address",
			    self->listen);
		return FALSE;
	}
	address =
	    g_inet_socket_address_new(inet,
				      g_network_address_get_port(G_NETWORK_ADDRESS(connectable)));
	/* our own socket rather than soup_server_listen(), for its backlog */
	sock = g_socket_new(g_inet_address_get_family(inet),
			    G_SOCKET_TYPE_STREAM,
			    G_SOCKET_PROTOCOL_TCP,
			    error);
	if (sock == NULL)
		return FALSE;
	if (!g_socket_bind(sock, address, TRUE, error))
		return FALSE;
	return tender_http_server_listen_on(self, sock, error);
}

/**
 * tender_http_server_listen:
 * @self: a #TenderHttpServer
 * @error: (nullable): a #GError
 *
 * Serves on the sockets systemd passed (socket activation), else on the unix socket of
 * the configuration; and on TCP when [http] listen is set and systemd passed no TCP socket.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_http_server_listen(TenderHttpServer *self, GError **error)
{
	gint n = sd_listen_fds(TRUE);
	gboolean have_unix = FALSE;
	gboolean have_tcp = FALSE;

	if (!tender_http_connection_enable_keepalive(self->server, error))
		return FALSE;
	for (gint i = 0; i < n; i++) {
		g_autoptr(GSocket) sock = g_socket_new_from_fd(SD_LISTEN_FDS_START + i, error);
		if (sock == NULL)
			return FALSE;
		if (g_socket_get_family(sock) == G_SOCKET_FAMILY_UNIX)
			have_unix = TRUE;
		else
			have_tcp = TRUE;
		tender_http_server_add_listener(self, sock);
		g_info("HTTP API on a socket from systemd");
	}
	if (!have_unix) {
		if (!tender_http_server_listen_unix(self, error))
			return FALSE;
		g_info("HTTP API on %s", self->socket_path);
	}
	if (!have_tcp && self->listen[0] != '\0') {
		if (!tender_http_server_listen_tcp(self, error))
			return FALSE;
		g_info("HTTP API on %s", self->listen);
	}
	return TRUE;
}

static void
tender_http_server_dispose(GObject *object)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(object);

	g_clear_object(&self->events);
	if (self->listeners != NULL)
		g_ptr_array_set_size(self->listeners, 0);
	if (self->connections != NULL) {
		for (guint i = 0; i < self->connections->len; i++)
			tender_http_connection_set_closed_func(g_ptr_array_index(self->connections,
										 i),
							       NULL,
							       NULL);
		g_ptr_array_set_size(self->connections, 0);
	}
	/* closes every connection, idle or busy */
	if (self->server != NULL)
		soup_server_disconnect(self->server);
	g_clear_object(&self->server);
	g_clear_object(&self->authority);
	g_clear_object(&self->plugins);
	g_clear_object(&self->adapters);
	g_clear_object(&self->images);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_http_server_parent_class)->dispose(object);
}

static void
tender_http_server_finalize(GObject *object)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(object);

	g_ptr_array_unref(self->listeners);
	g_ptr_array_unref(self->connections);
	g_free(self->listen);
	g_free(self->socket_path);
	g_free(self->tokens);
	G_OBJECT_CLASS(tender_http_server_parent_class)->finalize(object);
}

static void
tender_http_server_class_init(TenderHttpServerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_http_server_dispose;
	object_class->finalize = tender_http_server_finalize;
}

static void
tender_http_server_init(TenderHttpServer *self)
{
	self->listeners = g_ptr_array_new_with_free_func((GDestroyNotify)tender_http_listener_free);
	self->connections =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_http_connection_release);
}

/**
 * tender_http_server_new:
 * @engine: the engine to serve
 * @config: the [http] settings
 * @authority: the authority every call is authorized by
 *
 * Returns: (transfer full): a #TenderHttpServer, not listening yet
 */
TenderHttpServer *
tender_http_server_new(TenderEngine *engine, const TenderConfig *config, TenderAuthority *authority)
{
	TenderHttpServer *self = g_object_new(TENDER_TYPE_HTTP_SERVER, NULL);

	self->engine = g_object_ref(engine);
	self->authority = g_object_ref(authority);
	self->listen = g_strdup(config->http_listen);
	self->socket_path = g_strdup(config->http_socket);
	self->tokens = g_strdup(config->http_tokens);
	self->body_max = config->http_body_max;
	self->header_timeout_sec = config->http_header_timeout_sec;
	self->idle_timeout_sec = config->http_idle_timeout_sec;
	self->max_connections = config->http_max_connections;
	self->server = soup_server_new("server-header", "tenderd/" PACKAGE_VERSION " ", NULL);
	soup_server_add_early_handler(self->server, NULL, tender_http_server_early_cb, self, NULL);
	soup_server_add_handler(self->server, NULL, tender_http_server_handler_cb, self, NULL);
	g_signal_connect(self->server,
			 "request-started",
			 G_CALLBACK(tender_http_server_request_started_cb),
			 self);
	g_signal_connect(self->server,
			 "request-finished",
			 G_CALLBACK(tender_http_server_request_finished_cb),
			 self);
	g_signal_connect(self->server,
			 "request-aborted",
			 G_CALLBACK(tender_http_server_request_finished_cb),
			 self);
	self->events = tender_http_events_new(engine);
	(void)tender_error_quark();
	return self;
}
