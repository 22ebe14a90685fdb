/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the commands on workloads: list, create, run, start, stop, kill, remove, inspect, export,
 * import, pause and resume */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <string.h>
#include <unistd.h>

#include "tender-error.h"
#include "tenderctl-private.h"

/* the most ImportWorkload takes */
#define TENDER_CTL_IMPORT_MAX (1024 * 1024)

static GVariant *
tender_ctl_empty_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

/* GetWorkload, then GetAll on the object path: the a{sv} of the workload's properties */
static GVariant *
tender_ctl_get_properties(TenderCtl *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = tender_ctl_bus_get_workload_path(self, name, error);
	g_autoptr(GVariant) props = NULL;

	if (path == NULL)
		return NULL;
	props = tender_ctl_bus_call(self,
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
gboolean
tender_ctl_foreach_name(TenderCtl *self, TenderCtlNameFunc func, GError **error)
{
	g_autoptr(GError) error_last = NULL;

	for (guint i = 0; self->names[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		if (func(self, self->names[i], &error_local))
			continue;
		if (error_last != NULL)
			tender_ctl_bus_print_error(error_last);
		g_clear_error(&error_last);
		error_last = g_steal_pointer(&error_local);
		if (tender_ctl_bus_error_is_not_running(error_last))
			break;
	}
	if (error_last != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_last));
		return FALSE;
	}
	return TRUE;
}

gboolean
tender_ctl_cmd_list(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) workloads = NULL;
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(gint64));
	gsize n_workloads;
	gint width_name = strlen("NAME");
	gint width_state = strlen("STATE");
	gint width_unit = strlen("UNIT");

	workloads = tender_ctl_bus_list(self, "ListWorkloads", "(a(ssso))", "workloads", error);
	if (workloads == NULL)
		return FALSE;
	n_workloads = g_variant_n_children(workloads);

	/* the main PIDs, best effort: a workload may go away in between, then -1 */
	for (gsize i = 0; i < n_workloads; i++) {
		const gchar *path = NULL;
		g_autoptr(GVariant) pid = NULL;
		gint64 pid_value = -1;
		g_variant_get_child(workloads, i, "(&s&s&s&o)", NULL, NULL, NULL, &path);
		pid = tender_ctl_bus_get_property(self, path, "MainPID");
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
	g_autoptr(GVariant) reply = tender_ctl_bus_call(self,
							TENDER_CTL_MANAGER_PATH,
							TENDER_CTL_MANAGER_IFACE,
							method,
							parameters,
							G_VARIANT_TYPE_UNIT,
							timeout_msec,
							error);

	if (reply == NULL) {
		tender_ctl_bus_error_prefix_name(error, verb, name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_ctl_create_one(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = tender_ctl_bus_call(self,
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
		tender_ctl_bus_error_prefix_name(error, "create", name);
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
		tender_ctl_bus_error_prefix_name(error, "inspect", name);
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

gboolean
tender_ctl_cmd_create(TenderCtl *self, GError **error)
{
	return tender_ctl_create_one(self, self->names[0], error);
}

gboolean
tender_ctl_cmd_run(TenderCtl *self, GError **error)
{
	if (!tender_ctl_create_one(self, self->names[0], error))
		return FALSE;
	return tender_ctl_start_one(self, self->names[0], error);
}

gboolean
tender_ctl_cmd_start(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_start_one, error);
}

gboolean
tender_ctl_cmd_stop(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_stop_one, error);
}

gboolean
tender_ctl_cmd_kill(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_kill_one, error);
}

gboolean
tender_ctl_cmd_remove(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_remove_one, error);
}

gboolean
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

gboolean
tender_ctl_cmd_export(TenderCtl *self, GError **error)
{
	const gchar *name = self->names[0];
	g_autoptr(GVariant) reply = NULL;
	const gchar *json = NULL;

	reply = tender_ctl_bus_call(self,
				    TENDER_CTL_MANAGER_PATH,
				    TENDER_CTL_MANAGER_IFACE,
				    "ExportWorkload",
				    g_variant_new("(s)", name),
				    G_VARIANT_TYPE("(s)"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    error);
	if (reply == NULL) {
		tender_ctl_bus_error_prefix_name(error, "export", name);
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

gboolean
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
	reply = tender_ctl_bus_call(self,
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

gboolean
tender_ctl_cmd_pause(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_pause_one, error);
}

gboolean
tender_ctl_cmd_resume(TenderCtl *self, GError **error)
{
	return tender_ctl_foreach_name(self, tender_ctl_resume_one, error);
}
