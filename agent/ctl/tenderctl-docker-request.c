/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tool run's options, and the request of ExecuteTool they make (tenderctl-docker.c runs it) */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tenderctl-private.h"

void
tender_ctl_tool_add_entries(GOptionContext *context, TenderCtl *self, gboolean run)
{
	const GOptionEntry entries_run[] = {
	    {"name",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_name,
	     "The tool's name, default the image's last path component without its tag",
	     "TOOL"},
	    {"param",
	     'p',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->tool_params,
	     "A parameter: VALUE is JSON if it parses as JSON, else a string (repeatable)",
	     "KEY=VALUE"},
	    {"env",
	     'e',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->tool_env,
	     "Set an environment variable of the tool (repeatable)",
	     "KEY=VALUE"},
	    {"timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->timeout,
	     "Kill the tool after SEC seconds, 1 to 86400 (default 300)",
	     "SEC"},
	    {"memory",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_memory,
	     "Its memory limit in MiB, 6 to 1048576 (default 512; no swap)",
	     "MB"},
	    {"cpus",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_cpus,
	     "The CPUs it may use, 0.01 to 1024 (default 1)",
	     "N"},
	    {"pids",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_pids,
	     "The most processes and threads it may have (default 1024)",
	     "N"},
	    {"network",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_network,
	     "none (the default), bridge, host or a network's name",
	     "NET"},
	    {"keep",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->tool_keep,
	     "Keep the container once the result is read (the request's cleanup=false)",
	     NULL},
	    {"no-wait",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->tool_no_wait,
	     "Print the tool's id and return at once",
	     NULL},
	    {NULL},
	};
	const GOptionEntry entries_session[] = {
	    {"session",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_session,
	     run ? "The session the tool belongs to (default \"cli\")"
		 : "Only the tools of this session",
	     "ID"},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries_session, NULL);
	if (run)
		g_option_context_add_main_entries(context, entries_run, NULL);
}

static gboolean
tender_ctl_tool_usage(GError **error, const gchar *message)
{
	g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, message);
	return FALSE;
}

/* 'tool' alone, or with a verb it does not know */
gboolean
tender_ctl_tool_check_verb(TenderCtl *self, GError **error)
{
	if (self->names[0] == NULL)
		return tender_ctl_tool_usage(error,
					     "'tool' needs a verb: run, show, logs, cancel or "
					     "list");
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown tool verb '%s'; use run, show, logs, cancel or list",
		    self->names[0]);
	return FALSE;
}

/* the default tool name: "tools/pdf-extract:1.2" is "pdf-extract" */
gchar *
tender_ctl_tool_default_name(const gchar *image)
{
	g_autofree gchar *ref = g_strndup(image, strcspn(image, "@"));
	const gchar *slash = strrchr(ref, '/');
	const gchar *base = slash != NULL ? slash + 1 : ref;

	return g_strndup(base, strcspn(base, ":"));
}

gboolean
tender_ctl_tool_parse_uint(const gchar *text, const gchar *option, guint64 *value, GError **error)
{
	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, value, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected a whole number",
			    option,
			    text);
		return FALSE;
	}
	return TRUE;
}

/* KEY=VALUE, KEY not empty */
static gboolean
tender_ctl_tool_split(const gchar *arg,
		      const gchar *option,
		      gchar **key,
		      const gchar **value,
		      GError **error)
{
	const gchar *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected KEY=VALUE",
			    option,
			    arg);
		return FALSE;
	}
	*key = g_strndup(arg, (gsize)(eq - arg));
	*value = eq + 1;
	return TRUE;
}

static gboolean
tender_ctl_tool_add_params(TenderCtl *self, GVariantBuilder *request, GError **error)
{
	g_auto(GVariantBuilder) params = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	for (guint i = 0; self->tool_params != NULL && self->tool_params[i] != NULL; i++) {
		g_autofree gchar *key = NULL;
		const gchar *text = NULL;
		g_autoptr(JsonNode) node = NULL;
		GVariant *value = NULL;

		if (!tender_ctl_tool_split(self->tool_params[i], "--param", &key, &text, error))
			return FALSE;
		if (text[0] != '\0')
			node = tender_json_parse(text, -1, TENDER_JSON_DEPTH_MAX, NULL);
		if (node != NULL)
			value = json_gvariant_deserialize(node, NULL, NULL);
		if (value == NULL)
			value = g_variant_new_string(text);
		g_variant_builder_add(&params, "{sv}", key, value);
	}
	g_variant_builder_add(request, "{sv}", "parameters", g_variant_builder_end(&params));
	return TRUE;
}

gboolean
tender_ctl_tool_add_env(TenderCtl *self, GVariantBuilder *request, GError **error)
{
	g_auto(GVariantBuilder) env = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));

	if (self->tool_env == NULL)
		return TRUE;
	for (guint i = 0; self->tool_env[i] != NULL; i++) {
		g_autofree gchar *key = NULL;
		const gchar *value = NULL;

		if (!tender_ctl_tool_split(self->tool_env[i], "--env", &key, &value, error))
			return FALSE;
		g_variant_builder_add(&env, "{ss}", key, value);
	}
	g_variant_builder_add(request, "{sv}", "env", g_variant_builder_end(&env));
	return TRUE;
}

gboolean
tender_ctl_tool_add_limits(TenderCtl *self, GVariantBuilder *request, GError **error)
{
	g_auto(GVariantBuilder) limits = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	guint64 timeout = 0;
	guint64 memory = 0;
	guint64 pids = 0;

	if (!tender_ctl_tool_parse_uint(self->timeout, "timeout", &timeout, error) ||
	    !tender_ctl_tool_parse_uint(self->tool_memory, "memory", &memory, error) ||
	    !tender_ctl_tool_parse_uint(self->tool_pids, "number of processes", &pids, error))
		return FALSE;
	if (timeout > 0)
		g_variant_builder_add(&limits,
				      "{sv}",
				      "timeout_seconds",
				      g_variant_new_int64((gint64)timeout));
	if (memory > 0)
		g_variant_builder_add(&limits,
				      "{sv}",
				      "memory_mb",
				      g_variant_new_int64((gint64)memory));
	if (pids > 0)
		g_variant_builder_add(&limits, "{sv}", "pids", g_variant_new_int64((gint64)pids));
	if (self->tool_cpus != NULL) {
		gchar *end = NULL;
		gdouble cpus = g_ascii_strtod(self->tool_cpus, &end);
		if (self->tool_cpus[0] == '\0' || *end != '\0' || !(cpus > 0)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of CPUs '%s': expected a number such as 0.5",
				    self->tool_cpus);
			return FALSE;
		}
		g_variant_builder_add(&limits, "{sv}", "cpu_limit", g_variant_new_double(cpus));
	}
	g_variant_builder_add(request, "{sv}", "resource_limits", g_variant_builder_end(&limits));
	return TRUE;
}

/* tool run IMAGE [-- CMD [ARG...]]: ExecuteTool's request, built before connecting, so that a
 * bad option is a usage error */
gboolean
tender_ctl_tool_build_request(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) request = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *name = NULL;
	const gchar *image = self->names[0];

	if (image == NULL)
		return tender_ctl_tool_usage(error, "'tool run' needs an image");
	if (self->names[1] != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unexpected argument '%s': the command follows '--', e.g. tenderctl "
			    "tool run %s -- echo hi",
			    self->names[1],
			    image);
		return FALSE;
	}
	if (self->has_separator && (self->argv == NULL || self->argv[0] == NULL))
		return tender_ctl_tool_usage(error, "Missing the command after '--'");
	for (guint i = 0; self->argv != NULL && self->argv[i] != NULL; i++) {
		if (!g_utf8_validate(self->argv[i], -1, NULL))
			return tender_ctl_tool_usage(error, "The command is not valid UTF-8");
	}
	name = self->tool_name != NULL ? g_strdup(self->tool_name)
				       : tender_ctl_tool_default_name(image);
	g_variant_builder_add(&request, "{sv}", "tool_name", g_variant_new_string(name));
	g_variant_builder_add(&request,
			      "{sv}",
			      "session_id",
			      g_variant_new_string(self->tool_session != NULL ? self->tool_session
									      : "cli"));
	g_variant_builder_add(&request, "{sv}", "image", g_variant_new_string(image));
	if (self->argv != NULL && self->argv[0] != NULL)
		g_variant_builder_add(&request,
				      "{sv}",
				      "command",
				      g_variant_new_strv((const gchar *const *)self->argv, -1));
	if (self->tool_network != NULL)
		g_variant_builder_add(&request,
				      "{sv}",
				      "network",
				      g_variant_new_string(self->tool_network));
	if (!tender_ctl_tool_add_params(self, &request, error) ||
	    !tender_ctl_tool_add_env(self, &request, error) ||
	    !tender_ctl_tool_add_limits(self, &request, error))
		return FALSE;
	g_variant_builder_add(&request, "{sv}", "cleanup", g_variant_new_boolean(!self->tool_keep));
	/* tenderctl waits itself, so that Ctrl-C can cancel the run */
	g_variant_builder_add(&request, "{sv}", "wait", g_variant_new_boolean(FALSE));
	self->tool_request = g_variant_ref_sink(g_variant_builder_end(&request));
	return TRUE;
}
