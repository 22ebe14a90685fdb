/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* adapters, adapter and plugins */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-json-object.h"
#include "tender-json.h"
#include "tenderctl-private.h"

#define TENDER_CTL_ADAPTER_IFACE "org.tender.Agent1.Adapter"

gboolean
tender_ctl_cmd_adapters(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) adapters = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	GVariantIter iter;
	const gchar *name;
	const gchar *type;
	const gchar *path;
	gint width_name = strlen("NAME");
	gint width_type = strlen("TYPE");

	adapters = tender_ctl_bus_list(self, "ListAdapters", "(a(sso))", NULL, error);
	if (adapters == NULL)
		return FALSE;
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
gboolean
tender_ctl_adapters_check_args(TenderCtl *self, GError **error)
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
		g_autoptr(JsonNode) root =
		    tender_json_object_parse(self->payload, -1, "--payload", error);

		if (root == NULL)
			return FALSE;
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

/* calls @method of the adapter instance self->names[1] at @path, which is to @verb it */
static GVariant *
tender_ctl_adapter_call(TenderCtl *self,
			const gchar *path,
			const gchar *method,
			GVariant *parameters,
			const GVariantType *reply_type,
			const gchar *verb,
			GError **error)
{
	GVariant *reply = tender_ctl_bus_call(self,
					      path,
					      TENDER_CTL_ADAPTER_IFACE,
					      method,
					      parameters,
					      reply_type,
					      TENDER_CTL_TIMEOUT_NONE,
					      error);
	if (reply == NULL)
		g_prefix_error(error, "Failed to %s adapter instance '%s': ", verb, self->names[1]);
	return reply;
}

gboolean
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

	adapters = tender_ctl_bus_list(self, "ListAdapters", "(a(sso))", NULL, error);
	if (adapters == NULL)
		return FALSE;
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
	if (g_strcmp0(verb, "metrics") == 0) {
		g_autoptr(JsonNode) root = NULL;
		const gchar *json = NULL;

		reply = tender_ctl_bus_call(self,
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
		reply = tender_ctl_adapter_call(self, path, "Stop", NULL, NULL, "stop", error);
		return reply != NULL;
	}
	if (g_strcmp0(verb, "start") == 0) {
		reply = tender_ctl_adapter_call(self,
						path,
						"StartJson",
						g_variant_new("(s)", self->payload),
						NULL,
						"start",
						error);
		return reply != NULL;
	}
	{
		const gchar *result = NULL;

		reply = tender_ctl_adapter_call(self,
						path,
						"UpdateJson",
						g_variant_new("(s)", self->payload),
						G_VARIANT_TYPE("(s)"),
						"update",
						error);
		if (reply == NULL)
			return FALSE;
		g_variant_get(reply, "(&s)", &result);
		if (g_strcmp0(result, "applied") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "Failed to update adapter instance '%s': %s",
				    instance,
				    g_strcmp0(result, "not-running") == 0
					? "its workload does not run (not-running)"
				    : g_strcmp0(result, "declined") == 0
					? "the adapter will not apply this update (declined)"
					: "the adapter does no live updates (unsupported)");
			return FALSE;
		}
		g_print("%s\n", result);
	}
	return TRUE;
}

gboolean
tender_ctl_cmd_plugins(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) plugins = NULL;
	gint width_name = strlen("NAME");
	gint width_version = strlen("VERSION");
	gsize n;

	plugins = tender_ctl_bus_list(self, "ListPlugins", "(a(sss))", "plugins", error);
	if (plugins == NULL)
		return FALSE;
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
