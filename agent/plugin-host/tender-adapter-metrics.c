/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-instance-private.h"
#include "tender-error.h"
#include "tender-util.h"

/*
 * An adapter instance's metrics: its workload's state and usage, and the figures seed 000's
 * core reports ("app_status", "system", "network"), computed for the instance's workload
 * (its scope's cgroup, its network namespace) where the core read the whole host's.  The
 * /proc parsers are pure, and unit-tested.
 */

#define TENDER_ADAPTER_PROC_FILE_MAX (1024 * 1024)

/**
 * tender_adapter_metrics_parse_net_dev:
 * @text: the contents of a /proc/PID/net/dev
 * @counters: (out): the sums over every interface
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @text has the two header lines and well-formed interface lines
 */
gboolean
tender_adapter_metrics_parse_net_dev(const gchar *text,
				     TenderAdapterNetCounters *counters,
				     GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	memset(counters, 0, sizeof(*counters));
	if (g_strv_length(lines) < 2 || strstr(lines[0], "Receive") == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "net/dev has no header line");
		return FALSE;
	}
	for (guint i = 2; lines[i] != NULL; i++) {
		const gchar *colon;
		g_auto(GStrv) fields = NULL;
		guint64 values[10] = {0};
		guint n = 0;

		if (g_strstrip(lines[i])[0] == '\0')
			continue;
		colon = strchr(lines[i], ':');
		if (colon == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "net/dev line %u has no interface name",
				    i + 1);
			return FALSE;
		}
		fields = g_strsplit_set(colon + 1, " \t", -1);
		for (guint j = 0; fields[j] != NULL && n < G_N_ELEMENTS(values); j++) {
			if (fields[j][0] == '\0')
				continue;
			if (!g_ascii_string_to_unsigned(fields[j],
							10,
							0,
							G_MAXUINT64,
							&values[n],
							NULL)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "net/dev line %u has the field '%s'",
					    i + 1,
					    fields[j]);
				return FALSE;
			}
			n++;
		}
		if (n < G_N_ELEMENTS(values)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "net/dev line %u has %u fields",
				    i + 1,
				    n);
			return FALSE;
		}
		/* receive: bytes packets errs drop fifo frame compressed multicast; transmit:
		 * bytes packets ... */
		counters->bytes_recv += values[0];
		counters->packets_recv += values[1];
		counters->bytes_sent += values[8];
		counters->packets_sent += values[9];
	}
	return TRUE;
}

/**
 * tender_adapter_metrics_parse_meminfo:
 * @text: the contents of /proc/meminfo
 * @total: (out): MemTotal, in bytes
 * @available: (out): MemAvailable, in bytes
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @text has both
 */
gboolean
tender_adapter_metrics_parse_meminfo(const gchar *text,
				     guint64 *total,
				     guint64 *available,
				     GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean have_total = FALSE;
	gboolean have_available = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		guint64 *out = NULL;
		gchar *end = NULL;
		guint64 kib;

		if (g_str_has_prefix(lines[i], "MemTotal:")) {
			out = total;
			have_total = TRUE;
		} else if (g_str_has_prefix(lines[i], "MemAvailable:")) {
			out = available;
			have_available = TRUE;
		} else {
			continue;
		}
		kib = g_ascii_strtoull(strchr(lines[i], ':') + 1, &end, 10);
		if (end == strchr(lines[i], ':') + 1 || kib > G_MAXUINT64 / 1024) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "meminfo has the line '%s'",
				    lines[i]);
			return FALSE;
		}
		*out = kib * 1024;
	}
	if (!have_total || !have_available) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "meminfo lacks MemTotal or MemAvailable");
		return FALSE;
	}
	return TRUE;
}

/* @value (not negative) rounded to @decimals decimals, without libm */
static gdouble
tender_adapter_metrics_round(gdouble value, guint decimals)
{
	gdouble scale = decimals == 1 ? 10.0 : 100.0;
	return (gdouble)(guint64)(value * scale + 0.5) / scale;
}

/**
 * tender_adapter_metrics_system:
 * @cpu_percent_of_one: the workload's CPU use, in percent of one CPU
 * @n_cpus: the host's CPUs
 * @used: the workload's memory, in bytes
 * @limit: its memory_max, or 0 for none
 * @mem_total: the host's MemTotal
 * @mem_available: the host's MemAvailable
 *
 * Seed 000's "system" figures for a workload: cpu_percent (of all CPUs, 0 to 100, one
 * decimal), memory_percent (of @limit, or of the host's memory, one decimal),
 * memory_available_mb and memory_used_mb (MiB, two decimals).
 *
 * Returns: (transfer full): the object
 */
JsonObject *
tender_adapter_metrics_system(gdouble cpu_percent_of_one,
			      guint n_cpus,
			      guint64 used,
			      guint64 limit,
			      guint64 mem_total,
			      guint64 mem_available)
{
	JsonObject *obj = json_object_new();
	guint64 total = limit != 0 && limit < mem_total ? limit : mem_total;
	guint64 available = total > used ? total - used : 0;
	gdouble cpu = n_cpus > 0 ? cpu_percent_of_one / n_cpus : cpu_percent_of_one;
	gdouble memory = total > 0 ? (gdouble)used * 100.0 / (gdouble)total : 0.0;

	if (limit == 0 || available > mem_available)
		available = mem_available;
	json_object_set_double_member(obj,
				      "cpu_percent",
				      tender_adapter_metrics_round(CLAMP(cpu, 0.0, 100.0), 1));
	json_object_set_double_member(obj,
				      "memory_percent",
				      tender_adapter_metrics_round(CLAMP(memory, 0.0, 100.0), 1));
	json_object_set_double_member(obj,
				      "memory_available_mb",
				      tender_adapter_metrics_round((gdouble)available /
								       (1024.0 * 1024.0),
								   2));
	json_object_set_double_member(obj,
				      "memory_used_mb",
				      tender_adapter_metrics_round((gdouble)used /
								       (1024.0 * 1024.0),
								   2));
	return obj;
}

/* the counters of @pid's network namespace (0: tenderd's own) */
static JsonObject *
tender_adapter_metrics_network(TenderAdapter *self, guint32 pid)
{
	JsonObject *obj = json_object_new();
	TenderAdapterNetCounters counters = {0};
	g_autofree gchar *path =
	    pid != 0 ? g_strdup_printf("/proc/%u/net/dev", pid) : g_strdup("/proc/self/net/dev");
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &text, &len, &error) || len > TENDER_ADAPTER_PROC_FILE_MAX ||
	    !tender_adapter_metrics_parse_net_dev(text, &counters, &error))
		g_debug("adapter %s: %s: %s",
			self->name,
			path,
			error != NULL ? error->message : "too large");
	json_object_set_int_member(obj, "bytes_sent", (gint64)counters.bytes_sent);
	json_object_set_int_member(obj, "bytes_recv", (gint64)counters.bytes_recv);
	json_object_set_int_member(obj, "packets_sent", (gint64)counters.packets_sent);
	json_object_set_int_member(obj, "packets_recv", (gint64)counters.packets_recv);
	return obj;
}

static JsonObject *
tender_adapter_metrics_host_system(TenderAdapter *self, JsonObject *metrics)
{
	TenderWorkload *w = tender_adapter_get_workload(self);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	guint64 total = 0;
	guint64 available = 0;
	gdouble cpu = 0.0;
	guint64 used = 0;

	if (!g_file_get_contents("/proc/meminfo", &text, NULL, &error) ||
	    !tender_adapter_metrics_parse_meminfo(text, &total, &available, &error))
		g_debug("adapter %s: /proc/meminfo: %s", self->name, error->message);
	if (json_object_has_member(metrics, "cpu_percent"))
		cpu = json_object_get_double_member(metrics, "cpu_percent");
	if (json_object_has_member(metrics, "memory_bytes"))
		used = (guint64)json_object_get_int_member(metrics, "memory_bytes");
	return tender_adapter_metrics_system(cpu,
					     g_get_num_processors(),
					     used,
					     w != NULL ? tender_workload_get_spec(w)->memory_max
						       : 0,
					     total,
					     available);
}

/**
 * tender_adapter_metrics_new:
 * @self: a #TenderAdapter
 *
 * The instance's metrics but the adapter's own: its workload's state and (while it runs)
 * usage, app_status, system, network and timestamp.
 *
 * Returns: (transfer full): the object
 */
JsonObject *
tender_adapter_metrics_new(TenderAdapter *self)
{
	JsonObject *obj = json_object_new();
	TenderWorkload *w = tender_adapter_get_workload(self);
	TenderState state = w != NULL ? tender_workload_get_state(w) : TENDER_STATE_LAST;
	guint32 pid = tender_adapter_get_main_pid(self);
	g_autofree gchar *timestamp = tender_util_timestamp_now();

	json_object_set_string_member(obj, "instance", self->name);
	json_object_set_string_member(obj, "type", self->config->type);
	json_object_set_string_member(obj, "workload", self->workload_name);
	json_object_set_string_member(obj,
				      "state",
				      w != NULL ? tender_state_to_string(state) : "absent");
	json_object_set_boolean_member(obj, "running", state == TENDER_STATE_RUNNING);
	json_object_set_int_member(obj, "main_pid", pid);
	if (state == TENDER_STATE_RUNNING || state == TENDER_STATE_PAUSED) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) metrics =
		    tender_engine_get_metrics(self->engine, self->workload_name, &error);
		GVariantIter iter;
		const gchar *key;
		GVariant *value;

		if (metrics == NULL) {
			g_debug("adapter %s: %s", self->name, error->message);
		} else {
			g_variant_ref_sink(metrics);
			g_variant_iter_init(&iter, metrics);
			while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
				if (g_strcmp0(key, "timestamp") != 0)
					json_object_set_member(obj,
							       key,
							       json_gvariant_serialize(value));
				g_variant_unref(value);
			}
		}
	}
	json_object_set_string_member(obj, "app_status", tender_adapter_get_app_status(self));
	json_object_set_object_member(obj, "system", tender_adapter_metrics_host_system(self, obj));
	json_object_set_object_member(obj, "network", tender_adapter_metrics_network(self, pid));
	json_object_set_string_member(obj, "timestamp", timestamp);
	return obj;
}
