/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "tender-docker-relic-health.h"

/*
 * A relic's health wait: GET URI every half second (each answer given two seconds at most)
 * until one is 2xx, or the time is up.  It runs on the main loop (libsoup's asynchronous
 * requests, on a session of its own, and a timeout between them), never blocking it.
 */

/* a wait's data: one block, freed with g_free() */
typedef struct {
	gint64 deadline; /* monotonic µs */
	gchar uri[];
} TenderDockerRelicHealth;

static void
tender_docker_relic_health_poll(GTask *task);

static gboolean
tender_docker_relic_health_retry_cb(gpointer user_data)
{
	tender_docker_relic_health_poll(user_data);
	return G_SOURCE_REMOVE;
}

static void
tender_docker_relic_health_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerRelicHealth *health = g_task_get_task_data(task);
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), res);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	guint status;

	body = soup_session_send_and_read_finish(SOUP_SESSION(source), res, &error);
	status = body != NULL && msg != NULL ? soup_message_get_status(msg) : 0;
	if (SOUP_STATUS_IS_SUCCESSFUL(status)) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (g_get_monotonic_time() + TENDER_DOCKER_RELIC_HEALTH_INTERVAL_MS * 1000 >=
	    health->deadline) {
		g_task_return_boolean(task, FALSE);
		g_object_unref(task);
		return;
	}
	g_timeout_add(TENDER_DOCKER_RELIC_HEALTH_INTERVAL_MS,
		      tender_docker_relic_health_retry_cb,
		      task);
}

/* one request; the task's reference is held until the wait is over */
static void
tender_docker_relic_health_poll(GTask *task)
{
	TenderDockerRelicHealth *health = g_task_get_task_data(task);
	g_autoptr(SoupMessage) msg = soup_message_new("GET", health->uri);

	if (msg == NULL) {
		g_task_return_boolean(task, FALSE);
		g_object_unref(task);
		return;
	}
	soup_session_send_and_read_async(g_task_get_source_object(task),
					 msg,
					 G_PRIORITY_DEFAULT,
					 g_task_get_cancellable(task),
					 tender_docker_relic_health_cb,
					 task);
}

/**
 * tender_docker_relic_health_wait_async:
 * @uri: what to ask for: http://ADDRESS:PORT/ENDPOINT
 * @timeout_seconds: how long to wait
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once it answered 2xx, or the time is up
 * @user_data: for @callback
 */
void
tender_docker_relic_health_wait_async(const gchar *uri,
				      guint timeout_seconds,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	g_autoptr(SoupSession) session =
	    soup_session_new_with_options("timeout", TENDER_DOCKER_RELIC_HEALTH_REQUEST_SEC, NULL);
	GTask *task = g_task_new(session, cancellable, callback, user_data);
	gsize len = strlen(uri);
	TenderDockerRelicHealth *health = g_malloc(sizeof(TenderDockerRelicHealth) + len + 1);

	health->deadline = g_get_monotonic_time() + (gint64)timeout_seconds * G_USEC_PER_SEC;
	memcpy(health->uri, uri, len + 1);
	g_task_set_source_tag(task, tender_docker_relic_health_wait_async);
	g_task_set_task_data(task, health, g_free);
	tender_docker_relic_health_poll(task);
}

/**
 * tender_docker_relic_health_wait_finish:
 * @res: the result
 * @error: (nullable): return location for a #GError: set only if the wait was cancelled
 *
 * Returns: whether it answered 2xx in time
 */
gboolean
tender_docker_relic_health_wait_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(G_IS_TASK(res), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
