/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "tender-scope-runtime.h"
#include "tender-config.h"
#include "tender-dbus-daemon.h"
#include "tender-engine.h"
#include "tender-error.h"
#include "tender-http-server.h"
#include "tender-adapter-list.h"
#include "tender-image-store.h"
#include "tender-plugin-list.h"
#include "tender-util.h"

/*
 * tenderd: the host workload agent.  Owns org.tender.Agent1 and runs workloads in transient
 * systemd scopes.  SIGTERM and SIGINT end tenderd cleanly and leave every workload running:
 * systemd owns them.
 */

typedef struct {
	GMainLoop *loop;
	TenderEngine *engine;
	TenderDbusDaemon *dbus_daemon;
	TenderHttpServer *http_server;
	TenderPluginList *plugins;
	TenderAdapterList *adapters;
	TenderImageStore *images;
	TenderAuthority *authority;
	const TenderConfig *config;
	GDBusConnection *system_bus;
	GDBusConnection *connection;
	guint owner_id;
	gint exit_status;
} TenderDaemon;

static void
tender_daemon_clear(TenderDaemon *daemon)
{
	if (daemon->owner_id != 0)
		g_bus_unown_name(daemon->owner_id);
	g_clear_object(&daemon->http_server);
	g_clear_object(&daemon->system_bus);
	g_clear_object(&daemon->dbus_daemon);
	g_clear_object(&daemon->adapters);
	g_clear_object(&daemon->images);
	g_clear_object(&daemon->plugins);
	g_clear_object(&daemon->authority);
	g_clear_object(&daemon->engine);
	g_clear_object(&daemon->connection);
	g_clear_pointer(&daemon->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TenderDaemon, tender_daemon_clear)

static gboolean
tender_daemon_quit_cb(gpointer user_data)
{
	TenderDaemon *daemon = user_data;
	g_info("asked to quit; workloads keep running");
	(void)sd_notify(0, "STOPPING=1");
	g_main_loop_quit(daemon->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_daemon_watchdog_cb(gpointer user_data)
{
	(void)sd_notify(0, "WATCHDOG=1");
	return G_SOURCE_CONTINUE;
}

/* whether workloads use the image @name (their spec's "image"), and whether one of them runs */
static gboolean
tender_daemon_image_in_use(const gchar *name, gboolean *running, gpointer user_data)
{
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(TENDER_ENGINE(user_data));
	gboolean used = FALSE;

	for (guint i = 0; i < workloads->len; i++) {
		TenderWorkload *w = g_ptr_array_index(workloads, i);
		if (g_strcmp0(tender_workload_get_spec(w)->image, name) != 0)
			continue;
		used = TRUE;
		*running = *running || tender_state_is_active(tender_workload_get_state(w));
	}
	return used;
}

/* the image store, [images] dir= (default STATE_DIR/images) */
static TenderImageStore *
tender_daemon_open_images(TenderDaemon *daemon, const TenderConfig *config, GError **error)
{
	g_autofree gchar *dir = config->images_dir != NULL
				    ? g_strdup(config->images_dir)
				    : g_build_filename(config->state_dir, "images", NULL);
	TenderImageStore *images = tender_image_store_new(dir, config->images_max_size, error);

	if (images != NULL)
		tender_image_store_set_in_use_func(images,
						   tender_daemon_image_in_use,
						   daemon->engine);
	return images;
}

/*
 * The HTTP API starts once the bus name is ours, so that a second tenderd never touches the
 * first one's sockets.  tenderd serves D-Bus even if it cannot listen for HTTP.
 */
static void
tender_daemon_start_http(TenderDaemon *daemon)
{
	g_autoptr(GError) error = NULL;

	if (daemon->http_server != NULL)
		return;
	daemon->http_server =
	    tender_http_server_new(daemon->engine, daemon->config, daemon->authority);
	tender_http_server_set_plugins(daemon->http_server, daemon->plugins);
	tender_http_server_set_adapters(daemon->http_server, daemon->adapters);
	tender_http_server_set_images(daemon->http_server, daemon->images);
	if (!tender_http_server_listen(daemon->http_server, &error)) {
		g_warning("cannot serve the HTTP API: %s", error->message);
		g_clear_object(&daemon->http_server);
	}
}

static void
tender_daemon_name_acquired_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	tender_daemon_start_http(user_data);
	g_info("acquired %s, ready", name);
	(void)sd_notify(0, "READY=1\nSTATUS=Serving " TENDER_DBUS_NAME);
}

static void
tender_daemon_name_lost_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	TenderDaemon *daemon = user_data;
	if (connection == NULL)
		g_warning("lost the connection to the bus");
	else
		g_warning("cannot own %s: is another tenderd running?", name);
	daemon->exit_status = EXIT_FAILURE;
	g_main_loop_quit(daemon->loop);
}

/* info and above always reach the journal (or stderr); debug only with --verbose */
static GLogWriterOutput
tender_daemon_log_writer(GLogLevelFlags level,
			 const GLogField *fields,
			 gsize n_fields,
			 gpointer user_data)
{
	gboolean verbose = GPOINTER_TO_INT(user_data);

	if ((level & G_LOG_LEVEL_DEBUG) != 0 && !verbose)
		return G_LOG_WRITER_HANDLED;
	if (g_log_writer_is_journald(fileno(stderr)) &&
	    g_log_writer_journald(level, fields, n_fields, NULL) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	return g_log_writer_standard_streams(level, fields, n_fields, NULL);
}

static GDBusConnection *
tender_daemon_open_bus(const gchar *bus, GError **error)
{
	if (bus == NULL || g_strcmp0(bus, "system") == 0)
		return g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, error);
	if (g_strcmp0(bus, "session") == 0)
		return g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
	return g_dbus_connection_new_for_address_sync(
	    bus,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL,
	    NULL,
	    error);
}

int
main(int argc, char **argv)
{
	g_auto(TenderDaemon) daemon = {0};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderScopeRuntime) scope = NULL;
	g_autoptr(TenderNetworkManager) network = NULL;
	g_autoptr(GDBusConnection) system_bus = NULL;
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *state_dir = NULL;
	g_autofree gchar *bus = NULL;
	g_autofree gchar *cgroup_root = NULL;
	gboolean verbose = FALSE;
	gboolean version = FALSE;
	guint64 watchdog_usec = 0;
	/* clang-format off */
	const GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
	     "Read settings from FILE (default " TENDER_CONFIG_DEFAULT_PATH ")", "FILE"},
	    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
	     "Keep state in DIR (default " TENDER_CONFIG_DEFAULT_STATE_DIR ")", "DIR"},
	    {"bus", 0, 0, G_OPTION_ARG_STRING, &bus,
	     "Serve on the system bus (default), the session bus, or the bus at ADDRESS",
	     "system|session|ADDRESS"},
	    {"cgroup-root", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &cgroup_root,
	     "Where the cgroup file systems are mounted", "DIR"},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debug messages", NULL},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version and exit", NULL},
	    {NULL}};
	/* clang-format on */

	setlocale(LC_ALL, "");
	context = g_option_context_new(NULL);
	g_option_context_set_summary(context,
				     "tenderd runs workloads in transient systemd scopes with "
				     "kernel-enforced limits,\nand serves " TENDER_DBUS_NAME
				     " on D-Bus.  Workloads outlive tenderd: SIGTERM leaves\n"
				     "them running.");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("tenderd: %s\nTry 'tenderd --help'.\n", error->message);
		return 2;
	}
	if (argc > 1) {
		g_printerr("tenderd: unexpected argument '%s'\nTry 'tenderd --help'.\n", argv[1]);
		return 2;
	}
	if (version) {
		g_print("tenderd %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	g_log_set_writer_func(tender_daemon_log_writer, GINT_TO_POINTER(verbose), NULL);
	/* a few descriptors per running workload: max-workloads of them need more than 1024 */
	tender_util_raise_fd_limit();

	if (!tender_config_load(config,
				config_path != NULL ? config_path : TENDER_CONFIG_DEFAULT_PATH,
				config_path != NULL,
				&error)) {
		g_printerr("tenderd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (state_dir != NULL) {
		g_free(config->state_dir);
		config->state_dir = g_steal_pointer(&state_dir);
	}

	/* systemd is always on the system bus, wherever tenderd serves */
	system_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (system_bus == NULL) {
		g_printerr("tenderd: cannot connect to the system bus: %s\n", error->message);
		return EXIT_FAILURE;
	}
	daemon.engine = tender_engine_new(config);
	/* the core's runtime: workloads as transient systemd scopes */
	scope = tender_scope_runtime_new(cgroup_root, system_bus, config->shim, config->state_dir);
	tender_engine_add_runtime(daemon.engine, TENDER_RUNTIME(scope));
	/* the images workloads may have as their root, which the scope runtime mounts */
	daemon.images = tender_daemon_open_images(&daemon, config, &error);
	if (daemon.images == NULL) {
		g_printerr("tenderd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	tender_scope_runtime_set_image_store(scope, daemon.images);
	/* the private network; without it, workloads with network "private" are refused */
	network = tender_network_manager_new_for_config(config, &error);
	if (network == NULL) {
		g_warning("no private network: %s", error->message);
		g_clear_error(&error);
	} else {
		tender_scope_runtime_set_network_manager(scope, network);
	}
	if (!tender_engine_setup(daemon.engine, &error)) {
		g_printerr("tenderd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	daemon.connection = tender_daemon_open_bus(bus, &error);
	if (daemon.connection == NULL) {
		g_printerr("tenderd: cannot connect to the bus: %s\n", error->message);
		return EXIT_FAILURE;
	}
	g_dbus_connection_set_exit_on_close(daemon.connection, FALSE);
	/* plugins register their objects and routes before tenderd serves anything */
	/* one authority for every front-end and plugin: polkit is on the system bus */
	daemon.authority = tender_authority_new(daemon.connection, system_bus);
	daemon.plugins = tender_plugin_list_new(daemon.engine, config, daemon.authority);
	tender_plugin_list_load(daemon.plugins);
	/* adapter instances, of the types the plugins registered */
	daemon.adapters = tender_adapter_list_new(daemon.engine, daemon.plugins, config);
	tender_adapter_list_load(daemon.adapters);
	daemon.dbus_daemon = tender_dbus_daemon_new(daemon.engine, daemon.authority);
	tender_dbus_daemon_set_plugins(daemon.dbus_daemon, daemon.plugins);
	tender_dbus_daemon_set_adapters(daemon.dbus_daemon, daemon.adapters);
	tender_dbus_daemon_set_images(daemon.dbus_daemon, daemon.images);
	if (!tender_dbus_daemon_register(daemon.dbus_daemon, daemon.connection, &error)) {
		g_printerr("tenderd: cannot export the D-Bus API: %s\n", error->message);
		return EXIT_FAILURE;
	}

	daemon.config = config;
	daemon.system_bus = g_object_ref(system_bus);
	daemon.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, tender_daemon_quit_cb, &daemon);
	g_unix_signal_add(SIGINT, tender_daemon_quit_cb, &daemon);
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0)
		g_timeout_add((guint)(watchdog_usec / 2 / 1000), tender_daemon_watchdog_cb, NULL);
	daemon.owner_id = g_bus_own_name_on_connection(daemon.connection,
						       TENDER_DBUS_NAME,
						       G_BUS_NAME_OWNER_FLAGS_NONE,
						       tender_daemon_name_acquired_cb,
						       tender_daemon_name_lost_cb,
						       &daemon,
						       NULL);
	g_main_loop_run(daemon.loop);
	return daemon.exit_status;
}
