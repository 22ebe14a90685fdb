/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin built out of tree, as a user would build one, against the installed headers:
 *
 *   cc -shared -fPIC -o hello.so hello.c $(pkg-config --cflags --libs tender-plugin-1)
 *
 * It uses every part of the plugin API: its config group, its state directory, a D-Bus
 * object and HTTP routes (authorized by the core), a service declared once and served both
 * ways, its feature service and the route aliases that call it, workloads through the
 * engine, events, and the caller.
 * tests/integration/test_plugins.py builds and drives it.
 */
#define G_LOG_DOMAIN "hello"

#include <tender-plugin.h>

#define HELLO_EVENTS_MAX 256

typedef struct {
	gchar *greeting;
	GPtrArray *events;   /* "WORKLOAD OLD NEW REASON", the last HELLO_EVENTS_MAX */
	GHashTable *greeted; /* name -> HelloGreeted, each its feature object's */
} Hello;

static void
hello_free(gpointer data)
{
	Hello *hello = data;
	g_free(hello->greeting);
	g_ptr_array_unref(hello->events);
	g_hash_table_unref(hello->greeted);
	g_free(hello);
}

static const gchar hello_xml[] = "<node>"
				 "  <interface name='org.tender.Test.Hello'>"
				 "    <method name='Greet'>"
				 "      <arg name='name' type='s' direction='in'/>"
				 "      <arg name='text' type='s' direction='out'/>"
				 "    </method>"
				 "    <method name='Whoami'>"
				 "      <arg name='uid' type='u' direction='out'/>"
				 "    </method>"
				 "    <method name='Spawn'>"
				 "      <arg name='name' type='s' direction='in'/>"
				 "      <arg name='argv' type='as' direction='in'/>"
				 "      <arg name='main_pid' type='u' direction='out'/>"
				 "    </method>"
				 "    <method name='Logs'>"
				 "      <arg name='name' type='s' direction='in'/>"
				 "      <arg name='lines' type='as' direction='out'/>"
				 "    </method>"
				 "    <method name='Events'>"
				 "      <arg name='events' type='as' direction='out'/>"
				 "    </method>"
				 "  </interface>"
				 "</node>";

static const TenderPluginMethodAction hello_actions[] = {
    {"Greet", "org.tender.workloads.read"},
    {"Whoami", "org.tender.workloads.read"},
    {"Spawn", "org.tender.workloads.manage"},
    {"Events", "org.tender.workloads.read"},
    {"Logs", "org.tender.workloads.read"},
    {NULL, NULL},
};

static void
hello_state_cb(TenderPlugin *plugin,
	       const gchar *workload,
	       const gchar *old_state,
	       const gchar *new_state,
	       const gchar *reason,
	       gpointer user_data)
{
	Hello *hello = user_data;
	g_autofree gchar *path = NULL;
	gchar *line = g_strdup_printf("%s %s %s %s",
				      workload,
				      old_state[0] != '\0' ? old_state : "-",
				      new_state[0] != '\0' ? new_state : "-",
				      reason[0] != '\0' ? reason : "-");

	if (hello->events->len >= HELLO_EVENTS_MAX)
		g_ptr_array_remove_index(hello->events, 0);
	g_ptr_array_add(hello->events, line);
	/* the state directory is the plugin's own */
	path = g_build_filename(tender_plugin_get_state_dir(plugin), "last-event", NULL);
	if (!g_file_set_contents(path, line, -1, NULL))
		g_warning("cannot write %s", path);
}

/* a workload to spawn: create it, start it, answer with its MainPID */
typedef struct {
	GDBusMethodInvocation *invocation;
	TenderPluginRequest *request;
	gchar *name;
} HelloSpawn;

static void
hello_spawn_free(HelloSpawn *spawn)
{
	g_clear_object(&spawn->invocation);
	g_clear_pointer(&spawn->request, tender_plugin_request_unref);
	g_free(spawn->name);
	g_free(spawn);
}

static void
hello_spawn_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HelloSpawn *spawn = user_data;
	TenderPlugin *plugin = TENDER_PLUGIN(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) props = NULL;
	guint32 pid = 0;

	if (tender_plugin_start_workload_finish(plugin, res, &error))
		props = tender_plugin_get_workload(plugin, spawn->name, &error);
	if (props != NULL && !g_variant_lookup(props, "MainPID", "u", &pid))
		g_set_error_literal(&error, TENDER_ERROR, TENDER_ERROR_FAILED, "no MainPID");
	if (spawn->invocation != NULL) {
		if (error != NULL)
			g_dbus_method_invocation_return_gerror(g_steal_pointer(&spawn->invocation),
							       error);
		else
			g_dbus_method_invocation_return_value(g_steal_pointer(&spawn->invocation),
							      g_variant_new("(u)", pid));
	} else if (error != NULL) {
		tender_plugin_request_reply_error(spawn->request, error);
	} else {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, spawn->name);
		json_builder_set_member_name(b, "main_pid");
		json_builder_add_int_value(b, pid);
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		tender_plugin_request_reply_json(spawn->request, 201, root);
	}
	hello_spawn_free(spawn);
}

static gboolean
hello_spawn(TenderPlugin *plugin, HelloSpawn *spawn, const gchar *const *argv, GError **error)
{
	GVariantDict spec;

	g_variant_dict_init(&spec, NULL);
	g_variant_dict_insert_value(&spec, "argv", g_variant_new_strv(argv, -1));
	g_variant_dict_insert(&spec, "memory_max", "t", (guint64)64 * 1024 * 1024);
	if (!tender_plugin_create_workload(plugin, spawn->name, g_variant_dict_end(&spec), error))
		return FALSE;
	tender_plugin_start_workload_async(plugin,
					   spawn->name,
					   NULL,
					   hello_spawn_started_cb,
					   spawn);
	return TRUE;
}

static void
hello_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) entries = NULL;
	g_autoptr(GPtrArray) lines = g_ptr_array_new();

	entries = tender_plugin_get_workload_logs_finish(TENDER_PLUGIN(source), res, &error);
	if (entries == NULL) {
		g_dbus_method_invocation_return_gerror(g_steal_pointer(&invocation), error);
		return;
	}
	for (gsize i = 0; i < g_variant_n_children(entries); i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(entries, i);
		const gchar *message = NULL;
		if (g_variant_lookup(entry, "message", "&s", &message))
			g_ptr_array_add(lines, (gpointer)message);
	}
	g_ptr_array_add(lines, NULL);
	g_dbus_method_invocation_return_value(g_steal_pointer(&invocation),
					      g_variant_new("(^as)", (gchar **)lines->pdata));
}

static void
hello_method_cb(TenderPlugin *plugin,
		const TenderCaller *caller,
		GDBusMethodInvocation *invocation,
		gpointer user_data)
{
	Hello *hello = user_data;
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	GVariant *params = g_dbus_method_invocation_get_parameters(invocation);

	if (g_strcmp0(method, "Greet") == 0) {
		const gchar *name = NULL;
		g_autofree gchar *text = NULL;
		g_variant_get(params, "(&s)", &name);
		text = g_strdup_printf("%s, %s!", hello->greeting, name);
		g_dbus_method_invocation_return_value(invocation, g_variant_new("(s)", text));
		return;
	}
	if (g_strcmp0(method, "Whoami") == 0) {
		g_dbus_method_invocation_return_value(invocation,
						      g_variant_new("(u)",
								    tender_caller_get_uid(caller)));
		return;
	}
	if (g_strcmp0(method, "Spawn") == 0) {
		g_autofree const gchar **argv = NULL;
		g_autoptr(GError) error = NULL;
		HelloSpawn *spawn = g_new0(HelloSpawn, 1);
		const gchar *name = NULL;

		g_variant_get(params, "(&s^a&s)", &name, &argv);
		spawn->name = g_strdup(name);
		spawn->invocation = invocation;
		if (!hello_spawn(plugin, spawn, argv, &error)) {
			g_dbus_method_invocation_return_gerror(g_steal_pointer(&spawn->invocation),
							       error);
			hello_spawn_free(spawn);
		}
		return;
	}
	if (g_strcmp0(method, "Logs") == 0) {
		const gchar *name = NULL;
		g_variant_get(params, "(&s)", &name);
		tender_plugin_get_workload_logs_async(plugin,
						      name,
						      NULL,
						      NULL,
						      hello_logs_cb,
						      invocation);
		return;
	}
	/* Events */
	g_ptr_array_add(hello->events, NULL);
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(^as)",
							    (gchar **)hello->events->pdata));
	g_ptr_array_remove_index(hello->events, hello->events->len - 1);
}

/* GET greet/NAME: {"text": "GREETING, NAME!", "uid": CALLER} */
static void
hello_route_greet(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	Hello *hello = user_data;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = g_strdup_printf("%s, %s!",
						 hello->greeting,
						 tender_plugin_request_get_capture(request, 0));

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text);
	json_builder_set_member_name(b, "uid");
	json_builder_add_int_value(b,
				   tender_caller_get_uid(
				       tender_plugin_request_get_caller(request)));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	tender_plugin_request_reply_json(request, 200, root);
}

/* POST spawn {"name": NAME, "argv": [...]}: 201 {"name", "main_pid"} once it runs */
static void
hello_route_spawn(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = tender_plugin_request_get_body(request, &error);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	JsonObject *obj;
	JsonArray *array;
	HelloSpawn *spawn;

	if (body == NULL) {
		if (error == NULL)
			g_set_error_literal(&error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "A body is required");
		tender_plugin_request_reply_error(request, error);
		return;
	}
	obj = json_node_get_object(body);
	if (!json_object_has_member(obj, "name") || !json_object_has_member(obj, "argv") ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(obj, "argv"))) {
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Give name and argv");
		tender_plugin_request_reply_error(request, error);
		return;
	}
	array = json_object_get_array_member(obj, "argv");
	for (guint i = 0; i < json_array_get_length(array); i++)
		g_ptr_array_add(argv, (gpointer)json_array_get_string_element(array, i));
	g_ptr_array_add(argv, NULL);
	spawn = g_new0(HelloSpawn, 1);
	spawn->name = g_strdup(json_object_get_string_member(obj, "name"));
	spawn->request = tender_plugin_request_ref(request);
	if (!hello_spawn(plugin, spawn, (const gchar *const *)argv->pdata, &error)) {
		tender_plugin_request_reply_error(request, error);
		hello_spawn_free(spawn);
	}
}

/* GET health: anyone may ask */
static void
hello_route_health(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	tender_plugin_request_reply_text(request, 200, "text/plain", "ok\n");
}

/*
 * A service, declared once: its XML names the methods and their args, the table gives each
 * a polkit action and a handler.  tenderd serves it on D-Bus, on
 * /org/tender/Agent1/plugin/hello/service, and over HTTP, as
 * POST /v1/plugins/hello/service/Welcome {"name": "bob", "count": 2} and
 * GET /v1/plugins/hello/service/Whoami.
 */
static const gchar hello_service_xml[] = "<node>"
					 "  <interface name='org.tender.Test.HelloService'>"
					 "    <method name='Welcome'>"
					 "      <arg name='name' type='s' direction='in'/>"
					 "      <arg name='count' type='u' direction='in'/>"
					 "      <arg name='lines' type='as' direction='out'/>"
					 "      <arg name='uid' type='u' direction='out'/>"
					 "    </method>"
					 "    <method name='Whoami'>"
					 "      <arg name='uid' type='u' direction='out'/>"
					 "    </method>"
					 "  </interface>"
					 "</node>";

#define HELLO_WELCOME_MAX 10

/* Welcome(name, count): count lines of the greeting, and who asked */
static void
hello_welcome_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	Hello *hello = user_data;
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	const gchar *name = NULL;
	guint32 count = 0;

	g_variant_get(tender_call_get_parameters(call), "(&su)", &name, &count);
	if (count == 0 || count > HELLO_WELCOME_MAX) {
		g_autoptr(GError) error = g_error_new(TENDER_ERROR,
						      TENDER_ERROR_INVALID_ARGUMENT,
						      "count must be from 1 to %d",
						      HELLO_WELCOME_MAX);
		tender_call_return_error(call, error);
		return;
	}
	for (guint32 i = 0; i < count; i++)
		g_ptr_array_add(lines, g_strdup_printf("%s, %s!", hello->greeting, name));
	g_ptr_array_add(lines, NULL);
	tender_call_return_value(call,
				 g_variant_new("(^asu)",
					       (gchar **)lines->pdata,
					       tender_caller_get_uid(
						   tender_call_get_caller(call))));
}

static void
hello_whoami_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_call_return_value(call,
				 g_variant_new("(u)",
					       tender_caller_get_uid(
						   tender_call_get_caller(call))));
}

static const TenderPluginServiceMethod hello_service_methods[] = {
    {"Welcome", "org.tender.workloads.read", hello_welcome_cb},
    {"Whoami", "org.tender.workloads.read", hello_whoami_cb},
    {NULL, NULL, NULL},
};

/*
 * Its feature service: hello's own top-level object, /org/tender/Agent1/hello, and
 * POST /v1/hello/Greet {"name": "bob"}; and route aliases, which call Echo and Find with the
 * path's {name}s and the query, and the body as it came, and answer with their status and
 * body as they are: GET /hello/greetings/bob?status=201.
 */
static const gchar hello_feature_xml[] = "<node>"
					 "  <interface name='org.tender.Test.HelloFeature'>"
					 "    <method name='Greet'>"
					 "      <arg name='name' type='s' direction='in'/>"
					 "      <arg name='text' type='s' direction='out'/>"
					 "      <arg name='uid' type='u' direction='out'/>"
					 "    </method>"
					 "    <method name='Echo'>"
					 "      <arg name='params' type='a{ss}' direction='in'/>"
					 "      <arg name='body' type='s' direction='in'/>"
					 "      <arg name='status' type='u' direction='out'/>"
					 "      <arg name='answer' type='s' direction='out'/>"
					 "    </method>"
					 "    <method name='Find'>"
					 "      <arg name='params' type='a{ss}' direction='in'/>"
					 "      <arg name='body' type='s' direction='in'/>"
					 "      <arg name='status' type='u' direction='out'/>"
					 "      <arg name='answer' type='s' direction='out'/>"
					 "    </method>"
					 "    <method name='Blob'>"
					 "      <arg name='params' type='a{ss}' direction='in'/>"
					 "      <arg name='body' type='ay' direction='in'/>"
					 "      <arg name='status' type='u' direction='out'/>"
					 "      <arg name='type' type='s' direction='out'/>"
					 "      <arg name='answer' type='ay' direction='out'/>"
					 "    </method>"
					 "    <signal name='Greeted'>"
					 "      <arg name='name' type='s'/>"
					 "    </signal>"
					 "  </interface>"
					 "</node>";

/*
 * Feature objects: each name Greet greets (of letters, digits and '_') gets
 * /org/tender/Agent1/hello/greeted/NAME, org.tender.Test.HelloGreeted, whose property Count
 * grows with each greeting (PropertiesChanged says so); Forget() takes it off.
 */
static const gchar hello_greeted_xml[] = "<node>"
					 "  <interface name='org.tender.Test.HelloGreeted'>"
					 "    <method name='Forget'/>"
					 "    <property name='Name' type='s' access='read'/>"
					 "    <property name='Count' type='u' access='read'/>"
					 "  </interface>"
					 "</node>";

typedef struct {
	Hello *hello;
	gchar *name;
	guint32 count;
} HelloGreeted;

/* its object's user data: freed when the bus lets the object go, maybe after Hello */
static void
hello_greeted_free(gpointer data)
{
	HelloGreeted *greeted = data;
	g_free(greeted->name);
	g_free(greeted);
}

static GVariant *
hello_greeted_property(TenderPlugin *plugin,
		       const gchar *subpath,
		       const gchar *property,
		       gpointer user_data)
{
	HelloGreeted *greeted = user_data;

	if (g_strcmp0(property, "Name") == 0)
		return g_variant_new_string(greeted->name);
	return g_variant_new_uint32(greeted->count);
}

static void
hello_greeted_forget_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	HelloGreeted *greeted = user_data;
	g_autofree gchar *subpath = g_strdup(tender_call_get_subpath(call));
	g_autoptr(GError) error = NULL;

	g_hash_table_remove(greeted->hello->greeted, greeted->name);
	tender_call_return_value(call, NULL);
	if (!tender_plugin_remove_feature_object(plugin, subpath, &error))
		g_warning("%s", error->message);
}

static const TenderPluginServiceMethod hello_greeted_methods[] = {
    {"Forget", "org.tender.workloads.manage", hello_greeted_forget_cb},
    {TENDER_PLUGIN_PROPERTIES_READ, "org.tender.workloads.read", NULL},
    {NULL, NULL, NULL},
};

/* one more greeting of @name: its object, made or changed */
static void
hello_greeted_note(TenderPlugin *plugin, Hello *hello, const gchar *name)
{
	const gchar *const changed[] = {"Count", NULL};
	g_autofree gchar *subpath = g_strdup_printf("greeted/%s", name);
	HelloGreeted *greeted = g_hash_table_lookup(hello->greeted, name);
	g_autoptr(GError) error = NULL;

	if (name[0] == '\0' || strlen(name) > 64 ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
		strlen(name))
		return;
	if (greeted != NULL) {
		greeted->count++;
		if (!tender_plugin_emit_feature_properties_changed(plugin,
								   subpath,
								   changed,
								   &error))
			g_warning("%s", error->message);
		return;
	}
	greeted = g_new0(HelloGreeted, 1);
	greeted->hello = hello;
	greeted->name = g_strdup(name);
	greeted->count = 1;
	g_hash_table_insert(hello->greeted, greeted->name, greeted);
	if (!tender_plugin_add_feature_object(plugin,
					      subpath,
					      hello_greeted_xml,
					      hello_greeted_methods,
					      hello_greeted_property,
					      greeted,
					      hello_greeted_free,
					      &error)) {
		g_warning("%s", error->message);
		g_hash_table_remove(hello->greeted, name);
		hello_greeted_free(greeted);
	}
}

/* Blob(params, body): the body as it came, of the type ?type= says (or
 * application/octet-stream), or 400 for an empty one */
static void
hello_feature_blob_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_autoptr(GVariant) params = NULL;
	g_autoptr(GVariant) body = NULL;
	const gchar *type = "application/octet-stream";

	g_variant_get(tender_call_get_parameters(call), "(@a{ss}@ay)", &params, &body);
	g_variant_lookup(params, "type", "&s", &type);
	if (g_variant_n_children(body) == 0) {
		tender_call_return_value(
		    call,
		    g_variant_new("(us@ay)",
				  400,
				  "text/plain",
				  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, "empty\n", 6, 1)));
		return;
	}
	tender_call_return_value(call, g_variant_new("(us@ay)", 200, type, body));
}

/* Greet(name): the greeting, and who asked */
static void
hello_feature_greet_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	Hello *hello = user_data;
	const gchar *name = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &name);
	text = g_strdup_printf("%s, %s!", hello->greeting, name);
	/* and says so to everyone listening */
	if (!tender_plugin_emit_feature_signal(plugin,
					       "Greeted",
					       g_variant_new("(s)", name),
					       &error))
		g_warning("%s", error->message);
	hello_greeted_note(plugin, hello, name);
	tender_call_return_value(call,
				 g_variant_new("(su)",
					       text,
					       tender_caller_get_uid(
						   tender_call_get_caller(call))));
}

/* Echo(params, body): the status of ?status= (200 without), and the body as it came, or
 * without one {"text": "GREETING, NAME!", "params": {...}, "uid": CALLER} */
static void
hello_feature_echo_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	Hello *hello = user_data;
	g_autoptr(GVariant) params = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *answer = NULL;
	const gchar *body = NULL;
	const gchar *name = "";
	const gchar *status = "200";
	const gchar *key = NULL;
	const gchar *value = NULL;
	guint64 code = 0;
	GVariantIter iter;

	g_variant_get(tender_call_get_parameters(call), "(@a{ss}&s)", &params, &body);
	g_variant_lookup(params, "name", "&s", &name);
	g_variant_lookup(params, "status", "&s", &status);
	if (!g_ascii_string_to_unsigned(status, 10, 0, G_MAXUINT32, &code, NULL)) {
		g_autoptr(GError) error = g_error_new(TENDER_ERROR,
						      TENDER_ERROR_INVALID_ARGUMENT,
						      "status '%s' is not a number",
						      status);
		tender_call_return_error(call, error);
		return;
	}
	if (body[0] != '\0') {
		tender_call_return_value(call, g_variant_new("(us)", (guint32)code, body));
		return;
	}
	text = g_strdup_printf("%s, %s!", hello->greeting, name);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text);
	json_builder_set_member_name(b, "params");
	json_builder_begin_object(b);
	g_variant_iter_init(&iter, params);
	while (g_variant_iter_next(&iter, "{&s&s}", &key, &value)) {
		json_builder_set_member_name(b, key);
		json_builder_add_string_value(b, value);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "uid");
	json_builder_add_int_value(b, tender_caller_get_uid(tender_call_get_caller(call)));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	answer = json_to_string(root, FALSE);
	tender_call_return_value(call, g_variant_new("(us)", (guint32)code, answer));
}

/* Find(params, body): there is no tool of any id */
static void
hello_feature_find_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_autoptr(GVariant) params = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *body = NULL;
	const gchar *id = "";

	g_variant_get(tender_call_get_parameters(call), "(@a{ss}&s)", &params, &body);
	g_variant_lookup(params, "id", "&s", &id);
	error = g_error_new(TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No tool %s", id);
	tender_call_return_error(call, error);
}

static const TenderPluginServiceMethod hello_feature_methods[] = {
    {"Greet", "org.tender.workloads.read", hello_feature_greet_cb},
    {"Echo", "org.tender.workloads.read", hello_feature_echo_cb},
    {"Find", "org.tender.workloads.read", hello_feature_find_cb},
    {"Blob", "org.tender.workloads.read", hello_feature_blob_cb},
    {NULL, NULL, NULL},
};

/* errors of /hello/... as FastAPI's {"detail": ...}; of /v1/hello/... as tender's */
static const TenderPluginHttpAlias hello_aliases[] = {
    {.verb = "GET", .pattern = "/hello/greetings/{name}", .method = "Echo"},
    {.verb = "POST", .pattern = "/hello/greetings/{name}", .method = "Echo"},
    {.verb = "GET",
     .pattern = "/hello/tools/{id}",
     .method = "Find",
     .flags = TENDER_PLUGIN_HTTP_ALIAS_DETAIL},
    {.verb = "GET", .pattern = "/v1/hello/tools/{id}", .method = "Find"},
    {.verb = "GET", .pattern = "/hello/tagged/{name}", .method = "Echo", .tag = "tagged"},
    /* the feature's own path, /v1/NAME itself */
    {.verb = "GET", .pattern = "/v1/hello", .method = "Echo", .tag = "root"},
    /* bytes both ways, at most 1 KiB */
    {.verb = "PUT",
     .pattern = "/hello/blobs/{name}",
     .method = "Blob",
     .flags = TENDER_PLUGIN_HTTP_ALIAS_BYTES,
     .body_max = 1024},
    {.verb = NULL},
};

static gboolean
hello_init(TenderPlugin *plugin, GError **error)
{
	Hello *hello = g_new0(Hello, 1);

	hello->greeting = tender_plugin_get_config_string(plugin, "greeting", "Hello");
	hello->events = g_ptr_array_new_with_free_func(g_free);
	hello->greeted = g_hash_table_new(g_str_hash, g_str_equal);
	tender_plugin_set_data(plugin, hello, hello_free);
	tender_plugin_watch_workloads(plugin, hello_state_cb, hello, NULL);
	if (!tender_plugin_add_dbus_object(plugin,
					   NULL,
					   hello_xml,
					   hello_actions,
					   hello_method_cb,
					   hello,
					   NULL,
					   error))
		return FALSE;
	if (!tender_plugin_add_service(plugin,
				       "service",
				       hello_service_xml,
				       hello_service_methods,
				       hello,
				       NULL,
				       error))
		return FALSE;
	if (!tender_plugin_add_feature_service(plugin,
					       hello_feature_xml,
					       hello_feature_methods,
					       hello,
					       NULL,
					       error) ||
	    !tender_plugin_add_http_aliases(plugin, hello_aliases, error))
		return FALSE;
	if (!tender_plugin_add_http_route(plugin,
					  "GET",
					  "greet/*",
					  "org.tender.workloads.read",
					  hello_route_greet,
					  hello,
					  NULL,
					  error))
		return FALSE;
	if (!tender_plugin_add_http_route(plugin,
					  "POST",
					  "spawn",
					  "org.tender.workloads.manage",
					  hello_route_spawn,
					  hello,
					  NULL,
					  error))
		return FALSE;
	return tender_plugin_add_http_route(plugin,
					    "GET",
					    "health",
					    NULL,
					    hello_route_health,
					    hello,
					    NULL,
					    error);
}

TENDER_PLUGIN_DEFINE("hello", "1.0.0", "says hello, and spawns workloads", hello_init, NULL)
