/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * TenderDockerStats:
 * @container_id: the container's id
 * @name: its name, without dockerd's leading '/'
 * @tender_id: (nullable): tender's id of it (org.tender.id): a tool's, a relic's, a workload's
 * @kind: (nullable): tool, relic or workload (org.tender.kind)
 * @session_id: (nullable): the session of a tool or relic (org.tender.session)
 * @status: dockerd's State.Status: created, running, paused, restarting, exited, dead
 * @running: whether it runs (State.Running)
 * @created_at: (nullable): when it was made, as dockerd says (ISO 8601, UTC)
 * @started_at: (nullable): when it last started, or %NULL if never
 * @cpu_percent: its CPU use between dockerd's two samples, in percent of one CPU
 * @memory_usage: the memory it uses, page cache of inactive files left out (as docker stats)
 * @memory_limit: its memory limit (the host's memory when it has none)
 * @memory_percent: @memory_usage in percent of @memory_limit
 * @network_rx, @network_tx: the bytes received and sent, all its networks together
 * @block_read, @block_write: the bytes read from and written to block devices
 * @pids: its processes and threads
 *
 * One container's figures, from its inspect and its stats (GET /containers/ID/stats).
 */
typedef struct {
	gchar *container_id;
	gchar *name;
	gchar *tender_id;
	gchar *kind;
	gchar *session_id;
	gchar *status;
	gboolean running;
	gchar *created_at;
	gchar *started_at;
	gdouble cpu_percent;
	guint64 memory_usage;
	guint64 memory_limit;
	gdouble memory_percent;
	guint64 network_rx;
	guint64 network_tx;
	guint64 block_read;
	guint64 block_write;
	guint64 pids;
} TenderDockerStats;

gdouble
tender_docker_stats_cpu_percent(JsonObject *stats);
guint64
tender_docker_stats_memory_usage(JsonObject *stats);
TenderDockerStats *
tender_docker_stats_new(JsonObject *inspect, JsonObject *stats);
void
tender_docker_stats_free(TenderDockerStats *self);
gboolean
tender_docker_stats_is_owned(JsonObject *inspect);
JsonObject *
tender_docker_stats_to_json(const TenderDockerStats *self);
JsonObject *
tender_docker_stats_to_cortex_json(const TenderDockerStats *self);
gchar *
tender_docker_stats_format_cortex_time(const gchar *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerStats, tender_docker_stats_free)

G_END_DECLS
