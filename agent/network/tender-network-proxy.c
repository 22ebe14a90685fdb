/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-network-proxy.h"

/*
 * TenderNetworkProxy publishes one port of a workload on the host's publish address, as
 * docker-proxy does: the port is bound when the proxy is made (so a port already taken is
 * refused before anything else is done), and relayed once it is started.
 *
 * TCP: each accepted connection is joined to a new connection to the workload, copying both
 * ways; the end of one direction is passed on as a half-close (shutdown), and the pair is
 * closed when both directions have ended or either fails.
 * UDP: each peer gets a session, a socket connected to the workload; the workload's replies
 * go back to that peer; a session without traffic for TENDER_NETWORK_PROXY_UDP_TIMEOUT_SEC
 * ends.
 */

#define TENDER_NETWORK_PROXY_BUFFER	  16384
#define TENDER_NETWORK_PROXY_DATAGRAM_MAX 65536

struct _TenderNetworkProxy {
	GObject parent_instance;
	guint16 port;
	gboolean udp;
	GSocket *socket;	 /* the bound socket */
	GSocketService *service; /* TCP */
	GSocketAddress *target;	 /* set by start */
	GHashTable
	    *sessions; /* TCP: TenderNetworkProxyTcp set; UDP: "ip:port" → TenderNetworkProxyUdp */
	GSource *source;   /* UDP: the bound socket's */
	GSource *sweep;	   /* UDP: ends idle sessions */
	guint8 *datagram;  /* UDP: TENDER_NETWORK_PROXY_DATAGRAM_MAX bytes */
	gboolean dropping; /* UDP: the session limit was reached and logged */
};

G_DEFINE_TYPE(TenderNetworkProxy, tender_network_proxy, G_TYPE_OBJECT)

/* --- TCP --- */

typedef struct {
	gint refcount;		   /* one per direction still copying, one while connecting */
	TenderNetworkProxy *proxy; /* (nullable): not owned; NULL once the proxy stopped */
	GCancellable *cancellable;
	GSocketConnection *in;
	GSocketConnection *out;
} TenderNetworkProxyTcp;

typedef struct {
	TenderNetworkProxyTcp *tcp;
	GInputStream *from;
	GOutputStream *to;
	GSocket *to_socket;
	guint8 buffer[TENDER_NETWORK_PROXY_BUFFER];
} TenderNetworkProxyPump;

static void
tender_network_proxy_tcp_unref(TenderNetworkProxyTcp *tcp)
{
	if (--tcp->refcount > 0)
		return;
	if (tcp->proxy != NULL)
		g_hash_table_remove(tcp->proxy->sessions, tcp);
	if (tcp->in != NULL)
		(void)g_io_stream_close(G_IO_STREAM(tcp->in), NULL, NULL);
	if (tcp->out != NULL)
		(void)g_io_stream_close(G_IO_STREAM(tcp->out), NULL, NULL);
	g_clear_object(&tcp->in);
	g_clear_object(&tcp->out);
	g_object_unref(tcp->cancellable);
	g_free(tcp);
}

static void
tender_network_proxy_pump_done(TenderNetworkProxyPump *pump, GError *error)
{
	if (error != NULL) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("published port: %s", error->message);
		g_cancellable_cancel(pump->tcp->cancellable);
	} else {
		(void)g_socket_shutdown(pump->to_socket, FALSE, TRUE, NULL);
	}
	tender_network_proxy_tcp_unref(pump->tcp);
	g_free(pump);
}

static void
tender_network_proxy_pump_read(TenderNetworkProxyPump *pump);

static void
tender_network_proxy_pump_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderNetworkProxyPump *pump = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		tender_network_proxy_pump_done(pump, error);
		return;
	}
	tender_network_proxy_pump_read(pump);
}

static void
tender_network_proxy_pump_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderNetworkProxyPump *pump = user_data;
	g_autoptr(GError) error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);

	if (n <= 0) {
		tender_network_proxy_pump_done(pump, error);
		return;
	}
	g_output_stream_write_all_async(pump->to,
					pump->buffer,
					(gsize)n,
					G_PRIORITY_DEFAULT,
					pump->tcp->cancellable,
					tender_network_proxy_pump_written_cb,
					pump);
}

static void
tender_network_proxy_pump_read(TenderNetworkProxyPump *pump)
{
	g_input_stream_read_async(pump->from,
				  pump->buffer,
				  sizeof(pump->buffer),
				  G_PRIORITY_DEFAULT,
				  pump->tcp->cancellable,
				  tender_network_proxy_pump_read_cb,
				  pump);
}

static void
tender_network_proxy_pump_start(TenderNetworkProxyTcp *tcp,
				GSocketConnection *from,
				GSocketConnection *to)
{
	TenderNetworkProxyPump *pump = g_new0(TenderNetworkProxyPump, 1);

	tcp->refcount++;
	pump->tcp = tcp;
	pump->from = g_io_stream_get_input_stream(G_IO_STREAM(from));
	pump->to = g_io_stream_get_output_stream(G_IO_STREAM(to));
	pump->to_socket = g_socket_connection_get_socket(to);
	tender_network_proxy_pump_read(pump);
}

static void
tender_network_proxy_connected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderNetworkProxyTcp *tcp = user_data;
	g_autoptr(GError) error = NULL;

	tcp->out = g_socket_client_connect_finish(G_SOCKET_CLIENT(source), res, &error);
	if (tcp->out == NULL) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("published port: cannot reach the workload: %s", error->message);
	} else {
		tender_network_proxy_pump_start(tcp, tcp->in, tcp->out);
		tender_network_proxy_pump_start(tcp, tcp->out, tcp->in);
	}
	tender_network_proxy_tcp_unref(tcp);
}

static gboolean
tender_network_proxy_incoming_cb(GSocketService *service,
				 GSocketConnection *connection,
				 GObject *source_object,
				 gpointer user_data)
{
	TenderNetworkProxy *self = TENDER_NETWORK_PROXY(user_data);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	TenderNetworkProxyTcp *tcp;

	if (self->target == NULL)
		return FALSE;
	tcp = g_new0(TenderNetworkProxyTcp, 1);
	tcp->refcount = 1;
	tcp->proxy = self;
	tcp->cancellable = g_cancellable_new();
	tcp->in = g_object_ref(connection);
	g_hash_table_add(self->sessions, tcp);
	g_socket_client_set_timeout(client, 30);
	g_socket_client_set_enable_proxy(client, FALSE);
	g_socket_client_connect_async(client,
				      G_SOCKET_CONNECTABLE(self->target),
				      tcp->cancellable,
				      tender_network_proxy_connected_cb,
				      tcp);
	return TRUE;
}

static void
tender_network_proxy_tcp_stop(gpointer key, gpointer value, gpointer user_data)
{
	TenderNetworkProxyTcp *tcp = key;

	tcp->proxy = NULL;
	g_cancellable_cancel(tcp->cancellable);
}

/* --- UDP --- */

typedef struct {
	TenderNetworkProxy *proxy; /* not owned */
	GSocket *socket;	   /* connected to the workload */
	GSocketAddress *peer;
	GSource *source;
	gint64 last_used;
} TenderNetworkProxyUdp;

static void
tender_network_proxy_udp_free(TenderNetworkProxyUdp *udp)
{
	g_source_destroy(udp->source);
	g_source_unref(udp->source);
	(void)g_socket_close(udp->socket, NULL);
	g_object_unref(udp->socket);
	g_object_unref(udp->peer);
	g_free(udp);
}

/* the next datagram waiting on @socket, into self->datagram; -1 when there is none */
static gssize
tender_network_proxy_udp_receive(TenderNetworkProxy *self, GSocket *socket, GSocketAddress **peer)
{
	g_autoptr(GError) error = NULL;
	gssize n = g_socket_receive_from(socket,
					 peer,
					 (gchar *)self->datagram,
					 TENDER_NETWORK_PROXY_DATAGRAM_MAX,
					 NULL,
					 &error);

	if (n < 0 && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
		g_debug("published port %u/udp: %s", self->port, error->message);
	return n;
}

static gboolean
tender_network_proxy_udp_reply_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	TenderNetworkProxyUdp *udp = user_data;
	TenderNetworkProxy *self = udp->proxy;

	for (;;) {
		gssize n = tender_network_proxy_udp_receive(self, socket, NULL);
		if (n < 0)
			break;
		udp->last_used = g_get_monotonic_time();
		(void)g_socket_send_to(self->socket,
				       udp->peer,
				       (const gchar *)self->datagram,
				       (gsize)n,
				       NULL,
				       NULL);
	}
	return G_SOURCE_CONTINUE;
}

static TenderNetworkProxyUdp *
tender_network_proxy_udp_new(TenderNetworkProxy *self, GSocketAddress *peer, GError **error)
{
	g_autoptr(GSocket) socket = g_socket_new(g_socket_address_get_family(self->target),
						 G_SOCKET_TYPE_DATAGRAM,
						 G_SOCKET_PROTOCOL_DEFAULT,
						 error);
	TenderNetworkProxyUdp *udp;

	if (socket == NULL || !g_socket_connect(socket, self->target, NULL, error))
		return NULL;
	g_socket_set_blocking(socket, FALSE);
	udp = g_new0(TenderNetworkProxyUdp, 1);
	udp->proxy = self;
	udp->socket = g_steal_pointer(&socket);
	udp->peer = g_object_ref(peer);
	udp->last_used = g_get_monotonic_time();
	udp->source = g_socket_create_source(udp->socket, G_IO_IN, NULL);
	g_source_set_callback(udp->source,
			      G_SOURCE_FUNC(tender_network_proxy_udp_reply_cb),
			      udp,
			      NULL);
	g_source_attach(udp->source, g_main_context_get_thread_default());
	return udp;
}

static TenderNetworkProxyUdp *
tender_network_proxy_udp_lookup(TenderNetworkProxy *self, GSocketAddress *peer)
{
	GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS(peer);
	g_autofree gchar *host = g_inet_address_to_string(g_inet_socket_address_get_address(inet));
	g_autofree gchar *key =
	    g_strdup_printf("%s:%u", host, g_inet_socket_address_get_port(inet));
	TenderNetworkProxyUdp *udp = g_hash_table_lookup(self->sessions, key);
	g_autoptr(GError) error = NULL;

	if (udp != NULL)
		return udp;
	if (g_hash_table_size(self->sessions) >= TENDER_NETWORK_PROXY_UDP_SESSIONS_MAX) {
		if (!self->dropping)
			g_warning("published port %u/udp: %u peers at once, dropping datagrams "
				  "of new ones",
				  self->port,
				  TENDER_NETWORK_PROXY_UDP_SESSIONS_MAX);
		self->dropping = TRUE;
		return NULL;
	}
	udp = tender_network_proxy_udp_new(self, peer, &error);
	if (udp == NULL) {
		g_debug("published port %u/udp: %s", self->port, error->message);
		return NULL;
	}
	g_hash_table_insert(self->sessions, g_steal_pointer(&key), udp);
	return udp;
}

static gboolean
tender_network_proxy_udp_request_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	TenderNetworkProxy *self = TENDER_NETWORK_PROXY(user_data);

	for (;;) {
		g_autoptr(GSocketAddress) peer = NULL;
		TenderNetworkProxyUdp *udp;
		gssize n = tender_network_proxy_udp_receive(self, socket, &peer);
		if (n < 0)
			break;
		if (!G_IS_INET_SOCKET_ADDRESS(peer))
			continue;
		udp = tender_network_proxy_udp_lookup(self, peer);
		if (udp == NULL)
			continue;
		udp->last_used = g_get_monotonic_time();
		(void)
		    g_socket_send(udp->socket, (const gchar *)self->datagram, (gsize)n, NULL, NULL);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_network_proxy_udp_idle(gpointer key, gpointer value, gpointer user_data)
{
	TenderNetworkProxyUdp *udp = value;
	gint64 now = *(gint64 *)user_data;

	return now - udp->last_used > TENDER_NETWORK_PROXY_UDP_TIMEOUT_SEC * G_USEC_PER_SEC;
}

static gboolean
tender_network_proxy_udp_sweep_cb(gpointer user_data)
{
	TenderNetworkProxy *self = TENDER_NETWORK_PROXY(user_data);
	gint64 now = g_get_monotonic_time();

	g_hash_table_foreach_remove(self->sessions, tender_network_proxy_udp_idle, &now);
	if (g_hash_table_size(self->sessions) < TENDER_NETWORK_PROXY_UDP_SESSIONS_MAX)
		self->dropping = FALSE;
	return G_SOURCE_CONTINUE;
}

/* --- the proxy --- */

static gboolean
tender_network_proxy_bind(GSocket **out,
			  GInetAddress *address,
			  guint16 port,
			  gboolean udp,
			  GError **error)
{
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GSocketAddress) where = g_inet_socket_address_new(address, port);
	g_autofree gchar *text = g_inet_address_to_string(address);
	g_autoptr(GError) error_local = NULL;

	socket = g_socket_new(g_inet_address_get_family(address),
			      udp ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM,
			      G_SOCKET_PROTOCOL_DEFAULT,
			      &error_local);
	if (socket == NULL || !g_socket_bind(socket, where, !udp, &error_local)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Host port %u/%s is already taken (on %s: %s)",
			    port,
			    udp ? "udp" : "tcp",
			    text,
			    error_local->message);
		return FALSE;
	}
	*out = g_steal_pointer(&socket);
	return TRUE;
}

/**
 * tender_network_proxy_new:
 * @listen_address: the address to publish on, e.g. "127.0.0.1"
 * @port: the host port
 * @udp: UDP rather than TCP
 * @error: (nullable): a #GError
 *
 * Binds @port on @listen_address.  The port must be free on every address of the host (the
 * DNAT rules take it on the others), so it is first bound, and released, on the wildcard
 * address too.
 *
 * Returns: (transfer full): a #TenderNetworkProxy, not relaying yet, or %NULL with
 *   InvalidArgument naming the port when it is taken
 */
TenderNetworkProxy *
tender_network_proxy_new(const gchar *listen_address, guint16 port, gboolean udp, GError **error)
{
	g_autoptr(TenderNetworkProxy) self = NULL;
	g_autoptr(GInetAddress) address = g_inet_address_new_from_string(listen_address);
	g_autoptr(GInetAddress) any = NULL;
	g_autoptr(GSocket) probe = NULL;

	if (address == NULL || port == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Cannot publish port %u on '%s'",
			    port,
			    listen_address);
		return NULL;
	}
	any = g_inet_address_new_any(g_inet_address_get_family(address));
	if (!tender_network_proxy_bind(&probe, any, port, udp, error))
		return NULL;
	(void)g_socket_close(probe, NULL);
	self = g_object_new(TENDER_TYPE_NETWORK_PROXY, NULL);
	self->port = port;
	self->udp = udp;
	if (!tender_network_proxy_bind(&self->socket, address, port, udp, error))
		return NULL;
	g_socket_set_blocking(self->socket, FALSE);
	if (udp) {
		self->sessions =
		    g_hash_table_new_full(g_str_hash,
					  g_str_equal,
					  g_free,
					  (GDestroyNotify)tender_network_proxy_udp_free);
		return g_steal_pointer(&self);
	}
	self->sessions = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_socket_set_listen_backlog(self->socket, 128);
	if (!g_socket_listen(self->socket, error))
		return NULL;
	self->service = g_object_new(G_TYPE_SOCKET_SERVICE, "active", FALSE, NULL);
	if (!g_socket_listener_add_socket(G_SOCKET_LISTENER(self->service),
					  self->socket,
					  NULL,
					  error))
		return NULL;
	g_signal_connect(self->service,
			 "incoming",
			 G_CALLBACK(tender_network_proxy_incoming_cb),
			 self);
	return g_steal_pointer(&self);
}

/**
 * tender_network_proxy_start:
 * @self: a #TenderNetworkProxy
 * @target_address: the workload's address
 * @target_port: the port in the workload
 *
 * Starts relaying, in the thread-default main context, to @target_address:@target_port.
 * Connections and datagrams that came before were kept waiting by the kernel.
 */
void
tender_network_proxy_start(TenderNetworkProxy *self,
			   const gchar *target_address,
			   guint16 target_port)
{
	g_return_if_fail(TENDER_IS_NETWORK_PROXY(self));
	g_return_if_fail(self->target == NULL && self->socket != NULL);

	self->target = g_inet_socket_address_new_from_string(target_address, target_port);
	g_return_if_fail(self->target != NULL);
	if (!self->udp) {
		g_socket_service_start(self->service);
		return;
	}
	self->datagram = g_malloc(TENDER_NETWORK_PROXY_DATAGRAM_MAX);
	self->source = g_socket_create_source(self->socket, G_IO_IN, NULL);
	g_source_set_callback(self->source,
			      G_SOURCE_FUNC(tender_network_proxy_udp_request_cb),
			      self,
			      NULL);
	g_source_attach(self->source, g_main_context_get_thread_default());
	self->sweep = g_timeout_source_new_seconds(5);
	g_source_set_callback(self->sweep, tender_network_proxy_udp_sweep_cb, self, NULL);
	g_source_attach(self->sweep, g_main_context_get_thread_default());
}

/**
 * tender_network_proxy_stop:
 * @self: a #TenderNetworkProxy
 *
 * Closes the port and every connection or session relayed through it.
 */
void
tender_network_proxy_stop(TenderNetworkProxy *self)
{
	g_return_if_fail(TENDER_IS_NETWORK_PROXY(self));

	if (self->service != NULL) {
		g_signal_handlers_disconnect_by_data(self->service, self);
		g_socket_service_stop(self->service);
		g_socket_listener_close(G_SOCKET_LISTENER(self->service));
		g_clear_object(&self->service);
	}
	if (self->source != NULL) {
		g_source_destroy(self->source);
		g_clear_pointer(&self->source, g_source_unref);
	}
	if (self->sweep != NULL) {
		g_source_destroy(self->sweep);
		g_clear_pointer(&self->sweep, g_source_unref);
	}
	if (self->sessions != NULL && !self->udp)
		g_hash_table_foreach(self->sessions, tender_network_proxy_tcp_stop, NULL);
	if (self->sessions != NULL)
		g_hash_table_remove_all(self->sessions);
	if (self->socket != NULL) {
		(void)g_socket_close(self->socket, NULL);
		g_clear_object(&self->socket);
	}
}

/**
 * tender_network_proxy_get_port:
 * @self: a #TenderNetworkProxy
 *
 * Returns: the host port
 */
guint16
tender_network_proxy_get_port(TenderNetworkProxy *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_PROXY(self), 0);
	return self->port;
}

/**
 * tender_network_proxy_get_udp:
 * @self: a #TenderNetworkProxy
 *
 * Returns: whether the port is a UDP one
 */
gboolean
tender_network_proxy_get_udp(TenderNetworkProxy *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_PROXY(self), FALSE);
	return self->udp;
}

static void
tender_network_proxy_finalize(GObject *object)
{
	TenderNetworkProxy *self = TENDER_NETWORK_PROXY(object);

	tender_network_proxy_stop(self);
	g_clear_pointer(&self->sessions, g_hash_table_unref);
	g_clear_object(&self->target);
	g_free(self->datagram);
	G_OBJECT_CLASS(tender_network_proxy_parent_class)->finalize(object);
}

static void
tender_network_proxy_class_init(TenderNetworkProxyClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_network_proxy_finalize;
}

static void
tender_network_proxy_init(TenderNetworkProxy *self)
{
}
