/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the plugin API refuses to register, checked without loading anything: the rules that
 * keep a plugin from serving a call nobody authorized, or from registering without bounds.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tender-error.h"
#include "tender-plugin-list.h"
#include "tender-authority.h"
#include "tender-plugin-private.h"
#include "tender-service.h"

static TenderPlugin *
new_plugin(TenderConfig *config)
{
	static const TenderPluginDescriptor descriptor = {
	    TENDER_PLUGIN_ABI_VERSION,
	    sizeof(TenderPluginDescriptor),
	    "my-plugin",
	    "1.0",
	    "a test",
	    NULL,
	    NULL,
	    NULL,
	    {NULL},
	};
	TenderPlugin *plugin = tender_plugin_new("/nowhere/my-plugin.so", NULL, config, NULL);
	tender_plugin_set_descriptor(plugin, NULL, &descriptor);
	return plugin;
}

static void
method_cb(TenderPlugin *plugin,
	  const TenderCaller *caller,
	  GDBusMethodInvocation *invocation,
	  gpointer user_data)
{
}

static void
route_cb(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
}

static const gchar xml[] = "<node><interface name='org.example.Test'>"
			   "<method name='A'/><method name='B'/></interface></node>";

static void
test_plugin_names(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *long_name = g_strnfill(TENDER_PLUGIN_NAME_MAX + 1, 'a');

	g_assert_true(tender_plugin_list_check_name("plugin", "exec", NULL));
	g_assert_true(tender_plugin_list_check_name("plugin", "my-plugin_2", NULL));
	g_assert_false(tender_plugin_list_check_name("plugin", "", NULL));
	g_assert_false(tender_plugin_list_check_name("plugin", NULL, NULL));
	g_assert_false(tender_plugin_list_check_name("plugin", "-x", NULL));
	g_assert_false(tender_plugin_list_check_name("plugin", "Upper", NULL));
	g_assert_false(tender_plugin_list_check_name("plugin", "a/b", NULL));
	g_assert_false(tender_plugin_list_check_name("adapter", long_name, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "Invalid adapter name"));
}

static void
test_plugin_dbus_objects(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	const TenderPluginMethodAction all[] = {{"A", "org.example.a"},
						{"B", "org.example.b"},
						{NULL, NULL}};
	const TenderPluginMethodAction missing[] = {{"A", "org.example.a"}, {NULL, NULL}};
	const TenderPluginMethodAction unknown[] = {{"A", "org.example.a"},
						    {"B", "org.example.b"},
						    {"C", "org.example.c"},
						    {NULL, NULL}};
	const gchar *bad_subpaths[] = {"/a", "a/", "a//b", "a-b", "a b", NULL};

	/* every method needs a polkit action */
	g_assert_false(tender_plugin_add_dbus_object(plugin,
						     NULL,
						     xml,
						     missing,
						     method_cb,
						     NULL,
						     NULL,
						     &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "org.example.Test.B has no polkit action"));
	g_clear_error(&error);
	g_assert_false(tender_plugin_add_dbus_object(plugin,
						     NULL,
						     xml,
						     unknown,
						     method_cb,
						     NULL,
						     NULL,
						     &error));
	g_assert_nonnull(strstr(error->message, "has no method C"));
	g_clear_error(&error);
	/* no properties, one interface, valid XML */
	g_assert_false(
	    tender_plugin_add_dbus_object(plugin,
					  NULL,
					  "<node><interface name='org.example.P'><property "
					  "name='X' type='s' access='read'/>"
					  "</interface></node>",
					  NULL,
					  method_cb,
					  NULL,
					  NULL,
					  &error));
	g_assert_nonnull(strstr(error->message, "has properties"));
	g_clear_error(&error);
	g_assert_false(tender_plugin_add_dbus_object(plugin,
						     NULL,
						     "<node><interface name='a.B'/><interface "
						     "name='a.C'/></node>",
						     NULL,
						     method_cb,
						     NULL,
						     NULL,
						     &error));
	g_assert_nonnull(strstr(error->message, "exactly one interface"));
	g_clear_error(&error);
	g_assert_false(tender_plugin_add_dbus_object(plugin,
						     NULL,
						     "<node",
						     NULL,
						     method_cb,
						     NULL,
						     NULL,
						     &error));
	g_assert_nonnull(strstr(error->message, "Invalid introspection XML"));
	g_clear_error(&error);
	for (guint i = 0; bad_subpaths[i] != NULL; i++) {
		g_assert_false(tender_plugin_add_dbus_object(plugin,
							     bad_subpaths[i],
							     xml,
							     all,
							     method_cb,
							     NULL,
							     NULL,
							     &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_assert_cmpuint(tender_plugin_get_dbus_objects(plugin)->len, ==, 0);

	/* a good one, once per subpath, at an escaped path */
	g_assert_true(
	    tender_plugin_add_dbus_object(plugin, NULL, xml, all, method_cb, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(tender_plugin_add_dbus_object(plugin,
						    "sessions/s_1",
						    xml,
						    all,
						    method_cb,
						    NULL,
						    NULL,
						    &error));
	g_assert_false(
	    tender_plugin_add_dbus_object(plugin, "", xml, all, method_cb, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	path = tender_plugin_get_object_path(plugin, "sessions/s_1");
	g_assert_cmpstr(path, ==, "/org/tender/Agent1/plugin/my_2dplugin/sessions/s_1");
	/* no bus yet: a signal cannot go out */
	g_assert_false(
	    tender_plugin_emit_dbus_signal(plugin, NULL, "org.example.Test", "S", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_true(tender_plugin_remove_dbus_object(plugin, "sessions/s_1", &error));
	g_assert_false(tender_plugin_remove_dbus_object(plugin, "sessions/s_1", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_cmpuint(tender_plugin_get_dbus_objects(plugin)->len, ==, 1);
}

static void
test_plugin_routes(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config);
	g_autoptr(GError) error = NULL;
	const gchar *bad_paths[] = {"", "/abs", "a//b", "a/../b", "./a", "a b", "a/?", NULL};

	for (guint i = 0; bad_paths[i] != NULL; i++) {
		g_assert_false(tender_plugin_add_http_route(plugin,
							    "GET",
							    bad_paths[i],
							    NULL,
							    route_cb,
							    NULL,
							    NULL,
							    &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_assert_false(
	    tender_plugin_add_http_route(plugin, "PATCH", "a", NULL, route_cb, NULL, NULL, &error));
	g_assert_nonnull(strstr(error->message, "Invalid HTTP method"));
	g_clear_error(&error);
	g_assert_true(tender_plugin_add_http_route(plugin,
						   "GET",
						   "sessions/*/files",
						   "org.example.read",
						   route_cb,
						   NULL,
						   NULL,
						   &error));
	g_assert_false(tender_plugin_add_http_route(plugin,
						    "GET",
						    "sessions/*/files",
						    NULL,
						    route_cb,
						    NULL,
						    NULL,
						    &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	/* at most TENDER_PLUGIN_ROUTES_MAX */
	for (guint i = 1; i < TENDER_PLUGIN_ROUTES_MAX; i++) {
		g_autofree gchar *p = g_strdup_printf("r%u", i);
		g_assert_true(tender_plugin_add_http_route(plugin,
							   "POST",
							   p,
							   NULL,
							   route_cb,
							   NULL,
							   NULL,
							   &error));
	}
	g_assert_false(tender_plugin_add_http_route(plugin,
						    "POST",
						    "one-more",
						    NULL,
						    route_cb,
						    NULL,
						    NULL,
						    &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpuint(tender_plugin_get_routes(plugin)->len, ==, TENDER_PLUGIN_ROUTES_MAX);
}

static const gchar service_xml[] = "<node><interface name='org.example.Service'>"
				   "<method name='Add'>"
				   "<arg name='a' type='u' direction='in'/>"
				   "<arg name='b' type='u' direction='in'/>"
				   "<arg name='sum' type='u' direction='out'/>"
				   "</method>"
				   "<method name='Fail'/>"
				   "</interface></node>";

/* Add answers a+b, or a string when a is 13 (the wrong type); Fail fails with a GIO error */
static void
service_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	guint32 a = 0;
	guint32 b = 0;

	g_assert_cmpstr(tender_call_get_subpath(call), ==, "calc");
	g_assert_cmpuint(tender_caller_get_uid(tender_call_get_caller(call)), ==, 42);
	if (g_strcmp0(tender_call_get_method(call), "Fail") == 0) {
		g_autoptr(GError) error =
		    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such thing");
		tender_call_return_error(call, error);
		return;
	}
	g_variant_get(tender_call_get_parameters(call), "(uu)", &a, &b);
	if (a == 13) {
		tender_call_return_value(call, g_variant_new("(s)", "thirteen"));
		return;
	}
	tender_call_return_value(call, g_variant_new("(u)", a + b));
}

typedef struct {
	GVariant *value;
	GError *error;
} ServiceReply;

static void
service_reply_cb(GVariant *value, const GError *error, gpointer user_data)
{
	ServiceReply *reply = user_data;
	g_assert_null(reply->value);
	g_assert_null(reply->error);
	reply->value = value != NULL ? g_variant_ref(value) : NULL;
	reply->error = error != NULL ? g_error_copy(error) : NULL;
}

static void
service_reply_clear(ServiceReply *reply)
{
	g_clear_pointer(&reply->value, g_variant_unref);
	g_clear_error(&reply->error);
}

static void
test_plugin_services(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config);
	g_autoptr(TenderAuthoritySubject) caller = tender_authority_subject_new_uid(42);
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) details = NULL;
	g_autoptr(TenderRequest) request = NULL;
	ServiceReply reply = {NULL};
	TenderService *service;
	const TenderPluginServiceMethod all[] = {{"Add", "org.tender.example.add", service_cb},
						 {"Fail", "org.tender.example.fail", service_cb},
						 {NULL, NULL, NULL}};
	const TenderPluginServiceMethod missing[] = {{"Add", "org.tender.x", service_cb},
						     {NULL, NULL, NULL}};
	const TenderPluginServiceMethod unknown[] = {{"Add", "org.tender.x", service_cb},
						     {"Fail", "org.tender.x", service_cb},
						     {"Other", "org.tender.x", service_cb},
						     {NULL, NULL, NULL}};
	const TenderPluginServiceMethod no_handler[] = {{"Add", "org.tender.x", service_cb},
							{"Fail", "org.tender.x", NULL},
							{NULL, NULL, NULL}};
	const TenderPluginServiceMethod twice[] = {{"Add", "org.tender.x", service_cb},
						   {"Fail", "org.tender.x", service_cb},
						   {"Add", "org.tender.x", service_cb},
						   {NULL, NULL, NULL}};
	const gchar *bad_actions[] = {"org.example.add", "org.tender.", "org.tender.A", "", NULL};
	struct {
		const TenderPluginServiceMethod *methods;
		const gchar *xml;
		const gchar *message;
	} refused[] = {
	    {missing, service_xml, "Fail is not in the method table"},
	    {unknown, service_xml, "has no method Other"},
	    {no_handler, service_xml, "Method Fail has no handler"},
	    {twice, service_xml, "Method Add is in the table twice"},
	    {all, "<node", "Invalid introspection XML"},
	    {all, "<node><interface name='a.B'/><interface name='a.C'/></node>", "exactly one"},
	    {missing,
	     "<node><interface name='a.B'><method name='Add'><arg type='s' direction='in'/>"
	     "</method></interface></node>",
	     "in-arg 0 has no name"},
	    {missing,
	     "<node><interface name='a.B'><method name='Add'><arg name='x' type='s' "
	     "direction='out'/><arg name='x' type='u' "
	     "direction='out'/></method></interface></node>",
	     "two out-args are named x"},
	};

	/* the XML and the table agree, every action is org.tender.*, every arg has a name */
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_assert_false(tender_plugin_add_service(plugin,
							 "calc",
							 refused[i].xml,
							 refused[i].methods,
							 NULL,
							 NULL,
							 &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, refused[i].message));
		g_clear_error(&error);
	}
	for (guint i = 0; bad_actions[i] != NULL; i++) {
		const TenderPluginServiceMethod bad[] = {{"Add", "org.tender.x", service_cb},
							 {"Fail", bad_actions[i], service_cb},
							 {NULL, NULL, NULL}};
		g_assert_false(tender_plugin_add_service(plugin,
							 "calc",
							 service_xml,
							 bad,
							 NULL,
							 NULL,
							 &error));
		g_assert_nonnull(strstr(error->message, "is not a polkit action of tender"));
		g_clear_error(&error);
	}
	g_assert_false(
	    tender_plugin_add_service(plugin, "a//b", service_xml, all, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_cmpuint(tender_plugin_get_services(plugin)->len, ==, 0);

	/* once per subpath, and not where a raw object is */
	g_assert_true(
	    tender_plugin_add_service(plugin, "calc", service_xml, all, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(
	    tender_plugin_add_service(plugin, "calc", service_xml, all, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	g_assert_false(tender_plugin_add_dbus_object(plugin,
						     "calc",
						     xml,
						     NULL,
						     method_cb,
						     NULL,
						     NULL,
						     &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	service = tender_plugin_lookup_service(plugin, "calc");
	g_assert_nonnull(service);
	g_assert_cmpstr(tender_service_get_object_path(service),
			==,
			"/org/tender/Agent1/plugin/my_2dplugin/calc");
	g_assert_cmpstr(tender_service_get_action(service, "Add"), ==, "org.tender.example.add");
	g_assert_null(tender_service_get_action(service, "Other"));
	request = tender_request_new(caller, FALSE);
	tender_service_prepare_request(service, request, "Add");
	g_assert_cmpstr(tender_request_get_action(request), ==, "org.tender.example.add");
	details = tender_request_get_details(request, NULL);
	g_assert_cmpstr(g_hash_table_lookup(details, "plugin"), ==, "my-plugin");
	g_assert_cmpstr(g_hash_table_lookup(details, "method"), ==, "Add");
	g_assert_cmpstr(g_hash_table_lookup(details, "object_path"),
			==,
			"/org/tender/Agent1/plugin/my_2dplugin/calc");

	/* a call, its value checked against the out-signature */
	tender_service_call(service,
			    caller,
			    "Add",
			    g_variant_new("(uu)", 2, 3),
			    NULL,
			    service_reply_cb,
			    &reply);
	g_assert_no_error(reply.error);
	g_assert_cmpstr(g_variant_get_type_string(reply.value), ==, "(u)");
	{
		g_autoptr(GVariant) sum = g_variant_get_child_value(reply.value, 0);
		g_assert_cmpuint(g_variant_get_uint32(sum), ==, 5);
	}
	service_reply_clear(&reply);
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*Add returned a (s), not the (u)*");
	tender_service_call(service,
			    caller,
			    "Add",
			    g_variant_new("(uu)", 13, 0),
			    NULL,
			    service_reply_cb,
			    &reply);
	g_test_assert_expected_messages();
	g_assert_null(reply.value);
	g_assert_error(reply.error, TENDER_ERROR, TENDER_ERROR_FAILED);
	service_reply_clear(&reply);
	/* errors of other domains map onto TENDER_ERROR, as the engine's do */
	tender_service_call(service,
			    caller,
			    "Fail",
			    g_variant_new("()"),
			    NULL,
			    service_reply_cb,
			    &reply);
	g_assert_error(reply.error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_cmpstr(reply.error->message, ==, "no such thing");
	service_reply_clear(&reply);

	g_assert_true(tender_plugin_remove_service(plugin, "calc", &error));
	g_assert_false(tender_plugin_remove_service(plugin, "calc", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
}

/* a probed plugin: it registers a service and watches a name, and defers probe_defers times */
static guint probe_defers = 0;
static guint probe_calls = 0;
static TenderPluginProbeResult probe_final = TENDER_PLUGIN_PROBE_RESULT_SUCCESS;

static TenderPluginProbeResult
probe_cb(TenderPlugin *plugin, GError **error)
{
	const TenderPluginServiceMethod methods[] = {{"Add", "org.tender.x", service_cb},
						     {"Fail", "org.tender.x", service_cb},
						     {NULL, NULL, NULL}};

	probe_calls++;
	g_assert_true(
	    tender_plugin_add_service(plugin, "calc", service_xml, methods, NULL, NULL, error));
	tender_plugin_watch_name(plugin, "org.example.Needed");
	if (probe_defers > 0) {
		probe_defers--;
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "the service is not up");
		return TENDER_PLUGIN_PROBE_RESULT_DEFER;
	}
	if (probe_final == TENDER_PLUGIN_PROBE_RESULT_FAIL)
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_FAILED, "no license");
	return probe_final;
}

static TenderPlugin *
new_probed_plugin(TenderConfig *config)
{
	static const TenderPluginDescriptor descriptor = {.abi_version = TENDER_PLUGIN_ABI_VERSION,
							  .struct_size =
							      sizeof(TenderPluginDescriptor),
							  .name = "probed",
							  .probe = probe_cb};
	TenderPlugin *plugin = tender_plugin_new("/nowhere/probed.so", NULL, config, NULL);

	tender_plugin_set_descriptor(plugin, NULL, &descriptor);
	return plugin;
}

/* a client of the test bus */
static GDBusConnection *
bus_connect(GTestDBus *bus)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = g_dbus_connection_new_for_address_sync(
	    g_test_dbus_get_bus_address(bus),
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL,
	    NULL,
	    &error);
	g_assert_no_error(error);
	return connection;
}

static void
count_cb(TenderPlugin *plugin, gpointer object, gpointer user_data)
{
	(*(guint *)user_data)++;
}

static gboolean
wait_timeout_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs the main loop until @plugin is active or @ms have passed */
static void
wait_active(TenderPlugin *plugin, guint ms)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add(ms, wait_timeout_cb, &timed_out);

	while (!timed_out && tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_ACTIVE)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(id);
}

static void
test_plugin_probe(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = NULL;
	g_autoptr(GTestDBus) bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GDBusConnection) other = NULL;
	g_autofree gchar *status = NULL;
	g_autofree gchar *state_dir = NULL;
	g_autofree gchar *plugins_dir = NULL;
	g_autofree gchar *probed_dir = NULL;
	guint added = 0;
	guint owner_id;
	gint64 appeared;

	state_dir = g_build_filename(g_test_get_dir(G_TEST_BUILT), "test-plugin-XXXXXX", NULL);
	g_assert_nonnull(g_mkdtemp(state_dir));
	g_free(config->state_dir);
	config->state_dir = g_strdup(state_dir);

	/* a deferred probe: nothing of it is kept, the plugin says why it waits */
	plugin = new_probed_plugin(config);
	g_signal_connect(plugin, "service-added", G_CALLBACK(count_cb), &added);
	probe_calls = 0;
	probe_defers = 2;
	tender_plugin_start(plugin);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_DEFERRED);
	status = tender_plugin_get_status_string(plugin);
	g_assert_cmpstr(status, ==, "deferred: the service is not up");
	g_assert_cmpuint(tender_plugin_get_services(plugin)->len, ==, 0);
	g_assert_cmpuint(added, ==, 0);

	/* probed again when the name it watches appears, well before its timer */
	g_test_dbus_up(bus);
	connection = bus_connect(bus);
	other = bus_connect(bus);
	tender_plugin_set_connection(plugin, connection);
	appeared = g_get_monotonic_time();
	owner_id = g_bus_own_name_on_connection(other,
						"org.example.Needed",
						G_BUS_NAME_OWNER_FLAGS_NONE,
						NULL,
						NULL,
						NULL,
						NULL);
	while (probe_calls < 2)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpint(g_get_monotonic_time() - appeared, <, 500 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_DEFERRED);

	/* and on its backoff timer, 2 s after that second probe: the third succeeds */
	wait_active(plugin, 3000);
	g_assert_cmpuint(probe_calls, ==, 3);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_ACTIVE);
	g_assert_true(tender_plugin_get_initialized(plugin));
	/* what the successful probe registered is announced once, now */
	g_assert_cmpuint(tender_plugin_get_services(plugin)->len, ==, 1);
	g_assert_cmpuint(added, ==, 1);
	g_bus_unown_name(owner_id);
	tender_plugin_set_connection(plugin, NULL);
	g_clear_object(&plugin);

	/* a probe that fails is final */
	plugin = new_probed_plugin(config);
	probe_calls = 0;
	probe_defers = 0;
	probe_final = TENDER_PLUGIN_PROBE_RESULT_FAIL;
	tender_plugin_start(plugin);
	g_clear_pointer(&status, g_free);
	status = tender_plugin_get_status_string(plugin);
	g_assert_cmpstr(status, ==, "failed: its probe failed: no license");
	g_assert_cmpuint(tender_plugin_get_services(plugin)->len, ==, 0);
	probe_final = TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
	g_clear_object(&plugin);

	g_clear_object(&connection);
	g_clear_object(&other);
	g_test_dbus_down(bus);
	plugins_dir = g_build_filename(state_dir, "plugins", NULL);
	probed_dir = g_build_filename(plugins_dir, "probed", NULL);
	g_assert_cmpint(g_rmdir(probed_dir), ==, 0);
	g_assert_cmpint(g_rmdir(plugins_dir), ==, 0);
	g_assert_cmpint(g_rmdir(state_dir), ==, 0);
}

/* a plugin that learns by itself when what it waits for has come: it defers
 * asking_defers times, and asks for the next probe from within its probe if asking_within */
static guint asking_defers = 0;
static guint asking_calls = 0;
static gboolean asking_within = FALSE;

static TenderPluginProbeResult
asking_probe_cb(TenderPlugin *plugin, GError **error)
{
	asking_calls++;
	if (asking_defers == 0)
		return TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
	asking_defers--;
	if (asking_within)
		tender_plugin_request_probe(plugin);
	g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED, "not there yet");
	return TENDER_PLUGIN_PROBE_RESULT_DEFER;
}

/* runs the main loop until the plugin was probed @calls times, or for @ms; returns how long
 * that took, in ms */
static gint64
wait_probed(guint calls, guint ms)
{
	gint64 begun = g_get_monotonic_time();
	gboolean timed_out = FALSE;
	guint id = g_timeout_add(ms, wait_timeout_cb, &timed_out);

	while (!timed_out && asking_calls < calls)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(id);
	return (g_get_monotonic_time() - begun) / 1000;
}

/* tender_plugin_request_probe(): a deferred plugin is probed on the next iteration of the
 * main loop, well before its 1 s backoff; asked from within the probe, the next probe comes at
 * once; an active plugin is not probed again */
static void
test_plugin_request_probe(void)
{
	static const TenderPluginDescriptor descriptor = {.abi_version = TENDER_PLUGIN_ABI_VERSION,
							  .struct_size =
							      sizeof(TenderPluginDescriptor),
							  .name = "asking",
							  .probe = asking_probe_cb};
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = NULL;
	g_autofree gchar *state_dir = NULL;
	g_autofree gchar *plugins_dir = NULL;
	g_autofree gchar *asking_dir = NULL;

	state_dir = g_build_filename(g_test_get_dir(G_TEST_BUILT), "test-plugin-XXXXXX", NULL);
	g_assert_nonnull(g_mkdtemp(state_dir));
	g_free(config->state_dir);
	config->state_dir = g_strdup(state_dir);
	plugin = tender_plugin_new("/nowhere/asking.so", NULL, config, NULL);
	tender_plugin_set_descriptor(plugin, NULL, &descriptor);

	/* deferred; nothing is probed before its backoff but for the request */
	asking_calls = 0;
	asking_defers = 2;
	asking_within = FALSE;
	tender_plugin_start(plugin);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_DEFERRED);
	g_assert_cmpint(wait_probed(2, 300), >=, 300);
	g_assert_cmpuint(asking_calls, ==, 1);
	tender_plugin_request_probe(plugin);
	g_assert_cmpint(wait_probed(2, 2000), <, 500);
	g_assert_cmpuint(asking_calls, ==, 2);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_DEFERRED);

	/* asked from within the probe that defers: the next comes at once, and succeeds */
	asking_defers = 1;
	asking_within = TRUE;
	tender_plugin_request_probe(plugin);
	g_assert_cmpint(wait_probed(4, 2000), <, 500);
	g_assert_cmpuint(asking_calls, ==, 4);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_ACTIVE);

	/* active: a request probes nothing */
	tender_plugin_request_probe(plugin);
	g_assert_cmpint(wait_probed(5, 300), >=, 300);
	g_assert_cmpuint(asking_calls, ==, 4);
	g_clear_object(&plugin);

	plugins_dir = g_build_filename(state_dir, "plugins", NULL);
	asking_dir = g_build_filename(plugins_dir, "asking", NULL);
	g_assert_cmpint(g_rmdir(asking_dir), ==, 0);
	g_assert_cmpint(g_rmdir(plugins_dir), ==, 0);
	g_assert_cmpint(g_rmdir(state_dir), ==, 0);
}

static void
adapter_start(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
}

static void
test_plugin_adapters(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config);
	g_autoptr(GError) error = NULL;
	static const TenderAdapterVTable good = {"app",
						 sizeof(TenderAdapterVTable),
						 NULL,
						 adapter_start};
	static const TenderAdapterVTable no_start = {"other", sizeof(TenderAdapterVTable)};
	static const TenderAdapterVTable bad_name = {"Bad Name",
						     sizeof(TenderAdapterVTable),
						     NULL,
						     adapter_start};
	static const TenderAdapterVTable small = {"small", 8, NULL, adapter_start};

	g_assert_true(tender_plugin_register_adapter(plugin, &good, &error));
	g_assert_no_error(error);
	g_assert_false(tender_plugin_register_adapter(plugin, &good, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_adapter(plugin, &no_start, &error));
	g_assert_nonnull(strstr(error->message, "no start function"));
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_adapter(plugin, &bad_name, &error));
	g_assert_nonnull(strstr(error->message, "Invalid adapter name"));
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_adapter(plugin, &small, &error));
	g_assert_nonnull(strstr(error->message, "older or broken header"));
	g_assert_cmpuint(tender_plugin_get_adapters(plugin)->len, ==, 1);
}

static void
test_plugin_config(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *greeting = NULL;
	g_autofree gchar *fallback = NULL;
	guint64 value = 0;

	g_assert_true(g_key_file_load_from_data(config->keyfile,
						"[plugin my-plugin]\ngreeting= Howdy \n"
						"verbose=true\nbad=maybe\nn=42\nbig=1000\n",
						-1,
						G_KEY_FILE_NONE,
						NULL));
	plugin = new_plugin(config);
	greeting = tender_plugin_get_config_string(plugin, "greeting", "Hello");
	g_assert_cmpstr(greeting, ==, "Howdy");
	fallback = tender_plugin_get_config_string(plugin, "none", "Hello");
	g_assert_cmpstr(fallback, ==, "Hello");
	g_assert_true(tender_plugin_get_config_boolean(plugin, "verbose", FALSE, &error));
	g_assert_true(tender_plugin_get_config_boolean(plugin, "none", TRUE, &error));
	g_assert_no_error(error);
	g_assert_false(tender_plugin_get_config_boolean(plugin, "bad", TRUE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "[plugin my-plugin] bad=maybe"));
	g_clear_error(&error);
	g_assert_true(tender_plugin_get_config_uint64(plugin, "n", 1, 100, &value, &error));
	g_assert_cmpuint(value, ==, 42);
	g_assert_true(tender_plugin_get_config_uint64(plugin, "none", 7, 100, &value, &error));
	g_assert_cmpuint(value, ==, 7);
	g_assert_false(tender_plugin_get_config_uint64(plugin, "big", 1, 100, &value, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/plugin/names", test_plugin_names);
	g_test_add_func("/plugin/dbus-objects", test_plugin_dbus_objects);
	g_test_add_func("/plugin/routes", test_plugin_routes);
	g_test_add_func("/plugin/services", test_plugin_services);
	g_test_add_func("/plugin/probe", test_plugin_probe);
	g_test_add_func("/plugin/request-probe", test_plugin_request_probe);
	g_test_add_func("/plugin/adapters", test_plugin_adapters);
	g_test_add_func("/plugin/config", test_plugin_config);
	return g_test_run();
}
