/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tender-units.h"

#define TENDER_CTL_BUS_NAME	    "org.tender.Agent1"
#define TENDER_CTL_MANAGER_PATH	    "/org/tender/Agent1"
#define TENDER_CTL_MANAGER_IFACE    "org.tender.Agent1.Manager"
#define TENDER_CTL_WORKLOAD_IFACE   "org.tender.Agent1.Workload"
#define TENDER_CTL_PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

#define TENDER_CTL_EXIT_FAILURE 1
#define TENDER_CTL_EXIT_USAGE	2

/* the most ImportWorkload takes */
#define TENDER_CTL_IMPORT_MAX (1024 * 1024)

/* the width of the keys of inspect, "ControlGroup" */
#define TENDER_CTL_KEY_WIDTH 12
/* the width of the spec keys of inspect, "io_write_bandwidth_max" */
#define TENDER_CTL_SPEC_KEY_WIDTH 22

/* StartWorkload, StopWorkload and RemoveWorkload return only once systemd is done, which can
 * take as long as the stop timeout (up to an hour): wait for them as systemctl waits for jobs */
#define TENDER_CTL_TIMEOUT_DEFAULT -1
#define TENDER_CTL_TIMEOUT_NONE	   G_MAXINT

typedef enum {
	TENDER_CTL_OPTS_NONE = 0,
	TENDER_CTL_OPTS_SPEC = 1 << 0,
	TENDER_CTL_OPTS_TIMEOUT = 1 << 1,
	TENDER_CTL_OPTS_SIGNAL = 1 << 2,
	TENDER_CTL_OPTS_FORCE = 1 << 3,
	TENDER_CTL_OPTS_OUTPUT = 1 << 4,
	TENDER_CTL_OPTS_NAME = 1 << 5,
	TENDER_CTL_OPTS_LOGS = 1 << 6,
	TENDER_CTL_OPTS_WATCH = 1 << 7,
	TENDER_CTL_OPTS_PAYLOAD = 1 << 8,
} TenderCtlOpts;

typedef enum {
	TENDER_CTL_ARGS_NONE,	      /* no arguments */
	TENDER_CTL_ARGS_NAMES,	      /* NAME... */
	TENDER_CTL_ARGS_NAME,	      /* NAME */
	TENDER_CTL_ARGS_NAME_COMMAND, /* NAME -- CMD [ARG...] */
	TENDER_CTL_ARGS_ONE,	      /* exactly one argument */
	TENDER_CTL_ARGS_ANY_NAMES,    /* [NAME...] */
	TENDER_CTL_ARGS_ADAPTER,      /* VERB INSTANCE [KEY=VALUE...] */
} TenderCtlArgs;

typedef struct {
	/* global options, from before and after the command */
	gboolean json;
	gboolean version;
	gchar *bus_global;
	gchar *bus_command;
	const gchar *bus;
	GDBusConnection *connection;

	/* the arguments after the command, and what follows "--" */
	gchar **names;
	gchar **argv;
	gboolean has_separator;

	/* the options of the commands as given */
	gchar *memory;
	gchar *cpu;
	gchar *tasks;
	gchar *io_read;
	gchar *io_write;
	gchar **env;
	gchar *workdir;
	gchar *description;
	gchar **labels;
	gchar *restart;
	gchar *restart_max;
	gchar *restart_delay;
	gchar *max_runtime;
	gchar *health_cmd;
	gchar *health_url;
	gchar *health_interval;
	gchar *health_timeout;
	gchar *health_retries;
	gchar *health_start_period;
	gchar *health_on_unhealthy;
	gchar *user;
	gchar *group;
	gchar **caps;
	gchar **pre_start;
	gchar *timeout;
	gchar *signal;
	gboolean force;
	gchar *output;
	gchar *import_name;
	gchar *lines;
	gboolean follow;
	gchar *stream;
	gboolean watch;
	gchar *payload;

	/* what they make */
	GVariant *spec;
	GVariant *options;
	gint signo;

	/* for inspect */
	guint n_shown;
	JsonArray *json_results;

	/* for logs --follow */
	GMainLoop *loop;
	GDataInputStream *log_stream;
	FILE *log_last;
} TenderCtl;

typedef gboolean (*TenderCtlFunc)(TenderCtl *self, GError **error);
typedef gboolean (*TenderCtlNameFunc)(TenderCtl *self, const gchar *name, GError **error);

typedef struct {
	const gchar *name;
	const gchar *parameters;
	const gchar *brief;
	const gchar *summary;
	const gchar *description;
	TenderCtlOpts opts;
	TenderCtlArgs args;
	TenderCtlFunc func;
} TenderCtlCommand;

static TenderCtl *
tender_ctl_new(void)
{
	TenderCtl *self = g_new0(TenderCtl, 1);
	self->signo = SIGTERM;
	return self;
}

static void
tender_ctl_free(TenderCtl *self)
{
	g_free(self->bus_global);
	g_free(self->bus_command);
	g_clear_object(&self->connection);
	g_strfreev(self->names);
	g_strfreev(self->argv);
	g_free(self->memory);
	g_free(self->cpu);
	g_free(self->tasks);
	g_free(self->io_read);
	g_free(self->io_write);
	g_strfreev(self->env);
	g_free(self->workdir);
	g_free(self->description);
	g_strfreev(self->labels);
	g_free(self->restart);
	g_free(self->restart_max);
	g_free(self->restart_delay);
	g_free(self->max_runtime);
	g_free(self->health_cmd);
	g_free(self->health_url);
	g_free(self->health_interval);
	g_free(self->health_timeout);
	g_free(self->health_retries);
	g_free(self->health_start_period);
	g_free(self->health_on_unhealthy);
	g_free(self->user);
	g_free(self->group);
	g_strfreev(self->caps);
	g_strfreev(self->pre_start);
	g_free(self->timeout);
	g_free(self->signal);
	g_free(self->output);
	g_free(self->import_name);
	g_free(self->lines);
	g_free(self->stream);
	g_free(self->payload);
	g_clear_pointer(&self->spec, g_variant_unref);
	g_clear_pointer(&self->options, g_variant_unref);
	g_clear_pointer(&self->json_results, json_array_unref);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_clear_object(&self->log_stream);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderCtl, tender_ctl_free)

/* ---- errors ---- */

static gboolean
tender_ctl_error_is_not_running(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
}

/* "Failed to start workload 'web': ..." unless the daemon is not there at all */
static void
tender_ctl_error_prefix_name(GError **error, const gchar *verb, const gchar *name)
{
	if (error == NULL || *error == NULL || tender_ctl_error_is_not_running(*error))
		return;
	g_prefix_error(error, "Failed to %s workload '%s': ", verb, name);
}

static void
tender_ctl_print_error(const GError *error)
{
	g_printerr("tenderctl: %s\n", error->message);
}

static gint
tender_ctl_usage_error(const gchar *command, const gchar *message)
{
	g_printerr("tenderctl: %s\n", message);
	if (command != NULL)
		g_printerr("Try 'tenderctl %s --help'.\n", command);
	else
		g_printerr("Try 'tenderctl --help'.\n");
	return TENDER_CTL_EXIT_USAGE;
}

/* ---- D-Bus ---- */

static gboolean
tender_ctl_connect(TenderCtl *self, GError **error)
{
	g_autoptr(GDBusConnection) connection = NULL;

	if (g_strcmp0(self->bus, "system") == 0 || g_strcmp0(self->bus, "session") == 0) {
		GBusType bus_type =
		    g_strcmp0(self->bus, "system") == 0 ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION;
		connection = g_bus_get_sync(bus_type, NULL, error);
		if (connection == NULL) {
			g_prefix_error(error, "Failed to connect to the %s bus: ", self->bus);
			return FALSE;
		}
	} else {
		connection = g_dbus_connection_new_for_address_sync(
		    self->bus,
		    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		    NULL,
		    NULL,
		    error);
		if (connection == NULL) {
			g_prefix_error(error, "Failed to connect to the bus at %s: ", self->bus);
			return FALSE;
		}
	}
	self->connection = g_steal_pointer(&connection);
	return TRUE;
}

static gboolean
tender_ctl_error_is_no_owner(const GError *error)
{
	g_autofree gchar *remote = NULL;

	if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
		return TRUE;
	remote = g_dbus_error_get_remote_error(error);
	return g_strcmp0(remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
	       g_strcmp0(remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0;
}

/* calls a method of tenderd; errors come back as plain sentences, and a missing daemon as
 * G_DBUS_ERROR_SERVICE_UNKNOWN with a message that says so */
static GVariant *
tender_ctl_call(TenderCtl *self,
		const gchar *object_path,
		const gchar *interface_name,
		const gchar *method_name,
		GVariant *parameters,
		const GVariantType *reply_type,
		gint timeout_msec,
		GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(self->connection,
					    TENDER_CTL_BUS_NAME,
					    object_path,
					    interface_name,
					    method_name,
					    parameters,
					    reply_type,
					    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
					    timeout_msec,
					    NULL,
					    &error_local);
	if (reply == NULL) {
		if (tender_ctl_error_is_no_owner(error_local)) {
			g_set_error_literal(error,
					    G_DBUS_ERROR,
					    G_DBUS_ERROR_SERVICE_UNKNOWN,
					    "tenderd is not running (" TENDER_CTL_BUS_NAME
					    " is not on the bus)");
			return NULL;
		}
		g_dbus_error_strip_remote_error(error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return g_steal_pointer(&reply);
}

static GVariant *
tender_ctl_empty_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

/* GetWorkload, then GetAll on the object path: the a{sv} of the workload's properties */
static GVariant *
tender_ctl_get_properties(TenderCtl *self, const gchar *name, GError **error)
{
	const gchar *path = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) props = NULL;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"GetWorkload",
				g_variant_new("(s)", name),
				G_VARIANT_TYPE("(o)"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(&o)", &path);
	props = tender_ctl_call(self,
				path,
				TENDER_CTL_PROPERTIES_IFACE,
				"GetAll",
				g_variant_new("(s)", TENDER_CTL_WORKLOAD_IFACE),
				G_VARIANT_TYPE("(a{sv})"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (props == NULL)
		return NULL;
	return g_variant_get_child_value(props, 0);
}

/* runs @func for each NAME; every failure is printed except the last, which is returned, so that
 * each failure is reported once and in order; a missing daemon ends the loop */
static gboolean
tender_ctl_foreach_name(TenderCtl *self, TenderCtlNameFunc func, GError **error)
{
	g_autoptr(GError) error_last = NULL;

	for (guint i = 0; self->names[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		if (func(self, self->names[i], &error_local))
			continue;
		if (error_last != NULL)
			tender_ctl_print_error(error_last);
		g_clear_error(&error_last);
		error_last = g_steal_pointer(&error_local);
		if (tender_ctl_error_is_not_running(error_last))
			break;
	}
	if (error_last != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_last));
		return FALSE;
	}
	return TRUE;
}

/* ---- formatting ---- */

static void
tender_ctl_print_json(JsonNode *root)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *data = NULL;

	json_generator_set_pretty(generator, TRUE);
	json_generator_set_root(generator, root);
	data = json_generator_to_data(generator, NULL);

	/* raw UTF-8, not converted to the locale's charset as g_print() would */
	fputs(data, stdout);
	fputc('\n', stdout);
}

static gboolean
tender_ctl_is_shell_safe(const gchar *arg)
{
	if (arg[0] == '\0')
		return FALSE;
	for (const gchar *p = arg; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("@%+=:,./_-", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* the argv as one could type it into a shell */
static gchar *
tender_ctl_join_argv(const gchar *const *argv)
{
	g_autoptr(GString) str = g_string_new(NULL);

	for (guint i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			g_string_append_c(str, ' ');
		if (tender_ctl_is_shell_safe(argv[i])) {
			g_string_append(str, argv[i]);
		} else {
			g_autofree gchar *quoted = g_shell_quote(argv[i]);
			g_string_append(str, quoted);
		}
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* prints "         Key: value", the first of @lines after the key and the rest below it */
static void
tender_ctl_print_key_lines(const gchar *key, GPtrArray *lines)
{
	if (lines->len == 0) {
		g_print("%*s: -\n", TENDER_CTL_KEY_WIDTH, key);
		return;
	}
	for (guint i = 0; i < lines->len; i++) {
		const gchar *line = g_ptr_array_index(lines, i);
		if (i == 0)
			g_print("%*s: %s\n", TENDER_CTL_KEY_WIDTH, key, line);
		else
			g_print("%*s  %s\n", TENDER_CTL_KEY_WIDTH, "", line);
	}
}

static void
tender_ctl_print_key(const gchar *key, const gchar *value)
{
	g_print("%*s: %s\n",
		TENDER_CTL_KEY_WIDTH,
		key,
		value != NULL && value[0] != '\0' ? value : "-");
}

/* appends "key   value" to @lines, or one line per value for lists */
static void
tender_ctl_add_spec_lines(GPtrArray *lines, const gchar *key, GVariant *value)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);

	if (g_str_equal(key, "memory_max") && g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
		g_ptr_array_add(values, tender_units_format_size(g_variant_get_uint64(value)));
	} else if ((g_str_equal(key, "io_read_bandwidth_max") ||
		    g_str_equal(key, "io_write_bandwidth_max")) &&
		   g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
		g_autofree gchar *size = tender_units_format_size(g_variant_get_uint64(value));
		g_ptr_array_add(values, g_strdup_printf("%s/s", size));
	} else if (g_str_equal(key, "cpu_quota_percent") &&
		   g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
		g_ptr_array_add(values, g_strdup_printf("%u%%", g_variant_get_uint32(value)));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
		g_ptr_array_add(values,
				g_strdup_printf("%" G_GUINT64_FORMAT, g_variant_get_uint64(value)));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
		g_ptr_array_add(values, g_variant_dup_string(value, NULL));
	} else if (g_str_equal(key, "argv") &&
		   g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
		g_autofree const gchar **argv = g_variant_get_strv(value, NULL);
		g_ptr_array_add(values, tender_ctl_join_argv(argv));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
		g_autofree const gchar **strv = g_variant_get_strv(value, NULL);
		for (guint i = 0; strv[i] != NULL; i++)
			g_ptr_array_add(values, g_strdup(strv[i]));
	} else if (g_str_equal(key, "health") &&
		   g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		/* one KEY=VALUE line per key of the health check */
		GVariantIter iter;
		const gchar *k = NULL;
		GVariant *child = NULL;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&sv}", &k, &child)) {
			g_autoptr(GVariant) v = child;
			g_autofree gchar *text = NULL;
			if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING_ARRAY)) {
				g_autofree const gchar **argv = g_variant_get_strv(v, NULL);
				text = tender_ctl_join_argv(argv);
			} else if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING)) {
				text = g_variant_dup_string(v, NULL);
			} else if (g_variant_is_of_type(v, G_VARIANT_TYPE_UINT32)) {
				text = g_strdup_printf("%u", g_variant_get_uint32(v));
			} else {
				text = g_variant_print(v, FALSE);
			}
			g_ptr_array_add(values, g_strdup_printf("%s=%s", k, text));
		}
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE("a{ss}"))) {
		GVariantIter iter;
		const gchar *k = NULL;
		const gchar *v = NULL;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&s&s}", &k, &v))
			g_ptr_array_add(values, g_strdup_printf("%s=%s", k, v));
	} else {
		g_ptr_array_add(values, g_variant_print(value, FALSE));
	}

	if (values->len == 0)
		g_ptr_array_add(values, g_strdup("-"));
	for (guint i = 0; i < values->len; i++) {
		const gchar *text = g_ptr_array_index(values, i);
		g_ptr_array_add(lines,
				g_strdup_printf("%-*s %s",
						TENDER_CTL_SPEC_KEY_WIDTH,
						i == 0 ? key : "",
						text));
	}
}

static gint
tender_ctl_strcmp_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the lines of a Spec or Limits dictionary: known keys in the order of the API, then others */
static GPtrArray *
tender_ctl_spec_lines(GVariant *dict)
{
	const gchar *known[] = {"argv",
				"env",
				"working_directory",
				"description",
				"labels",
				"memory_max",
				"cpu_quota_percent",
				"tasks_max",
				"io_read_bandwidth_max",
				"io_write_bandwidth_max",
				"restart",
				"restart_max",
				"restart_delay_ms",
				"max_runtime_sec",
				"health",
				NULL};
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) others = g_ptr_array_new();
	GVariantIter iter;
	const gchar *key = NULL;

	for (guint i = 0; known[i] != NULL; i++) {
		g_autoptr(GVariant) value = g_variant_lookup_value(dict, known[i], NULL);
		if (value != NULL)
			tender_ctl_add_spec_lines(lines, known[i], value);
	}
	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_next(&iter, "{&sv}", &key, NULL)) {
		if (!g_strv_contains(known, key))
			g_ptr_array_add(others, (gpointer)key);
	}
	g_ptr_array_sort(others, tender_ctl_strcmp_cb);
	for (guint i = 0; i < others->len; i++) {
		const gchar *other = g_ptr_array_index(others, i);
		g_autoptr(GVariant) value = g_variant_lookup_value(dict, other, NULL);
		tender_ctl_add_spec_lines(lines, other, value);
	}
	return g_steal_pointer(&lines);
}

static void
tender_ctl_print_key_uint(const gchar *key, guint value)
{
	g_autofree gchar *text = g_strdup_printf("%u", value);
	tender_ctl_print_key(key, text);
}

static void
tender_ctl_print_properties(GVariant *props)
{
	const gchar *strings[] = {"Name", "State", "Reason", "Unit", "ControlGroup", NULL};
	const gchar *times[] = {"CreatedAt", "StartedAt", "StoppedAt", NULL};
	const gchar *known[] = {"Name",
				"State",
				"Reason",
				"Unit",
				"ControlGroup",
				"MainPID",
				"ExitCode",
				"ExitSignal",
				"CreatedAt",
				"StartedAt",
				"StoppedAt",
				"RestartCount",
				"OOMKilled",
				"Health",
				"Command",
				"Spec",
				"Limits",
				NULL};
	const gchar *str = NULL;
	gboolean flag = FALSE;
	guint32 pid = 0;
	gint32 code = 0;
	g_autofree const gchar **command = NULL;
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(GVariant) limits = NULL;
	GVariantIter iter;
	const gchar *key = NULL;
	GVariant *value = NULL;

	for (guint i = 0; strings[i] != NULL; i++) {
		if (g_variant_lookup(props, strings[i], "&s", &str))
			tender_ctl_print_key(strings[i], str);
	}
	if (g_variant_lookup(props, "MainPID", "u", &pid)) {
		g_autofree gchar *text = pid != 0 ? g_strdup_printf("%u", pid) : NULL;
		tender_ctl_print_key("MainPID", text);
	}
	if (g_variant_lookup(props, "ExitCode", "i", &code)) {
		g_autofree gchar *text = code >= 0 ? g_strdup_printf("%i", code) : NULL;
		tender_ctl_print_key("ExitCode", text);
	}
	if (g_variant_lookup(props, "ExitSignal", "i", &code)) {
		const gchar *name = tender_units_signal_to_string(code);
		g_autofree gchar *text = NULL;
		if (code != 0 && name != NULL)
			text = g_strdup_printf("%i (%s)", code, name);
		else if (code != 0)
			text = g_strdup_printf("%i", code);
		tender_ctl_print_key("ExitSignal", text);
	}
	for (guint i = 0; times[i] != NULL; i++) {
		if (g_variant_lookup(props, times[i], "&s", &str))
			tender_ctl_print_key(times[i], str);
	}
	if (g_variant_lookup(props, "RestartCount", "u", &pid))
		tender_ctl_print_key_uint("RestartCount", pid);
	if (g_variant_lookup(props, "OOMKilled", "b", &flag))
		tender_ctl_print_key("OOMKilled", flag ? "yes" : "no");
	if (g_variant_lookup(props, "Health", "&s", &str))
		tender_ctl_print_key("Health", str);
	if (g_variant_lookup(props, "Command", "^a&s", &command)) {
		g_autofree gchar *text = tender_ctl_join_argv(command);
		tender_ctl_print_key("Command", text);
	}
	spec = g_variant_lookup_value(props, "Spec", G_VARIANT_TYPE_VARDICT);
	if (spec != NULL) {
		g_autoptr(GPtrArray) lines = tender_ctl_spec_lines(spec);
		tender_ctl_print_key_lines("Spec", lines);
	}
	limits = g_variant_lookup_value(props, "Limits", G_VARIANT_TYPE_VARDICT);
	if (limits != NULL) {
		g_autoptr(GPtrArray) lines = tender_ctl_spec_lines(limits);
		tender_ctl_print_key_lines("Limits", lines);
	}

	/* properties of a newer daemon */
	g_variant_iter_init(&iter, props);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		g_autofree gchar *text = NULL;
		if (g_strv_contains(known, key))
			continue;
		text = g_variant_print(value, FALSE);
		tender_ctl_print_key(key, text);
	}
}

/* ---- commands ---- */

static gboolean
tender_ctl_cmd_list(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) workloads = NULL;
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(gint64));
	gsize n_workloads;
	gint width_name = strlen("NAME");
	gint width_state = strlen("STATE");
	gint width_unit = strlen("UNIT");

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ListWorkloads",
				NULL,
				G_VARIANT_TYPE("(a(ssso))"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		if (!tender_ctl_error_is_not_running(*error))
			g_prefix_error(error, "Failed to list workloads: ");
		return FALSE;
	}
	workloads = g_variant_get_child_value(reply, 0);
	n_workloads = g_variant_n_children(workloads);

	/* the main PIDs, best effort: a workload may go away in between, then -1 */
	for (gsize i = 0; i < n_workloads; i++) {
		const gchar *path = NULL;
		g_autoptr(GVariant) pid_reply = NULL;
		g_autoptr(GVariant) pid = NULL;
		gint64 pid_value = -1;
		g_variant_get_child(workloads, i, "(&s&s&s&o)", NULL, NULL, NULL, &path);
		pid_reply =
		    tender_ctl_call(self,
				    path,
				    TENDER_CTL_PROPERTIES_IFACE,
				    "Get",
				    g_variant_new("(ss)", TENDER_CTL_WORKLOAD_IFACE, "MainPID"),
				    G_VARIANT_TYPE("(v)"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    NULL);
		if (pid_reply != NULL) {
			g_autoptr(GVariant) boxed = g_variant_get_child_value(pid_reply, 0);
			pid = g_variant_get_variant(boxed);
		}
		if (pid != NULL && g_variant_is_of_type(pid, G_VARIANT_TYPE_UINT32))
			pid_value = g_variant_get_uint32(pid);
		g_array_append_val(pids, pid_value);
	}

	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		json_builder_begin_array(builder);
		for (gsize i = 0; i < n_workloads; i++) {
			const gchar *name = NULL;
			const gchar *state = NULL;
			const gchar *unit = NULL;
			const gchar *path = NULL;
			gint64 pid = g_array_index(pids, gint64, i);
			g_variant_get_child(workloads,
					    i,
					    "(&s&s&s&o)",
					    &name,
					    &state,
					    &unit,
					    &path);
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "Name");
			json_builder_add_string_value(builder, name);
			json_builder_set_member_name(builder, "State");
			json_builder_add_string_value(builder, state);
			json_builder_set_member_name(builder, "Unit");
			json_builder_add_string_value(builder, unit);
			json_builder_set_member_name(builder, "ObjectPath");
			json_builder_add_string_value(builder, path);
			if (pid >= 0) {
				json_builder_set_member_name(builder, "MainPID");
				json_builder_add_int_value(builder, pid);
			}
			json_builder_end_object(builder);
		}
		json_builder_end_array(builder);
		root = json_builder_get_root(builder);
		tender_ctl_print_json(root);
		return TRUE;
	}

	if (n_workloads == 0) {
		g_print("No workloads.\n");
		return TRUE;
	}
	for (gsize i = 0; i < n_workloads; i++) {
		const gchar *name = NULL;
		const gchar *state = NULL;
		const gchar *unit = NULL;
		g_variant_get_child(workloads, i, "(&s&s&s&o)", &name, &state, &unit, NULL);
		width_name = MAX(width_name, (gint)strlen(name));
		width_state = MAX(width_state, (gint)strlen(state));
		width_unit = MAX(width_unit, (gint)strlen(unit));
	}
	g_print("%-*s  %-*s  %-*s  %s\n",
		width_name,
		"NAME",
		width_state,
		"STATE",
		width_unit,
		"UNIT",
		"MAINPID");
	for (gsize i = 0; i < n_workloads; i++) {
		const gchar *name = NULL;
		const gchar *state = NULL;
		const gchar *unit = NULL;
		gint64 pid = g_array_index(pids, gint64, i);
		g_autofree gchar *pid_text = NULL;
		g_variant_get_child(workloads, i, "(&s&s&s&o)", &name, &state, &unit, NULL);
		pid_text = pid > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, pid) : g_strdup("-");
		g_print("%-*s  %-*s  %-*s  %s\n",
			width_name,
			name,
			width_state,
			state,
			width_unit,
			unit,
			pid_text);
	}
	g_print("\n%u workload%s listed.\n", (guint)n_workloads, n_workloads == 1 ? "" : "s");
	return TRUE;
}

/* calls a Manager method about workload @name that returns nothing; a failure is told as
 * "Failed to VERB workload 'NAME': ..." */
static gboolean
tender_ctl_call_on(TenderCtl *self,
		   const gchar *name,
		   const gchar *method,
		   GVariant *parameters,
		   gint timeout_msec,
		   const gchar *verb,
		   GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_call(self,
						    TENDER_CTL_MANAGER_PATH,
						    TENDER_CTL_MANAGER_IFACE,
						    method,
						    parameters,
						    G_VARIANT_TYPE_UNIT,
						    timeout_msec,
						    error);

	if (reply == NULL) {
		tender_ctl_error_prefix_name(error, verb, name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_ctl_create_one(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"CreateWorkload",
				g_variant_new("(s@a{sv}@a{sv})",
					      name,
					      self->spec,
					      tender_ctl_empty_options()),
				G_VARIANT_TYPE("(o)"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		tender_ctl_error_prefix_name(error, "create", name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_ctl_start_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "StartWorkload",
				  g_variant_new("(s@a{sv})", name, tender_ctl_empty_options()),
				  TENDER_CTL_TIMEOUT_NONE,
				  "start",
				  error);
}

static gboolean
tender_ctl_stop_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "StopWorkload",
				  g_variant_new("(s@a{sv})", name, self->options),
				  TENDER_CTL_TIMEOUT_NONE,
				  "stop",
				  error);
}

static gboolean
tender_ctl_kill_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "KillWorkload",
				  g_variant_new("(si)", name, (gint32)self->signo),
				  TENDER_CTL_TIMEOUT_DEFAULT,
				  "kill",
				  error);
}

static gboolean
tender_ctl_remove_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "RemoveWorkload",
				  g_variant_new("(s@a{sv})", name, self->options),
				  TENDER_CTL_TIMEOUT_NONE,
				  "remove",
				  error);
}

static gboolean
tender_ctl_inspect_one(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) props = tender_ctl_get_properties(self, name, error);

	if (props == NULL) {
		tender_ctl_error_prefix_name(error, "inspect", name);
		return FALSE;
	}
	if (self->json) {
		json_array_add_element(self->json_results, json_gvariant_serialize(props));
		return TRUE;
	}
	if (self->n_shown++ > 0)
		g_print("\n");
	tender_ctl_print_properties(props);
	return TRUE;
}

static gboolean
tender_ctl_cmd_create(TenderCtl *self, GError **error)
{
	return tender_ctl_create_one(self, self->names[0], error);
}

static gboolean
tender_ctl_cmd_run(TenderCtl *self, GError **error)
{
	if (!tender_ctl_create_one(self, self->names[0], error))
		return FALSE;
	return tender_ctl_start_one(self, self->names[0], error);
}

static gboolean
tender_ctl_cmd_start(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_start_one, error);
}

static gboolean
tender_ctl_cmd_stop(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_stop_one, error);
}

static gboolean
tender_ctl_cmd_kill(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_kill_one, error);
}

static gboolean
tender_ctl_cmd_remove(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_remove_one, error);
}

static gboolean
tender_ctl_cmd_inspect(TenderCtl *self, GError **error)
{
	gboolean ret;

	self->json_results = json_array_new();
	ret = tender_ctl_foreach_name(self, tender_ctl_inspect_one, error);

	/* one document with what could be read; nothing at all if nothing could */
	if (self->json && (ret || json_array_get_length(self->json_results) > 0)) {
		g_autoptr(JsonNode) root =
		    json_node_init_array(json_node_alloc(), self->json_results);
		tender_ctl_print_json(root);
	}
	return ret;
}

static gboolean
tender_ctl_cmd_export(TenderCtl *self, GError **error)
{
	const gchar *name = self->names[0];
	g_autoptr(GVariant) reply = NULL;
	const gchar *json = NULL;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ExportWorkload",
				g_variant_new("(s)", name),
				G_VARIANT_TYPE("(s)"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		tender_ctl_error_prefix_name(error, "export", name);
		return FALSE;
	}
	g_variant_get(reply, "(&s)", &json);
	if (self->output == NULL || g_strcmp0(self->output, "-") == 0) {
		g_print("%s\n", json);
		return TRUE;
	}
	if (!g_file_set_contents_full(self->output,
				      json,
				      -1,
				      G_FILE_SET_CONTENTS_CONSISTENT,
				      0600,
				      error)) {
		g_prefix_error(error, "Cannot write the export of '%s': ", name);
		return FALSE;
	}
	return TRUE;
}

/* reads what is to be imported, at most TENDER_CTL_IMPORT_MAX bytes of UTF-8 */
static gboolean
tender_ctl_read_import(const gchar *path, gchar **json, GError **error)
{
	g_autoptr(GFile) file = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GByteArray) data = g_byte_array_new();
	guint8 buf[8192];

	if (g_strcmp0(path, "-") == 0) {
		stream = g_unix_input_stream_new(STDIN_FILENO, FALSE);
	} else {
		file = g_file_new_for_commandline_arg(path);
		stream = G_INPUT_STREAM(g_file_read(file, NULL, error));
		if (stream == NULL)
			return FALSE;
	}
	for (;;) {
		gssize n = g_input_stream_read(stream, buf, sizeof(buf), NULL, error);
		if (n < 0)
			return FALSE;
		if (n == 0)
			break;
		g_byte_array_append(data, buf, (guint)n);
		if (data->len > TENDER_CTL_IMPORT_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "%s has more than %d bytes, more than a workload can have",
				    path,
				    TENDER_CTL_IMPORT_MAX);
			return FALSE;
		}
	}
	if (memchr(data->data, '\0', data->len) != NULL ||
	    !g_utf8_validate((const gchar *)data->data, (gssize)data->len, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s is not a JSON text",
			    path);
		return FALSE;
	}
	g_byte_array_append(data, (const guint8 *)"", 1);
	*json = (gchar *)g_byte_array_free(g_steal_pointer(&data), FALSE);
	return TRUE;
}

static gboolean
tender_ctl_cmd_import(TenderCtl *self, GError **error)
{
	g_autofree gchar *json = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (!tender_ctl_read_import(self->names[0], &json, error))
		return FALSE;
	if (self->import_name != NULL) {
		if (!g_utf8_validate(self->import_name, -1, NULL)) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "The name is not valid UTF-8");
			return FALSE;
		}
		g_variant_builder_add(&options,
				      "{sv}",
				      "name",
				      g_variant_new_string(self->import_name));
	}
	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ImportWorkload",
				g_variant_new("(sa{sv})", json, &options),
				G_VARIANT_TYPE("(o)"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		g_prefix_error(error, "Cannot import %s: ", self->names[0]);
		return FALSE;
	}
	return TRUE;
}

/* ---- logs ---- */

/* an entry of GetLogs or FollowLogs: the message to stdout or stderr as the workload printed
 * it, or the entry as one line of JSON */
static void
tender_ctl_print_log_entry(TenderCtl *self,
			   const gchar *message,
			   const gchar *stream,
			   const gchar *json)
{
	FILE *out = self->json || g_strcmp0(stream, "stderr") != 0 ? stdout : stderr;

	/* stdout is buffered, stderr is not: keep the order where both go to the same place */
	if (self->log_last != NULL && self->log_last != out)
		fflush(self->log_last);
	self->log_last = out;
	/* raw UTF-8, not converted to the locale's charset as g_print() would */
	fputs(self->json ? json : message, out);
	fputc('\n', out);
}

static gboolean
tender_ctl_logs_get(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) entries = NULL;
	GVariantIter iter;
	GVariant *entry = NULL;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"GetLogs",
				g_variant_new("(s@a{sv})", name, self->options),
				G_VARIANT_TYPE("(aa{sv})"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		tender_ctl_error_prefix_name(error, "read the logs of", name);
		return FALSE;
	}
	entries = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, entries);
	while (g_variant_iter_loop(&iter, "@a{sv}", &entry)) {
		const gchar *message = "";
		const gchar *stream = "";
		g_autofree gchar *json = NULL;
		g_autoptr(JsonNode) node = NULL;
		(void)g_variant_lookup(entry, "message", "&s", &message);
		(void)g_variant_lookup(entry, "stream", "&s", &stream);
		if (self->json) {
			node = json_gvariant_serialize(entry);
			json = json_to_string(node, FALSE);
		}
		tender_ctl_print_log_entry(self, message, stream, json);
	}
	return TRUE;
}

static void
tender_ctl_logs_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCtl *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *line = NULL;

	line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
							 res,
							 NULL,
							 &error);
	if (line == NULL) {
		/* the end: the workload was removed, or tenderd went away */
		if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_printerr("tenderctl: %s\n", error->message);
		g_main_loop_quit(self->loop);
		return;
	}
	/* a line cut short by the end of the pipe is no entry */
	root = tender_json_parse(line, -1, TENDER_JSON_DEPTH_MAX, NULL);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		JsonObject *obj = json_node_get_object(root);
		tender_ctl_print_log_entry(self,
					   json_object_get_string_member_with_default(obj,
										      "message",
										      ""),
					   json_object_get_string_member_with_default(obj,
										      "stream",
										      ""),
					   line);
		fflush(self->log_last);
	}
	g_data_input_stream_read_line_async(self->log_stream,
					    G_PRIORITY_DEFAULT,
					    NULL,
					    tender_ctl_logs_line_cb,
					    self);
}

static gboolean
tender_ctl_logs_interrupt_cb(gpointer user_data)
{
	TenderCtl *self = user_data;
	g_main_loop_quit(self->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_ctl_logs_follow(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GInputStream) input = NULL;
	gint32 index = -1;
	gint fd;
	guint sigint_id;
	guint sigterm_id;

	reply = g_dbus_connection_call_with_unix_fd_list_sync(
	    self->connection,
	    TENDER_CTL_BUS_NAME,
	    TENDER_CTL_MANAGER_PATH,
	    TENDER_CTL_MANAGER_IFACE,
	    "FollowLogs",
	    g_variant_new("(s@a{sv})", name, self->options),
	    G_VARIANT_TYPE("(h)"),
	    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
	    TENDER_CTL_TIMEOUT_DEFAULT,
	    NULL,
	    &fd_list,
	    NULL,
	    &error_local);
	if (reply == NULL) {
		if (tender_ctl_error_is_no_owner(error_local)) {
			g_set_error_literal(error,
					    G_DBUS_ERROR,
					    G_DBUS_ERROR_SERVICE_UNKNOWN,
					    "tenderd is not running (" TENDER_CTL_BUS_NAME
					    " is not on the bus)");
			return FALSE;
		}
		g_dbus_error_strip_remote_error(error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		tender_ctl_error_prefix_name(error, "follow the logs of", name);
		return FALSE;
	}
	g_variant_get(reply, "(h)", &index);
	fd = fd_list != NULL ? g_unix_fd_list_get(fd_list, index, error) : -1;
	if (fd < 0) {
		if (error != NULL && *error == NULL)
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "tenderd sent no file descriptor");
		g_prefix_error(error, "Failed to follow the logs of workload '%s': ", name);
		return FALSE;
	}
	input = g_unix_input_stream_new(fd, TRUE);
	self->log_stream = g_data_input_stream_new(input);
	self->loop = g_main_loop_new(NULL, FALSE);
	/* Ctrl-C ends it, as it ends `journalctl -f`: a normal end */
	sigint_id = g_unix_signal_add(SIGINT, tender_ctl_logs_interrupt_cb, self);
	sigterm_id = g_unix_signal_add(SIGTERM, tender_ctl_logs_interrupt_cb, self);
	g_data_input_stream_read_line_async(self->log_stream,
					    G_PRIORITY_DEFAULT,
					    NULL,
					    tender_ctl_logs_line_cb,
					    self);
	g_main_loop_run(self->loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	return TRUE;
}

static gboolean
tender_ctl_cmd_logs(TenderCtl *self, GError **error)
{
	gboolean ret;

	if (self->follow)
		ret = tender_ctl_logs_follow(self, self->names[0], error);
	else
		ret = tender_ctl_logs_get(self, self->names[0], error);
	fflush(stdout);
	return ret;
}

/* the options of GetLogs and FollowLogs; keys only when given */
static gboolean
tender_ctl_build_log_options(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (self->lines != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->lines, 10, 0, 10000, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of lines '%s': expected a whole number from 0 "
				    "to 10000",
				    self->lines);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "lines",
				      g_variant_new_uint32((guint32)value));
	}
	if (self->stream != NULL) {
		if (g_strcmp0(self->stream, "stdout") != 0 &&
		    g_strcmp0(self->stream, "stderr") != 0 &&
		    g_strcmp0(self->stream, "both") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid stream '%s': expected stdout, stderr or both",
				    self->stream);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "stream",
				      g_variant_new_string(self->stream));
	}
	self->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/* ---- stats, pause and resume ---- */

/* CPU % is measured over this long when stats prints once, and first with --watch */
#define TENDER_CTL_STATS_SAMPLE_MSEC 1000
/* --watch prints again this often */
#define TENDER_CTL_STATS_INTERVAL_MSEC 2000

static gboolean
tender_ctl_pause_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "PauseWorkload",
				  g_variant_new("(s)", name),
				  TENDER_CTL_TIMEOUT_DEFAULT,
				  "pause",
				  error);
}

static gboolean
tender_ctl_resume_one(TenderCtl *self, const gchar *name, GError **error)
{
	return tender_ctl_call_on(self,
				  name,
				  "ResumeWorkload",
				  g_variant_new("(s)", name),
				  TENDER_CTL_TIMEOUT_DEFAULT,
				  "resume",
				  error);
}

static gboolean
tender_ctl_cmd_pause(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_pause_one, error);
}

static gboolean
tender_ctl_cmd_resume(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_resume_one, error);
}

/* the workloads stats shows: those named, or all that run or are paused */
static GStrv
tender_ctl_stats_names(TenderCtl *self, GError **error)
{
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) iter = NULL;
	const gchar *name = NULL;
	const gchar *state = NULL;

	if (self->names[0] != NULL)
		return g_strdupv(self->names);
	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ListWorkloads",
				NULL,
				G_VARIANT_TYPE("(a(ssso))"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		if (!tender_ctl_error_is_not_running(*error))
			g_prefix_error(error, "Failed to list workloads: ");
		return NULL;
	}
	g_variant_get(reply, "(a(ssso))", &iter);
	while (g_variant_iter_next(iter, "(&s&s&s&o)", &name, &state, NULL, NULL)) {
		if (g_strcmp0(state, "running") == 0 || g_strcmp0(state, "paused") == 0)
			g_strv_builder_add(names, name);
	}
	return g_strv_builder_end(names);
}

/* GetMetrics of @name, and the memory limit the kernel holds for it (0 if none) */
static GVariant *
tender_ctl_stats_one(TenderCtl *self, const gchar *name, guint64 *memory_max, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) path_reply = NULL;
	g_autoptr(GVariant) limits_reply = NULL;
	const gchar *path = NULL;

	*memory_max = 0;
	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"GetMetrics",
				g_variant_new("(s)", name),
				G_VARIANT_TYPE("(a{sv})"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		tender_ctl_error_prefix_name(error, "read the metrics of", name);
		return NULL;
	}
	/* best effort: without it, the limit is shown as unknown */
	path_reply = tender_ctl_call(self,
				     TENDER_CTL_MANAGER_PATH,
				     TENDER_CTL_MANAGER_IFACE,
				     "GetWorkload",
				     g_variant_new("(s)", name),
				     G_VARIANT_TYPE("(o)"),
				     TENDER_CTL_TIMEOUT_DEFAULT,
				     NULL);
	if (path_reply != NULL) {
		g_variant_get(path_reply, "(&o)", &path);
		limits_reply =
		    tender_ctl_call(self,
				    path,
				    TENDER_CTL_PROPERTIES_IFACE,
				    "Get",
				    g_variant_new("(ss)", TENDER_CTL_WORKLOAD_IFACE, "Limits"),
				    G_VARIANT_TYPE("(v)"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    NULL);
	}
	if (limits_reply != NULL) {
		g_autoptr(GVariant) boxed = g_variant_get_child_value(limits_reply, 0);
		g_autoptr(GVariant) limits = g_variant_get_variant(boxed);
		if (g_variant_is_of_type(limits, G_VARIANT_TYPE_VARDICT))
			(void)g_variant_lookup(limits, "memory_max", "t", memory_max);
	}
	return g_variant_get_child_value(reply, 0);
}

static guint64
tender_ctl_metric(GVariant *metrics, const gchar *key)
{
	guint64 value = 0;
	(void)g_variant_lookup(metrics, key, "t", &value);
	return value;
}

/* one round of GetMetrics; prints it unless @print is FALSE (a first sample for CPU %) */
static gboolean
tender_ctl_stats_round(TenderCtl *self, gboolean print, GError **error)
{
	g_auto(GStrv) names = tender_ctl_stats_names(self, error);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *header[] =
	    {"NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PEAK", "PIDS", "BLOCK I/O", NULL};
	gint widths[G_N_ELEMENTS(header) - 1] = {0};

	if (names == NULL)
		return FALSE;
	json_builder_begin_array(builder);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GVariant) metrics = NULL;
		GPtrArray *row;
		g_autofree gchar *usage = NULL;
		g_autofree gchar *limit = NULL;
		g_autofree gchar *peak = NULL;
		g_autofree gchar *read = NULL;
		g_autofree gchar *written = NULL;
		guint64 memory_max = 0;
		guint64 memory = 0;
		gdouble cpu = 0.0;

		metrics = tender_ctl_stats_one(self, names[i], &memory_max, &error_local);
		if (metrics == NULL) {
			/* unnamed workloads may end between the list and the read */
			if (self->names[0] == NULL && !tender_ctl_error_is_not_running(error_local))
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (!print)
			continue;
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "Name");
		json_builder_add_string_value(builder, names[i]);
		if (memory_max > 0) {
			json_builder_set_member_name(builder, "memory_max");
			json_builder_add_int_value(builder, (gint64)memory_max);
		}
		json_builder_set_member_name(builder, "Metrics");
		json_builder_add_value(builder, json_gvariant_serialize(metrics));
		json_builder_end_object(builder);

		(void)g_variant_lookup(metrics, "cpu_percent", "d", &cpu);
		memory = tender_ctl_metric(metrics, "memory_bytes");
		usage = tender_units_format_size(memory);
		limit = memory_max > 0 ? tender_units_format_size(memory_max) : g_strdup("-");
		peak = tender_units_format_size(tender_ctl_metric(metrics, "memory_peak_bytes"));
		read = tender_units_format_size(tender_ctl_metric(metrics, "io_read_bytes"));
		written = tender_units_format_size(tender_ctl_metric(metrics, "io_write_bytes"));
		row = g_ptr_array_new();
		g_ptr_array_add(row, g_strdup(names[i]));
		g_ptr_array_add(row, g_strdup_printf("%.2f%%", cpu));
		g_ptr_array_add(row, g_strdup_printf("%s / %s", usage, limit));
		g_ptr_array_add(row,
				memory_max > 0
				    ? g_strdup_printf("%.2f%%",
						      (gdouble)memory * 100.0 / (gdouble)memory_max)
				    : g_strdup("-"));
		g_ptr_array_add(row, g_steal_pointer(&peak));
		g_ptr_array_add(row,
				g_strdup_printf("%" G_GUINT64_FORMAT,
						tender_ctl_metric(metrics, "tasks")));
		g_ptr_array_add(row, g_strdup_printf("%s / %s", read, written));
		g_ptr_array_add(row, NULL);
		g_ptr_array_add(rows, g_ptr_array_free(row, FALSE));
	}
	json_builder_end_array(builder);
	if (!print)
		return TRUE;

	if (self->json) {
		g_autoptr(JsonNode) root = json_builder_get_root(builder);
		if (self->watch) {
			/* one line per refresh */
			g_autoptr(JsonGenerator) generator = json_generator_new();
			g_autofree gchar *data = NULL;
			json_generator_set_root(generator, root);
			data = json_generator_to_data(generator, NULL);
			fputs(data, stdout);
			fputc('\n', stdout);
		} else {
			tender_ctl_print_json(root);
		}
		fflush(stdout);
		return TRUE;
	}

	/* with --watch on a terminal, each table replaces the one before */
	if (self->watch && isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout);
	if (rows->len == 0 && self->names[0] == NULL) {
		g_print("No running workloads.\n");
		fflush(stdout);
		return TRUE;
	}
	for (guint c = 0; header[c] != NULL; c++)
		widths[c] = (gint)strlen(header[c]);
	for (guint r = 0; r < rows->len; r++) {
		gchar **row = g_ptr_array_index(rows, r);
		for (guint c = 0; header[c] != NULL; c++)
			widths[c] = MAX(widths[c], (gint)g_utf8_strlen(row[c], -1));
	}
	for (guint r = 0; r <= rows->len; r++) {
		const gchar *const *row =
		    r == 0 ? header : (const gchar *const *)g_ptr_array_index(rows, r - 1);
		for (guint c = 0; row[c] != NULL; c++) {
			if (row[c + 1] == NULL)
				g_print("%s\n", row[c]);
			else
				g_print("%-*s  ", widths[c], row[c]);
		}
	}
	if (self->watch)
		g_print("\n");
	fflush(stdout);
	return TRUE;
}

typedef struct {
	TenderCtl *self;
	GMainLoop *loop;
	GError *error;
} TenderCtlWatch;

static gboolean
tender_ctl_stats_tick_cb(gpointer user_data)
{
	TenderCtlWatch *watch = user_data;

	if (!tender_ctl_stats_round(watch->self, TRUE, &watch->error)) {
		g_main_loop_quit(watch->loop);
		return G_SOURCE_REMOVE;
	}
	g_timeout_add(TENDER_CTL_STATS_INTERVAL_MSEC, tender_ctl_stats_tick_cb, watch);
	return G_SOURCE_REMOVE;
}

static gboolean
tender_ctl_stats_interrupt_cb(gpointer user_data)
{
	TenderCtlWatch *watch = user_data;
	g_main_loop_quit(watch->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_ctl_cmd_stats(TenderCtl *self, GError **error)
{
	TenderCtlWatch watch = {self, NULL, NULL};
	guint sigint_id;
	guint sigterm_id;

	/* CPU % is the use since the previous GetMetrics: take one to measure from */
	if (!tender_ctl_stats_round(self, FALSE, error))
		return FALSE;
	if (!self->watch) {
		g_usleep(TENDER_CTL_STATS_SAMPLE_MSEC * 1000);
		return tender_ctl_stats_round(self, TRUE, error);
	}
	watch.loop = g_main_loop_new(NULL, FALSE);
	sigint_id = g_unix_signal_add(SIGINT, tender_ctl_stats_interrupt_cb, &watch);
	sigterm_id = g_unix_signal_add(SIGTERM, tender_ctl_stats_interrupt_cb, &watch);
	g_timeout_add(TENDER_CTL_STATS_SAMPLE_MSEC, tender_ctl_stats_tick_cb, &watch);
	g_main_loop_run(watch.loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	(void)g_source_remove_by_user_data(&watch);
	g_main_loop_unref(watch.loop);
	if (watch.error != NULL) {
		g_propagate_error(error, watch.error);
		return FALSE;
	}
	return TRUE;
}

/* ---- events ---- */

typedef struct {
	TenderCtl *self;
	GMainLoop *loop;
} TenderCtlEvents;

static void
tender_ctl_events_signal_cb(GDBusConnection *connection,
			    const gchar *sender,
			    const gchar *path,
			    const gchar *iface,
			    const gchar *signal,
			    GVariant *params,
			    gpointer user_data)
{
	TenderCtlEvents *events = user_data;
	TenderCtl *self = events->self;
	const gchar *name = NULL;
	const gchar *old_state = NULL;
	const gchar *new_state = NULL;
	const gchar *reason = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(ssss)")))
		return;
	g_variant_get(params, "(&s&s&s&s)", &name, &old_state, &new_state, &reason);
	if (self->names[0] != NULL && !g_strv_contains((const gchar *const *)self->names, name))
		return;
	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		g_autofree gchar *text = NULL;
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "timestamp");
		json_builder_add_string_value(builder, stamp);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, name);
		json_builder_set_member_name(builder, "old_state");
		json_builder_add_string_value(builder, old_state);
		json_builder_set_member_name(builder, "new_state");
		json_builder_add_string_value(builder, new_state);
		json_builder_set_member_name(builder, "reason");
		json_builder_add_string_value(builder, reason);
		json_builder_end_object(builder);
		root = json_builder_get_root(builder);
		text = json_to_string(root, FALSE);
		fprintf(stdout, "%s\n", text);
	} else {
		fprintf(stdout,
			"%s %s %s -> %s%s%s%s\n",
			stamp,
			name,
			old_state,
			new_state,
			reason[0] != '\0' ? " (" : "",
			reason,
			reason[0] != '\0' ? ")" : "");
	}
	fflush(stdout);
}

static gboolean
tender_ctl_events_interrupt_cb(gpointer user_data)
{
	TenderCtlEvents *events = user_data;
	g_main_loop_quit(events->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_ctl_cmd_events(TenderCtl *self, GError **error)
{
	TenderCtlEvents events = {self, g_main_loop_new(NULL, FALSE)};
	guint sub;
	guint sigint_id;
	guint sigterm_id;

	sub = g_dbus_connection_signal_subscribe(self->connection,
						 TENDER_CTL_BUS_NAME,
						 TENDER_CTL_MANAGER_IFACE,
						 "WorkloadStateChanged",
						 TENDER_CTL_MANAGER_PATH,
						 NULL,
						 G_DBUS_SIGNAL_FLAGS_NONE,
						 tender_ctl_events_signal_cb,
						 &events,
						 NULL);
	/* Ctrl-C ends it, as it ends `busctl monitor`: a normal end */
	sigint_id = g_unix_signal_add(SIGINT, tender_ctl_events_interrupt_cb, &events);
	sigterm_id = g_unix_signal_add(SIGTERM, tender_ctl_events_interrupt_cb, &events);
	g_main_loop_run(events.loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_dbus_connection_signal_unsubscribe(self->connection, sub);
	g_main_loop_unref(events.loop);
	return TRUE;
}

/* ---- adapters ---- */

#define TENDER_CTL_ADAPTER_IFACE "org.tender.Agent1.Adapter"

static gboolean
tender_ctl_cmd_adapters(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) adapters = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	GVariantIter iter;
	const gchar *name;
	const gchar *type;
	const gchar *path;
	gint width_name = strlen("NAME");
	gint width_type = strlen("TYPE");

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ListAdapters",
				NULL,
				G_VARIANT_TYPE("(a(sso))"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL)
		return FALSE;
	adapters = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, adapters);
	while (g_variant_iter_next(&iter, "(&s&s&o)", &name, &type, &path)) {
		width_name = MAX(width_name, (gint)strlen(name));
		width_type = MAX(width_type, (gint)strlen(type));
	}
	if (!self->json)
		g_print("%-*s  %-*s  %s\n", width_name, "NAME", width_type, "TYPE", "OBJECT PATH");
	g_variant_iter_init(&iter, adapters);
	while (g_variant_iter_next(&iter, "(&s&s&o)", &name, &type, &path)) {
		JsonObject *obj;

		if (!self->json) {
			g_print("%-*s  %-*s  %s\n", width_name, name, width_type, type, path);
			continue;
		}
		obj = json_object_new();
		json_object_set_string_member(obj, "Name", name);
		json_object_set_string_member(obj, "Type", type);
		json_object_set_string_member(obj, "ObjectPath", path);
		json_array_add_object_element(array, obj);
	}
	if (self->json) {
		g_autoptr(JsonNode) root = json_node_init_array(json_node_alloc(), array);
		tender_ctl_print_json(root);
	}
	return TRUE;
}

static const gchar *const tender_ctl_adapter_verbs[] = {"start", "update", "stop", "metrics"};

/* VERB INSTANCE [KEY=VALUE...]: the payload is built here, so that a bad one is a usage error */
static gboolean
tender_ctl_check_adapter_args(TenderCtl *self, GError **error)
{
	guint n_names = g_strv_length(self->names);
	gboolean known = FALSE;
	gboolean takes_payload;
	g_autoptr(JsonObject) payload = json_object_new();

	if (n_names < 2) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'adapter' needs a verb (start, update, stop or metrics) and "
				    "an "
				    "instance name");
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_adapter_verbs); i++)
		known = known || g_strcmp0(self->names[0], tender_ctl_adapter_verbs[i]) == 0;
	if (!known) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown adapter verb '%s'; use start, update, stop or metrics",
			    self->names[0]);
		return FALSE;
	}
	takes_payload =
	    g_strcmp0(self->names[0], "start") == 0 || g_strcmp0(self->names[0], "update") == 0;
	if (!takes_payload && (n_names > 2 || self->payload != NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'adapter %s' takes only an instance name",
			    self->names[0]);
		return FALSE;
	}
	if (!takes_payload)
		return TRUE;
	if (self->payload != NULL) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(JsonNode) root =
		    tender_json_parse(self->payload, -1, TENDER_JSON_DEPTH_MAX, &error_local);

		if (root == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "--payload is not valid JSON: %s",
				    error_local->message);
			return FALSE;
		}
		if (!JSON_NODE_HOLDS_OBJECT(root)) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "--payload must be a JSON object");
			return FALSE;
		}
		json_object_unref(payload);
		payload = json_object_ref(json_node_get_object(root));
	}
	for (guint i = 2; i < n_names; i++) {
		const gchar *eq = strchr(self->names[i], '=');
		g_autofree gchar *key = NULL;
		JsonNode *value = NULL;

		if (eq == NULL || eq == self->names[i]) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' is not KEY=VALUE",
				    self->names[i]);
			return FALSE;
		}
		key = g_strndup(self->names[i], (gsize)(eq - self->names[i]));
		if (eq[1] != '\0')
			value = tender_json_parse(eq + 1, -1, TENDER_JSON_DEPTH_MAX, NULL);
		if (value != NULL)
			json_object_set_member(payload, key, value);
		else
			json_object_set_string_member(payload, key, eq + 1);
	}
	{
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), payload);
		g_free(self->payload);
		self->payload = json_to_string(node, FALSE);
	}
	return TRUE;
}

static gboolean
tender_ctl_cmd_adapter(TenderCtl *self, GError **error)
{
	const gchar *verb = self->names[0];
	const gchar *instance = self->names[1];
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) adapters = NULL;
	g_autofree gchar *path = NULL;
	GVariantIter iter;
	const gchar *name;
	const gchar *p;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ListAdapters",
				NULL,
				G_VARIANT_TYPE("(a(sso))"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL)
		return FALSE;
	adapters = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, adapters);
	while (path == NULL && g_variant_iter_next(&iter, "(&s&s&o)", &name, NULL, &p)) {
		if (g_strcmp0(name, instance) == 0)
			path = g_strdup(p);
	}
	if (path == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No adapter instance '%s'",
			    instance);
		return FALSE;
	}
	g_clear_pointer(&reply, g_variant_unref);
	if (g_strcmp0(verb, "metrics") == 0) {
		g_autoptr(JsonNode) root = NULL;
		const gchar *json = NULL;

		reply = tender_ctl_call(self,
					path,
					TENDER_CTL_ADAPTER_IFACE,
					"GetMetrics",
					NULL,
					G_VARIANT_TYPE("(s)"),
					TENDER_CTL_TIMEOUT_DEFAULT,
					error);
		if (reply == NULL)
			return FALSE;
		g_variant_get(reply, "(&s)", &json);
		root = tender_json_parse(json, -1, TENDER_JSON_DEPTH_MAX, error);
		if (root == NULL) {
			g_prefix_error(error, "The metrics are not valid JSON: ");
			return FALSE;
		}
		tender_ctl_print_json(root);
		return TRUE;
	}
	if (g_strcmp0(verb, "stop") == 0) {
		reply = tender_ctl_call(self,
					path,
					TENDER_CTL_ADAPTER_IFACE,
					"Stop",
					NULL,
					NULL,
					TENDER_CTL_TIMEOUT_NONE,
					error);
		if (reply == NULL)
			g_prefix_error(error, "Failed to stop adapter instance '%s': ", instance);
		return reply != NULL;
	}
	if (g_strcmp0(verb, "start") == 0) {
		reply = tender_ctl_call(self,
					path,
					TENDER_CTL_ADAPTER_IFACE,
					"StartJson",
					g_variant_new("(s)", self->payload),
					NULL,
					TENDER_CTL_TIMEOUT_NONE,
					error);
		if (reply == NULL)
			g_prefix_error(error, "Failed to start adapter instance '%s': ", instance);
		return reply != NULL;
	}
	{
		const gchar *result = NULL;

		reply = tender_ctl_call(self,
					path,
					TENDER_CTL_ADAPTER_IFACE,
					"UpdateJson",
					g_variant_new("(s)", self->payload),
					G_VARIANT_TYPE("(s)"),
					TENDER_CTL_TIMEOUT_NONE,
					error);
		if (reply == NULL) {
			g_prefix_error(error, "Failed to update adapter instance '%s': ", instance);
			return FALSE;
		}
		g_variant_get(reply, "(&s)", &result);
		if (g_strcmp0(result, "applied") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "Failed to update adapter instance '%s': %s",
				    instance,
				    g_strcmp0(result, "not-running") == 0
					? "its workload does not run (not-running)"
					: "the adapter cannot apply this update (unsupported)");
			return FALSE;
		}
		g_print("%s\n", result);
	}
	return TRUE;
}

#define TENDER_CTL_SPEC_HELP                                                                       \
	"SIZE takes the suffixes K, M, G, T and P, powers of 1024 as in systemd's MemoryMax=,\n"   \
	"e.g. 512M or 1.5G; a plain number is bytes.  PERCENT is of one CPU, e.g. 50% or 200%.\n"  \
	"The I/O limits apply to the block device of the working directory.  A relative\n"         \
	"--workdir is taken from the current directory.  DURATION is a sum of numbers with\n"      \
	"the units ms, s, m, h and d, e.g. 500ms, 90s or 1h30m; a plain number is seconds.\n"

/* --- plugins --- */

static gboolean
tender_ctl_cmd_plugins(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) plugins = NULL;
	gint width_name = strlen("NAME");
	gint width_version = strlen("VERSION");
	gsize n;

	reply = tender_ctl_call(self,
				TENDER_CTL_MANAGER_PATH,
				TENDER_CTL_MANAGER_IFACE,
				"ListPlugins",
				NULL,
				G_VARIANT_TYPE("(a(sss))"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				error);
	if (reply == NULL) {
		if (!tender_ctl_error_is_not_running(*error))
			g_prefix_error(error, "Failed to list plugins: ");
		return FALSE;
	}
	plugins = g_variant_get_child_value(reply, 0);
	n = g_variant_n_children(plugins);
	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		json_builder_begin_array(builder);
		for (gsize i = 0; i < n; i++) {
			const gchar *name = NULL;
			const gchar *version = NULL;
			const gchar *status = NULL;
			g_variant_get_child(plugins, i, "(&s&s&s)", &name, &version, &status);
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "Name");
			json_builder_add_string_value(builder, name);
			json_builder_set_member_name(builder, "Version");
			json_builder_add_string_value(builder, version);
			json_builder_set_member_name(builder, "Status");
			json_builder_add_string_value(builder, status);
			json_builder_end_object(builder);
		}
		json_builder_end_array(builder);
		root = json_builder_get_root(builder);
		tender_ctl_print_json(root);
		return TRUE;
	}
	if (n == 0) {
		g_print("No plugins.\n");
		return TRUE;
	}
	for (gsize i = 0; i < n; i++) {
		const gchar *name = NULL;
		const gchar *version = NULL;
		g_variant_get_child(plugins, i, "(&s&s&s)", &name, &version, NULL);
		width_name = MAX(width_name, (gint)strlen(name));
		width_version = MAX(width_version, (gint)strlen(version));
	}
	g_print("%-*s  %-*s  %s\n", width_name, "NAME", width_version, "VERSION", "STATUS");
	for (gsize i = 0; i < n; i++) {
		const gchar *name = NULL;
		const gchar *version = NULL;
		const gchar *status = NULL;
		g_variant_get_child(plugins, i, "(&s&s&s)", &name, &version, &status);
		g_print("%-*s  %-*s  %s\n",
			width_name,
			name,
			width_version,
			version[0] != '\0' ? version : "-",
			status);
	}
	return TRUE;
}

static const TenderCtlCommand tender_ctl_commands[] = {
    {
	"list",
	"",
	"List workloads",
	"List workloads: their name, state, systemd unit and main PID.",
	"With --json, prints an array of objects with the keys Name, State, Unit, ObjectPath and\n"
	"MainPID (absent if it could not be read).",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_list,
    },
    {
	"create",
	"NAME [SPEC-OPTION...] -- CMD [ARG...]",
	"Register a workload",
	"Register a workload without starting it; its state is \"created\".\n"
	"\n"
	"NAME is [A-Za-z0-9][A-Za-z0-9_.-]{0,63}.  Everything after '--' is the command and its\n"
	"arguments; the command is looked up in PATH unless it contains a slash.",
	TENDER_CTL_SPEC_HELP
	"\n"
	"Example:\n"
	"  tenderctl create web --memory 512M --cpu 50% --env PORT=8080 -- \\\n"
	"          python3 -m http.server 8080",
	TENDER_CTL_OPTS_SPEC,
	TENDER_CTL_ARGS_NAME_COMMAND,
	tender_ctl_cmd_create,
    },
    {
	"run",
	"NAME [SPEC-OPTION...] -- CMD [ARG...]",
	"Register a workload and start it",
	"Register a workload and start it; returns once the command runs.\n"
	"\n"
	"NAME is [A-Za-z0-9][A-Za-z0-9_.-]{0,63}.  Everything after '--' is the command and its\n"
	"arguments; the command is looked up in PATH unless it contains a slash.  If the workload\n"
	"cannot be started it is kept in state \"failed\": 'tenderctl inspect NAME' tells why.",
	TENDER_CTL_SPEC_HELP
	"\n"
	"Examples:\n"
	"  tenderctl run web --memory 512M --cpu 50% --workdir /srv/www -- \\\n"
	"          python3 -m http.server 8080\n"
	"  tenderctl run batch --tasks 64 --io-write 20M --label team=data -- sh -c 'make all'",
	TENDER_CTL_OPTS_SPEC,
	TENDER_CTL_ARGS_NAME_COMMAND,
	tender_ctl_cmd_run,
    },
    {
	"start",
	"NAME...",
	"Start workloads",
	"Start workloads that are created, stopped, exited or failed; returns once they run.",
	"Example:\n"
	"  tenderctl start web db",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_start,
    },
    {
	"stop",
	"NAME... [--timeout=SEC]",
	"Stop workloads",
	"Stop running workloads: SIGTERM to every process, SIGKILL to those left after the\n"
	"timeout.  Returns once they have ended; their state is then \"stopped\".",
	"Example:\n"
	"  tenderctl stop web --timeout 30",
	TENDER_CTL_OPTS_TIMEOUT,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_stop,
    },
    {
	"kill",
	"NAME... [--signal=SIG]",
	"Send a signal to workloads",
	"Send a signal to every process of running workloads.  A workload that dies of it ends\n"
	"\"failed\", as it was not asked to stop; use 'tenderctl stop' for that.",
	"SIG is a name or a number: TERM, SIGKILL, hup, RTMIN+3 or 9.\n"
	"\n"
	"Example:\n"
	"  tenderctl kill web --signal HUP",
	TENDER_CTL_OPTS_SIGNAL,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_kill,
    },
    {
	"inspect",
	"NAME...",
	"Show all properties of workloads",
	"Show the state, exit status, command, spec and current limits of workloads.",
	"With --json, prints an array with one object of D-Bus properties per workload.",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_inspect,
    },
    {
	"export",
	"NAME [-o FILE]",
	"Print a workload as JSON",
	"Print a workload's spec and state as JSON, for 'tenderctl import' here or on another\n"
	"host.",
	"The format is \"tender-workload/1\": an object with the keys format, name, spec and\n"
	"state; see ExportWorkload in org.tender.Agent1.xml.\n"
	"\n"
	"Example:\n"
	"  tenderctl export web -o web.json",
	TENDER_CTL_OPTS_OUTPUT,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_export,
    },
    {
	"import",
	"FILE [--name NAME]",
	"Create a workload from an export",
	"Create a workload from what 'tenderctl export' wrote; its state is \"created\".  FILE\n"
	"may be - for standard input.  The spec is checked exactly as for 'tenderctl create'.",
	"Example:\n"
	"  tenderctl import web.json --name web-copy",
	TENDER_CTL_OPTS_NAME,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_import,
    },
    {
	"stats",
	"[NAME...] [--watch]",
	"Show the resource use of workloads",
	"Show the CPU, memory, process and block I/O use of workloads, read from their cgroups:\n"
	"those named, or all that run or are paused.  Prints once; with --watch, again every\n"
	"2 seconds until Ctrl-C.",
	"CPU % is in percent of one CPU (200% is two CPUs busy), measured over the second before\n"
	"the table (with --watch, over the time since the previous one).  MEM USAGE / LIMIT is\n"
	"the memory in use and the memory limit the kernel holds (- if none), MEM % the usage in\n"
	"percent of the limit, PEAK the most memory ever in use, PIDS the processes and threads\n"
	"(tender-shim included), BLOCK I/O the bytes read from and written to block devices.\n"
	"\n"
	"With --json, prints an array of objects with the keys Name, memory_max (if limited) and\n"
	"Metrics (what GetMetrics returns); with --watch, one such array per line.\n"
	"\n"
	"Examples:\n"
	"  tenderctl stats\n"
	"  tenderctl stats web --watch",
	TENDER_CTL_OPTS_WATCH,
	TENDER_CTL_ARGS_ANY_NAMES,
	tender_ctl_cmd_stats,
    },
    {
	"pause",
	"NAME...",
	"Freeze workloads",
	"Freeze every process of running workloads with the cgroup freezer; their state becomes\n"
	"\"paused\".  A paused workload uses no CPU and keeps its memory.",
	"Signals sent to a paused workload ('tenderctl kill') wait until it is resumed;\n"
	"'tenderctl stop' resumes it first.\n"
	"\n"
	"Example:\n"
	"  tenderctl pause web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_pause,
    },
    {
	"resume",
	"NAME...",
	"Thaw paused workloads",
	"Thaw paused workloads: they run on from where they were; their state is \"running\"\n"
	"again.",
	"Example:\n"
	"  tenderctl resume web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_resume,
    },
    {
	"plugins",
	"",
	"List plugins",
	"List the plugins tenderd found when it started: their name, version and status, which\n"
	"is \"active\", \"disabled\" (by [plugins] disabled= in tenderd.conf) or \"failed:\"\n"
	"and the reason it was refused (the journal of tenderd.service says the same).",
	"With --json, prints an array of objects with the keys Name, Version and Status.\n"
	"\n"
	"Example:\n"
	"  tenderctl plugins",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_plugins,
    },
    {
	"events",
	"[NAME...]",
	"Print state changes as they happen",
	"Print every state change of workloads (all, or those named) as it happens, until\n"
	"Ctrl-C: the time it was seen, the name, the old and the new state, and the reason.",
	"With --json, prints one object per line with the keys timestamp, name, old_state,\n"
	"new_state and reason.  The changes come from the signal WorkloadStateChanged.\n"
	"\n"
	"Example:\n"
	"  tenderctl events web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ANY_NAMES,
	tender_ctl_cmd_events,
    },
    {
	"remove",
	"NAME... [--force]",
	"Remove workloads",
	"Forget workloads that are not running; with --force, stop running ones first.",
	"Example:\n"
	"  tenderctl remove --force --timeout 5 web",
	TENDER_CTL_OPTS_FORCE | TENDER_CTL_OPTS_TIMEOUT,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_remove,
    },
    {
	"logs",
	"NAME [-n N] [-f] [--stream=STREAM]",
	"Show what a workload printed",
	"Show what a workload printed, across all its runs, from the journal: what it wrote to\n"
	"stdout on stdout, what it wrote to stderr on stderr.",
	"STREAM is stdout, stderr or both (the default).  With --json, prints one JSON object per\n"
	"line, with the keys message, stream, timestamp (UTC) and cursor.\n"
	"\n"
	"Examples:\n"
	"  tenderctl logs web -n 20\n"
	"  tenderctl logs web -f --stream stderr",
	TENDER_CTL_OPTS_LOGS,
	TENDER_CTL_ARGS_NAME,
	tender_ctl_cmd_logs,
    },
    {
	"adapters",
	"",
	"List adapter instances",
	"List the adapter instances tenderd loaded from /etc/tender/adapters: their name, type\n"
	"(the adapter) and object path.",
	"With --json, prints an array of objects with the keys Name, Type and ObjectPath.",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_adapters,
    },
    {
	"adapter",
	"start|update|stop|metrics INSTANCE [KEY=VALUE...]",
	"Start, update, stop an adapter instance, or show its metrics",
	"Start, update or stop the workload of an adapter instance, or show its metrics (JSON).\n"
	"\n"
	"start and update take a payload: a JSON object given with --payload, plus one key for\n"
	"each KEY=VALUE argument.  A VALUE that is valid JSON (a number, true, [\"a\", \"b\"]) is\n"
	"taken as such, anything else as a string.  start restarts a running workload.",
	"update prints \"applied\"; it fails (exit status 1) if the adapter cannot apply the\n"
	"payload (\"unsupported\") or the workload does not run (\"not-running\").\n"
	"\n"
	"Examples:\n"
	"  tenderctl adapter start flows flowfile=/srv/flows.json bandwidth=20\n"
	"  tenderctl adapter update flows log_level=debug\n"
	"  tenderctl adapter start web --payload '{\"command\": [\"sleep\", \"100\"]}'\n"
	"  tenderctl adapter metrics flows",
	TENDER_CTL_OPTS_PAYLOAD,
	TENDER_CTL_ARGS_ADAPTER,
	tender_ctl_cmd_adapter,
    },
};

/* ---- command line ---- */

static const TenderCtlCommand *
tender_ctl_find_command(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_commands); i++) {
		if (g_strcmp0(tender_ctl_commands[i].name, name) == 0)
			return &tender_ctl_commands[i];
	}
	return NULL;
}

static gchar *
tender_ctl_main_description(void)
{
	g_autoptr(GString) str = g_string_new("Commands:\n");

	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_commands); i++) {
		const TenderCtlCommand *cmd = &tender_ctl_commands[i];
		g_autofree gchar *usage = g_strdup_printf("%s %s", cmd->name, cmd->parameters);
		g_string_append_printf(str, "  %-44s  %s\n", usage, cmd->brief);
	}
	g_string_append(str,
			"\n"
			"Run 'tenderctl COMMAND --help' for the options of a command.\n"
			"\n"
			"BUS is \"system\" (the default), \"session\" or a D-Bus address; the\n"
			"environment variable TENDER_BUS sets it too.\n"
			"\n"
			"Exit status: 0 on success, 1 if a request failed, 2 on bad usage.");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
tender_ctl_add_global_entries(GOptionContext *context,
			      TenderCtl *self,
			      gchar **bus,
			      gboolean with_version)
{
	const GOptionEntry entries[] = {
	    {"json",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->json,
	     "Print list, inspect, logs, stats and events output as JSON",
	     NULL},
	    {"bus",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     bus,
	     "The bus tenderd is on: system, session or a D-Bus address",
	     "BUS"},
	    {NULL},
	};
	const GOptionEntry entries_version[] = {
	    {"version",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->version,
	     "Show the version of tenderctl",
	     NULL},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
	if (with_version)
		g_option_context_add_main_entries(context, entries_version, NULL);
}

static void
tender_ctl_add_command_entries(GOptionContext *context, TenderCtl *self, TenderCtlOpts opts)
{
	const GOptionEntry entries_spec[] = {
	    {"memory",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->memory,
	     "Memory limit (MemoryMax=), e.g. 512M or 2G",
	     "SIZE"},
	    {"cpu",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->cpu,
	     "CPU quota in percent of one CPU (CPUQuota=), e.g. 50% or 200%",
	     "PERCENT"},
	    {"tasks",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->tasks,
	     "Maximum number of processes and threads (TasksMax=)",
	     "N"},
	    {"io-read",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->io_read,
	     "Read bandwidth limit per second, e.g. 10M",
	     "SIZE"},
	    {"io-write",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->io_write,
	     "Write bandwidth limit per second, e.g. 10M",
	     "SIZE"},
	    {"env",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &self->env,
	     "Set an environment variable of the command (repeatable)",
	     "KEY=VALUE"},
	    {"workdir",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->workdir,
	     "Working directory of the command, default /",
	     "DIR"},
	    {"description",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->description,
	     "Description of the systemd scope, default \"tender workload NAME\"",
	     "TEXT"},
	    {"label",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &self->labels,
	     "Attach a free-form label to the workload (repeatable)",
	     "KEY=VALUE"},
	    {"restart",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart,
	     "Restart when it ends by itself: no (default), on-failure or always",
	     "POLICY"},
	    {"restart-max",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart_max,
	     "Restarts before it is left failed, default 5",
	     "N"},
	    {"restart-delay",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart_delay,
	     "Delay before the first restart, doubled for each next one (up to 60s), default 100ms",
	     "DURATION"},
	    {"max-runtime",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->max_runtime,
	     "Stop it once it has run this long; it then ends failed, Reason \"timeout\"",
	     "DURATION"},
	    {NULL},
	};
	const GOptionEntry entries_health[] = {
	    {"health-cmd",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_cmd,
	     "Health check: a shell command run in the workload (sh -c CMD); healthy if it exits 0",
	     "CMD"},
	    {"health-url",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_url,
	     "Health check: an http:// or https:// URL; healthy on a 2xx or 3xx answer",
	     "URL"},
	    {"health-interval",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_interval,
	     "Time between health checks, whole seconds, default 30s",
	     "DURATION"},
	    {"health-timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_timeout,
	     "A health check that takes longer fails, whole seconds, default 30s",
	     "DURATION"},
	    {"health-retries",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_retries,
	     "Failed health checks in a row that make it unhealthy, default 3",
	     "N"},
	    {"health-start-period",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_start_period,
	     "Failed health checks this soon after the start do not count, default 0s",
	     "DURATION"},
	    {"health-on-unhealthy",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_on_unhealthy,
	     "What to do when it becomes unhealthy: none (default), restart or stop",
	     "ACTION"},
	    {NULL},
	};
	const GOptionEntry entries_privileges[] = {
	    {"user",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->user,
	     "Run the command as this user (name or id), with no capability but those of --cap",
	     "USER"},
	    {"group",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->group,
	     "Run the command with this group (name or id), default the user's own",
	     "GROUP"},
	    {"cap",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->caps,
	     "Keep this capability, e.g. CAP_NET_BIND_SERVICE or net_bind_service (repeatable)",
	     "CAPABILITY"},
	    {"pre-start",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->pre_start,
	     "Run this shell command (sh -c CMD) as root in the workload's scope before the "
	     "command; if it fails, the start fails (repeatable)",
	     "CMD"},
	    {NULL},
	};
	const GOptionEntry entries_output[] = {
	    {"output",
	     'o',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->output,
	     "Write to FILE (mode 0600) instead of standard output",
	     "FILE"},
	    {NULL},
	};
	const GOptionEntry entries_name[] = {
	    {"name",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->import_name,
	     "Create the workload under this name instead of the exported one",
	     "NAME"},
	    {NULL},
	};
	const GOptionEntry entries_timeout[] = {
	    {"timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->timeout,
	     (opts & TENDER_CTL_OPTS_FORCE) != 0
		 ? "With --force: seconds between SIGTERM and SIGKILL, default: tenderd's (10)"
		 : "Seconds between SIGTERM and SIGKILL, default: tenderd's (10)",
	     "SEC"},
	    {NULL},
	};
	const GOptionEntry entries_signal[] = {
	    {"signal",
	     's',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->signal,
	     "The signal to send, default TERM",
	     "SIG"},
	    {NULL},
	};
	const GOptionEntry entries_logs[] = {
	    {"lines",
	     'n',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->lines,
	     "Show the last N lines (default 100, with --follow 10; at most 10000)",
	     "N"},
	    {"follow",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->follow,
	     "Then print new lines as the workload prints them, until Ctrl-C",
	     NULL},
	    {"stream",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->stream,
	     "Show only stdout or stderr",
	     "STREAM"},
	    {NULL},
	};

	const GOptionEntry entries_watch[] = {
	    {"watch",
	     'w',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->watch,
	     "Print again every 2 seconds, until Ctrl-C",
	     NULL},
	    {NULL},
	};
	const GOptionEntry entries_payload[] = {
	    {"payload",
	     'p',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->payload,
	     "The payload as a JSON object; KEY=VALUE arguments are added to it",
	     "JSON"},
	    {NULL},
	};
	const GOptionEntry entries_force[] = {
	    {"force",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->force,
	     "Stop the workloads first if they run",
	     NULL},
	    {NULL},
	};

	if (opts & TENDER_CTL_OPTS_SPEC)
		g_option_context_add_main_entries(context, entries_spec, NULL);
	if (opts & TENDER_CTL_OPTS_SPEC)
		g_option_context_add_main_entries(context, entries_health, NULL);
	if (opts & TENDER_CTL_OPTS_SPEC)
		g_option_context_add_main_entries(context, entries_privileges, NULL);
	if (opts & TENDER_CTL_OPTS_FORCE)
		g_option_context_add_main_entries(context, entries_force, NULL);
	if (opts & TENDER_CTL_OPTS_TIMEOUT)
		g_option_context_add_main_entries(context, entries_timeout, NULL);
	if (opts & TENDER_CTL_OPTS_SIGNAL)
		g_option_context_add_main_entries(context, entries_signal, NULL);
	if (opts & TENDER_CTL_OPTS_OUTPUT)
		g_option_context_add_main_entries(context, entries_output, NULL);
	if (opts & TENDER_CTL_OPTS_NAME)
		g_option_context_add_main_entries(context, entries_name, NULL);
	if (opts & TENDER_CTL_OPTS_LOGS)
		g_option_context_add_main_entries(context, entries_logs, NULL);
	if (opts & TENDER_CTL_OPTS_WATCH)
		g_option_context_add_main_entries(context, entries_watch, NULL);
	if (opts & TENDER_CTL_OPTS_PAYLOAD)
		g_option_context_add_main_entries(context, entries_payload, NULL);
}

/* the options are taken as bytes, as GOption would refuse UTF-8 in the C locale */
static gboolean
tender_ctl_check_utf8(const gchar *what, const gchar *text, GError **error)
{
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The %s is not valid UTF-8",
			    what);
		return FALSE;
	}
	return TRUE;
}

/* "KEY=VALUE" with a non-empty KEY */
static gboolean
tender_ctl_check_assignment(const gchar *what, const gchar *text, GError **error)
{
	if (!tender_ctl_check_utf8(what, text, error))
		return FALSE;
	if (text[0] == '=' || strchr(text, '=') == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected KEY=VALUE",
			    what,
			    text);
		return FALSE;
	}
	return TRUE;
}

/* a size, optionally per second as "10M/s" */
static gboolean
tender_ctl_parse_bandwidth(const gchar *text, guint64 *value, GError **error)
{
	g_autofree gchar *size = NULL;

	if (g_str_has_suffix(text, "/s"))
		size = g_strndup(text, strlen(text) - 2);
	else
		size = g_strdup(text);
	return tender_units_parse_size(size, value, error);
}

/* a duration in whole seconds, for the health check options */
static gboolean
tender_ctl_parse_seconds(const gchar *option, const gchar *text, guint32 *value, GError **error)
{
	guint64 msec = 0;

	if (!tender_units_parse_duration(text, &msec, error))
		return FALSE;
	if (msec % 1000 != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': it must be whole seconds",
			    option,
			    text);
		return FALSE;
	}
	*value = (guint32)MIN(msec / 1000, G_MAXUINT32);
	return TRUE;
}

/* the "health" key of the spec, from the --health-* options */
static gboolean
tender_ctl_build_health(TenderCtl *self, GVariantBuilder *spec, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	struct {
		const gchar *option;
		const gchar *key;
		const gchar *text;
	} seconds[] = {
	    {"--health-interval", "interval_sec", self->health_interval},
	    {"--health-timeout", "timeout_sec", self->health_timeout},
	    {"--health-start-period", "start_period_sec", self->health_start_period},
	};

	if (self->health_cmd == NULL && self->health_url == NULL) {
		const gchar *const others[][2] = {
		    {"--health-interval", self->health_interval},
		    {"--health-timeout", self->health_timeout},
		    {"--health-retries", self->health_retries},
		    {"--health-start-period", self->health_start_period},
		    {"--health-on-unhealthy", self->health_on_unhealthy},
		};
		for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
			if (others[i][1] == NULL)
				continue;
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "%s needs a health check: --health-cmd or --health-url",
				    others[i][0]);
			return FALSE;
		}
		return TRUE;
	}
	if (self->health_cmd != NULL && self->health_url != NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "--health-cmd and --health-url cannot be given together");
		return FALSE;
	}
	if (self->health_cmd != NULL) {
		const gchar *argv[] = {"sh", "-c", self->health_cmd, NULL};
		if (!tender_ctl_check_utf8("health command", self->health_cmd, error))
			return FALSE;
		if (self->health_cmd[0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid health command '': the value is empty");
			return FALSE;
		}
		g_variant_builder_add(&builder, "{sv}", "command", g_variant_new_strv(argv, -1));
	} else {
		if (!tender_ctl_check_utf8("health URL", self->health_url, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "http_url",
				      g_variant_new_string(self->health_url));
	}
	for (guint i = 0; i < G_N_ELEMENTS(seconds); i++) {
		guint32 value = 0;
		if (seconds[i].text == NULL)
			continue;
		if (!tender_ctl_parse_seconds(seconds[i].option, seconds[i].text, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      seconds[i].key,
				      g_variant_new_uint32(value));
	}
	if (self->health_retries != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->health_retries,
						10,
						0,
						G_MAXUINT32,
						&value,
						NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of health check retries '%s': expected a whole "
				    "number",
				    self->health_retries);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "retries",
				      g_variant_new_uint32((guint32)value));
	}
	if (self->health_on_unhealthy != NULL) {
		if (!tender_ctl_check_utf8("health action", self->health_on_unhealthy, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "on_unhealthy",
				      g_variant_new_string(self->health_on_unhealthy));
	}
	g_variant_builder_add(spec, "{sv}", "health", g_variant_builder_end(&builder));
	return TRUE;
}

/* --user, --group, --cap and --pre-start: the spec's user, group, capabilities, pre_start */
static gboolean
tender_ctl_build_privileges(TenderCtl *self, GVariantBuilder *spec, GError **error)
{
	if (self->user != NULL)
		g_variant_builder_add(spec, "{sv}", "user", g_variant_new_string(self->user));
	if (self->group != NULL)
		g_variant_builder_add(spec, "{sv}", "group", g_variant_new_string(self->group));
	if (self->caps != NULL)
		g_variant_builder_add(spec,
				      "{sv}",
				      "capabilities",
				      g_variant_new_strv((const gchar *const *)self->caps, -1));
	if (self->pre_start != NULL) {
		g_auto(GVariantBuilder) hooks = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aas"));
		for (guint i = 0; self->pre_start[i] != NULL; i++) {
			const gchar *hook[] = {"sh", "-c", self->pre_start[i], NULL};
			if (self->pre_start[i][0] == '\0') {
				g_set_error_literal(error,
						    TENDER_ERROR,
						    TENDER_ERROR_INVALID_ARGUMENT,
						    "Invalid pre-start command '': the value is "
						    "empty");
				return FALSE;
			}
			g_variant_builder_add_value(&hooks, g_variant_new_strv(hook, -1));
		}
		g_variant_builder_add(spec, "{sv}", "pre_start", g_variant_builder_end(&hooks));
	}
	return TRUE;
}

static gboolean
tender_ctl_build_spec(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	g_variant_builder_add(&builder,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)self->argv, -1));

	if (self->env != NULL) {
		for (guint i = 0; self->env[i] != NULL; i++) {
			if (!tender_ctl_check_assignment("environment variable",
							 self->env[i],
							 error))
				return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)self->env, -1));
	}

	if (self->workdir != NULL) {
		g_autofree gchar *workdir = NULL;
		if (self->workdir[0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid working directory '': the value is empty");
			return FALSE;
		}
		workdir = g_path_is_absolute(self->workdir)
			      ? g_strdup(self->workdir)
			      : g_canonicalize_filename(self->workdir, NULL);
		if (!tender_ctl_check_utf8("working directory", workdir, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(workdir));
	}

	if (self->description != NULL) {
		if (!tender_ctl_check_utf8("description", self->description, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "description",
				      g_variant_new_string(self->description));
	}

	if (self->labels != NULL) {
		g_autoptr(GHashTable) seen =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_auto(GVariantBuilder) labels = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));
		for (guint i = 0; self->labels[i] != NULL; i++) {
			const gchar *eq = NULL;
			g_autofree gchar *key = NULL;
			if (!tender_ctl_check_assignment("label", self->labels[i], error))
				return FALSE;
			eq = strchr(self->labels[i], '=');
			key = g_strndup(self->labels[i], eq - self->labels[i]);
			if (g_hash_table_contains(seen, key)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Label '%s' is given twice",
					    key);
				return FALSE;
			}
			g_variant_builder_add(&labels, "{ss}", key, eq + 1);
			g_hash_table_add(seen, g_steal_pointer(&key));
		}
		g_variant_builder_add(&builder, "{sv}", "labels", g_variant_builder_end(&labels));
	}

	if (self->memory != NULL) {
		guint64 value = 0;
		if (!tender_units_parse_size(self->memory, &value, error))
			return FALSE;
		g_variant_builder_add(&builder, "{sv}", "memory_max", g_variant_new_uint64(value));
	}

	if (self->cpu != NULL) {
		guint value = 0;
		if (!tender_units_parse_percent(self->cpu, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "cpu_quota_percent",
				      g_variant_new_uint32(value));
	}

	if (self->tasks != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->tasks, 10, 0, G_MAXUINT64, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of tasks '%s': expected a whole number",
				    self->tasks);
			return FALSE;
		}
		g_variant_builder_add(&builder, "{sv}", "tasks_max", g_variant_new_uint64(value));
	}

	if (self->io_read != NULL) {
		guint64 value = 0;
		if (!tender_ctl_parse_bandwidth(self->io_read, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_read_bandwidth_max",
				      g_variant_new_uint64(value));
	}

	if (self->io_write != NULL) {
		guint64 value = 0;
		if (!tender_ctl_parse_bandwidth(self->io_write, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_write_bandwidth_max",
				      g_variant_new_uint64(value));
	}

	if (self->restart != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart",
				      g_variant_new_string(self->restart));

	if (self->restart_max != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->restart_max,
						10,
						0,
						G_MAXUINT32,
						&value,
						NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of restarts '%s': expected a whole number",
				    self->restart_max);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart_max",
				      g_variant_new_uint32((guint32)value));
	}

	if (self->restart_delay != NULL) {
		guint64 msec = 0;
		if (!tender_units_parse_duration(self->restart_delay, &msec, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart_delay_ms",
				      g_variant_new_uint32((guint32)MIN(msec, G_MAXUINT32)));
	}

	if (self->max_runtime != NULL) {
		guint64 msec = 0;
		if (!tender_units_parse_duration(self->max_runtime, &msec, error))
			return FALSE;
		if (msec % 1000 != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid maximum run time '%s': it must be whole seconds",
				    self->max_runtime);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "max_runtime_sec",
				      g_variant_new_uint64(msec / 1000));
	}

	if (!tender_ctl_build_health(self, &builder, error))
		return FALSE;
	if (!tender_ctl_build_privileges(self, &builder, error))
		return FALSE;

	self->spec = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/* the option dictionaries of StopWorkload and RemoveWorkload; keys only when given */
static gboolean
tender_ctl_build_options(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (self->force)
		g_variant_builder_add(&builder, "{sv}", "force", g_variant_new_boolean(TRUE));
	if (self->timeout != NULL) {
		g_autofree gchar *seconds =
		    g_str_has_suffix(self->timeout, "s")
			? g_strndup(self->timeout, strlen(self->timeout) - 1)
			: g_strdup(self->timeout);
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(seconds, 10, 0, G_MAXUINT32, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid timeout '%s': expected a whole number of seconds",
				    self->timeout);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "timeout_sec",
				      g_variant_new_uint32((guint32)value));
	}
	self->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

static gboolean
tender_ctl_check_bus(TenderCtl *self, GError **error)
{
	const gchar *env = g_getenv("TENDER_BUS");

	if (self->bus_command != NULL)
		self->bus = self->bus_command;
	else if (self->bus_global != NULL)
		self->bus = self->bus_global;
	else if (env != NULL && env[0] != '\0')
		self->bus = env;
	else
		self->bus = "system";
	if (g_strcmp0(self->bus, "system") != 0 && g_strcmp0(self->bus, "session") != 0 &&
	    !g_dbus_is_address(self->bus)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid bus '%s'%s: expected system, session or a D-Bus address such "
			    "as unix:path=/run/dbus/system_bus_socket",
			    self->bus,
			    self->bus == env ? " in $TENDER_BUS" : "");
		return FALSE;
	}
	return TRUE;
}

/* checks the arguments of @cmd and turns its options into what goes on the bus */
static gboolean
tender_ctl_prepare(TenderCtl *self, const TenderCtlCommand *cmd, GError **error)
{
	guint n_names = g_strv_length(self->names);

	for (guint i = 0; i < n_names; i++) {
		if (!g_utf8_validate(self->names[i], -1, NULL)) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "A workload name is not valid UTF-8");
			return FALSE;
		}
	}

	switch (cmd->args) {
	case TENDER_CTL_ARGS_NONE:
		if (n_names > 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' takes no arguments",
				    cmd->name);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAMES:
		if (n_names == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' needs at least one workload name",
				    cmd->name);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAME:
		if (n_names != 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    n_names == 0 ? "'%s' needs a workload name"
						 : "'%s' takes one workload name",
				    cmd->name);
			return FALSE;
		}
		break;

	case TENDER_CTL_ARGS_ANY_NAMES:
		break;
	case TENDER_CTL_ARGS_ADAPTER:
		if (!tender_ctl_check_adapter_args(self, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_ONE:
		if (n_names != 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' takes exactly one argument: %s",
				    cmd->name,
				    cmd->parameters);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAME_COMMAND:
		if (n_names == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' needs a workload name",
				    cmd->name);
			return FALSE;
		}
		if (!self->has_separator) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The command must follow '--', "
				    "e.g. tenderctl %s %s -- sleep 100",
				    cmd->name,
				    self->names[0]);
			return FALSE;
		}
		if (n_names > 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unexpected argument '%s' before '--'",
				    self->names[1]);
			return FALSE;
		}
		if (self->argv == NULL || self->argv[0] == NULL) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Missing the command after '--'");
			return FALSE;
		}
		for (guint i = 0; self->argv[i] != NULL; i++) {
			if (!g_utf8_validate(self->argv[i], -1, NULL)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Argument %u of the command is not valid UTF-8",
					    i + 1);
				return FALSE;
			}
		}
		break;
	default:
		g_assert_not_reached();
	}

	if ((cmd->opts & TENDER_CTL_OPTS_SPEC) && !tender_ctl_build_spec(self, error))
		return FALSE;
	if ((cmd->opts & (TENDER_CTL_OPTS_TIMEOUT | TENDER_CTL_OPTS_FORCE)) &&
	    !tender_ctl_build_options(self, error))
		return FALSE;
	if ((cmd->opts & TENDER_CTL_OPTS_LOGS) && !tender_ctl_build_log_options(self, error))
		return FALSE;
	if (self->signal != NULL && !tender_units_parse_signal(self->signal, &self->signo, error))
		return FALSE;
	return TRUE;
}

/* splits @argv at the first "--" into what GOptionContext may parse and the command */
static void
tender_ctl_split_argv(TenderCtl *self, gint argc, gchar **argv, gchar ***args)
{
	g_autoptr(GStrvBuilder) before = g_strv_builder_new();
	g_autoptr(GStrvBuilder) after = g_strv_builder_new();
	gint i;

	for (i = 0; i < argc; i++) {
		if (i > 0 && g_strcmp0(argv[i], "--") == 0) {
			self->has_separator = TRUE;
			break;
		}
		g_strv_builder_add(before, argv[i]);
	}
	for (i++; i < argc; i++)
		g_strv_builder_add(after, argv[i]);
	*args = g_strv_builder_end(before);
	self->argv = g_strv_builder_end(after);
}

int
main(int argc, char *argv[])
{
	g_autoptr(TenderCtl) self = tender_ctl_new();
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GOptionContext) context_cmd = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GStrvBuilder) args_cmd_builder = g_strv_builder_new();
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();
	g_auto(GStrv) args = NULL;
	g_auto(GStrv) args_cmd = NULL;
	g_autofree gchar *description = tender_ctl_main_description();
	g_autofree gchar *parameters = NULL;
	const TenderCtlCommand *cmd = NULL;

	setlocale(LC_ALL, "");
	g_set_prgname("tenderctl");

	/* remote errors of tenderd arrive as TENDER_ERROR */
	(void)tender_error_quark();

	tender_ctl_split_argv(self, argc, argv, &args);

	/* the global options, up to the command */
	context = g_option_context_new("COMMAND ...");
	g_option_context_set_strict_posix(context, TRUE);
	g_option_context_set_summary(context, "Control tenderd, the host workload agent.");
	g_option_context_set_description(context, description);
	tender_ctl_add_global_entries(context, self, &self->bus_global, TRUE);
	if (!g_option_context_parse_strv(context, &args, &error))
		return tender_ctl_usage_error(NULL, error->message);
	if (self->version) {
		g_print("tenderctl %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (args[1] == NULL)
		return tender_ctl_usage_error(NULL, "Missing command");
	if (g_strcmp0(args[1], "help") == 0) {
		g_autofree gchar *help = g_option_context_get_help(context, TRUE, NULL);
		g_print("%s", help);
		return EXIT_SUCCESS;
	}
	cmd = tender_ctl_find_command(args[1]);
	if (cmd == NULL) {
		g_autofree gchar *msg = g_strdup_printf("Unknown command '%s'", args[1]);
		return tender_ctl_usage_error(NULL, msg);
	}

	/* the options of the command, and the global ones again */
	parameters = cmd->parameters[0] != '\0'
			 ? g_strdup_printf("%s %s", cmd->name, cmd->parameters)
			 : g_strdup(cmd->name);
	context_cmd = g_option_context_new(parameters);
	g_option_context_set_summary(context_cmd, cmd->summary);
	if (cmd->description != NULL)
		g_option_context_set_description(context_cmd, cmd->description);
	tender_ctl_add_command_entries(context_cmd, self, cmd->opts);
	tender_ctl_add_global_entries(context_cmd, self, &self->bus_command, FALSE);
	g_strv_builder_add(args_cmd_builder, args[0]);
	for (guint i = 2; args[i] != NULL; i++)
		g_strv_builder_add(args_cmd_builder, args[i]);
	args_cmd = g_strv_builder_end(args_cmd_builder);
	if (!g_option_context_parse_strv(context_cmd, &args_cmd, &error))
		return tender_ctl_usage_error(cmd->name, error->message);

	/* the names; after "--" too, unless that is the workload's command */
	g_strv_builder_addv(names, (const gchar **)args_cmd + 1);
	if (cmd->args != TENDER_CTL_ARGS_NAME_COMMAND) {
		g_strv_builder_addv(names, (const gchar **)self->argv);
		g_clear_pointer(&self->argv, g_strfreev);
	}
	self->names = g_strv_builder_end(names);
	if (!tender_ctl_prepare(self, cmd, &error))
		return tender_ctl_usage_error(cmd->name, error->message);
	if (!tender_ctl_check_bus(self, &error))
		return tender_ctl_usage_error(NULL, error->message);

	if (!tender_ctl_connect(self, &error) || !cmd->func(self, &error)) {
		tender_ctl_print_error(error);
		return TENDER_CTL_EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
