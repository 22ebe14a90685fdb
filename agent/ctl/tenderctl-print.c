/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* printing: JSON documents, and the properties of a workload as inspect shows them */

#include "config.h"

#include <string.h>

#include "tender-units.h"
#include "tender-workload-view.h"
#include "tenderctl-private.h"

/* the width of the keys of inspect, "ControlGroup" */
#define TENDER_CTL_KEY_WIDTH 12
/* the width of the spec keys of inspect, "io_write_bandwidth_max" */
#define TENDER_CTL_SPEC_KEY_WIDTH 22

void
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

void
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

/* "         Key: k1   v1" and the dictionary's other keys below */
void
tender_ctl_print_dict(const gchar *key, GVariant *dict)
{
	g_autoptr(GPtrArray) lines = tender_ctl_spec_lines(dict);
	tender_ctl_print_key_lines(key, lines);
}

static void
tender_ctl_print_key_uint(const gchar *key, guint value)
{
	g_autofree gchar *text = g_strdup_printf("%u", value);
	tender_ctl_print_key(key, text);
}

/* one property, as its kind reads to people */
static void
tender_ctl_print_property(const TenderWorkloadPropInfo *info, GVariant *value)
{
	g_autofree gchar *text = NULL;

	switch (info->kind) {
	case TENDER_WORKLOAD_PROP_KIND_TEXT:
	case TENDER_WORKLOAD_PROP_KIND_TIME:
		tender_ctl_print_key(info->name, g_variant_get_string(value, NULL));
		return;
	case TENDER_WORKLOAD_PROP_KIND_PID:
		if (g_variant_get_uint32(value) != 0)
			text = g_strdup_printf("%u", g_variant_get_uint32(value));
		break;
	case TENDER_WORKLOAD_PROP_KIND_CODE:
		if (g_variant_get_int32(value) >= 0)
			text = g_strdup_printf("%i", g_variant_get_int32(value));
		break;
	case TENDER_WORKLOAD_PROP_KIND_SIGNAL: {
		gint32 code = g_variant_get_int32(value);
		const gchar *name = tender_units_signal_to_string(code);
		if (code != 0 && name != NULL)
			text = g_strdup_printf("%i (%s)", code, name);
		else if (code != 0)
			text = g_strdup_printf("%i", code);
		break;
	}
	case TENDER_WORKLOAD_PROP_KIND_COUNT:
		tender_ctl_print_key_uint(info->name, g_variant_get_uint32(value));
		return;
	case TENDER_WORKLOAD_PROP_KIND_FLAG:
		tender_ctl_print_key(info->name, g_variant_get_boolean(value) ? "yes" : "no");
		return;
	case TENDER_WORKLOAD_PROP_KIND_COMMAND: {
		g_autofree const gchar **command = g_variant_get_strv(value, NULL);
		text = tender_ctl_join_argv(command);
		break;
	}
	case TENDER_WORKLOAD_PROP_KIND_DICT:
	default: {
		g_autoptr(GPtrArray) lines = tender_ctl_spec_lines(value);
		tender_ctl_print_key_lines(info->name, lines);
		return;
	}
	}
	tender_ctl_print_key(info->name, text);
}

/* the properties of the API in its order, as their kinds read; then those of a newer daemon */
void
tender_ctl_print_properties(GVariant *props)
{
	GVariantIter iter;
	const gchar *key = NULL;
	GVariant *value = NULL;

	for (guint i = 0; i < TENDER_WORKLOAD_PROP_LAST; i++) {
		const TenderWorkloadPropInfo *info =
		    tender_workload_prop_get_info((TenderWorkloadProp)i);
		g_autoptr(GVariant) v =
		    g_variant_lookup_value(props, info->name, G_VARIANT_TYPE(info->type));
		if (v != NULL)
			tender_ctl_print_property(info, v);
	}
	/* properties of a newer daemon */
	g_variant_iter_init(&iter, props);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		g_autofree gchar *text = NULL;
		TenderWorkloadProp prop;
		if (tender_workload_prop_lookup(key, &prop))
			continue;
		text = g_variant_print(value, FALSE);
		tender_ctl_print_key(key, text);
	}
}
