/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin's feature service and route aliases: where they are, and what the plugin API
 * refuses (the core's names and paths, a second feature service, patterns that are wrong or
 * overlap), checked without loading anything.
 */
#include "config.h"

#include "tender-error.h"
#include "tender-http-alias.h"
#include "tender-http-router.h"
#include "tender-image.h"
#include "tender-plugin-feature.h"
#include "tender-util.h"

static void
descriptor_free(gpointer data)
{
	TenderPluginDescriptor *descriptor = data;
	g_free((gchar *)descriptor->name);
	g_free(descriptor);
}

/* a plugin called @name, not loaded */
static TenderPlugin *
new_plugin(TenderConfig *config, const gchar *name)
{
	TenderPluginDescriptor *descriptor = g_new0(TenderPluginDescriptor, 1);
	g_autofree gchar *filename = g_strdup_printf("/nowhere/%s.so", name);
	TenderPlugin *plugin = tender_plugin_new(filename, NULL, config, NULL);

	descriptor->abi_version = TENDER_PLUGIN_ABI_VERSION;
	descriptor->struct_size = sizeof(TenderPluginDescriptor);
	descriptor->name = g_strdup(name);
	tender_plugin_set_descriptor(plugin, NULL, descriptor);
	g_object_set_data_full(G_OBJECT(plugin), "descriptor", descriptor, descriptor_free);
	return plugin;
}

static const gchar feature_xml[] = "<node><interface name='org.example.Feature'>"
				   "<method name='Greet'>"
				   "<arg name='name' type='s' direction='in'/>"
				   "<arg name='text' type='s' direction='out'/>"
				   "</method>"
				   "<method name='Lookup'>"
				   "<arg name='params' type='a{ss}' direction='in'/>"
				   "<arg name='body' type='s' direction='in'/>"
				   "<arg name='status' type='u' direction='out'/>"
				   "<arg name='answer' type='s' direction='out'/>"
				   "</method>"
				   "<method name='NoBody'>"
				   "<arg name='params' type='a{ss}' direction='in'/>"
				   "<arg name='status' type='u' direction='out'/>"
				   "<arg name='answer' type='s' direction='out'/>"
				   "</method>"
				   "<method name='NoStatus'>"
				   "<arg name='params' type='a{ss}' direction='in'/>"
				   "<arg name='body' type='s' direction='in'/>"
				   "<arg name='answer' type='s' direction='out'/>"
				   "</method>"
				   "<method name='Blob'>"
				   "<arg name='params' type='a{ss}' direction='in'/>"
				   "<arg name='body' type='ay' direction='in'/>"
				   "<arg name='status' type='u' direction='out'/>"
				   "<arg name='type' type='s' direction='out'/>"
				   "<arg name='answer' type='ay' direction='out'/>"
				   "</method>"
				   "<signal name='Greeted'>"
				   "<arg name='name' type='s'/>"
				   "</signal>"
				   "</interface></node>";

/* Greet answers "hello, NAME" and checks that the call is the feature service's */
static void
feature_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	const gchar *name = NULL;
	g_autofree gchar *text = NULL;

	g_assert_cmpstr(tender_call_get_subpath(call), ==, "");
	g_assert_cmpstr(tender_call_get_method(call), ==, "Greet");
	g_variant_get(tender_call_get_parameters(call), "(&s)", &name);
	text = g_strdup_printf("hello, %s", name);
	tender_call_return_value(call, g_variant_new("(s)", text));
}

static const TenderPluginServiceMethod feature_methods[] = {
    {"Greet", "org.tender.example.read", feature_cb},
    {"Lookup", "org.tender.example.read", feature_cb},
    {"NoBody", "org.tender.example.read", feature_cb},
    {"NoStatus", "org.tender.example.read", feature_cb},
    {"Blob", "org.tender.example.read", feature_cb},
    {NULL, NULL, NULL},
};

static gboolean
add_feature(TenderPlugin *plugin, GError **error)
{
	return tender_plugin_add_feature_service(plugin,
						 feature_xml,
						 feature_methods,
						 NULL,
						 NULL,
						 error);
}

static void
reply_cb(GVariant *value, const GError *error, gpointer user_data)
{
	g_assert_no_error(error);
	*(GVariant **)user_data = g_variant_ref(value);
}

static void
count_cb(TenderPlugin *plugin, gpointer object, gpointer user_data)
{
	(*(guint *)user_data)++;
}

static void
test_feature_service(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "my-plugin");
	g_autoptr(TenderAuthoritySubject) caller = tender_authority_subject_new_uid(42);
	g_autoptr(TenderRequest) request = tender_request_new(caller, FALSE);
	g_autoptr(GHashTable) details = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	TenderService *service;
	guint removed = 0;
	const gchar *reserved[] = {"workloads",
				   "workload",
				   "images",
				   "image",
				   "plugins",
				   "plugin",
				   "adapters",
				   "adapter",
				   "events",
				   "metrics",
				   "health",
				   "version",
				   NULL};

	/* the core's names are not a plugin's */
	for (guint i = 0; reserved[i] != NULL; i++) {
		g_autoptr(TenderPlugin) other = new_plugin(config, reserved[i]);
		g_assert_false(add_feature(other, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "The core uses the name"));
		g_clear_error(&error);
		g_assert_cmpuint(tender_plugin_get_services(other)->len, ==, 0);
	}
	/* the declaration is checked as any service's */
	g_assert_false(tender_plugin_add_feature_service(plugin,
							 "<node",
							 feature_methods,
							 NULL,
							 NULL,
							 &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(tender_plugin_add_feature_service(plugin,
							 feature_xml,
							 feature_methods + 1,
							 NULL,
							 NULL,
							 &error));
	g_assert_nonnull(strstr(error->message, "Greet is not in the method table"));
	g_clear_error(&error);
	g_assert_null(tender_plugin_get_feature_service(plugin));

	/* no signal without the service */
	g_assert_false(tender_plugin_emit_feature_signal(plugin,
							 "Greeted",
							 g_variant_new("(s)", "x"),
							 &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* one, at /org/tender/Agent1/NAME (escaped), and no second */
	g_assert_true(add_feature(plugin, &error));
	g_assert_no_error(error);
	g_assert_false(add_feature(plugin, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	service = tender_plugin_get_feature_service(plugin);
	g_assert_nonnull(service);
	g_assert_true(tender_service_is_feature(service));
	g_assert_cmpstr(tender_service_get_object_path(service),
			==,
			"/org/tender/Agent1/my_2dplugin");
	g_assert_cmpstr(tender_service_get_owner(service), ==, "my-plugin");

	/* its signals: those of its interface, with their args; sent once tenderd is on a bus */
	g_assert_false(tender_plugin_emit_feature_signal(plugin,
							 "Nothing",
							 g_variant_new("(s)", "x"),
							 &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(
	    tender_plugin_emit_feature_signal(plugin, "Greeted", g_variant_new("(u)", 1), &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Signal Greeted takes (s)");
	g_clear_error(&error);
	g_assert_false(tender_plugin_emit_feature_signal(plugin, "Greeted", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(tender_plugin_emit_feature_signal(plugin,
							 "Greeted",
							 g_variant_new("(s)", "x"),
							 &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	/* it is no service below /org/tender/Agent1/plugin/NAME; the plugin's own object is free */
	g_assert_null(tender_plugin_lookup_service(plugin, ""));
	g_assert_false(tender_plugin_remove_service(plugin, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_true(tender_plugin_add_service(plugin,
						NULL,
						feature_xml,
						feature_methods,
						NULL,
						NULL,
						&error));
	g_assert_cmpstr(tender_service_get_object_path(tender_plugin_lookup_service(plugin, "")),
			==,
			"/org/tender/Agent1/plugin/my_2dplugin");
	g_assert_true(tender_plugin_remove_service(plugin, NULL, &error));
	g_assert_true(tender_plugin_get_feature_service(plugin) == service);

	/* authorized and called as any service: polkit rules see where it is */
	tender_service_prepare_request(service, request, "Greet");
	g_assert_cmpstr(tender_request_get_action(request), ==, "org.tender.example.read");
	details = tender_request_get_details(request, NULL);
	g_assert_cmpstr(g_hash_table_lookup(details, "plugin"), ==, "my-plugin");
	g_assert_cmpstr(g_hash_table_lookup(details, "method"), ==, "Greet");
	g_assert_cmpstr(g_hash_table_lookup(details, "object_path"),
			==,
			"/org/tender/Agent1/my_2dplugin");
	tender_service_call(service,
			    caller,
			    "Greet",
			    g_variant_new("(s)", "bob"),
			    NULL,
			    reply_cb,
			    &reply);
	g_assert_cmpstr(g_variant_get_type_string(reply), ==, "(s)");
	{
		g_autoptr(GVariant) text = g_variant_get_child_value(reply, 0);
		g_assert_cmpstr(g_variant_get_string(text, NULL), ==, "hello, bob");
	}

	/* it goes with the plugin's other registrations */
	g_signal_connect(plugin, "service-removed", G_CALLBACK(count_cb), &removed);
	tender_plugin_clear_registrations(plugin);
	g_assert_null(tender_plugin_get_feature_service(plugin));
	g_assert_cmpuint(removed, ==, 1);
	g_assert_true(add_feature(plugin, &error));
}

/* the names the core uses below /org/tender/Agent1 and /v1 are all refused */
static void
test_feature_core_names(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "x");
	g_autofree gchar *workload = tender_util_object_path_for_name("x");
	g_autofree gchar *plugin_path = tender_plugin_get_object_path(plugin, NULL);
	const gchar *paths[] = {workload, plugin_path, TENDER_IMAGE_PATH_PREFIX "x", NULL};
	const gchar *pattern;

	for (guint i = 0; paths[i] != NULL; i++) {
		g_auto(GStrv) segments =
		    g_strsplit(paths[i] + strlen("/org/tender/Agent1/"), "/", 2);
		g_test_message("%s", paths[i]);
		g_assert_false(tender_plugin_check_feature_name(segments[0], NULL));
	}
	for (guint i = 0; (pattern = tender_http_router_get_core_pattern(i)) != NULL; i++) {
		g_auto(GStrv) segments = g_strsplit(pattern + 1, "/", 3);
		g_test_message("%s", pattern);
		if (g_strcmp0(segments[0], "v1") == 0)
			g_assert_false(tender_plugin_check_feature_name(segments[1], NULL));
	}
	g_assert_true(tender_plugin_check_feature_name("docker", NULL));
	g_assert_true(tender_plugin_check_feature_name("sessions", NULL));
}

/* @verb @pattern calling @method, refused with @code and a message that says @message */
static void
assert_refused(TenderPlugin *plugin,
	       const gchar *verb,
	       const gchar *pattern,
	       const gchar *method,
	       guint flags,
	       gint code,
	       const gchar *message)
{
	g_autoptr(GError) error = NULL;
	guint before = tender_plugin_get_http_aliases(plugin)->len;
	const TenderPluginHttpAlias aliases[] = {
	    {.verb = verb, .pattern = pattern, .method = method, .flags = flags},
	    {.verb = NULL},
	};

	g_test_message("%s %s %s", verb, pattern, method);
	g_assert_false(tender_plugin_add_http_aliases(plugin, aliases, &error));
	g_assert_error(error, TENDER_ERROR, code);
	if (strstr(error->message, message) == NULL)
		g_error("'%s' does not say '%s'", error->message, message);
	g_assert_cmpuint(tender_plugin_get_http_aliases(plugin)->len, ==, before);
}

static void
assert_invalid(TenderPlugin *plugin, const gchar *pattern, const gchar *message)
{
	assert_refused(plugin, "GET", pattern, "Lookup", 0, TENDER_ERROR_INVALID_ARGUMENT, message);
}

static void
test_aliases_refused(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "my-plugin");
	g_autofree gchar *long_pattern = NULL;
	const struct {
		const gchar *pattern;
		const gchar *message;
	} patterns[] = {
	    {"", "give an absolute path"},
	    {"relative/x", "give an absolute path"},
	    {"/", "each segment is"},
	    {"/a/", "each segment is"},
	    {"/a//b", "each segment is"},
	    {"/a/./b", "each segment is"},
	    {"/a/../b", "each segment is"},
	    {"/a/b*c", "each segment is"},
	    {"/a/b?c=1", "each segment is"},
	    {"/a/{x", "each segment is"},
	    {"/a/{1x}", "each segment is"},
	    {"/a/{}", "each segment is"},
	    {"/a/x{y}", "each segment is"},
	    {"/{x}/b", "it starts with a {name}"},
	    {"/a/{x}/{x}", "a {name} comes twice"},
	    /* the core's paths, and other plugins' below /v1 */
	    {"/v1/workloads/{id}", "among the core's paths (/v1...)"},
	    {"/v1/other/tools", "among the core's paths (/v1...)"},
	    {"/v1", "among the core's paths (/v1...)"},
	    {"/v1/{name}", "among the core's paths (/v1...)"},
	    {"/api/start", "among the core's paths (/api...)"},
	    {"/metrics", "among the core's paths (/metrics...)"},
	    /* the feature service's own routes */
	    {"/v1/my-plugin/Lookup", "a path of an existing route, POST /v1/my-plugin/Lookup"},
	    {"/v1/my-plugin/{method}", "a path of an existing route, POST /v1/my-plugin/Greet"},
	};
	const TenderPluginHttpAlias none[] = {{.verb = NULL}};
	g_autoptr(GError) error = NULL;

	/* aliases call the feature service: without one there is nothing to call */
	g_assert_false(tender_plugin_add_http_aliases(plugin, none, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_true(add_feature(plugin, &error));

	for (guint i = 0; i < G_N_ELEMENTS(patterns); i++)
		assert_invalid(plugin, patterns[i].pattern, patterns[i].message);
	long_pattern = g_strnfill(TENDER_PLUGIN_HTTP_ALIAS_PATTERN_MAX + 1, 'a');
	long_pattern[0] = '/';
	assert_invalid(plugin, long_pattern, "at most 256 characters");
	assert_refused(plugin,
		       "HEAD",
		       "/a",
		       "Lookup",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "Invalid HTTP method 'HEAD'");
	assert_refused(plugin,
		       "get",
		       "/a",
		       "Lookup",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "Invalid HTTP method");
	assert_refused(plugin,
		       "GET",
		       "/a",
		       "Lookup",
		       1 << 3,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "flags");
	/* the method is the feature service's, of (a{ss} s) -> (u s) */
	assert_refused(plugin,
		       "GET",
		       "/a",
		       "Other",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "has no method Other");
	assert_refused(plugin,
		       "GET",
		       "/a",
		       NULL,
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "has no method");
	assert_refused(plugin,
		       "GET",
		       "/a",
		       "Greet",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "Method Greet takes (s) and answers (s)");
	assert_refused(plugin,
		       "GET",
		       "/a",
		       "NoBody",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "takes (a{ss})");
	assert_refused(plugin,
		       "GET",
		       "/a",
		       "NoStatus",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "answers (s)");
	/* bytes both ways: (a{ss} ay) -> (u s ay), with a body_max of at most 64 MiB */
	assert_refused(plugin,
		       "PUT",
		       "/a",
		       "Lookup",
		       TENDER_PLUGIN_HTTP_ALIAS_BYTES,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "an alias's method takes (a{ss}ay), its parameters and body, and answers "
		       "(usay)");
	assert_refused(plugin,
		       "PUT",
		       "/a",
		       "Blob",
		       0,
		       TENDER_ERROR_INVALID_ARGUMENT,
		       "Method Blob takes (a{ss}ay) and answers (usay)");
	{
		g_autoptr(GError) error_local = NULL;
		const TenderPluginHttpAlias big[] = {
		    {.verb = "PUT",
		     .pattern = "/a",
		     .method = "Blob",
		     .flags = TENDER_PLUGIN_HTTP_ALIAS_BYTES,
		     .body_max = TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX + 1},
		    {.verb = "PUT", .pattern = "/b", .method = "Lookup", .body_max = 10},
		    {.verb = NULL},
		};
		g_assert_false(tender_plugin_add_http_aliases(plugin, big, &error_local));
		g_assert_error(error_local, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error_local->message, "of at most 67108864"));
		g_clear_error(&error_local);
		g_assert_false(tender_plugin_add_http_aliases(plugin, big + 1, &error_local));
		g_assert_nonnull(strstr(error_local->message, "is for an alias of bytes"));
	}
	g_assert_cmpuint(tender_plugin_get_http_aliases(plugin)->len, ==, 0);
}

/* every path of the core, its routes' and its built-in aliases', is refused */
static void
test_aliases_core_paths(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "my-plugin");
	g_autoptr(GPtrArray) patterns = g_ptr_array_new();
	const gchar *pattern;

	g_assert_true(add_feature(plugin, NULL));
	for (guint i = 0; (pattern = tender_http_router_get_core_pattern(i)) != NULL; i++)
		g_ptr_array_add(patterns, (gpointer)pattern);
	for (guint i = 0; (pattern = tender_http_alias_get_builtin_pattern(i)) != NULL; i++)
		g_ptr_array_add(patterns, (gpointer)pattern);
	g_assert_cmpuint(patterns->len, >, 20);
	for (guint i = 0; i < patterns->len; i++) {
		g_auto(GStrv) segments = g_strsplit(g_ptr_array_index(patterns, i), "*", -1);
		g_autofree gchar *alias = g_strjoinv("{name}", segments);
		g_autofree gchar *message = NULL;

		message = g_strdup_printf("Alias pattern '%s' is among the core's paths", alias);
		assert_invalid(plugin, alias, message);
	}
}

static void
cache_free(gpointer data)
{
	(*(guint *)data)++;
}

static void
test_aliases(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "my-plugin");
	g_autoptr(GError) error = NULL;
	GPtrArray *aliases = tender_plugin_get_http_aliases(plugin);
	TenderPluginAlias *alias;
	guint cached = 0;
	const TenderPluginHttpAlias good[] = {
	    {.verb = "GET", .pattern = "/containers/tool/{id}", .method = "Lookup"},
	    /* the same path for another verb */
	    {.verb = "DELETE", .pattern = "/containers/tool/{id}", .method = "Lookup"},
	    {.verb = "GET", .pattern = "/containers/stats", .method = "Lookup"},
	    {.verb = "GET", .pattern = "/containers/stats/{container_id}", .method = "Lookup"},
	    {.verb = "POST",
	     .pattern = "/v1/my-plugin/tools/{id}/cancel",
	     .method = "Lookup",
	     .flags = TENDER_PLUGIN_HTTP_ALIAS_DETAIL},
	    /* the feature's own path, /v1/NAME itself: its routes /v1/NAME/METHOD stay */
	    {.verb = "GET", .pattern = "/v1/my-plugin", .method = "Lookup"},
	    {.verb = "POST", .pattern = "/v1/my-plugin", .method = "Lookup"},
	    {.verb = "PUT",
	     .pattern = "/v1/my-plugin/blobs/{id}",
	     .method = "Blob",
	     .flags = TENDER_PLUGIN_HTTP_ALIAS_BYTES,
	     .body_max = TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX},
	    {.verb = NULL},
	};
	const TenderPluginHttpAlias half_good[] = {
	    {.verb = "PUT", .pattern = "/a/{b}/c", .method = "Lookup"},
	    {.verb = "PUT", .pattern = "/a/{d}/c", .method = "Lookup"},
	    {.verb = NULL},
	};

	g_assert_true(add_feature(plugin, NULL));
	g_assert_true(tender_plugin_add_http_aliases(plugin, good, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(aliases->len, ==, 8);
	alias = g_ptr_array_index(aliases, 7);
	g_assert_cmpuint(alias->body_max, ==, 64 * 1024 * 1024);
	g_assert_cmpint(alias->flags, ==, TENDER_PLUGIN_HTTP_ALIAS_BYTES);
	alias = g_ptr_array_index(aliases, 6);
	g_assert_cmpstr(alias->route, ==, "/v1/my-plugin");
	g_assert_cmpstrv(alias->captures, ((const gchar *[]){NULL}));
	alias = g_ptr_array_index(aliases, 3);
	g_assert_cmpstr(alias->verb, ==, "GET");
	g_assert_cmpstr(alias->pattern, ==, "/containers/stats/{container_id}");
	g_assert_cmpstr(alias->route, ==, "/containers/stats/*");
	g_assert_cmpstrv(alias->captures, ((const gchar *[]){"container_id", NULL}));
	g_assert_cmpstr(alias->method, ==, "Lookup");
	alias = g_ptr_array_index(aliases, 4);
	g_assert_cmpstr(alias->route, ==, "/v1/my-plugin/tools/*/cancel");
	g_assert_cmpint(alias->flags, ==, TENDER_PLUGIN_HTTP_ALIAS_DETAIL);

	/* the HTTP mirror's form of them is made anew when they change */
	tender_plugin_set_http_alias_cache(plugin, &cached, cache_free);
	/* a verb and path once, whatever the {name}; the table whole or not at all */
	assert_refused(plugin,
		       "GET",
		       "/containers/tool/{tool}",
		       "Lookup",
		       0,
		       TENDER_ERROR_ALREADY_EXISTS,
		       "has an alias GET /containers/tool/{id} already");
	g_assert_false(tender_plugin_add_http_aliases(plugin, half_good, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_assert_nonnull(strstr(error->message, "PUT /a/{b}/c already"));
	g_clear_error(&error);
	g_assert_cmpuint(aliases->len, ==, 8);
	g_assert_cmpuint(cached, ==, 0);
	g_assert_true(tender_plugin_get_http_alias_cache(plugin) == &cached);

	/* at most TENDER_PLUGIN_HTTP_ALIASES_MAX */
	for (guint i = aliases->len; i < TENDER_PLUGIN_HTTP_ALIASES_MAX; i++) {
		g_autofree gchar *pattern = g_strdup_printf("/more/m%u", i);
		const TenderPluginHttpAlias more[] = {
		    {.verb = "GET", .pattern = pattern, .method = "Lookup"},
		    {.verb = NULL},
		};
		g_assert_true(tender_plugin_add_http_aliases(plugin, more, &error));
	}
	g_assert_cmpuint(cached, ==, 1);
	g_assert_null(tender_plugin_get_http_alias_cache(plugin));
	assert_refused(plugin,
		       "GET",
		       "/one/more",
		       "Lookup",
		       0,
		       TENDER_ERROR_LIMIT_REACHED,
		       "at most 64 aliases");

	/* they go with the plugin's other registrations */
	cached = 0;
	tender_plugin_set_http_alias_cache(plugin, &cached, cache_free);
	tender_plugin_clear_registrations(plugin);
	g_assert_cmpuint(aliases->len, ==, 0);
	g_assert_cmpuint(cached, ==, 1);
	g_assert_null(tender_plugin_get_http_alias_cache(plugin));
}

/* the aliases of two plugins match no path alike */
static void
test_aliases_overlap(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) alpha = new_plugin(config, "alpha");
	g_autoptr(TenderPlugin) beta = new_plugin(config, "beta");
	g_autoptr(GPtrArray) plugins = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	const TenderPluginHttpAlias tools[] = {
	    {.verb = "GET", .pattern = "/containers/tool/{id}", .method = "Lookup"},
	    {.verb = NULL},
	};
	const TenderPluginHttpAlias others[] = {
	    {.verb = "GET", .pattern = "/containers/tool", .method = "Lookup"},
	    {.verb = "GET", .pattern = "/sessions/{id}", .method = "Lookup"},
	    {.verb = NULL},
	};

	g_ptr_array_add(plugins, alpha);
	g_ptr_array_add(plugins, beta);
	tender_plugin_set_peers(alpha, plugins);
	tender_plugin_set_peers(beta, plugins);
	g_assert_true(add_feature(alpha, NULL));
	g_assert_true(add_feature(beta, NULL));
	g_assert_true(tender_plugin_add_http_aliases(alpha, tools, &error));
	/* another verb, a {name} where the other has a name: a path either way */
	assert_refused(beta,
		       "POST",
		       "/containers/{kind}/run",
		       "Lookup",
		       0,
		       TENDER_ERROR_ALREADY_EXISTS,
		       "overlaps '/containers/tool/{id}' of plugin alpha");
	assert_refused(beta,
		       "GET",
		       "/containers/tool/{id}",
		       "Lookup",
		       0,
		       TENDER_ERROR_ALREADY_EXISTS,
		       "of plugin alpha");
	g_assert_true(tender_plugin_add_http_aliases(beta, others, &error));
	g_assert_no_error(error);
	assert_refused(alpha,
		       "DELETE",
		       "/sessions/{session}",
		       "Lookup",
		       0,
		       TENDER_ERROR_ALREADY_EXISTS,
		       "overlaps '/sessions/{id}' of plugin beta");
	/* once alpha's are gone, the path is free */
	tender_plugin_clear_registrations(alpha);
	g_assert_true(tender_plugin_add_http_aliases(beta, tools, &error));
	g_assert_no_error(error);
}

/* a prefix reserved for a deferred plugin's aliases: checked, kept for the plugin's life */
static void
assert_reserve_refused(TenderPlugin *plugin, const gchar *prefix, gint code, const gchar *why)
{
	g_autoptr(GError) error = NULL;

	g_assert_false(tender_plugin_reserve_http_paths(plugin,
							prefix,
							TENDER_PLUGIN_HTTP_ALIAS_NONE,
							&error));
	g_assert_error(error, TENDER_ERROR, code);
	if (strstr(error->message, why) == NULL)
		g_error("'%s' does not say '%s'", error->message, why);
}

static void
test_reserve_paths(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) alpha = new_plugin(config, "alpha");
	g_autoptr(TenderPlugin) beta = new_plugin(config, "beta");
	g_autoptr(GPtrArray) plugins = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	const TenderPluginReserved *reserved;

	g_ptr_array_add(plugins, alpha);
	g_ptr_array_add(plugins, beta);
	tender_plugin_set_peers(alpha, plugins);
	tender_plugin_set_peers(beta, plugins);
	g_assert_true(tender_plugin_reserve_http_paths(alpha,
						       "/containers/",
						       TENDER_PLUGIN_HTTP_ALIAS_DETAIL,
						       &error));
	g_assert_no_error(error);
	/* again: nothing changes */
	g_assert_true(tender_plugin_reserve_http_paths(alpha,
						       "/containers/",
						       TENDER_PLUGIN_HTTP_ALIAS_DETAIL,
						       &error));
	reserved = tender_plugin_lookup_reserved(alpha, "/containers/tool/x");
	g_assert_nonnull(reserved);
	g_assert_cmpint(reserved->flags, ==, TENDER_PLUGIN_HTTP_ALIAS_DETAIL);
	g_assert_nonnull(tender_plugin_lookup_reserved(alpha, "/containers"));
	g_assert_null(tender_plugin_lookup_reserved(alpha, "/containersX/tool"));
	g_assert_null(tender_plugin_lookup_reserved(alpha, "/v1/containers/"));

	assert_reserve_refused(beta, "/containers", TENDER_ERROR_INVALID_ARGUMENT, "ends with '/'");
	assert_reserve_refused(beta, "/", TENDER_ERROR_INVALID_ARGUMENT, "ends with '/'");
	assert_reserve_refused(beta, "/a/{b}/", TENDER_ERROR_INVALID_ARGUMENT, "literal");
	assert_reserve_refused(beta, "/v1/", TENDER_ERROR_INVALID_ARGUMENT, "core's paths");
	assert_reserve_refused(beta, "/metrics/", TENDER_ERROR_INVALID_ARGUMENT, "core's paths");
	assert_reserve_refused(beta,
			       "/containers/relic/",
			       TENDER_ERROR_ALREADY_EXISTS,
			       "overlaps '/containers/' of plugin alpha");
	g_assert_false(tender_plugin_reserve_http_paths(beta, "/b/", 1 << 4, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	/* its own /v1/NAME/ is fine, and at most TENDER_PLUGIN_HTTP_RESERVED_MAX */
	for (guint i = 0; i < TENDER_PLUGIN_HTTP_RESERVED_MAX; i++) {
		g_autofree gchar *prefix = g_strdup_printf("/v1/beta/p%u/", i);
		g_assert_true(tender_plugin_reserve_http_paths(beta,
							       prefix,
							       TENDER_PLUGIN_HTTP_ALIAS_NONE,
							       &error));
		g_assert_no_error(error);
	}
	assert_reserve_refused(beta, "/more/", TENDER_ERROR_LIMIT_REACHED, "at most 8");
	/* not dropped with the registrations of a deferred probe */
	tender_plugin_clear_registrations(alpha);
	g_assert_nonnull(tender_plugin_lookup_reserved(alpha, "/containers/tool/x"));
}

static const gchar object_xml[] = "<node><interface name='org.example.Thing'>"
				  "<method name='Greet'>"
				  "<arg name='name' type='s' direction='in'/>"
				  "<arg name='text' type='s' direction='out'/>"
				  "</method>"
				  "<property name='State' type='s' access='read'/>"
				  "<property name='Count' type='u' access='read'/>"
				  "</interface></node>";

static void
object_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_assert_cmpstr(tender_call_get_subpath(call), ==, "alice/s1");
	tender_call_return_value(call, g_variant_new("(s)", "hello"));
}

static const TenderPluginServiceMethod object_methods[] = {
    {"Greet", "org.tender.example.use", object_cb},
    {TENDER_PLUGIN_PROPERTIES_READ, "org.tender.example.read", NULL},
    {NULL, NULL, NULL},
};

/* State is the subpath, Count of the wrong type for "bad/type" */
static GVariant *
object_property(TenderPlugin *plugin,
		const gchar *subpath,
		const gchar *property,
		gpointer user_data)
{
	(*(guint *)user_data)++;
	if (g_strcmp0(property, "State") == 0)
		return g_variant_new_string(subpath);
	if (g_strcmp0(subpath, "bad/type") == 0)
		return g_variant_new_string("not a u");
	return g_variant_new_uint32(7);
}

static void
assert_object_refused(TenderPlugin *plugin,
		      const gchar *subpath,
		      const gchar *xml,
		      const TenderPluginServiceMethod *methods,
		      gint code,
		      const gchar *message)
{
	g_autoptr(GError) error = NULL;
	guint reads = 0;

	g_test_message("%s", subpath != NULL ? subpath : "(null)");
	g_assert_false(tender_plugin_add_feature_object(plugin,
							subpath,
							xml,
							methods,
							object_property,
							&reads,
							NULL,
							&error));
	g_assert_error(error, TENDER_ERROR, code);
	if (strstr(error->message, message) == NULL)
		g_error("'%s' does not say '%s'", error->message, message);
}

static void
test_feature_objects(void)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(TenderPlugin) plugin = new_plugin(config, "my-plugin");
	g_autoptr(TenderPlugin) core = new_plugin(config, "plugins");
	g_autoptr(TenderAuthoritySubject) caller = tender_authority_subject_new_uid(42);
	g_autoptr(TenderRequest) request = tender_request_new(caller, FALSE);
	g_autoptr(GHashTable) details = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	GPtrArray *objects = tender_plugin_get_feature_objects(plugin);
	const gchar *const state[] = {"State", NULL};
	const gchar *const unknown[] = {"Colour", NULL};
	const TenderPluginServiceMethod no_read[] = {
	    {"Greet", "org.tender.example.use", object_cb},
	    {NULL, NULL, NULL},
	};
	const gchar writable_xml[] = "<node><interface name='org.example.W'>"
				     "<property name='State' type='s' access='readwrite'/>"
				     "</interface></node>";
	TenderService *service;
	guint reads = 0;
	guint added = 0;

	g_signal_connect(plugin, "service-added", G_CALLBACK(count_cb), &added);
	assert_object_refused(core,
			      "a",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "cannot have a feature service");
	assert_object_refused(plugin,
			      "",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "needs a subpath");
	assert_object_refused(plugin,
			      "alice/../x",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "");
	assert_object_refused(plugin,
			      "alice-b",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "");
	assert_object_refused(plugin,
			      "a",
			      object_xml,
			      no_read,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "give the polkit action that reads them");
	g_assert_false(tender_plugin_add_feature_object(plugin,
							"a",
							object_xml,
							object_methods,
							NULL,
							NULL,
							NULL,
							&error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "has properties, but nothing reads them"));
	g_clear_error(&error);
	assert_object_refused(plugin,
			      "a",
			      writable_xml,
			      object_methods + 1,
			      TENDER_ERROR_INVALID_ARGUMENT,
			      "is not read-only");
	g_assert_cmpuint(objects->len, ==, 0);

	g_assert_true(tender_plugin_add_feature_object(plugin,
						       "alice/s1",
						       object_xml,
						       object_methods,
						       object_property,
						       &reads,
						       NULL,
						       &error));
	g_assert_no_error(error);
	assert_object_refused(plugin,
			      "alice/s1",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_ALREADY_EXISTS,
			      "at 'alice/s1' already");
	/* not one of its services, and below the feature service's object */
	g_assert_cmpuint(tender_plugin_get_services(plugin)->len, ==, 0);
	g_assert_cmpuint(objects->len, ==, 1);
	service = g_ptr_array_index(objects, 0);
	path = tender_plugin_get_feature_object_path(plugin, "alice/s1");
	g_assert_cmpstr(path, ==, "/org/tender/Agent1/my_2dplugin/alice/s1");
	g_assert_cmpstr(tender_service_get_object_path(service), ==, path);
	g_assert_true(tender_service_has_properties(service));

	/* the method, authorized and called as the feature service's */
	tender_service_prepare_request(service, request, "Greet");
	g_assert_cmpstr(tender_request_get_action(request), ==, "org.tender.example.use");
	tender_service_prepare_read(service, request);
	g_assert_cmpstr(tender_request_get_action(request), ==, "org.tender.example.read");
	details = tender_request_get_details(request, NULL);
	g_assert_cmpstr(g_hash_table_lookup(details, "method"), ==, TENDER_PLUGIN_PROPERTIES_READ);
	g_assert_cmpstr(g_hash_table_lookup(details, "object_path"), ==, path);
	g_assert_cmpstr(g_hash_table_lookup(details, "plugin"), ==, "my-plugin");
	tender_service_call(service,
			    caller,
			    "Greet",
			    g_variant_new("(s)", "x"),
			    NULL,
			    reply_cb,
			    &reply);
	g_assert_cmpstr(g_variant_get_type_string(reply), ==, "(s)");

	/* properties: read on demand, checked against the XML */
	value = g_variant_ref_sink(tender_service_get_property(service, "State"));
	g_assert_cmpstr(g_variant_get_string(value, NULL), ==, "alice/s1");
	g_assert_cmpuint(reads, ==, 1);
	g_assert_null(tender_service_get_property(service, "Colour"));
	g_assert_cmpuint(reads, ==, 1);
	g_assert_true(tender_plugin_add_feature_object(plugin,
						       "bad/type",
						       object_xml,
						       object_methods,
						       object_property,
						       &reads,
						       NULL,
						       NULL));
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*Count*type s, not u*");
	g_assert_null(tender_service_get_property(g_ptr_array_index(objects, 1), "Count"));
	g_test_assert_expected_messages();

	/* PropertiesChanged: of its properties, once on the bus */
	g_assert_false(
	    tender_plugin_emit_feature_properties_changed(plugin, "alice/s1", unknown, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(
	    tender_plugin_emit_feature_properties_changed(plugin, "nobody", state, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(
	    tender_plugin_emit_feature_properties_changed(plugin, "alice/s1", state, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	/* removed, once */
	g_assert_true(tender_plugin_remove_feature_object(plugin, "bad/type", &error));
	g_assert_no_error(error);
	g_assert_false(tender_plugin_remove_feature_object(plugin, "bad/type", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* at most TENDER_PLUGIN_FEATURE_OBJECTS_MAX, beyond the 256 services */
	for (guint i = objects->len; i < TENDER_PLUGIN_FEATURE_OBJECTS_MAX; i++) {
		g_autofree gchar *subpath = g_strdup_printf("u/s%u", i);
		g_assert_true(tender_plugin_add_feature_object(plugin,
							       subpath,
							       object_xml,
							       object_methods,
							       object_property,
							       &reads,
							       NULL,
							       NULL));
	}
	assert_object_refused(plugin,
			      "u/more",
			      object_xml,
			      object_methods,
			      TENDER_ERROR_LIMIT_REACHED,
			      "4096 feature objects already");
	/* they go with the plugin's other registrations */
	tender_plugin_clear_registrations(plugin);
	g_assert_cmpuint(objects->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/plugin-feature/service", test_feature_service);
	g_test_add_func("/plugin-feature/core-names", test_feature_core_names);
	g_test_add_func("/plugin-feature/aliases", test_aliases);
	g_test_add_func("/plugin-feature/aliases-refused", test_aliases_refused);
	g_test_add_func("/plugin-feature/aliases-core-paths", test_aliases_core_paths);
	g_test_add_func("/plugin-feature/aliases-overlap", test_aliases_overlap);
	g_test_add_func("/plugin-feature/reserve-paths", test_reserve_paths);
	g_test_add_func("/plugin-feature/objects", test_feature_objects);
	return g_test_run();
}
