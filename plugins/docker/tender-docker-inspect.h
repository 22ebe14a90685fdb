/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <tender-run.h>

G_BEGIN_DECLS

/**
 * TenderDockerEnd:
 * @exit_code: the exit status, -1 if none (killed by a signal)
 * @exit_signal: the signal that ended it, or 0
 * @reason: (nullable): the Reason tenderd gives it, "oom-kill"; %NULL for the usual
 *
 * How a container's run ended, as tender_run_report_ended() takes it.
 */
typedef struct {
	gint exit_code;
	gint exit_signal;
	const gchar *reason;
} TenderDockerEnd;

/* the bit of signal @signo in a mask of the signals sent */
#define TENDER_DOCKER_SIGNAL_BIT(signo) (G_GUINT64_CONSTANT(1) << ((guint)(signo)&63))

gboolean
tender_docker_inspect_check_owner(JsonObject *inspect, const gchar *workload, GError **error);
const gchar *
tender_docker_inspect_get_id(JsonObject *inspect);
const gchar *
tender_docker_inspect_get_label(JsonObject *inspect, const gchar *label);
gboolean
tender_docker_inspect_get_running(JsonObject *inspect);
gboolean
tender_docker_inspect_get_paused(JsonObject *inspect);
guint32
tender_docker_inspect_get_pid(JsonObject *inspect);
gboolean
tender_docker_inspect_get_end(JsonObject *inspect, guint64 signals_sent, TenderDockerEnd *end);
GVariant *
tender_docker_inspect_get_limits(JsonObject *inspect);
gboolean
tender_docker_inspect_read_stats(JsonObject *stats, TenderRunMetrics *metrics);

G_END_DECLS
