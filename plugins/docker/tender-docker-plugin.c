/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-plugin.h>

#include "tender-docker-client.h"
#include "tender-docker-runtime.h"
#include "tender-docker-service.h"
#include "tender-docker-tools.h"

/*
 * The Docker plugin: containers of dockerd, over its Engine API.  Its probe never waits for
 * dockerd: without an answer from it, the probe starts connecting and defers (tenderd probes
 * again on its backoff); the plugin asks to be probed again at once when the connection
 * succeeds, and connects again when dockerd's socket appears (and again, briefly, until
 * dockerd serves).  The probe that finds the client connected registers the runtime "docker"
 * and follows dockerd's events; from then on, a socket that appears again (dockerd started
 * again) opens the event stream again at once.  A dockerd that speaks an API too old fails
 * the plugin for good.
 *
 * The probe that succeeds also declares the feature service org.tender.Agent1.Docker (the tool
 * runs, TenderDockerTools, made once and kept with the connection), whose runs it adopts
 * again (recover) whenever the event stream (re)connects, that is, whenever dockerd is back.
 *
 * [plugin docker] in tenderd.conf:
 *   socket=PATH          dockerd's socket, /run/docker.sock by default
 *   max-concurrent=N     tool runs at once (1 to 16, default 4); the others queue
 *   result-ttl=SEC       how long a tool's result is kept (default 3600; 0: until 512 are)
 *   output-max=BYTES     of each of a tool's stdout and stderr kept (default 1 MiB, at most
 *                        16 MiB)
 *   cortex-api=BOOL      also serve seed 002's paths (/containers/...), default false
 *
 * The connection outlives each deferred probe (whatever a probe that did not succeed
 * registered, its data too, is dropped), so it is the module's own: a plugin is loaded once.
 */

#define TENDER_DOCKER_SOCKET_DEFAULT "/run/docker.sock"
/* how long a connect may wait for dockerd's answer */
#define TENDER_DOCKER_CONNECT_TIMEOUT_SEC 30
/* once the socket appeared, for as long as a connect may wait, a connect that fails (dockerd
 * made the socket, and does not listen or serve yet) is tried again after this */
#define TENDER_DOCKER_CONNECT_RETRY_MS 250

typedef struct {
	TenderPlugin *plugin;
	TenderDockerClient *client;
	GCancellable *cancellable; /* the connect under way, or NULL */
	guint timeout_id;	   /* its timeout */
	gint64 appeared;	   /* when the socket appeared, 0 before */
	guint retry_id;		   /* the next connect after a failure, soon after that */
	gboolean connected;
	TenderDockerRuntime *runtime; /* once active: the registration's */
	GError *error;		      /* the last connect's, NULL before one failed */
	GFileMonitor *monitor;	      /* of the socket's directory */
	gchar *socket_name;	      /* the socket's name in it */
	TenderDockerTools *tools;     /* the tool runs, once active */
	TenderDockerRelics *relics;   /* the relics, once active */
	gboolean cortex_api;
	gboolean reserved;   /* cortex-api read, and seed 002's paths reserved if it is true */
	gulong connected_id; /* the client's "connected": runs adopted again */
} TenderDockerProbe;

static TenderDockerProbe *tender_docker_probe = NULL;

static void
tender_docker_probe_stop_watching(TenderDockerProbe *probe)
{
	if (probe->monitor == NULL)
		return;
	g_signal_handlers_disconnect_by_data(probe->monitor, probe);
	g_file_monitor_cancel(probe->monitor);
	g_clear_object(&probe->monitor);
}

static void
tender_docker_probe_free(TenderDockerProbe *probe)
{
	tender_docker_probe_stop_watching(probe);
	if (probe->cancellable != NULL)
		g_cancellable_cancel(probe->cancellable);
	g_clear_object(&probe->cancellable);
	g_clear_handle_id(&probe->timeout_id, g_source_remove);
	g_clear_handle_id(&probe->retry_id, g_source_remove);
	if (probe->connected_id != 0)
		g_signal_handler_disconnect(probe->client, probe->connected_id);
	g_clear_object(&probe->tools);
	g_clear_object(&probe->relics);
	if (probe->client != NULL)
		tender_docker_client_stop_events(probe->client);
	g_clear_object(&probe->client);
	g_clear_error(&probe->error);
	g_free(probe->socket_name);
	g_free(probe);
}

static void
tender_docker_probe_connect(TenderDockerProbe *probe);

static gboolean
tender_docker_probe_retry_cb(gpointer user_data)
{
	TenderDockerProbe *probe = user_data;

	probe->retry_id = 0;
	tender_docker_probe_connect(probe);
	return G_SOURCE_REMOVE;
}

static void
tender_docker_probe_connected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerProbe *probe = tender_docker_probe;
	g_autoptr(GError) error = NULL;
	gboolean first;

	(void)tender_docker_client_connect_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	/* the plugin shut down meanwhile */
	if (probe == NULL || probe->client != TENDER_DOCKER_CLIENT(source))
		return;
	g_clear_object(&probe->cancellable);
	g_clear_handle_id(&probe->timeout_id, g_source_remove);
	if (error == NULL) {
		g_info("dockerd %s answers at %s, API %s",
		       tender_docker_client_get_server_version(probe->client),
		       tender_docker_client_get_socket_path(probe->client),
		       tender_docker_client_get_api_version(probe->client));
		probe->connected = TRUE;
		g_clear_error(&probe->error);
		tender_plugin_request_probe(probe->plugin);
		return;
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_clear_error(&error);
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "dockerd is not answering at %s: no answer in %d s",
			    tender_docker_client_get_socket_path(probe->client),
			    TENDER_DOCKER_CONNECT_TIMEOUT_SEC);
	}
	/* the first failure and a final one are told at once; one soon after the socket
	 * appeared is tried again soon; any other waits for the next probe, on tenderd's
	 * backoff */
	first = probe->error == NULL;
	g_clear_error(&probe->error);
	probe->error = g_steal_pointer(&error);
	if (!tender_docker_client_get_refused(probe->client) && probe->appeared != 0 &&
	    g_get_monotonic_time() - probe->appeared <
		TENDER_DOCKER_CONNECT_TIMEOUT_SEC * G_TIME_SPAN_SECOND) {
		probe->retry_id = g_timeout_add(TENDER_DOCKER_CONNECT_RETRY_MS,
						tender_docker_probe_retry_cb,
						probe);
		return;
	}
	if (first || tender_docker_client_get_refused(probe->client))
		tender_plugin_request_probe(probe->plugin);
}

static gboolean
tender_docker_probe_timeout_cb(gpointer user_data)
{
	TenderDockerProbe *probe = user_data;

	probe->timeout_id = 0;
	g_cancellable_cancel(probe->cancellable);
	return G_SOURCE_REMOVE;
}

/* connects the client, unless that is under way */
static void
tender_docker_probe_connect(TenderDockerProbe *probe)
{
	if (probe->cancellable != NULL || probe->retry_id != 0)
		return;
	probe->cancellable = g_cancellable_new();
	probe->timeout_id = g_timeout_add_seconds(TENDER_DOCKER_CONNECT_TIMEOUT_SEC,
						  tender_docker_probe_timeout_cb,
						  probe);
	tender_docker_client_connect_async(probe->client,
					   probe->cancellable,
					   tender_docker_probe_connected_cb,
					   NULL);
}

/* dockerd's socket appeared: connect now (or again, once the connect under way is done) */
static void
tender_docker_probe_changed_cb(GFileMonitor *monitor,
			       GFile *file,
			       GFile *other,
			       GFileMonitorEvent event,
			       gpointer user_data)
{
	TenderDockerProbe *probe = user_data;
	g_autofree gchar *name = g_file_get_basename(file);

	if (event != G_FILE_MONITOR_EVENT_CREATED || g_strcmp0(name, probe->socket_name) != 0)
		return;
	g_debug("%s appeared", tender_docker_client_get_socket_path(probe->client));
	/* dockerd started again: its events now */
	if (probe->runtime != NULL) {
		tender_docker_runtime_reopen(probe->runtime);
		return;
	}
	if (probe->connected)
		return;
	probe->appeared = g_get_monotonic_time();
	g_clear_handle_id(&probe->retry_id, g_source_remove);
	tender_docker_probe_connect(probe);
}

/* watches the socket's directory for the socket: for dockerd to come, and to come again */
static void
tender_docker_probe_watch(TenderDockerProbe *probe)
{
	const gchar *path = tender_docker_client_get_socket_path(probe->client);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFile) dir = g_file_get_parent(file);
	g_autoptr(GError) error = NULL;

	if (probe->monitor != NULL || dir == NULL)
		return;
	probe->monitor = g_file_monitor_directory(dir, G_FILE_MONITOR_NONE, NULL, &error);
	if (probe->monitor == NULL) {
		g_debug("cannot watch for %s: %s", path, error->message);
		return;
	}
	g_signal_connect(probe->monitor,
			 "changed",
			 G_CALLBACK(tender_docker_probe_changed_cb),
			 probe);
}

static TenderDockerProbe *
tender_docker_probe_get(TenderPlugin *plugin)
{
	g_autofree gchar *socket_path = NULL;

	if (tender_docker_probe != NULL)
		return tender_docker_probe;
	socket_path =
	    tender_plugin_get_config_string(plugin, "socket", TENDER_DOCKER_SOCKET_DEFAULT);
	tender_docker_probe = g_new0(TenderDockerProbe, 1);
	tender_docker_probe->plugin = plugin;
	tender_docker_probe->client = tender_docker_client_new(socket_path);
	tender_docker_probe->socket_name = g_path_get_basename(socket_path);
	return tender_docker_probe;
}

static void
tender_docker_probe_recovered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!tender_docker_tools_recover_finish(TENDER_DOCKER_TOOLS(source), res, &error))
		g_warning("cannot adopt the tool runs of dockerd again: %s", error->message);
}

static void
tender_docker_probe_relics_recovered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!tender_docker_relics_recover_finish(TENDER_DOCKER_RELICS(source), res, &error))
		g_warning("cannot adopt the relics of dockerd again: %s", error->message);
}

/* dockerd's event stream is there again: so may be tool runs tenderd did not see end, and
 * relics that changed */
static void
tender_docker_probe_events_cb(TenderDockerClient *client, gboolean connected, gpointer user_data)
{
	TenderDockerProbe *probe = user_data;

	if (!connected)
		return;
	if (probe->tools != NULL)
		tender_docker_tools_recover_async(probe->tools,
						  NULL,
						  tender_docker_probe_recovered_cb,
						  NULL);
	if (probe->relics != NULL)
		tender_docker_relics_recover_async(probe->relics,
						   NULL,
						   tender_docker_probe_relics_recovered_cb,
						   NULL);
}

/* the tool runs, with the settings of [plugin docker] */
static TenderDockerTools *
tender_docker_probe_new_tools(TenderDockerProbe *probe, GError **error)
{
	TenderPlugin *plugin = probe->plugin;
	guint64 concurrent = 0;
	guint64 ttl = 0;
	guint64 output = 0;

	if (!tender_plugin_get_config_uint64(plugin,
					     "max-concurrent",
					     4,
					     TENDER_DOCKER_TOOLS_CONCURRENT_MAX,
					     &concurrent,
					     error) ||
	    !tender_plugin_get_config_uint64(plugin,
					     "result-ttl",
					     3600,
					     G_MAXUINT32,
					     &ttl,
					     error) ||
	    !tender_plugin_get_config_uint64(plugin,
					     "output-max",
					     1024 * 1024,
					     16 * 1024 * 1024,
					     &output,
					     error))
		return NULL;
	if (concurrent == 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "[plugin docker] max-concurrent=0: at least one tool must run");
		return NULL;
	}
	return tender_docker_tools_new(probe->client,
				       tender_plugin_get_state_dir(plugin),
				       (guint)concurrent,
				       ttl,
				       (gsize)output);
}

static TenderPluginProbeResult
tender_docker_plugin_probe(TenderPlugin *plugin, GError **error)
{
	TenderDockerProbe *probe = tender_docker_probe_get(plugin);
	const gchar *socket_path = tender_docker_client_get_socket_path(probe->client);

	if (!g_path_is_absolute(socket_path)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[plugin docker] socket=%s is not an absolute path",
			    socket_path);
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	}
	/* seed 002's paths answer 503 while dockerd is not there yet, not 404 */
	if (!probe->reserved) {
		g_autoptr(GError) error_local = NULL;
		probe->cortex_api =
		    tender_plugin_get_config_boolean(plugin, "cortex-api", FALSE, &error_local);
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return TENDER_PLUGIN_PROBE_RESULT_FAIL;
		}
		if (probe->cortex_api &&
		    !tender_plugin_reserve_http_paths(plugin,
						      "/containers/",
						      TENDER_PLUGIN_HTTP_ALIAS_DETAIL,
						      error))
			return TENDER_PLUGIN_PROBE_RESULT_FAIL;
		probe->reserved = TRUE;
	}
	if (probe->connected) {
		probe->runtime = tender_docker_runtime_register(plugin, probe->client, error);
		if (probe->runtime == NULL)
			return TENDER_PLUGIN_PROBE_RESULT_FAIL;
		if (probe->tools == NULL) {
			probe->tools = tender_docker_probe_new_tools(probe, error);
			if (probe->tools == NULL)
				return TENDER_PLUGIN_PROBE_RESULT_FAIL;
			probe->relics =
			    tender_docker_relics_new(probe->client,
						     tender_plugin_get_state_dir(plugin));
			probe->connected_id =
			    g_signal_connect(probe->client,
					     "connected",
					     G_CALLBACK(tender_docker_probe_events_cb),
					     probe);
		}
		if (!tender_docker_service_register(plugin,
						    probe->client,
						    probe->tools,
						    probe->relics,
						    probe->cortex_api,
						    error))
			return TENDER_PLUGIN_PROBE_RESULT_FAIL;
		tender_docker_probe_watch(probe);
		tender_docker_client_start_events(probe->client);
		return TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
	}
	if (probe->error != NULL && tender_docker_client_get_refused(probe->client)) {
		g_propagate_error(error, g_error_copy(probe->error));
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	}
	tender_docker_probe_watch(probe);
	tender_docker_probe_connect(probe);
	if (probe->error != NULL) {
		g_propagate_error(error, g_error_copy(probe->error));
	} else {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "dockerd is not answering at %s: no answer yet",
			    socket_path);
	}
	return TENDER_PLUGIN_PROBE_RESULT_DEFER;
}

static void
tender_docker_plugin_shutdown(TenderPlugin *plugin)
{
	g_clear_pointer(&tender_docker_probe, tender_docker_probe_free);
}

TENDER_PLUGIN_DEFINE_PROBE("docker",
			   PACKAGE_VERSION,
			   "containers of dockerd: the runtime docker",
			   tender_docker_plugin_probe,
			   tender_docker_plugin_shutdown)
