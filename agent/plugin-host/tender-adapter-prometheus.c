/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-private.h"

/*
 * The Prometheus text of an adapter instance: tender's own (/v1/adapters/NAME/metrics), the
 * series seed 000's core exposed (the root_api's /metrics), and the adapter's own lines,
 * checked before they are added.  Pure functions, unit-tested.
 */

/* a metric name from a JSON key: [a-zA-Z0-9_], everything else becomes '_' */
static gchar *
tender_adapter_metric_name(const gchar *prefix, const gchar *key)
{
	GString *str = g_string_new(prefix);

	for (const gchar *p = key; *p != '\0'; p++)
		g_string_append_c(str, g_ascii_isalnum(*p) ? *p : '_');
	return g_string_free(str, FALSE);
}

static gboolean
tender_adapter_metric_value(JsonNode *node, gdouble *value)
{
	GType type;

	if (!JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	type = json_node_get_value_type(node);
	if (type == G_TYPE_INT64)
		*value = (gdouble)json_node_get_int(node);
	else if (type == G_TYPE_DOUBLE)
		*value = json_node_get_double(node);
	else if (type == G_TYPE_BOOLEAN)
		*value = json_node_get_boolean(node) ? 1.0 : 0.0;
	else
		return FALSE;
	return TRUE;
}

static void
tender_adapter_render_members(GString *out,
			      const gchar *prefix,
			      const gchar *labels,
			      JsonObject *obj,
			      const gchar *skip)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &key, &member)) {
		g_autofree gchar *name = NULL;
		gdouble value = 0.0;

		if (g_strcmp0(key, skip) == 0 || !tender_adapter_metric_value(member, &value))
			continue;
		name = tender_adapter_metric_name(prefix, key);
		g_string_append_printf(out, "# TYPE %s gauge\n", name);
		g_string_append_printf(out, "%s{%s} %.17g\n", name, labels, value);
	}
}

/**
 * tender_adapter_render_prometheus:
 * @instance: the instance's name
 * @metrics: what tender_adapter_get_metrics_finish() returned
 *
 * The Prometheus text of one instance: its workload's numbers as tender_adapter_NAME and
 * the adapter's own numbers (and booleans, as 0 or 1) as tender_adapter_custom_NAME, each
 * labelled with adapter="INSTANCE".
 *
 * Returns: (transfer full): the exposition text
 */
gchar *
tender_adapter_render_prometheus(const gchar *instance, JsonObject *metrics)
{
	GString *out = g_string_new(NULL);
	g_autofree gchar *labels = NULL;
	GString *escaped = g_string_new(NULL);
	JsonNode *adapter = json_object_get_member(metrics, "adapter");

	for (const gchar *p = instance; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			g_string_append_c(escaped, '\\');
		g_string_append_c(escaped, *p);
	}
	labels = g_strdup_printf("adapter=\"%s\"", escaped->str);
	g_string_free(escaped, TRUE);
	tender_adapter_render_members(out, "tender_adapter_", labels, metrics, "adapter");
	if (adapter != NULL && JSON_NODE_HOLDS_OBJECT(adapter))
		tender_adapter_render_members(out,
					      "tender_adapter_custom_",
					      labels,
					      json_node_get_object(adapter),
					      NULL);
	return g_string_free(out, FALSE);
}

/* --- the adapter's own lines --- */

/* [a-zA-Z_:][a-zA-Z0-9_:]*, at the start of @p; returns its end, or %NULL */
static const gchar *
tender_adapter_prometheus_name(const gchar *p, gboolean colon)
{
	if (!(g_ascii_isalpha(*p) || *p == '_' || (colon && *p == ':')))
		return NULL;
	while (g_ascii_isalnum(*p) || *p == '_' || (colon && *p == ':'))
		p++;
	return p;
}

/* a sample value or timestamp: what Prometheus parses (a float, NaN, +Inf, -Inf) */
static gboolean
tender_adapter_prometheus_number(const gchar *text, gboolean integer)
{
	gchar *end = NULL;

	if (text[0] == '\0')
		return FALSE;
	if (integer) {
		(void)g_ascii_strtoll(text, &end, 10);
		return *end == '\0';
	}
	if (g_ascii_strcasecmp(text, "NaN") == 0 || g_ascii_strcasecmp(text, "+Inf") == 0 ||
	    g_ascii_strcasecmp(text, "-Inf") == 0 || g_ascii_strcasecmp(text, "Inf") == 0)
		return TRUE;
	(void)g_ascii_strtod(text, &end);
	return end != text && *end == '\0' && !g_ascii_isalpha(text[strlen(text) - 1]);
}

/* {name="value",...}: returns the end of the set, or %NULL */
static const gchar *
tender_adapter_prometheus_labels(const gchar *p)
{
	p++; /* '{' */
	while (*p != '}') {
		p = tender_adapter_prometheus_name(p, FALSE);
		if (p == NULL || *p++ != '=' || *p++ != '"')
			return NULL;
		while (*p != '"') {
			if (*p == '\0')
				return NULL;
			if (*p == '\\' && p[1] != '\\' && p[1] != '"' && p[1] != 'n')
				return NULL;
			p += *p == '\\' ? 2 : 1;
		}
		p++;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return NULL;
	}
	return p + 1;
}

static gboolean
tender_adapter_prometheus_reserved(const gchar *name, gsize len)
{
	return (len >= 7 && strncmp(name, "tender_", 7) == 0) ||
	       (len >= 10 && strncmp(name, "container_", 10) == 0);
}

/**
 * tender_adapter_prometheus_check_line:
 * @line: one line an adapter gave, without its newline
 * @error: (nullable): a #GError, saying why it is not kept
 *
 * Whether @line is Prometheus exposition text (0.0.4) an adapter may add: a sample
 * `name{label="value",...} value [timestamp]`, `# HELP name text`, `# TYPE name type` or
 * another comment, with a name that is not tender's own (container_*, tender_*).
 *
 * Returns: %TRUE if it is kept
 */
gboolean
tender_adapter_prometheus_check_line(const gchar *line, GError **error)
{
	const gchar *name = line;
	const gchar *end;
	g_auto(GStrv) rest = NULL;

	if (!g_utf8_validate(line, -1, NULL)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "not UTF-8");
		return FALSE;
	}
	for (const gchar *p = line; *p != '\0'; p++) {
		if ((guchar)*p < ' ' && *p != '\t') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "a control character");
			return FALSE;
		}
	}
	if (line[0] == '#') {
		g_auto(GStrv) words = g_strsplit(line, " ", 4);
		gboolean help = g_strv_length(words) >= 3 && g_strcmp0(words[1], "HELP") == 0;
		gboolean type = g_strv_length(words) >= 3 && g_strcmp0(words[1], "TYPE") == 0;
		if (!help && !type)
			return TRUE;
		end = tender_adapter_prometheus_name(words[2], TRUE);
		if (end == NULL || *end != '\0') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' is not a metric name",
				    words[2]);
			return FALSE;
		}
		if (tender_adapter_prometheus_reserved(words[2], strlen(words[2]))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the name %s is tender's own",
				    words[2]);
			return FALSE;
		}
		if (type && (g_strv_length(words) != 4 ||
			     !g_strv_contains((const gchar *const[]){"counter",
								     "gauge",
								     "histogram",
								     "summary",
								     "untyped",
								     NULL},
					      words[3]))) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "TYPE needs counter, gauge, histogram, summary or "
					    "untyped");
			return FALSE;
		}
		return TRUE;
	}
	end = tender_adapter_prometheus_name(name, TRUE);
	if (end == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "it does not start with a metric name");
		return FALSE;
	}
	if (tender_adapter_prometheus_reserved(name, (gsize)(end - name))) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "the name %.*s is tender's own",
			    (gint)(end - name),
			    name);
		return FALSE;
	}
	if (*end == '{')
		end = tender_adapter_prometheus_labels(end);
	if (end == NULL || (*end != ' ' && *end != '\t')) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "its labels are not name=\"value\" pairs");
		return FALSE;
	}
	rest = g_strsplit_set(end, " \t", -1);
	{
		g_autoptr(GPtrArray) words = g_ptr_array_new();
		for (guint i = 0; rest[i] != NULL; i++)
			if (rest[i][0] != '\0')
				g_ptr_array_add(words, rest[i]);
		if (words->len < 1 || words->len > 2 ||
		    !tender_adapter_prometheus_number(g_ptr_array_index(words, 0), FALSE) ||
		    (words->len == 2 &&
		     !tender_adapter_prometheus_number(g_ptr_array_index(words, 1), TRUE))) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "it needs a value (and at most a timestamp) after the "
					    "name");
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_adapter_prometheus_filter:
 * @lines: (nullable): the lines an adapter gave
 * @n_dropped: (out): how many were dropped
 * @why: (out) (transfer full) (nullable): why the first was, or %NULL
 *
 * Returns: (transfer full): the lines of @lines that tender_adapter_prometheus_check_line()
 *   keeps (blank ones are left out silently), at most %TENDER_ADAPTER_PROMETHEUS_LINES_MAX
 */
GStrv
tender_adapter_prometheus_filter(const gchar *const *lines, guint *n_dropped, gchar **why)
{
	g_autoptr(GStrvBuilder) kept = g_strv_builder_new();
	guint n_kept = 0;

	*n_dropped = 0;
	*why = NULL;
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;

		if (lines[i][strspn(lines[i], " \t")] == '\0')
			continue;
		if (n_kept >= TENDER_ADAPTER_PROMETHEUS_LINES_MAX) {
			error = g_error_new(TENDER_ERROR,
					    TENDER_ERROR_LIMIT_REACHED,
					    "more than %u lines",
					    (guint)TENDER_ADAPTER_PROMETHEUS_LINES_MAX);
		} else if (tender_adapter_prometheus_check_line(lines[i], &error)) {
			g_strv_builder_add(kept, lines[i]);
			n_kept++;
			continue;
		}
		if (*why == NULL)
			*why = g_strdup_printf("'%.80s': %s", lines[i], error->message);
		(*n_dropped)++;
	}
	return g_strv_builder_end(kept);
}

/* a figure of @obj's member @key, or 0 */
static gdouble
tender_adapter_prometheus_figure(JsonObject *obj, const gchar *key)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, key) : NULL;
	gdouble value = 0.0;

	if (node == NULL || !tender_adapter_metric_value(node, &value))
		return 0.0;
	return value;
}

/* a count of @obj's member @key (an integer), or 0 */
static gint64
tender_adapter_prometheus_count(JsonObject *obj, const gchar *key)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, key) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_INT64)
		return 0;
	return json_node_get_int(node);
}

/**
 * tender_adapter_render_container:
 * @metrics: what tender_adapter_get_metrics_finish() returned
 * @lines: (nullable): the adapter's own lines, checked
 *
 * The root_api's /metrics, as seed 000's core wrote it: its five container_* series (with
 * their HELP lines, in its order and number formats) of the instance's workload, then the
 * adapter's own lines.
 *
 * Returns: (transfer full): the exposition text
 */
gchar *
tender_adapter_render_container(JsonObject *metrics, const gchar *const *lines)
{
	JsonNode *system = json_object_get_member(metrics, "system");
	JsonNode *network = json_object_get_member(metrics, "network");
	JsonObject *sys =
	    system != NULL && JSON_NODE_HOLDS_OBJECT(system) ? json_node_get_object(system) : NULL;
	JsonObject *net = network != NULL && JSON_NODE_HOLDS_OBJECT(network)
			      ? json_node_get_object(network)
			      : NULL;
	GString *out = g_string_new(NULL);
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append(out, "# HELP container_cpu_percent CPU usage %\n");
	g_string_append_printf(out,
			       "container_cpu_percent %s\n",
			       g_ascii_formatd(buf,
					       sizeof(buf),
					       "%.1f",
					       tender_adapter_prometheus_figure(sys,
										"cpu_percent")));
	g_string_append(out, "# HELP container_memory_percent Mem usage %\n");
	g_string_append_printf(out,
			       "container_memory_percent %s\n",
			       g_ascii_formatd(buf,
					       sizeof(buf),
					       "%.1f",
					       tender_adapter_prometheus_figure(sys,
										"memory_percent")));
	g_string_append(out, "# HELP container_memory_used_bytes Used bytes\n");
	g_string_append_printf(out,
			       "container_memory_used_bytes %" G_GINT64_FORMAT "\n",
			       tender_adapter_prometheus_count(metrics, "memory_bytes"));
	g_string_append(out, "# HELP container_network_bytes_sent_total Bytes sent\n");
	g_string_append_printf(out,
			       "container_network_bytes_sent_total %" G_GINT64_FORMAT "\n",
			       tender_adapter_prometheus_count(net, "bytes_sent"));
	g_string_append(out, "# HELP container_network_bytes_recv_total Bytes recv\n");
	g_string_append_printf(out,
			       "container_network_bytes_recv_total %" G_GINT64_FORMAT "\n",
			       tender_adapter_prometheus_count(net, "bytes_recv"));
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
		g_string_append_printf(out, "%s\n", lines[i]);
	return g_string_free(out, FALSE);
}
