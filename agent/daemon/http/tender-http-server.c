/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-plugin-list.h"
#include "tender-plugin-private.h"
#include "tender-error.h"
#include "tender-http-server.h"
#include "tender-http-tokens.h"
#include "tender-json.h"
#include "tender-prometheus.h"
#include "tender-request.h"
#include "tender-spec.h"
#include "tender-util.h"

/*
 * TenderHttpServer is the HTTP front-end, a mirror of the D-Bus Manager: it routes each
 * request to the engine function the D-Bus method calls, after the same authorization
 * (TenderAuthority), and turns answers and errors into JSON.  It holds no workload logic.
 *
 * Clients on the unix socket are known by their credentials (SO_PEERCRED); clients on TCP
 * by a bearer token from the tokens file.
 */

#define TENDER_HTTP_SERVER_STREAM_BACKLOG (256 * 1024)
#define TENDER_HTTP_SERVER_READ_SIZE	  8192
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
				   max-connections (closed ones until pruned) */
	GQueue events;		/* TenderHttpEvent, oldest first */
	guint64 last_event_id;
	GPtrArray *subscribers; /* TenderHttpStream of GET /v1/events */
	gulong added_id;
	TenderPluginList *plugins;
	TenderAdapterList *adapters;
};

G_DEFINE_TYPE(TenderHttpServer, tender_http_server, G_TYPE_OBJECT)

/* --- errors --- */

/* THE table: the error domain of the D-Bus API, as HTTP status codes */
static const struct {
	TenderError code;
	guint status;
} tender_http_server_errors[] = {
    {TENDER_ERROR_INVALID_ARGUMENT, SOUP_STATUS_BAD_REQUEST},
    {TENDER_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND},
    {TENDER_ERROR_ALREADY_EXISTS, SOUP_STATUS_CONFLICT},
    {TENDER_ERROR_INVALID_STATE, SOUP_STATUS_CONFLICT},
    {TENDER_ERROR_ACCESS_DENIED, SOUP_STATUS_FORBIDDEN},
    {TENDER_ERROR_FAILED, SOUP_STATUS_INTERNAL_SERVER_ERROR},
};

/**
 * tender_http_server_status_for_error:
 * @error: a #TENDER_ERROR
 *
 * Returns: the HTTP status code for @error
 */
guint
tender_http_server_status_for_error(const GError *error)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_server_errors); i++) {
		if (error->domain == TENDER_ERROR &&
		    error->code == (gint)tender_http_server_errors[i].code)
			return tender_http_server_errors[i].status;
	}
	return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

static void
tender_http_server_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	gchar *text;

	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg,
					 "application/json",
					 SOUP_MEMORY_TAKE,
					 text,
					 strlen(text));
}

static void
tender_http_server_reply_error(SoupServerMessage *msg,
			       guint status,
			       TenderError code,
			       const gchar *message)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "error");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, tender_error_to_dbus_name(code));
	json_builder_set_member_name(builder, "message");
	json_builder_add_string_value(builder, message);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	tender_http_server_reply_json(msg, status, root);
	if (status == SOUP_STATUS_UNAUTHORIZED)
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "WWW-Authenticate",
					     "Bearer realm=\"tender\"");
}

/* takes @error */
static void
tender_http_server_reply_gerror(SoupServerMessage *msg, GError *error)
{
	tender_error_convert(&error);
	tender_http_server_reply_error(msg,
				       tender_http_server_status_for_error(error),
				       (TenderError)error->code,
				       error->message);
	g_error_free(error);
}

/* --- routes --- */

typedef enum {
	TENDER_HTTP_ROUTE_HEALTH,
	TENDER_HTTP_ROUTE_PROMETHEUS,
	TENDER_HTTP_ROUTE_EVENTS,
	TENDER_HTTP_ROUTE_LIST,
	TENDER_HTTP_ROUTE_CREATE,
	TENDER_HTTP_ROUTE_IMPORT,
	TENDER_HTTP_ROUTE_GET,
	TENDER_HTTP_ROUTE_REMOVE,
	TENDER_HTTP_ROUTE_EXPORT,
	TENDER_HTTP_ROUTE_START,
	TENDER_HTTP_ROUTE_STOP,
	TENDER_HTTP_ROUTE_KILL,
	TENDER_HTTP_ROUTE_PAUSE,
	TENDER_HTTP_ROUTE_RESUME,
	TENDER_HTTP_ROUTE_LOGS,
	TENDER_HTTP_ROUTE_METRICS,
	TENDER_HTTP_ROUTE_PLUGINS,
	TENDER_HTTP_ROUTE_PLUGIN, /* a route a plugin registered */
	TENDER_HTTP_ROUTE_PROMETHEUS_ALL,
	TENDER_HTTP_ROUTE_ADAPTERS,
	TENDER_HTTP_ROUTE_ADAPTER_START,
	TENDER_HTTP_ROUTE_ADAPTER_UPDATE,
	TENDER_HTTP_ROUTE_ADAPTER_STOP,
	TENDER_HTTP_ROUTE_ADAPTER_METRICS,
	TENDER_HTTP_ROUTE_ADAPTER_HEALTH,
	TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS,
} TenderHttpRoute;

/* each route and the Manager method whose authorization it needs (NULL: none) */
static const struct {
	const gchar *method;
	const gchar *pattern; /* '*' is the workload name */
	TenderHttpRoute route;
	const gchar *dbus_method;
	gboolean json_body;
} tender_http_server_routes[] = {
    {"GET", "/api/health", TENDER_HTTP_ROUTE_HEALTH, NULL, FALSE},
    {"GET", "/metrics", TENDER_HTTP_ROUTE_PROMETHEUS, "GetMetrics", FALSE},
    {"GET", "/v1/events", TENDER_HTTP_ROUTE_EVENTS, "ListWorkloads", FALSE},
    {"GET", "/v1/workloads", TENDER_HTTP_ROUTE_LIST, "ListWorkloads", FALSE},
    {"POST", "/v1/workloads", TENDER_HTTP_ROUTE_CREATE, "CreateWorkload", TRUE},
    {"POST", "/v1/workloads/import", TENDER_HTTP_ROUTE_IMPORT, "ImportWorkload", TRUE},
    {"GET", "/v1/workloads/*", TENDER_HTTP_ROUTE_GET, "GetWorkload", FALSE},
    {"DELETE", "/v1/workloads/*", TENDER_HTTP_ROUTE_REMOVE, "RemoveWorkload", FALSE},
    {"GET", "/v1/workloads/*/export", TENDER_HTTP_ROUTE_EXPORT, "ExportWorkload", FALSE},
    {"POST", "/v1/workloads/*/start", TENDER_HTTP_ROUTE_START, "StartWorkload", FALSE},
    {"POST", "/v1/workloads/*/stop", TENDER_HTTP_ROUTE_STOP, "StopWorkload", FALSE},
    {"POST", "/v1/workloads/*/kill", TENDER_HTTP_ROUTE_KILL, "KillWorkload", FALSE},
    {"POST", "/v1/workloads/*/pause", TENDER_HTTP_ROUTE_PAUSE, "PauseWorkload", FALSE},
    {"POST", "/v1/workloads/*/resume", TENDER_HTTP_ROUTE_RESUME, "ResumeWorkload", FALSE},
    {"GET", "/v1/workloads/*/logs", TENDER_HTTP_ROUTE_LOGS, "GetLogs", FALSE},
    {"GET", "/v1/workloads/*/metrics", TENDER_HTTP_ROUTE_METRICS, "GetMetrics", FALSE},
    {"GET", "/v1/plugins", TENDER_HTTP_ROUTE_PLUGINS, "ListPlugins", FALSE},
    /* tender's own Prometheus text, also when a root_api adapter answers on /metrics */
    {"GET", "/v1/metrics", TENDER_HTTP_ROUTE_PROMETHEUS_ALL, "GetMetrics", FALSE},
    /* adapter instances: '*' is the instance's name */
    {"GET", "/v1/adapters", TENDER_HTTP_ROUTE_ADAPTERS, "ListAdapters", FALSE},
    {"POST", "/v1/adapters/*/api/start", TENDER_HTTP_ROUTE_ADAPTER_START, "Adapter.Start", TRUE},
    {"POST", "/v1/adapters/*/api/update", TENDER_HTTP_ROUTE_ADAPTER_UPDATE, "Adapter.Update", TRUE},
    {"POST", "/v1/adapters/*/api/stop", TENDER_HTTP_ROUTE_ADAPTER_STOP, "Adapter.Stop", FALSE},
    {"GET",
     "/v1/adapters/*/api/metrics",
     TENDER_HTTP_ROUTE_ADAPTER_METRICS,
     "Adapter.GetMetrics",
     FALSE},
    {"GET", "/v1/adapters/*/api/health", TENDER_HTTP_ROUTE_ADAPTER_HEALTH, NULL, FALSE},
    {"GET",
     "/v1/adapters/*/metrics",
     TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS,
     "Adapter.GetMetrics",
     FALSE},
    /* the instance with root_api=true, where seed 000's core answered (/api/health and
     * /metrics above are its own then) */
    {"POST", "/api/start", TENDER_HTTP_ROUTE_ADAPTER_START, "Adapter.Start", TRUE},
    {"POST", "/api/update", TENDER_HTTP_ROUTE_ADAPTER_UPDATE, "Adapter.Update", TRUE},
    {"POST", "/api/stop", TENDER_HTTP_ROUTE_ADAPTER_STOP, "Adapter.Stop", FALSE},
    {"GET", "/api/metrics", TENDER_HTTP_ROUTE_ADAPTER_METRICS, "Adapter.GetMetrics", FALSE},
};

/* --- plugin routes, below /v1/plugins/NAME/ --- */

#define TENDER_HTTP_PLUGIN_PREFIX "/v1/plugins/"

typedef struct {
	TenderPlugin *plugin;	  /* unowned: plugins live as long as tenderd */
	TenderPluginRoute *route; /* unowned: routes too */
	gchar *path;		  /* below the prefix and the plugin's name */
	GPtrArray *captures;
} TenderHttpPluginMatch;

static void
tender_http_plugin_match_clear(TenderHttpPluginMatch *match)
{
	g_clear_pointer(&match->path, g_free);
	g_clear_pointer(&match->captures, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TenderHttpPluginMatch, tender_http_plugin_match_clear)

/* does @path match the route @pattern; its '*' segments go to @captures */
static gboolean
tender_http_server_match_plugin_path(const gchar *pattern, const gchar *path, GPtrArray *captures)
{
	g_auto(GStrv) p = g_strsplit(pattern, "/", -1);
	g_auto(GStrv) s = g_strsplit(path, "/", -1);

	g_ptr_array_set_size(captures, 0);
	if (g_strv_length(p) != g_strv_length(s))
		return FALSE;
	for (guint i = 0; p[i] != NULL; i++) {
		if (g_strcmp0(p[i], "*") == 0 && s[i][0] != '\0') {
			g_ptr_array_add(captures, g_strdup(s[i]));
			continue;
		}
		if (g_strcmp0(p[i], s[i]) != 0)
			return FALSE;
	}
	return TRUE;
}

/*
 * The route of an active plugin that @path is for; %FALSE with the status (404 or 405) and
 * the allowed methods when there is none.
 */
static gboolean
tender_http_server_find_plugin_route(TenderHttpServer *self,
				     const gchar *method,
				     const gchar *path,
				     TenderHttpPluginMatch *match,
				     guint *status,
				     GString *allow)
{
	g_autofree gchar *name = NULL;
	const gchar *rest;
	const gchar *slash;
	GPtrArray *plugins;
	GPtrArray *routes;
	TenderPlugin *plugin = NULL;

	/* elsewhere the core's routes said 404 or 405 already */
	if (self->plugins == NULL || !g_str_has_prefix(path, TENDER_HTTP_PLUGIN_PREFIX))
		return FALSE;
	*status = SOUP_STATUS_NOT_FOUND;
	rest = path + strlen(TENDER_HTTP_PLUGIN_PREFIX);
	slash = strchr(rest, '/');
	if (slash == NULL)
		return FALSE;
	name = g_strndup(rest, (gsize)(slash - rest));
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len && plugin == NULL; i++) {
		TenderPlugin *p = g_ptr_array_index(plugins, i);
		if (tender_plugin_get_status(p) == TENDER_PLUGIN_STATUS_ACTIVE &&
		    g_strcmp0(tender_plugin_get_name(p), name) == 0)
			plugin = p;
	}
	if (plugin == NULL)
		return FALSE;
	match->captures = g_ptr_array_new_with_free_func(g_free);
	routes = tender_plugin_get_routes(plugin);
	for (guint i = 0; i < routes->len; i++) {
		TenderPluginRoute *route = g_ptr_array_index(routes, i);
		if (!tender_http_server_match_plugin_path(route->path, slash + 1, match->captures))
			continue;
		if (g_strcmp0(route->method, method) == 0 ||
		    (g_strcmp0(method, "HEAD") == 0 && g_strcmp0(route->method, "GET") == 0)) {
			match->plugin = plugin;
			match->route = route;
			match->path = g_strdup(slash + 1);
			return TRUE;
		}
		*status = SOUP_STATUS_METHOD_NOT_ALLOWED;
		if (strstr(allow->str, route->method) == NULL)
			g_string_append_printf(allow,
					       "%s%s",
					       allow->len > 0 ? ", " : "",
					       route->method);
	}
	tender_http_plugin_match_clear(match);
	return FALSE;
}

/* does @path match @pattern; the '*' segment goes to @name */
static gboolean
tender_http_server_match(const gchar *pattern, const gchar *path, gchar **name)
{
	g_auto(GStrv) p = g_strsplit(pattern, "/", -1);
	g_auto(GStrv) s = g_strsplit(path, "/", -1);

	if (g_strv_length(p) != g_strv_length(s))
		return FALSE;
	for (guint i = 0; p[i] != NULL; i++) {
		if (g_strcmp0(p[i], "*") == 0) {
			if (s[i][0] == '\0')
				return FALSE;
			g_free(*name);
			*name = g_strdup(s[i]);
			continue;
		}
		if (g_strcmp0(p[i], s[i]) != 0)
			return FALSE;
	}
	return TRUE;
}

/* the index of the route, or -1 with the status (404 or 405) and the allowed methods */
static gint
tender_http_server_find_route(const gchar *method,
			      const gchar *path,
			      gchar **name,
			      guint *status,
			      GString *allow)
{
	gint found = -1;

	*status = SOUP_STATUS_NOT_FOUND;
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_server_routes); i++) {
		g_autofree gchar *n = NULL;
		if (!tender_http_server_match(tender_http_server_routes[i].pattern, path, &n))
			continue;
		if (g_strcmp0(tender_http_server_routes[i].method, method) == 0 ||
		    (g_strcmp0(method, "HEAD") == 0 &&
		     g_strcmp0(tender_http_server_routes[i].method, "GET") == 0)) {
			/* the literal "import" wins over a workload of that name for POST */
			if (found < 0) {
				found = (gint)i;
				g_free(*name);
				*name = g_steal_pointer(&n);
			}
			continue;
		}
		*status = SOUP_STATUS_METHOD_NOT_ALLOWED;
		if (strstr(allow->str, tender_http_server_routes[i].method) == NULL)
			g_string_append_printf(allow,
					       "%s%s",
					       allow->len > 0 ? ", " : "",
					       tender_http_server_routes[i].method);
	}
	return found;
}

/* --- connections --- */

/*
 * tenderd accepts connections itself and hands each one to libsoup with
 * soup_server_accept_iostream(), instead of letting libsoup listen (soup_server_listen_socket):
 * the listener of libsoup 3.2 keeps a reference to the GSocket of every connection it accepts
 * (fixed in libsoup 3.4), so tenderd lost about 0.4 KiB a request.  Accepting here also settles
 * a connection's count, timeout and client credentials before libsoup reads a byte of it.
 *
 * libsoup keeps connections alive only on a server with listeners of its own: each connection
 * serves one request, and responses say so (Connection: close).  Keep-alive of libsoup 3.2
 * would not help: it never closes an idle connection whose next request fails to come (the
 * client hangs up, or the idle timeout strikes), and loses it with its descriptor.
 */

#define TENDER_HTTP_CONNECTION_KEY "tender-http-connection"

typedef struct {
	GSocketConnection *stream;
	gboolean is_unix;
	gboolean over_limit; /* answered 503 */
	GPid pid;
	guint32 uid;
} TenderHttpConnection;

static void
tender_http_connection_clear(TenderHttpConnection *conn)
{
	g_clear_object(&conn->stream);
}

static void
tender_http_connection_release(TenderHttpConnection *conn)
{
	g_rc_box_release_full(conn, (GDestroyNotify)tender_http_connection_clear);
}

static GSocket *
tender_http_connection_get_socket(TenderHttpConnection *conn)
{
	return g_socket_connection_get_socket(conn->stream);
}

/* the connections libsoup has closed meanwhile no longer count */
static void
tender_http_server_prune_connections(TenderHttpServer *self)
{
	for (guint i = self->connections->len; i > 0; i--) {
		TenderHttpConnection *conn = g_ptr_array_index(self->connections, i - 1);
		if (g_io_stream_is_closed(G_IO_STREAM(conn->stream)))
			g_ptr_array_remove_index_fast(self->connections, i - 1);
	}
}

/* the connection hangs on its remote address, the object libsoup has from
 * soup_server_accept_iostream() and gives back for each of its messages */
static TenderHttpConnection *
tender_http_server_get_connection(SoupServerMessage *msg)
{
	GSocketAddress *remote = soup_server_message_get_remote_address(msg);
	return remote != NULL ? g_object_get_data(G_OBJECT(remote), TENDER_HTTP_CONNECTION_KEY)
			      : NULL;
}

static GSocket *
tender_http_server_get_socket(SoupServerMessage *msg)
{
	TenderHttpConnection *conn = tender_http_server_get_connection(msg);
	return conn != NULL ? tender_http_connection_get_socket(conn) : NULL;
}

/* takes @fd, a connection just accepted, and hands it to libsoup */
static void
tender_http_server_accept(TenderHttpServer *self, gint fd)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) sock = g_socket_new_from_fd(fd, &error);
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocketAddress) remote = NULL;
	g_autoptr(GCredentials) creds = NULL;
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
	conn = g_rc_box_new0(TenderHttpConnection);
	conn->stream = g_socket_connection_factory_create_connection(sock);
	conn->is_unix = g_socket_get_family(sock) == G_SOCKET_FAMILY_UNIX;
	conn->uid = G_MAXUINT32;
	conn->pid = -1;
	if (conn->is_unix) {
		creds = g_socket_get_credentials(sock, NULL);
		if (creds != NULL) {
			conn->uid = (guint32)g_credentials_get_unix_user(creds, NULL);
			conn->pid = g_credentials_get_unix_pid(creds, NULL);
		}
	} else {
		/* a response goes out in several writes, the last one must not wait */
		(void)g_socket_set_option(sock, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
	}
	g_socket_set_timeout(sock, self->idle_timeout_sec);
	tender_http_server_prune_connections(self);
	conn->over_limit = self->connections->len >= self->max_connections;
	if (!conn->over_limit)
		g_ptr_array_add(self->connections, g_rc_box_acquire(conn));
	g_object_set_data_full(G_OBJECT(remote),
			       TENDER_HTTP_CONNECTION_KEY,
			       conn,
			       (GDestroyNotify)tender_http_connection_release);
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
	GSocket *sock = msg != NULL ? tender_http_server_get_socket(msg) : NULL;

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
	tender_http_server_cancel_header_timeout(msg);
}

static void
tender_http_server_request_started_cb(SoupServer *server,
				      SoupServerMessage *msg,
				      gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	GWeakRef *ref = g_new0(GWeakRef, 1);
	guint id;

	g_weak_ref_init(ref, msg);
	/* the request's headers must come within the header timeout */
	id = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
					self->header_timeout_sec,
					tender_http_server_header_timeout_cb,
					ref,
					(GDestroyNotify)tender_http_server_weak_ref_free);
	g_object_set_data(G_OBJECT(msg), "tender-http-header-timeout", GUINT_TO_POINTER(id));
}

/* --- requests --- */

typedef gboolean (*TenderEngineFinishFunc)(TenderEngine *engine, GAsyncResult *res, GError **error);

typedef struct {
	TenderHttpServer *self;
	SoupServerMessage *msg;
	TenderHttpRoute route;
	gchar *name;
	GHashTable *query;
	gboolean finished;
	gulong finished_id;
	TenderEngineFinishFunc finish; /* of the asynchronous engine call under way */
	TenderHttpPluginMatch plugin;  /* for TENDER_HTTP_ROUTE_PLUGIN */
	TenderAuthoritySubject *subject;
} TenderHttpRequest;

static void
tender_http_request_free(TenderHttpRequest *req)
{
	g_clear_signal_handler(&req->finished_id, req->msg);
	g_object_unref(req->self);
	g_object_unref(req->msg);
	g_free(req->name);
	if (req->query != NULL)
		g_hash_table_unref(req->query);
	tender_http_plugin_match_clear(&req->plugin);
	tender_authority_subject_free(req->subject);
	g_free(req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderHttpRequest, tender_http_request_free)

static void
tender_http_request_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpRequest *req = user_data;
	req->finished = TRUE;
}

/* called when an asynchronous answer is there: %FALSE if the client went away meanwhile */
static gboolean
tender_http_request_resume(TenderHttpRequest *req)
{
	if (req->finished)
		return FALSE;
	soup_server_message_unpause(req->msg);
	return TRUE;
}

static const gchar *
tender_http_request_query(TenderHttpRequest *req, const gchar *key)
{
	return req->query != NULL ? g_hash_table_lookup(req->query, key) : NULL;
}

/* the request body as JSON: NULL with no error for an empty body */
static JsonNode *
tender_http_request_body(TenderHttpRequest *req, GError **error)
{
	SoupMessageBody *body = soup_server_message_get_request_body(req->msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten(body);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);

	if (len == 0)
		return NULL;
	root = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, &error_local);
	if (root == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The request body is not valid JSON: %s",
			    error_local->message);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The request body must be a JSON object");
		return NULL;
	}
	return g_steal_pointer(&root);
}

/* --- replies for plugin routes (tender-plugin-request.c) --- */

/**
 * tender_http_server_message_reply_json:
 * @msg: a message
 * @status: an HTTP status
 * @node: the body
 *
 * Answers @msg with a JSON body.
 */
void
tender_http_server_message_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	tender_http_server_reply_json(msg, status, node);
}

/**
 * tender_http_server_message_reply_error:
 * @msg: a message
 * @error: any error; converted to %TENDER_ERROR and its status as for the core's routes
 *
 * Answers @msg with {"error": {"name", "message"}}.
 */
void
tender_http_server_message_reply_error(SoupServerMessage *msg, const GError *error)
{
	tender_http_server_reply_gerror(msg, g_error_copy(error));
}

/**
 * tender_http_server_message_get_body:
 * @msg: a message
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the body, a JSON object, or %NULL without error when
 *   there is none
 */
JsonNode *
tender_http_server_message_get_body(SoupServerMessage *msg, GError **error)
{
	TenderHttpRequest req = {.msg = msg};
	return tender_http_request_body(&req, error);
}

/* a JSON object of options as the a{sv} the engine takes: strings, booleans, numbers */
static GVariant *
tender_http_server_options_from_json(JsonNode *node, GError **error)
{
	GVariantBuilder builder;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (node == NULL)
		return g_variant_ref_sink(g_variant_builder_end(&builder));
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_variant_builder_clear(&builder);
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'options' must be a JSON object");
		return NULL;
	}
	json_object_iter_init(&iter, json_node_get_object(node));
	while (json_object_iter_next(&iter, &key, &member)) {
		GType type = JSON_NODE_HOLDS_VALUE(member) ? json_node_get_value_type(member)
							   : G_TYPE_INVALID;
		GVariant *value = NULL;
		if (type == G_TYPE_STRING) {
			value = g_variant_new_string(json_node_get_string(member));
		} else if (type == G_TYPE_BOOLEAN) {
			value = g_variant_new_boolean(json_node_get_boolean(member));
		} else if (type == G_TYPE_INT64) {
			gint64 v = json_node_get_int(member);
			value = v >= 0 && v <= G_MAXUINT32 ? g_variant_new_uint32((guint32)v)
							   : g_variant_new_int64(v);
		} else if (type == G_TYPE_DOUBLE) {
			value = g_variant_new_double(json_node_get_double(member));
		} else {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' must be a string, a number or a boolean",
				    key);
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", key, value);
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/* query parameters as options, each of a known type */
static GVariant *
tender_http_request_query_options(TenderHttpRequest *req,
				  const gchar *const *keys,
				  const gchar *const *ignored,
				  GError **error)
{
	GVariantBuilder builder;
	GHashTableIter iter;
	gpointer k;
	gpointer v;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (req->query != NULL)
		g_hash_table_iter_init(&iter, req->query);
	while (req->query != NULL && g_hash_table_iter_next(&iter, &k, &v)) {
		const gchar *key = k;
		const gchar *text = v;
		const gchar *type = NULL;
		guint64 n = 0;

		if (ignored != NULL && g_strv_contains(ignored, key))
			continue;
		for (guint i = 0; keys[i] != NULL; i += 2) {
			if (g_strcmp0(keys[i], key) == 0)
				type = keys[i + 1];
		}
		if (type == NULL) {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown query parameter '%s'",
				    key);
			return NULL;
		}
		if (g_strcmp0(type, "s") == 0) {
			g_variant_builder_add(&builder, "{sv}", key, g_variant_new_string(text));
		} else if (g_strcmp0(type, "u") == 0 &&
			   g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &n, NULL)) {
			g_variant_builder_add(&builder,
					      "{sv}",
					      key,
					      g_variant_new_uint32((guint32)n));
		} else if (g_strcmp0(type, "b") == 0 &&
			   (g_strcmp0(text, "1") == 0 || g_strcmp0(text, "true") == 0 ||
			    g_strcmp0(text, "0") == 0 || g_strcmp0(text, "false") == 0)) {
			g_variant_builder_add(&builder,
					      "{sv}",
					      key,
					      g_variant_new_boolean(text[0] == '1' ||
								    text[0] == 't'));
		} else {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Query parameter '%s' must be %s, not '%s'",
				    key,
				    g_strcmp0(type, "u") == 0 ? "a number" : "1, 0, true or false",
				    text);
			return NULL;
		}
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

static JsonNode *
tender_http_server_workload_json(TenderHttpServer *self, TenderWorkload *w)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GVariant) limits = tender_engine_get_limits(self->engine, w);
	const TenderSpec *spec = tender_workload_get_spec(w);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "Name");
	json_builder_add_string_value(b, tender_workload_get_name(w));
	json_builder_set_member_name(b, "State");
	json_builder_add_string_value(b, tender_state_to_string(tender_workload_get_state(w)));
	json_builder_set_member_name(b, "Reason");
	json_builder_add_string_value(b, tender_workload_get_reason(w));
	json_builder_set_member_name(b, "Unit");
	json_builder_add_string_value(b, tender_workload_get_unit(w));
	json_builder_set_member_name(b, "ControlGroup");
	json_builder_add_string_value(b, tender_workload_get_control_group(w));
	json_builder_set_member_name(b, "MainPID");
	json_builder_add_int_value(b, tender_workload_get_main_pid(w));
	json_builder_set_member_name(b, "ExitCode");
	json_builder_add_int_value(b, tender_workload_get_exit_code(w));
	json_builder_set_member_name(b, "ExitSignal");
	json_builder_add_int_value(b, tender_workload_get_exit_signal(w));
	json_builder_set_member_name(b, "CreatedAt");
	json_builder_add_string_value(b, tender_workload_get_created_at(w));
	json_builder_set_member_name(b, "StartedAt");
	json_builder_add_string_value(b, tender_workload_get_started_at(w));
	json_builder_set_member_name(b, "StoppedAt");
	json_builder_add_string_value(b, tender_workload_get_stopped_at(w));
	json_builder_set_member_name(b, "Command");
	json_builder_begin_array(b);
	for (guint i = 0; spec->argv != NULL && spec->argv[i] != NULL; i++)
		json_builder_add_string_value(b, spec->argv[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "Spec");
	json_builder_add_value(b, tender_spec_to_json(spec));
	json_builder_set_member_name(b, "RestartCount");
	json_builder_add_int_value(b, tender_workload_get_restart_count(w));
	json_builder_set_member_name(b, "OOMKilled");
	json_builder_add_boolean_value(b, tender_workload_get_oom_killed(w));
	json_builder_set_member_name(b, "Health");
	json_builder_add_string_value(b, tender_workload_get_health(w));
	json_builder_set_member_name(b, "Limits");
	json_builder_add_value(b, json_gvariant_serialize(limits));
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
tender_http_request_reply_workload(TenderHttpRequest *req, guint status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	TenderWorkload *w = tender_engine_get_workload(req->self->engine, req->name, &error);

	if (w == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	node = tender_http_server_workload_json(req->self, w);
	tender_http_server_reply_json(req->msg, status, node);
}

static void
tender_http_request_list(TenderHttpRequest *req)
{
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(req->self->engine);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	for (guint i = 0; i < workloads->len; i++) {
		TenderWorkload *w = g_ptr_array_index(workloads, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_workload_get_name(w));
		json_builder_set_member_name(b, "state");
		json_builder_add_string_value(b,
					      tender_state_to_string(tender_workload_get_state(w)));
		json_builder_set_member_name(b, "unit");
		json_builder_add_string_value(b, tender_workload_get_unit(w));
		json_builder_set_member_name(b, "object_path");
		json_builder_add_string_value(b, tender_workload_get_object_path(w));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, root);
}

static void
tender_http_request_create(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = tender_http_request_body(req, &error);
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(GVariant) options = NULL;
	JsonObject *obj;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;
	TenderWorkload *w;

	if (body == NULL && error == NULL)
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The request body must be {\"name\": ..., \"spec\": {...}}");
	if (error != NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	obj = json_node_get_object(body);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &key, &member)) {
		if (g_strcmp0(key, "name") != 0 && g_strcmp0(key, "spec") != 0 &&
		    g_strcmp0(key, "options") != 0) {
			g_autofree gchar *msg = g_strdup_printf("Unknown key '%s'", key);
			tender_http_server_reply_error(req->msg,
						       SOUP_STATUS_BAD_REQUEST,
						       TENDER_ERROR_INVALID_ARGUMENT,
						       msg);
			return;
		}
	}
	if (!json_object_has_member(obj, "name") ||
	    json_node_get_value_type(json_object_get_member(obj, "name")) != G_TYPE_STRING) {
		tender_http_server_reply_error(req->msg,
					       SOUP_STATUS_BAD_REQUEST,
					       TENDER_ERROR_INVALID_ARGUMENT,
					       "'name' must be a string");
		return;
	}
	g_free(req->name);
	req->name = g_strdup(json_object_get_string_member(obj, "name"));
	spec = tender_spec_variant_from_json(json_object_get_member(obj, "spec"), &error);
	if (spec == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	options =
	    tender_http_server_options_from_json(json_object_get_member(obj, "options"), &error);
	if (options == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	w = tender_engine_create_workload(req->self->engine, req->name, spec, options, &error);
	if (w == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	tender_http_request_reply_workload(req, SOUP_STATUS_CREATED);
}

static void
tender_http_request_import(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    soup_message_body_flatten(soup_server_message_get_request_body(req->msg));
	g_autofree gchar *json = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	const gchar *const keys[] = {"name", "s", NULL};
	g_autoptr(GVariant) options = tender_http_request_query_options(req, keys, NULL, &error);
	TenderWorkload *w;

	if (options == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	w = tender_engine_import_workload(req->self->engine, json, options, &error);
	if (w == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	g_free(req->name);
	req->name = g_strdup(tender_workload_get_name(w));
	tender_http_request_reply_workload(req, SOUP_STATUS_CREATED);
}

static void
tender_http_request_export(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	gchar *json = tender_engine_export_workload(req->self->engine, req->name, &error);

	if (json == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(req->msg,
					 "application/json",
					 SOUP_MEMORY_TAKE,
					 json,
					 strlen(json));
}

static void
tender_http_request_metrics(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) metrics = NULL;
	g_autoptr(JsonNode) node = NULL;

	metrics = tender_engine_get_metrics(req->self->engine, req->name, &error);
	if (metrics == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	node = json_gvariant_serialize(metrics);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, node);
}

static void
tender_http_request_prometheus(TenderHttpRequest *req)
{
	gchar *text = tender_prometheus_render(req->self->engine);

	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(req->msg,
					 "text/plain; version=0.0.4; charset=utf-8",
					 SOUP_MEMORY_TAKE,
					 text,
					 strlen(text));
}

static void
tender_http_request_health(SoupServerMessage *msg, TenderHttpServer *self)
{
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(self->engine);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "ok");
	json_builder_set_member_name(b, "version");
	json_builder_add_string_value(b, PACKAGE_VERSION);
	json_builder_set_member_name(b, "workloads");
	json_builder_add_int_value(b, workloads->len);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	tender_http_server_reply_json(msg, SOUP_STATUS_OK, root);
}

static void
tender_http_request_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	g_autoptr(GError) error = NULL;
	gboolean ok = req->finish(TENDER_ENGINE(source), res, &error);

	if (!tender_http_request_resume(req))
		return;
	if (!ok) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	if (req->route == TENDER_HTTP_ROUTE_REMOVE) {
		soup_server_message_set_status(req->msg, SOUP_STATUS_NO_CONTENT, NULL);
		return;
	}
	tender_http_request_reply_workload(req, SOUP_STATUS_OK);
}

/* takes @owned */
static void
tender_http_request_action(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderEngine *engine = req->self->engine;
	const gchar *name = req->name;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(GVariant) options = NULL;
	const gchar *const remove_keys[] = {"force", "b", "timeout_sec", "u", NULL};

	if (req->route == TENDER_HTTP_ROUTE_REMOVE) {
		options = tender_http_request_query_options(req, remove_keys, NULL, &error);
	} else {
		body = tender_http_request_body(req, &error);
		if (error == NULL && req->route == TENDER_HTTP_ROUTE_KILL) {
			gint64 signo = SIGTERM;
			JsonObject *obj = body != NULL ? json_node_get_object(body) : NULL;
			if (obj != NULL && json_object_has_member(obj, "signal")) {
				if (json_node_get_value_type(
					json_object_get_member(obj, "signal")) != G_TYPE_INT64) {
					tender_http_server_reply_error(
					    req->msg,
					    SOUP_STATUS_BAD_REQUEST,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "'signal' must be a number");
					return;
				}
				signo = json_object_get_int_member(obj, "signal");
				json_object_remove_member(obj, "signal");
			}
			if (obj != NULL && json_object_get_size(obj) > 0) {
				tender_http_server_reply_error(req->msg,
							       SOUP_STATUS_BAD_REQUEST,
							       TENDER_ERROR_INVALID_ARGUMENT,
							       "The only key of kill is 'signal'");
				return;
			}
			if (signo < G_MININT32 || signo > G_MAXINT32)
				signo = -1;
			if (!tender_engine_kill_workload(engine, req->name, (gint)signo, &error)) {
				tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
				return;
			}
			tender_http_request_reply_workload(req, SOUP_STATUS_OK);
			return;
		}
		if (error == NULL &&
		    (req->route == TENDER_HTTP_ROUTE_PAUSE ||
		     req->route == TENDER_HTTP_ROUTE_RESUME) &&
		    body != NULL && json_object_get_size(json_node_get_object(body)) > 0) {
			tender_http_server_reply_error(req->msg,
						       SOUP_STATUS_BAD_REQUEST,
						       TENDER_ERROR_INVALID_ARGUMENT,
						       "Pause and resume take no options");
			return;
		}
		if (error == NULL)
			options = tender_http_server_options_from_json(body, &error);
	}
	if (error != NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	soup_server_message_pause(req->msg);
	switch (req->route) {
	case TENDER_HTTP_ROUTE_START:
		req->finish = tender_engine_start_workload_finish;
		tender_engine_start_workload_async(engine,
						   name,
						   options,
						   NULL,
						   tender_http_request_async_cb,
						   g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_STOP:
		req->finish = tender_engine_stop_workload_finish;
		tender_engine_stop_workload_async(engine,
						  name,
						  options,
						  NULL,
						  tender_http_request_async_cb,
						  g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_REMOVE:
		req->finish = tender_engine_remove_workload_finish;
		tender_engine_remove_workload_async(engine,
						    name,
						    options,
						    NULL,
						    tender_http_request_async_cb,
						    g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_PAUSE:
		req->finish = tender_engine_pause_workload_finish;
		tender_engine_pause_workload_async(engine,
						   name,
						   NULL,
						   tender_http_request_async_cb,
						   g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_RESUME:
	default:
		req->finish = tender_engine_resume_workload_finish;
		tender_engine_resume_workload_async(engine,
						    name,
						    NULL,
						    tender_http_request_async_cb,
						    g_steal_pointer(&req));
		break;
	}
}

/* --- streams: logs ?follow=1 and /v1/events --- */

typedef struct {
	TenderHttpServer *self; /* not a reference: the server ends every stream it has */
	SoupServerMessage *msg;
	gsize pending; /* bytes handed to libsoup, not yet written */
	gboolean finished;
	gulong finished_id;
	gulong wrote_id;
	GInputStream *input; /* logs: the pipe from the engine */
	GCancellable *cancellable;
	gboolean reading;
	GSource *hangup; /* watches for the client closing its end */
} TenderHttpStream;

static void
tender_http_stream_clear(TenderHttpStream *stream)
{
	g_clear_signal_handler(&stream->finished_id, stream->msg);
	g_clear_signal_handler(&stream->wrote_id, stream->msg);
	g_clear_object(&stream->msg);
	if (stream->input != NULL)
		(void)g_input_stream_close(stream->input, NULL, NULL);
	g_clear_object(&stream->input);
	g_clear_object(&stream->cancellable);
	if (stream->hangup != NULL)
		g_source_destroy(stream->hangup);
	g_clear_pointer(&stream->hangup, g_source_unref);
}

static void
tender_http_stream_release(TenderHttpStream *stream)
{
	g_rc_box_release_full(stream, (GDestroyNotify)tender_http_stream_clear);
}

static void
tender_http_stream_append(TenderHttpStream *stream, const gchar *data, gsize len)
{
	if (stream->finished)
		return;
	soup_message_body_append(soup_server_message_get_response_body(stream->msg),
				 SOUP_MEMORY_COPY,
				 data,
				 len);
	stream->pending += len;
	soup_server_message_unpause(stream->msg);
}

/* ends the stream: libsoup notices when it writes the last chunk into the closed socket */
static void
tender_http_stream_drop(TenderHttpStream *stream)
{
	GSocket *sock = tender_http_server_get_socket(stream->msg);

	if (sock != NULL)
		(void)g_socket_shutdown(sock, TRUE, TRUE, NULL);
	if (stream->finished)
		return;
	soup_message_body_complete(soup_server_message_get_response_body(stream->msg));
	soup_server_message_unpause(stream->msg);
}

/* libsoup does not read while it streams a response: a client that hangs up is seen here */
static gboolean
tender_http_stream_hangup_cb(GSocket *sock, GIOCondition condition, gpointer user_data)
{
	TenderHttpStream *stream = user_data;
	gchar byte;
	gssize n = recv(g_socket_get_fd(sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	/* the client went away, or sent more than it should while streaming */
	if (stream->self != NULL)
		g_ptr_array_remove(stream->self->subscribers, stream);
	stream->self = NULL;
	tender_http_stream_drop(stream);
	g_clear_pointer(&stream->hangup, g_source_unref);
	return G_SOURCE_REMOVE;
}

static void
tender_http_stream_read(TenderHttpStream *stream);

static void
tender_http_stream_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data)
{
	TenderHttpStream *stream = user_data;

	stream->pending = size > stream->pending ? 0 : stream->pending - size;
	if (stream->input != NULL && !stream->reading &&
	    stream->pending < TENDER_HTTP_SERVER_STREAM_BACKLOG / 4)
		tender_http_stream_read(stream);
}

static void
tender_http_stream_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpStream *stream = user_data;

	stream->finished = TRUE;
	if (stream->cancellable != NULL)
		g_cancellable_cancel(stream->cancellable);
	if (stream->hangup != NULL)
		g_source_destroy(stream->hangup);
	g_clear_pointer(&stream->hangup, g_source_unref);
	if (stream->self != NULL)
		g_ptr_array_remove(stream->self->subscribers, stream);
	g_clear_signal_handler(&stream->finished_id, stream->msg);
	g_clear_signal_handler(&stream->wrote_id, stream->msg);
	tender_http_stream_release(stream);
}

static void
tender_http_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpStream *stream = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);

	stream->reading = FALSE;
	if (!stream->finished) {
		if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
			/* the workload was removed, or the engine ended the follow */
			soup_message_body_complete(
			    soup_server_message_get_response_body(stream->msg));
			soup_server_message_unpause(stream->msg);
		} else {
			tender_http_stream_append(stream,
						  g_bytes_get_data(bytes, NULL),
						  g_bytes_get_size(bytes));
			if (stream->pending < TENDER_HTTP_SERVER_STREAM_BACKLOG)
				tender_http_stream_read(stream);
		}
	}
	tender_http_stream_release(stream);
}

static void
tender_http_stream_read(TenderHttpStream *stream)
{
	stream->reading = TRUE;
	g_input_stream_read_bytes_async(stream->input,
					TENDER_HTTP_SERVER_READ_SIZE,
					G_PRIORITY_DEFAULT,
					stream->cancellable,
					tender_http_stream_read_cb,
					g_rc_box_acquire(stream));
}

static TenderHttpStream *
tender_http_stream_new(TenderHttpServer *self, SoupServerMessage *msg, const gchar *content_type)
{
	TenderHttpStream *stream = g_rc_box_new0(TenderHttpStream);
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	GSocket *sock = tender_http_server_get_socket(msg);

	stream->self = self;
	stream->msg = g_object_ref(msg);
	stream->cancellable = g_cancellable_new();
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
	soup_message_headers_set_content_type(headers, content_type, NULL);
	soup_message_headers_replace(headers, "Cache-Control", "no-cache");
	soup_message_body_set_accumulate(soup_server_message_get_response_body(msg), FALSE);
	/* a stream may stay quiet for long: the idle timeout does not apply */
	if (sock != NULL)
		g_socket_set_timeout(sock, 0);
	/* this reference is the message's: dropped when it finishes */
	stream->finished_id = g_signal_connect(msg,
					       "finished",
					       G_CALLBACK(tender_http_stream_finished_cb),
					       g_rc_box_acquire(stream));
	stream->wrote_id = g_signal_connect(msg,
					    "wrote-body-data",
					    G_CALLBACK(tender_http_stream_wrote_cb),
					    stream);
	if (sock != NULL) {
		stream->hangup = g_socket_create_source(sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
		g_source_set_callback(stream->hangup,
				      G_SOURCE_FUNC(tender_http_stream_hangup_cb),
				      stream,
				      NULL);
		g_source_attach(stream->hangup, NULL);
	}
	return stream;
}

static void
tender_http_request_get_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/* takes @owned */
static void
tender_http_request_logs(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderEngine *engine = req->self->engine;
	const gchar *name = req->name;
	g_autoptr(GError) error = NULL;
	const gchar *const keys[] = {"lines", "u", "since", "s", "stream", "s", NULL};
	const gchar *const ignored[] = {"follow", NULL};
	const gchar *follow = tender_http_request_query(req, "follow");
	g_autoptr(GVariant) options = tender_http_request_query_options(req, keys, ignored, &error);
	TenderHttpStream *stream;
	gint fd = -1;

	if (options == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	if (follow != NULL && g_strcmp0(follow, "0") != 0 && g_strcmp0(follow, "1") != 0 &&
	    g_strcmp0(follow, "true") != 0 && g_strcmp0(follow, "false") != 0) {
		tender_http_server_reply_error(req->msg,
					       SOUP_STATUS_BAD_REQUEST,
					       TENDER_ERROR_INVALID_ARGUMENT,
					       "Query parameter 'follow' must be 1, 0, true or "
					       "false");
		return;
	}
	if (follow == NULL || follow[0] == '0' || follow[0] == 'f') {
		soup_server_message_pause(req->msg);
		tender_engine_get_logs_async(engine,
					     name,
					     options,
					     NULL,
					     tender_http_request_get_logs_cb,
					     g_steal_pointer(&req));
		return;
	}
	if (!tender_engine_follow_logs(req->self->engine, req->name, options, &fd, &error)) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	stream = tender_http_stream_new(req->self, req->msg, "application/x-ndjson");
	stream->input = g_unix_input_stream_new(fd, TRUE);
	tender_http_stream_read(stream);
	tender_http_stream_release(stream);
}

static void
tender_http_request_get_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) entries =
	    tender_engine_get_logs_finish(TENDER_ENGINE(source), res, &error);
	g_autoptr(JsonNode) node = NULL;

	if (!tender_http_request_resume(req))
		return;
	if (entries == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	node = json_gvariant_serialize(entries);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, node);
}

/* --- events --- */

typedef struct {
	guint64 id;
	gchar *text; /* the whole SSE event */
} TenderHttpEvent;

static void
tender_http_event_free(TenderHttpEvent *event)
{
	g_free(event->text);
	g_free(event);
}

static void
tender_http_server_state_changed_cb(TenderWorkload *w,
				    guint old_state,
				    guint new_state,
				    const gchar *reason,
				    gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	g_autoptr(GPtrArray) slow = g_ptr_array_new();
	TenderHttpEvent *event = g_new0(TenderHttpEvent, 1);

	event->id = ++self->last_event_id;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, tender_workload_get_name(w));
	json_builder_set_member_name(b, "old_state");
	json_builder_add_string_value(b, tender_state_to_string((TenderState)old_state));
	json_builder_set_member_name(b, "new_state");
	json_builder_add_string_value(b, tender_state_to_string((TenderState)new_state));
	json_builder_set_member_name(b, "reason");
	json_builder_add_string_value(b, reason);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(generator, root);
	data = json_generator_to_data(generator, NULL);
	event->text = g_strdup_printf("id: %" G_GUINT64_FORMAT "\nevent: WorkloadStateChanged\n"
				      "data: %s\n\n",
				      event->id,
				      data);
	g_queue_push_tail(&self->events, event);
	while (g_queue_get_length(&self->events) > TENDER_HTTP_SERVER_EVENTS_MAX)
		tender_http_event_free(g_queue_pop_head(&self->events));
	for (guint i = 0; i < self->subscribers->len; i++) {
		TenderHttpStream *stream = g_ptr_array_index(self->subscribers, i);
		if (stream->pending > TENDER_HTTP_SERVER_STREAM_BACKLOG) {
			g_ptr_array_add(slow, stream);
			continue;
		}
		tender_http_stream_append(stream, event->text, strlen(event->text));
	}
	/* a client that does not read is dropped rather than buffered for */
	for (guint i = 0; i < slow->len; i++) {
		TenderHttpStream *stream = g_ptr_array_index(slow, i);
		g_warning("dropping an HTTP event stream whose client does not read");
		g_ptr_array_remove(self->subscribers, stream);
		stream->self = NULL;
		tender_http_stream_drop(stream);
	}
}

static void
tender_http_server_watch_workload(TenderHttpServer *self, TenderWorkload *w)
{
	g_signal_connect_object(w,
				"state-changed",
				G_CALLBACK(tender_http_server_state_changed_cb),
				self,
				0);
}

static void
tender_http_server_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	tender_http_server_watch_workload(TENDER_HTTP_SERVER(user_data), w);
}

static void
tender_http_request_events(TenderHttpRequest *req)
{
	TenderHttpServer *self = req->self;
	const gchar *last =
	    soup_message_headers_get_one(soup_server_message_get_request_headers(req->msg),
					 "Last-Event-ID");
	guint64 last_id = 0;
	TenderHttpStream *stream;
	GString *backlog = g_string_new("retry: 1000\n\n");

	if (last != NULL && !g_ascii_string_to_unsigned(last, 10, 0, G_MAXUINT64, &last_id, NULL)) {
		g_string_free(backlog, TRUE);
		tender_http_server_reply_error(req->msg,
					       SOUP_STATUS_BAD_REQUEST,
					       TENDER_ERROR_INVALID_ARGUMENT,
					       "Last-Event-ID must be a number");
		return;
	}
	if (last != NULL) {
		for (GList *l = self->events.head; l != NULL; l = l->next) {
			TenderHttpEvent *event = l->data;
			if (event->id > last_id)
				g_string_append(backlog, event->text);
		}
	}
	stream = tender_http_stream_new(self, req->msg, "text/event-stream");
	g_ptr_array_add(self->subscribers, stream);
	tender_http_stream_append(stream, backlog->str, backlog->len);
	g_string_free(backlog, TRUE);
	tender_http_stream_release(stream);
}

/* --- plugins --- */

static void
tender_http_request_plugins(TenderHttpRequest *req)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	GPtrArray *plugins =
	    req->self->plugins != NULL ? tender_plugin_list_get_plugins(req->self->plugins) : NULL;

	json_builder_begin_array(b);
	for (guint i = 0; plugins != NULL && i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		g_autofree gchar *status = tender_plugin_get_status_string(plugin);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_plugin_get_name(plugin));
		json_builder_set_member_name(b, "version");
		json_builder_add_string_value(b, tender_plugin_get_version(plugin));
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, status);
		json_builder_set_member_name(b, "description");
		json_builder_add_string_value(b, tender_plugin_get_description(plugin));
		json_builder_set_member_name(b, "file");
		json_builder_add_string_value(b, tender_plugin_get_filename(plugin));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, root);
}

/* hands the request to the plugin, which may answer later */
static void
tender_http_request_plugin(TenderHttpRequest *req)
{
	g_autoptr(TenderPluginRequest) preq = NULL;

	preq = tender_plugin_request_new(req->msg,
					 req->plugin.path,
					 g_steal_pointer(&req->plugin.captures),
					 req->query,
					 g_steal_pointer(&req->subject));
	req->plugin.route->func(req->plugin.plugin, preq, req->plugin.route->user_data);
	if (!tender_plugin_request_get_replied(preq))
		tender_plugin_request_pause(preq);
}

/* --- adapter instances --- */

/* the instance an adapter route is about: named in the path, or the root_api one */
static TenderAdapter *
tender_http_server_find_adapter(TenderHttpServer *self, const gchar *name, GError **error)
{
	TenderAdapter *adapter = NULL;

	if (self->adapters != NULL && name != NULL)
		return tender_adapter_list_find(self->adapters, name, error);
	if (self->adapters != NULL)
		adapter = tender_adapter_list_get_root_api(self->adapters);
	if (adapter == NULL && name == NULL)
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_FOUND,
				    "No adapter instance answers on /api/...: none has "
				    "root_api=true");
	else if (adapter == NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No adapter instance '%s'",
			    name);
	return adapter;
}

static gboolean
tender_http_server_has_root_api(TenderHttpServer *self)
{
	return self->adapters != NULL && tender_adapter_list_get_root_api(self->adapters) != NULL;
}

/* the method whose action a route needs: /metrics is the root_api instance's, if any */
static const gchar *
tender_http_server_route_method(TenderHttpServer *self, gint route)
{
	if (tender_http_server_routes[route].route == TENDER_HTTP_ROUTE_PROMETHEUS &&
	    tender_http_server_has_root_api(self))
		return "Adapter.GetMetrics";
	return tender_http_server_routes[route].dbus_method;
}

/* what polkit rules see of an adapter call: method and adapter */
static GHashTable *
tender_http_server_adapter_details(TenderHttpServer *self,
				   TenderHttpRequest *req,
				   const gchar *dbus_method)
{
	GHashTable *details;
	TenderAdapter *adapter;

	if (!g_str_has_prefix(dbus_method, "Adapter."))
		return NULL;
	details = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_hash_table_insert(details, (gpointer) "method", g_strdup(dbus_method));
	adapter = tender_http_server_find_adapter(self, req->name, NULL);
	if (adapter != NULL)
		g_hash_table_insert(details,
				    (gpointer) "adapter",
				    g_strdup(tender_adapter_get_name(adapter)));
	return details;
}

static gboolean
tender_http_request_adapter_route(TenderHttpRequest *req)
{
	switch (req->route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
	case TENDER_HTTP_ROUTE_ADAPTER_METRICS:
	case TENDER_HTTP_ROUTE_ADAPTER_HEALTH:
	case TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS:
		return TRUE;
	case TENDER_HTTP_ROUTE_HEALTH:
		if (!tender_http_server_has_root_api(req->self))
			return FALSE;
		req->route = TENDER_HTTP_ROUTE_ADAPTER_HEALTH;
		return TRUE;
	case TENDER_HTTP_ROUTE_PROMETHEUS:
		if (!tender_http_server_has_root_api(req->self))
			return FALSE;
		req->route = TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS;
		return TRUE;
	default:
		return FALSE;
	}
}

static void
tender_http_request_list_adapters(TenderHttpRequest *req)
{
	g_autoptr(GPtrArray) adapters = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	if (req->self->adapters != NULL)
		adapters = tender_adapter_list_get_adapters(req->self->adapters);
	for (guint i = 0; adapters != NULL && i < adapters->len; i++) {
		TenderAdapter *adapter = g_ptr_array_index(adapters, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_adapter_get_name(adapter));
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, tender_adapter_get_type_name(adapter));
		json_builder_set_member_name(b, "workload");
		json_builder_add_string_value(b, tender_adapter_get_workload_name(adapter));
		json_builder_set_member_name(b, "run_as_user");
		json_builder_add_string_value(b, tender_adapter_get_run_as_user(adapter));
		json_builder_set_member_name(b, "primary_payload_key");
		json_builder_add_string_value(b, tender_adapter_get_primary_payload_key(adapter));
		json_builder_set_member_name(b, "root_api");
		json_builder_add_boolean_value(b, tender_adapter_get_root_api(adapter));
		json_builder_set_member_name(b, "object_path");
		json_builder_add_string_value(b, tender_adapter_get_object_path(adapter));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, root);
}

static void
tender_http_request_reply_adapter_status(TenderHttpRequest *req,
					 TenderAdapter *adapter,
					 const gchar *status)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *timestamp = tender_util_timestamp_now();

	json_object_set_string_member(obj, "status", status);
	json_object_set_string_member(obj, "instance", tender_adapter_get_name(adapter));
	json_object_set_string_member(obj, "workload", tender_adapter_get_workload_name(adapter));
	json_object_set_int_member(obj, "main_pid", tender_adapter_get_main_pid(adapter));
	json_object_set_string_member(obj, "timestamp", timestamp);
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, node);
}

static void
tender_http_request_adapter_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	TenderAdapter *adapter = TENDER_ADAPTER(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) metrics = NULL;
	TenderAdapterUpdateResult result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	gboolean ok;

	switch (req->route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
		ok = tender_adapter_start_finish(adapter, res, &error);
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
		ok = tender_adapter_update_finish(adapter, res, &result, &error);
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
		ok = tender_adapter_stop_finish(adapter, res, &error);
		break;
	default:
		metrics = tender_adapter_get_metrics_finish(adapter, res, &error);
		ok = metrics != NULL;
		break;
	}
	if (!tender_http_request_resume(req))
		return;
	if (!ok) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	if (req->route == TENDER_HTTP_ROUTE_ADAPTER_START) {
		tender_http_request_reply_adapter_status(req, adapter, "started");
	} else if (req->route == TENDER_HTTP_ROUTE_ADAPTER_STOP) {
		tender_http_request_reply_adapter_status(req, adapter, "stopped");
	} else if (req->route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
		/* seed 000: 200 applied, 409 unsupported, 400 not running */
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonNode) node = NULL;
		guint status = result == TENDER_ADAPTER_UPDATE_APPLIED ? SOUP_STATUS_OK
			       : result == TENDER_ADAPTER_UPDATE_NOT_RUNNING
				   ? SOUP_STATUS_BAD_REQUEST
				   : SOUP_STATUS_CONFLICT;
		json_object_set_string_member(obj,
					      "result",
					      tender_adapter_update_result_to_string(result));
		node = json_node_init_object(json_node_alloc(), obj);
		tender_http_server_reply_json(req->msg, status, node);
	} else if (req->route == TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS) {
		gchar *text =
		    tender_adapter_render_prometheus(tender_adapter_get_name(adapter), metrics);
		soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
		soup_server_message_set_response(req->msg,
						 "text/plain; version=0.0.4; charset=utf-8",
						 SOUP_MEMORY_TAKE,
						 text,
						 strlen(text));
	} else {
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), metrics);
		tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, node);
	}
}

/* takes @owned */
static void
tender_http_request_adapter(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	JsonObject *payload = NULL;
	TenderAdapter *adapter;

	adapter = tender_http_server_find_adapter(req->self, req->name, &error);
	if (adapter == NULL) {
		tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		return;
	}
	if (req->route == TENDER_HTTP_ROUTE_ADAPTER_HEALTH) {
		g_autoptr(JsonObject) health = tender_adapter_get_health(adapter);
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), health);
		tender_http_server_reply_json(req->msg, SOUP_STATUS_OK, node);
		return;
	}
	if (req->route == TENDER_HTTP_ROUTE_ADAPTER_START ||
	    req->route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
		body = tender_http_request_body(req, &error);
		if (error != NULL) {
			tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
			return;
		}
		if (body != NULL)
			payload = json_node_get_object(body);
		if (payload == NULL && req->route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
			tender_http_server_reply_error(req->msg,
						       SOUP_STATUS_BAD_REQUEST,
						       TENDER_ERROR_INVALID_ARGUMENT,
						       "An update needs a JSON object");
			return;
		}
	}
	soup_server_message_pause(req->msg);
	switch (req->route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
		tender_adapter_start_async(adapter,
					   payload,
					   NULL,
					   tender_http_request_adapter_cb,
					   g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
		tender_adapter_update_async(adapter,
					    payload,
					    NULL,
					    tender_http_request_adapter_cb,
					    g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
		tender_adapter_stop_async(adapter,
					  NULL,
					  tender_http_request_adapter_cb,
					  g_steal_pointer(&req));
		break;
	default:
		tender_adapter_get_metrics_async(adapter,
						 NULL,
						 tender_http_request_adapter_cb,
						 g_steal_pointer(&req));
		break;
	}
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

/* --- dispatch --- */

static void
tender_http_request_dispatch(TenderHttpRequest *req)
{
	if (tender_http_request_adapter_route(req)) {
		tender_http_request_adapter(g_steal_pointer(&req));
		return;
	}
	switch (req->route) {
	case TENDER_HTTP_ROUTE_PROMETHEUS_ALL:
		tender_http_request_prometheus(req);
		break;
	case TENDER_HTTP_ROUTE_ADAPTERS:
		tender_http_request_list_adapters(req);
		break;
	case TENDER_HTTP_ROUTE_PROMETHEUS:
		tender_http_request_prometheus(req);
		break;
	case TENDER_HTTP_ROUTE_EVENTS:
		tender_http_request_events(req);
		break;
	case TENDER_HTTP_ROUTE_LIST:
		tender_http_request_list(req);
		break;
	case TENDER_HTTP_ROUTE_CREATE:
		tender_http_request_create(req);
		break;
	case TENDER_HTTP_ROUTE_IMPORT:
		tender_http_request_import(req);
		break;
	case TENDER_HTTP_ROUTE_GET:
		tender_http_request_reply_workload(req, SOUP_STATUS_OK);
		break;
	case TENDER_HTTP_ROUTE_EXPORT:
		tender_http_request_export(req);
		break;
	case TENDER_HTTP_ROUTE_LOGS:
		tender_http_request_logs(g_steal_pointer(&req));
		return;
	case TENDER_HTTP_ROUTE_METRICS:
		tender_http_request_metrics(req);
		break;
	case TENDER_HTTP_ROUTE_PLUGINS:
		tender_http_request_plugins(req);
		break;
	case TENDER_HTTP_ROUTE_PLUGIN:
		tender_http_request_plugin(req);
		break;
	case TENDER_HTTP_ROUTE_REMOVE:
	case TENDER_HTTP_ROUTE_START:
	case TENDER_HTTP_ROUTE_STOP:
	case TENDER_HTTP_ROUTE_KILL:
	case TENDER_HTTP_ROUTE_PAUSE:
	case TENDER_HTTP_ROUTE_RESUME:
		tender_http_request_action(g_steal_pointer(&req));
		return;
	case TENDER_HTTP_ROUTE_HEALTH:
	default:
		tender_http_request_health(req->msg, req->self);
		break;
	}
	tender_http_request_free(req);
}

static void
tender_http_request_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpRequest *req = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_authority_check_finish(TENDER_AUTHORITY(source), res, &error)) {
		if (tender_http_request_resume(req))
			tender_http_server_reply_gerror(req->msg, g_steal_pointer(&error));
		tender_http_request_free(req);
		return;
	}
	if (!tender_http_request_resume(req)) {
		tender_http_request_free(req);
		return;
	}
	tender_http_request_dispatch(req);
}

/* after the headers, before the body: everything that can be refused without reading it */
static void
tender_http_server_early_cb(SoupServer *server,
			    SoupServerMessage *msg,
			    const char *path,
			    GHashTable *query,
			    gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	TenderHttpConnection *conn = tender_http_server_get_connection(msg);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	g_autoptr(GString) allow = g_string_new(NULL);
	g_autofree gchar *name = NULL;
	g_auto(TenderHttpPluginMatch) match = {NULL};
	guint status = 0;
	gint route;
	gboolean needs_auth;
	goffset length;
	SoupEncoding encoding;

	tender_http_server_cancel_header_timeout(msg);
	/* one request per connection: see "connections" above */
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Connection",
				     "close");
	if (conn != NULL && conn->over_limit) {
		tender_http_server_reply_error(msg,
					       SOUP_STATUS_SERVICE_UNAVAILABLE,
					       TENDER_ERROR_FAILED,
					       "Too many connections");
		return;
	}
	route = tender_http_server_find_route(soup_server_message_get_method(msg),
					      path,
					      &name,
					      &status,
					      allow);
	if (route >= 0)
		needs_auth = tender_http_server_routes[route].dbus_method != NULL;
	/* a core route's 405 stands: plugin routes are all below /v1/plugins/NAME/ */
	else if (status == SOUP_STATUS_NOT_FOUND &&
		 tender_http_server_find_plugin_route(self,
						      soup_server_message_get_method(msg),
						      path,
						      &match,
						      &status,
						      allow))
		needs_auth = match.route->action_id != NULL;
	else {
		g_autofree gchar *message = NULL;
		if (status == SOUP_STATUS_METHOD_NOT_ALLOWED) {
			message = g_strdup_printf("%s is not allowed on %s; use %s",
						  soup_server_message_get_method(msg),
						  path,
						  allow->str);
			tender_http_server_reply_error(msg,
						       status,
						       TENDER_ERROR_INVALID_ARGUMENT,
						       message);
			soup_message_headers_replace(soup_server_message_get_response_headers(msg),
						     "Allow",
						     allow->str);
			return;
		}
		message = g_strdup_printf("No route %s", path);
		tender_http_server_reply_error(msg, status, TENDER_ERROR_NOT_FOUND, message);
		return;
	}
	encoding = soup_message_headers_get_encoding(headers);
	length = soup_message_headers_get_content_length(headers);
	if (encoding != SOUP_ENCODING_NONE && encoding != SOUP_ENCODING_CONTENT_LENGTH) {
		tender_http_server_reply_error(msg,
					       SOUP_STATUS_LENGTH_REQUIRED,
					       TENDER_ERROR_INVALID_ARGUMENT,
					       "A request body needs a Content-Length");
		return;
	}
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > (goffset)self->body_max) {
		g_autofree gchar *message =
		    g_strdup_printf("The request body is larger than %u bytes", self->body_max);
		tender_http_server_reply_error(msg,
					       SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
					       TENDER_ERROR_INVALID_ARGUMENT,
					       message);
		return;
	}
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > 0) {
		const gchar *type = soup_message_headers_get_content_type(headers, NULL);
		if (g_strcmp0(type, "application/json") != 0) {
			tender_http_server_reply_error(msg,
						       SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
						       TENDER_ERROR_INVALID_ARGUMENT,
						       "The request body must be application/json");
			return;
		}
	}
	if (conn != NULL && !conn->is_unix && needs_auth) {
		const gchar *auth = soup_message_headers_get_one(headers, "Authorization");
		g_autoptr(GError) error = NULL;
		guint32 uid = 0;

		if (auth == NULL || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0) {
			tender_http_server_reply_error(msg,
						       SOUP_STATUS_UNAUTHORIZED,
						       TENDER_ERROR_ACCESS_DENIED,
						       "A bearer token is required");
			return;
		}
		if (!tender_http_tokens_lookup(self->tokens, auth + 7, &uid, &error)) {
			tender_http_server_reply_error(msg,
						       SOUP_STATUS_UNAUTHORIZED,
						       TENDER_ERROR_ACCESS_DENIED,
						       error->message);
			return;
		}
		g_object_set_data(G_OBJECT(msg), "tender-http-uid", GUINT_TO_POINTER(uid + 1));
	}
}

static void
tender_http_server_handler_cb(SoupServer *server,
			      SoupServerMessage *msg,
			      const char *path,
			      GHashTable *query,
			      gpointer user_data)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(user_data);
	TenderHttpConnection *conn = tender_http_server_get_connection(msg);
	g_autoptr(TenderHttpRequest) req = g_new0(TenderHttpRequest, 1);
	g_autoptr(GString) allow = g_string_new(NULL);
	g_autoptr(TenderAuthoritySubject) subject = NULL;
	g_autoptr(GHashTable) details = NULL;
	guint status = 0;
	gint route;
	const gchar *action;

	req->self = g_object_ref(self);
	req->msg = g_object_ref(msg);
	req->query = query != NULL ? g_hash_table_ref(query) : NULL;
	route = tender_http_server_find_route(soup_server_message_get_method(msg),
					      path,
					      &req->name,
					      &status,
					      allow);
	if (route >= 0) {
		const gchar *method = tender_http_server_route_method(self, route);
		req->route = tender_http_server_routes[route].route;
		action = method != NULL ? tender_request_action_for_method(method) : NULL;
		if (method != NULL)
			details = tender_http_server_adapter_details(self, req, method);
	} else if (tender_http_server_find_plugin_route(self,
							soup_server_message_get_method(msg),
							path,
							&req->plugin,
							&status,
							allow)) {
		req->route = TENDER_HTTP_ROUTE_PLUGIN;
		action = req->plugin.route->action_id;
		details = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert(details,
				    g_strdup("plugin"),
				    g_strdup(tender_plugin_get_name(req->plugin.plugin)));
		g_hash_table_insert(details,
				    g_strdup("method"),
				    g_strdup(soup_server_message_get_method(msg)));
		g_hash_table_insert(details, g_strdup("path"), g_strdup(path));
	} else {
		/* the early handler answered already */
		return;
	}
	if (conn != NULL && conn->is_unix) {
		subject = tender_authority_subject_new_process(conn->pid, conn->uid);
	} else {
		guint uid = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(msg), "tender-http-uid"));
		if (uid == 0 && action != NULL) {
			tender_http_server_reply_error(msg,
						       SOUP_STATUS_UNAUTHORIZED,
						       TENDER_ERROR_ACCESS_DENIED,
						       "A bearer token is required");
			return;
		}
		/* without a token (for a route anyone may call) the caller is nobody known */
		subject = tender_authority_subject_new_uid(uid - 1);
	}
	req->subject = tender_authority_subject_copy(subject);
	if (action == NULL) {
		tender_http_request_dispatch(g_steal_pointer(&req));
		return;
	}
	req->finished_id =
	    g_signal_connect(msg, "finished", G_CALLBACK(tender_http_request_finished_cb), req);
	soup_server_message_pause(msg);
	tender_authority_check_async(self->authority,
				     subject,
				     action,
				     details,
				     FALSE,
				     NULL,
				     tender_http_request_authorize_cb,
				     g_steal_pointer(&req));
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
	g_socket_set_listen_backlog(sock, TENDER_HTTP_SERVER_LISTEN_BACKLOG);
	if (!g_socket_listen(sock, error))
		return FALSE;
	tender_http_server_add_listener(self, sock);
	return TRUE;
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
	g_socket_set_listen_backlog(sock, TENDER_HTTP_SERVER_LISTEN_BACKLOG);
	if (!g_socket_listen(sock, error))
		return FALSE;
	tender_http_server_add_listener(self, sock);
	return TRUE;
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

	if (self->engine != NULL)
		g_clear_signal_handler(&self->added_id, self->engine);
	for (guint i = 0; self->subscribers != NULL && i < self->subscribers->len; i++) {
		TenderHttpStream *stream = g_ptr_array_index(self->subscribers, i);
		stream->self = NULL;
	}
	if (self->subscribers != NULL)
		g_ptr_array_set_size(self->subscribers, 0);
	if (self->listeners != NULL)
		g_ptr_array_set_size(self->listeners, 0);
	if (self->connections != NULL)
		g_ptr_array_set_size(self->connections, 0);
	if (self->server != NULL)
		soup_server_disconnect(self->server);
	g_clear_object(&self->server);
	g_clear_object(&self->authority);
	g_clear_object(&self->plugins);
	g_clear_object(&self->adapters);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_http_server_parent_class)->dispose(object);
}

static void
tender_http_server_finalize(GObject *object)
{
	TenderHttpServer *self = TENDER_HTTP_SERVER(object);

	g_queue_clear_full(&self->events, (GDestroyNotify)tender_http_event_free);
	g_ptr_array_unref(self->subscribers);
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
	g_queue_init(&self->events);
	self->subscribers = g_ptr_array_new();
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
	g_autoptr(GPtrArray) workloads = NULL;

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
	workloads = tender_engine_get_workloads(engine);
	for (guint i = 0; i < workloads->len; i++)
		tender_http_server_watch_workload(self, g_ptr_array_index(workloads, i));
	self->added_id = g_signal_connect(engine,
					  "workload-added",
					  G_CALLBACK(tender_http_server_workload_added_cb),
					  self);
	(void)tender_error_quark();
	return self;
}
