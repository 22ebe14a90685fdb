/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <tender-error.h>

#include "tender-docker-client.h"
#include "tender-docker-inspect.h"
#include "tender-docker-spec.h"

/*
 * What dockerd's answers about a workload's container say, for the runtime docker: whose it
 * is (the labels), whether it runs and its PID (GET /containers/ID/json), how its run ended,
 * the limits its HostConfig holds, and its counters (GET /containers/ID/stats).  Pure: the
 * answers are JSON objects, read defensively (a member that is missing or of another type
 * counts as absent).
 */

/* NanoCpus of 1% of one CPU */
#define TENDER_DOCKER_INSPECT_NANO_CPUS_PER_PERCENT 10000000

/* @obj's member @name if it is an object, else %NULL */
static JsonObject *
tender_docker_inspect_object(JsonObject *obj, const gchar *name)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, name) : NULL;

	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

/* @obj's member @name if it is a number (or a boolean), else 0 */
static gint64
tender_docker_inspect_int(JsonObject *obj, const gchar *name)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, name) : NULL;
	GType type;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return 0;
	type = json_node_get_value_type(node);
	if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE || type == G_TYPE_BOOLEAN)
		return json_node_get_int(node);
	return 0;
}

/* @obj's member @name if it is a string, else %NULL */
static const gchar *
tender_docker_inspect_string(JsonObject *obj, const gchar *name)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, name) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/**
 * tender_docker_inspect_check_owner:
 * @inspect: a container's inspect (GET /containers/ID/json)
 * @workload: the workload it should be the container of
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the labels say the plugin made it for @workload; else %FALSE with
 *	InvalidState (the name tender-NAME is taken by a container tender did not make)
 */
gboolean
tender_docker_inspect_check_owner(JsonObject *inspect, const gchar *workload, GError **error)
{
	JsonObject *labels =
	    tender_docker_inspect_object(tender_docker_inspect_object(inspect, "Config"), "Labels");

	if (g_strcmp0(tender_docker_inspect_string(labels, TENDER_DOCKER_LABEL_OWNER),
		      TENDER_DOCKER_OWNER) == 0 &&
	    g_strcmp0(tender_docker_inspect_string(labels, TENDER_DOCKER_LABEL_KIND),
		      TENDER_DOCKER_KIND_WORKLOAD) == 0 &&
	    g_strcmp0(tender_docker_inspect_string(labels, TENDER_DOCKER_LABEL_ID), workload) == 0)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_STATE,
		    "the container " TENDER_DOCKER_NAME_PREFIX "%s exists, and tender did not make "
		    "it for this workload (its labels say otherwise); remove or rename it",
		    workload);
	return FALSE;
}

/**
 * tender_docker_inspect_get_id:
 * @inspect: a container's inspect
 *
 * Returns: (nullable): its full id
 */
const gchar *
tender_docker_inspect_get_id(JsonObject *inspect)
{
	return tender_docker_inspect_string(inspect, "Id");
}

/**
 * tender_docker_inspect_get_label:
 * @inspect: a container's inspect
 * @label: a label's key
 *
 * Returns: (nullable): the label's value
 */
const gchar *
tender_docker_inspect_get_label(JsonObject *inspect, const gchar *label)
{
	return tender_docker_inspect_string(
	    tender_docker_inspect_object(tender_docker_inspect_object(inspect, "Config"), "Labels"),
	    label);
}

/**
 * tender_docker_inspect_get_running:
 * @inspect: a container's inspect
 *
 * Returns: whether it runs (paused or not)
 */
gboolean
tender_docker_inspect_get_running(JsonObject *inspect)
{
	JsonObject *state = tender_docker_inspect_object(inspect, "State");

	return tender_docker_inspect_int(state, "Running") != 0 ||
	       tender_docker_inspect_int(state, "Restarting") != 0;
}

/**
 * tender_docker_inspect_get_paused:
 * @inspect: a container's inspect
 *
 * Returns: whether it is paused
 */
gboolean
tender_docker_inspect_get_paused(JsonObject *inspect)
{
	return tender_docker_inspect_int(tender_docker_inspect_object(inspect, "State"),
					 "Paused") != 0;
}

/**
 * tender_docker_inspect_get_pid:
 * @inspect: a container's inspect
 *
 * Returns: the PID of its first process as the host sees it, 0 if it does not run
 */
guint32
tender_docker_inspect_get_pid(JsonObject *inspect)
{
	gint64 pid =
	    tender_docker_inspect_int(tender_docker_inspect_object(inspect, "State"), "Pid");

	return pid > 0 && pid <= G_MAXINT32 ? (guint32)pid : 0;
}

/**
 * tender_docker_inspect_get_end:
 * @inspect: a container's inspect
 * @signals_sent: the signals the runtime sent it in this run (TENDER_DOCKER_SIGNAL_BIT)
 * @end: (out): how its run ended
 *
 * How the container's run ended: killed by the OOM killer (SIGKILL, reason oom-kill), by a
 * signal (an ExitCode of 128 + N after the runtime sent signal N: dockerd tells no more), or
 * exited with its ExitCode.
 *
 * Returns: %FALSE if it still runs
 */
gboolean
tender_docker_inspect_get_end(JsonObject *inspect, guint64 signals_sent, TenderDockerEnd *end)
{
	JsonObject *state = tender_docker_inspect_object(inspect, "State");
	gint64 code = tender_docker_inspect_int(state, "ExitCode");

	if (tender_docker_inspect_get_running(inspect))
		return FALSE;
	*end = (TenderDockerEnd){.exit_code = (gint)CLAMP(code, -1, 255)};
	if (tender_docker_inspect_int(state, "OOMKilled") != 0) {
		*end = (TenderDockerEnd){.exit_code = -1,
					 .exit_signal = SIGKILL,
					 .reason = "oom-kill"};
	} else if (code > 128 && code < 128 + 64 &&
		   (signals_sent & TENDER_DOCKER_SIGNAL_BIT(code - 128)) != 0) {
		*end = (TenderDockerEnd){.exit_code = -1, .exit_signal = (gint)(code - 128)};
	}
	return TRUE;
}

static void
tender_docker_inspect_add_limit(GVariantBuilder *builder, const gchar *key, GVariant *value)
{
	g_variant_builder_add(builder, "{sv}", key, value);
}

/**
 * tender_docker_inspect_get_limits:
 * @inspect: a container's inspect
 *
 * The limits its HostConfig holds, as the Limits property has them: memory_max t (Memory),
 * cpu_quota_percent u (NanoCpus), tasks_max t (PidsLimit); one that is not set is left out.
 *
 * Returns: (transfer floating): an a{sv}
 */
GVariant *
tender_docker_inspect_get_limits(JsonObject *inspect)
{
	JsonObject *host = tender_docker_inspect_object(inspect, "HostConfig");
	GVariantBuilder builder;
	gint64 memory = tender_docker_inspect_int(host, "Memory");
	gint64 nano_cpus = tender_docker_inspect_int(host, "NanoCpus");
	gint64 pids = tender_docker_inspect_int(host, "PidsLimit");

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (memory > 0)
		tender_docker_inspect_add_limit(&builder,
						"memory_max",
						g_variant_new_uint64((guint64)memory));
	if (nano_cpus >= TENDER_DOCKER_INSPECT_NANO_CPUS_PER_PERCENT)
		tender_docker_inspect_add_limit(
		    &builder,
		    "cpu_quota_percent",
		    g_variant_new_uint32(
			(guint32)MIN(nano_cpus / TENDER_DOCKER_INSPECT_NANO_CPUS_PER_PERCENT,
				     G_MAXUINT32)));
	if (pids > 0)
		tender_docker_inspect_add_limit(&builder,
						"tasks_max",
						g_variant_new_uint64((guint64)pids));
	return g_variant_builder_end(&builder);
}

/* the bytes read and written of blkio_stats.io_service_bytes_recursive (cgroup v1 says Read
 * and Write, v2 read and write) */
static void
tender_docker_inspect_read_io(JsonObject *stats, TenderRunMetrics *metrics)
{
	JsonObject *blkio = tender_docker_inspect_object(stats, "blkio_stats");
	JsonNode *node =
	    blkio != NULL ? json_object_get_member(blkio, "io_service_bytes_recursive") : NULL;
	JsonArray *entries;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return;
	entries = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonNode *entry = json_array_get_element(entries, i);
		JsonObject *obj =
		    JSON_NODE_HOLDS_OBJECT(entry) ? json_node_get_object(entry) : NULL;
		const gchar *op = tender_docker_inspect_string(obj, "op");
		gint64 value = tender_docker_inspect_int(obj, "value");
		if (op == NULL || value <= 0)
			continue;
		if (g_ascii_strcasecmp(op, "read") == 0)
			metrics->io_read_bytes += (guint64)value;
		else if (g_ascii_strcasecmp(op, "write") == 0)
			metrics->io_write_bytes += (guint64)value;
	}
}

static guint64
tender_docker_inspect_uint(JsonObject *obj, const gchar *name)
{
	return (guint64)MAX(tender_docker_inspect_int(obj, name), 0);
}

/**
 * tender_docker_inspect_read_stats:
 * @stats: a container's stats (GET /containers/ID/stats?stream=false)
 * @metrics: (out): its counters
 *
 * Reads the counters of GetMetrics: cpu_stats.cpu_usage.total_usage (ns), memory_stats
 * usage and max_usage (cgroup v1 only), pids_stats.current, and the block I/O bytes.
 *
 * Returns: %FALSE if @stats has no CPU or memory figures (a container that does not run)
 */
gboolean
tender_docker_inspect_read_stats(JsonObject *stats, TenderRunMetrics *metrics)
{
	JsonObject *cpu =
	    tender_docker_inspect_object(tender_docker_inspect_object(stats, "cpu_stats"),
					 "cpu_usage");
	JsonObject *memory = tender_docker_inspect_object(stats, "memory_stats");

	memset(metrics, 0, sizeof(*metrics));
	if (cpu == NULL || memory == NULL || !json_object_has_member(memory, "usage"))
		return FALSE;
	metrics->cpu_usage_nsec = tender_docker_inspect_uint(cpu, "total_usage");
	metrics->memory_bytes = tender_docker_inspect_uint(memory, "usage");
	metrics->memory_peak_bytes = tender_docker_inspect_uint(memory, "max_usage");
	metrics->tasks =
	    tender_docker_inspect_uint(tender_docker_inspect_object(stats, "pids_stats"),
				       "current");
	tender_docker_inspect_read_io(stats, metrics);
	return TRUE;
}
