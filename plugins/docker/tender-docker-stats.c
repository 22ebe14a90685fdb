/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "tender-docker-client.h"
#include "tender-docker-stats.h"
#include "tender-docker-tool-request.h"

/*
 * What a container's figures are (issue 14 §4), from its inspect (GET /containers/ID/json) and
 * its stats (GET /containers/ID/stats?stream=false: dockerd samples twice, a second apart, and
 * gives the first as precpu_stats), computed as the docker CLI's `docker stats` does.  Pure:
 * the answers are read defensively (a member missing or of another type counts as 0 or none).
 * And how they are written: tender's form, and seed 002's ContainerStats in its member order.
 */

/* the node at @path, members of members ("cpu_stats.cpu_usage.total_usage"), or %NULL */
static JsonNode *
tender_docker_stats_member(JsonObject *obj, const gchar *path)
{
	g_auto(GStrv) names = g_strsplit(path, ".", -1);
	JsonNode *node = NULL;

	for (guint i = 0; names[i] != NULL; i++) {
		if (obj == NULL)
			return NULL;
		node = json_object_get_member(obj, names[i]);
		obj = node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node)
								   : NULL;
	}
	return node;
}

static guint64
tender_docker_stats_node_uint(JsonNode *node)
{
	GType type;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return 0;
	type = json_node_get_value_type(node);
	if (type == G_TYPE_INT64)
		return (guint64)MAX(json_node_get_int(node), 0);
	if (type == G_TYPE_DOUBLE)
		return json_node_get_double(node) > 0 ? (guint64)json_node_get_double(node) : 0;
	return 0;
}

static guint64
tender_docker_stats_uint(JsonObject *obj, const gchar *path)
{
	return tender_docker_stats_node_uint(tender_docker_stats_member(obj, path));
}

static const gchar *
tender_docker_stats_string(JsonObject *obj, const gchar *path)
{
	JsonNode *node = tender_docker_stats_member(obj, path);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static JsonArray *
tender_docker_stats_array(JsonObject *obj, const gchar *path)
{
	JsonNode *node = tender_docker_stats_member(obj, path);

	return node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
}

/**
 * tender_docker_stats_cpu_percent:
 * @stats: a container's stats, with cpu_stats and precpu_stats
 *
 * The container's CPU time over the system's between the two samples, times the CPUs online
 * (or, without online_cpus, the per-CPU figures there are), in percent: 100 is one CPU busy.
 *
 * Returns: the percentage, 0 when either delta is not positive (a first sample, a container
 * that does not run)
 */
gdouble
tender_docker_stats_cpu_percent(JsonObject *stats)
{
	gdouble cpu_delta =
	    (gdouble)tender_docker_stats_uint(stats, "cpu_stats.cpu_usage.total_usage") -
	    (gdouble)tender_docker_stats_uint(stats, "precpu_stats.cpu_usage.total_usage");
	gdouble system_delta =
	    (gdouble)tender_docker_stats_uint(stats, "cpu_stats.system_cpu_usage") -
	    (gdouble)tender_docker_stats_uint(stats, "precpu_stats.system_cpu_usage");
	gdouble cpus = (gdouble)tender_docker_stats_uint(stats, "cpu_stats.online_cpus");

	if (cpus == 0) {
		JsonArray *percpu =
		    tender_docker_stats_array(stats, "cpu_stats.cpu_usage.percpu_usage");
		cpus = percpu != NULL ? json_array_get_length(percpu) : 0;
	}
	if (system_delta <= 0 || cpu_delta <= 0)
		return 0;
	return cpu_delta / system_delta * cpus * 100.0;
}

/**
 * tender_docker_stats_memory_usage:
 * @stats: a container's stats
 *
 * Returns: memory_stats.usage less the inactive file pages (total_inactive_file on cgroup
 * v1, inactive_file on v2) when they are less, as docker stats counts
 */
guint64
tender_docker_stats_memory_usage(JsonObject *stats)
{
	guint64 usage = tender_docker_stats_uint(stats, "memory_stats.usage");
	const gchar *const inactive[] = {"memory_stats.stats.total_inactive_file",
					 "memory_stats.stats.inactive_file"};

	for (guint i = 0; i < G_N_ELEMENTS(inactive); i++) {
		JsonNode *node = tender_docker_stats_member(stats, inactive[i]);
		guint64 value = tender_docker_stats_node_uint(node);
		if (node != NULL && value < usage)
			return usage - value;
	}
	return usage;
}

/* the bytes of networks.*.rx_bytes (or tx_bytes) together */
static guint64
tender_docker_stats_network(JsonObject *stats, const gchar *member)
{
	JsonNode *networks = tender_docker_stats_member(stats, "networks");
	g_autoptr(GList) names = NULL;
	guint64 sum = 0;

	if (networks == NULL || !JSON_NODE_HOLDS_OBJECT(networks))
		return 0;
	names = json_object_get_members(json_node_get_object(networks));
	for (GList *l = names; l != NULL; l = l->next) {
		JsonNode *network = json_object_get_member(json_node_get_object(networks), l->data);
		if (JSON_NODE_HOLDS_OBJECT(network))
			sum += tender_docker_stats_uint(json_node_get_object(network), member);
	}
	return sum;
}

/* blkio_stats.io_service_bytes_recursive: the ops Read and Write (read, write on cgroup v2) */
static void
tender_docker_stats_read_block(TenderDockerStats *self, JsonObject *stats)
{
	JsonArray *entries =
	    tender_docker_stats_array(stats, "blkio_stats.io_service_bytes_recursive");

	for (guint i = 0; entries != NULL && i < json_array_get_length(entries); i++) {
		JsonNode *node = json_array_get_element(entries, i);
		JsonObject *entry =
		    JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		const gchar *op = tender_docker_stats_string(entry, "op");
		guint64 value = tender_docker_stats_uint(entry, "value");

		if (op == NULL)
			continue;
		if (g_ascii_tolower(op[0]) == 'r')
			self->block_read += value;
		else if (g_ascii_tolower(op[0]) == 'w')
			self->block_write += value;
	}
}

/* a label of the container (Config.Labels), or %NULL */
static gchar *
tender_docker_stats_label(JsonObject *inspect, const gchar *label)
{
	JsonNode *labels = tender_docker_stats_member(inspect, "Config.Labels");

	if (labels == NULL || !JSON_NODE_HOLDS_OBJECT(labels))
		return NULL;
	/* labels have dots in their names: no path */
	return g_strdup(
	    json_object_get_string_member_with_default(json_node_get_object(labels), label, NULL));
}

/**
 * tender_docker_stats_is_owned:
 * @inspect: a container's inspect
 *
 * Returns: whether it has the label org.tender.owner=tender (the plugin made it)
 */
gboolean
tender_docker_stats_is_owned(JsonObject *inspect)
{
	g_autofree gchar *owner = tender_docker_stats_label(inspect, TENDER_DOCKER_LABEL_OWNER);

	return g_strcmp0(owner, "tender") == 0;
}

/**
 * tender_docker_stats_new:
 * @inspect: the container's inspect
 * @stats: (nullable): its stats, %NULL when it has none (all figures 0)
 *
 * Returns: (transfer full): its figures
 */
TenderDockerStats *
tender_docker_stats_new(JsonObject *inspect, JsonObject *stats)
{
	TenderDockerStats *self = g_new0(TenderDockerStats, 1);
	const gchar *name = tender_docker_stats_string(inspect, "Name");
	const gchar *started = tender_docker_stats_string(inspect, "State.StartedAt");
	JsonNode *running = tender_docker_stats_member(inspect, "State.Running");

	self->container_id = g_strdup(tender_docker_stats_string(inspect, "Id"));
	self->name = g_strdup(name != NULL && name[0] == '/' ? name + 1 : name);
	self->tender_id = tender_docker_stats_label(inspect, TENDER_DOCKER_LABEL_ID);
	self->kind = tender_docker_stats_label(inspect, TENDER_DOCKER_LABEL_KIND);
	self->session_id = tender_docker_stats_label(inspect, TENDER_DOCKER_LABEL_SESSION);
	self->status = g_strdup(tender_docker_stats_string(inspect, "State.Status"));
	self->running = running != NULL && JSON_NODE_HOLDS_VALUE(running) &&
			json_node_get_value_type(running) == G_TYPE_BOOLEAN &&
			json_node_get_boolean(running);
	self->created_at = g_strdup(tender_docker_stats_string(inspect, "Created"));
	/* never started: dockerd's zero time */
	if (started != NULL && !g_str_has_prefix(started, "0001-"))
		self->started_at = g_strdup(started);
	if (stats == NULL)
		return self;
	self->cpu_percent = tender_docker_stats_cpu_percent(stats);
	self->memory_usage = tender_docker_stats_memory_usage(stats);
	self->memory_limit = tender_docker_stats_uint(stats, "memory_stats.limit");
	if (self->memory_limit > 0)
		self->memory_percent = (gdouble)self->memory_usage / self->memory_limit * 100.0;
	self->network_rx = tender_docker_stats_network(stats, "rx_bytes");
	self->network_tx = tender_docker_stats_network(stats, "tx_bytes");
	tender_docker_stats_read_block(self, stats);
	self->pids = tender_docker_stats_uint(stats, "pids_stats.current");
	return self;
}

void
tender_docker_stats_free(TenderDockerStats *self)
{
	if (self == NULL)
		return;
	g_free(self->container_id);
	g_free(self->name);
	g_free(self->tender_id);
	g_free(self->kind);
	g_free(self->session_id);
	g_free(self->status);
	g_free(self->created_at);
	g_free(self->started_at);
	g_free(self);
}

static void
tender_docker_stats_set_string(JsonObject *obj, const gchar *member, const gchar *value)
{
	if (value != NULL)
		json_object_set_string_member(obj, member, value);
	else
		json_object_set_null_member(obj, member);
}

/**
 * tender_docker_stats_to_json:
 * @self: a container's figures
 *
 * Returns: (transfer full): tender's form: bytes as integers, percentages as numbers
 */
JsonObject *
tender_docker_stats_to_json(const TenderDockerStats *self)
{
	JsonObject *obj = json_object_new();

	tender_docker_stats_set_string(obj, "id", self->tender_id);
	tender_docker_stats_set_string(obj, "kind", self->kind);
	tender_docker_stats_set_string(obj, "session_id", self->session_id);
	tender_docker_stats_set_string(obj, "container_id", self->container_id);
	tender_docker_stats_set_string(obj, "name", self->name);
	tender_docker_stats_set_string(obj, "status", self->status);
	json_object_set_boolean_member(obj, "running", self->running);
	json_object_set_double_member(obj, "cpu_percent", self->cpu_percent);
	json_object_set_int_member(obj, "memory_usage_bytes", (gint64)self->memory_usage);
	json_object_set_int_member(obj, "memory_limit_bytes", (gint64)self->memory_limit);
	json_object_set_double_member(obj, "memory_percent", self->memory_percent);
	json_object_set_int_member(obj, "network_rx_bytes", (gint64)self->network_rx);
	json_object_set_int_member(obj, "network_tx_bytes", (gint64)self->network_tx);
	json_object_set_int_member(obj, "block_read_bytes", (gint64)self->block_read);
	json_object_set_int_member(obj, "block_write_bytes", (gint64)self->block_write);
	json_object_set_int_member(obj, "pids", (gint64)self->pids);
	tender_docker_stats_set_string(obj, "created_at", self->created_at);
	tender_docker_stats_set_string(obj, "started_at", self->started_at);
	return obj;
}

/**
 * tender_docker_stats_format_cortex_time:
 * @text: (nullable): a time as dockerd writes it, "2026-01-02T03:04:05.123456789Z"
 *
 * Returns: (transfer full) (nullable): as seed 002 writes it (Python's isoformat() of an aware
 *   datetime): "2026-01-02T03:04:05.123456+00:00", the fraction cut to µs and left out when
 *   it is 0; %NULL if @text is no such time
 */
gchar *
tender_docker_stats_format_cortex_time(const gchar *text)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) parsed = text != NULL ? g_date_time_new_from_iso8601(text, utc) : NULL;
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *secs = NULL;
	const gchar *dot = text != NULL ? strchr(text, '.') : NULL;
	gchar fraction[7] = "000000";

	if (parsed == NULL)
		return NULL;
	dt = g_date_time_to_utc(parsed);
	secs = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
	/* the digits as written: a double of seconds would round them */
	for (guint i = 0; dot != NULL && i < 6 && g_ascii_isdigit(dot[i + 1]); i++)
		fraction[i] = dot[i + 1];
	if (g_strcmp0(fraction, "000000") == 0)
		return g_strconcat(secs, "+00:00", NULL);
	return g_strdup_printf("%s.%s+00:00", secs, fraction);
}

static void
tender_docker_stats_set_time(JsonObject *obj, const gchar *member, const gchar *value)
{
	g_autofree gchar *text = tender_docker_stats_format_cortex_time(value);
	tender_docker_stats_set_string(obj, member, text);
}

/**
 * tender_docker_stats_to_cortex_json:
 * @self: a container's figures
 *
 * Returns: (transfer full): seed 002's ContainerStats, its members in its order: sizes in MiB
 */
JsonObject *
tender_docker_stats_to_cortex_json(const TenderDockerStats *self)
{
	JsonObject *obj = json_object_new();
	const gdouble mib = 1024.0 * 1024.0;

	tender_docker_stats_set_string(obj, "container_id", self->container_id);
	tender_docker_stats_set_string(obj, "name", self->name);
	tender_docker_stats_set_string(obj, "status", self->status);
	json_object_set_boolean_member(obj, "running", self->running);
	json_object_set_double_member(obj, "cpu_percent", self->cpu_percent);
	json_object_set_double_member(obj, "memory_used_mb", self->memory_usage / mib);
	json_object_set_double_member(obj, "memory_limit_mb", self->memory_limit / mib);
	json_object_set_double_member(obj, "memory_percent", self->memory_percent);
	json_object_set_double_member(obj, "network_rx_mb", self->network_rx / mib);
	json_object_set_double_member(obj, "network_tx_mb", self->network_tx / mib);
	json_object_set_double_member(obj, "disk_read_mb", self->block_read / mib);
	json_object_set_double_member(obj, "disk_write_mb", self->block_write / mib);
	tender_docker_stats_set_time(obj, "created_at", self->created_at);
	tender_docker_stats_set_time(obj, "started_at", self->started_at);
	return obj;
}
