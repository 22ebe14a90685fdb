/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-events.h"
#include "tender-docker-lines.h"

/*
 * TenderDockerEvents follows dockerd's /events for a TenderDockerClient, filtered to
 * containers labelled org.tender.owner: a long GET whose answer is one JSON object a line
 * (read with TenderDockerLines, so a line is bounded).  It calls event_func for each event,
 * and connected_func when the stream opens and when it drops.
 *
 * A stream that cannot be opened, or drops, is opened again after a delay that doubles from
 * TENDER_DOCKER_EVENTS_BACKOFF_FIRST_MS to TENDER_DOCKER_EVENTS_BACKOFF_MAX_MS, and back to
 * the first once a stream opens.  The new stream resumes with since= the last event's time
 * (or the time the first stream opened), and events that were received already (no later
 * than the last one) are not passed on again.
 *
 * Each attempt has a cancellable of its own, which stop() cancels; its callbacks look at it
 * before anything else, so that none touches an events object that is gone.
 */

struct _TenderDockerEvents {
	TenderDockerClient *client; /* not owned: it owns this */
	TenderDockerEventFunc event_func;
	TenderDockerConnectedFunc connected_func;
	gpointer user_data;
	gboolean started;
	gboolean connected;
	GCancellable *cancellable; /* the current attempt's */
	guint retry_id;
	guint backoff_ms;
	gint64 since_ns; /* where a new stream resumes; 0 before the first has opened */
	gint64 last_ns;	 /* the last event's timeNano, 0 before any */
};

/* one attempt at a stream, and the stream */
typedef struct {
	TenderDockerEvents *events; /* valid while cancellable is not cancelled */
	GCancellable *cancellable;
	TenderDockerLines *lines;
} TenderDockerEventsAttempt;

static void
tender_docker_events_attempt_free(TenderDockerEventsAttempt *attempt)
{
	g_object_unref(attempt->cancellable);
	g_clear_object(&attempt->lines);
	g_free(attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerEventsAttempt, tender_docker_events_attempt_free)

static void
tender_docker_events_set_connected(TenderDockerEvents *self, gboolean connected)
{
	if (self->connected == connected)
		return;
	self->connected = connected;
	self->connected_func(connected, self->user_data);
}

/* ends the attempt under way, or the wait before the next */
static void
tender_docker_events_cancel(TenderDockerEvents *self)
{
	self->started = FALSE;
	if (self->cancellable != NULL) {
		g_cancellable_cancel(self->cancellable);
		g_clear_object(&self->cancellable);
	}
	g_clear_handle_id(&self->retry_id, g_source_remove);
}

/**
 * tender_docker_events_stop:
 * @self: a #TenderDockerEvents
 *
 * Closes the stream, or stops trying to open it.
 */
void
tender_docker_events_stop(TenderDockerEvents *self)
{
	g_return_if_fail(self != NULL);
	tender_docker_events_cancel(self);
	tender_docker_events_set_connected(self, FALSE);
}

/**
 * tender_docker_events_new:
 * @client: the client, which owns the result
 * @event_func: called with each event
 * @connected_func: called when the stream opens or drops
 * @user_data: for both
 *
 * Returns: (transfer full): the events of @client, not followed yet
 */
TenderDockerEvents *
tender_docker_events_new(TenderDockerClient *client,
			 TenderDockerEventFunc event_func,
			 TenderDockerConnectedFunc connected_func,
			 gpointer user_data)
{
	TenderDockerEvents *self = g_new0(TenderDockerEvents, 1);

	self->client = client;
	self->event_func = event_func;
	self->connected_func = connected_func;
	self->user_data = user_data;
	self->backoff_ms = TENDER_DOCKER_EVENTS_BACKOFF_FIRST_MS;
	return self;
}

/**
 * tender_docker_events_free:
 * @self: (nullable): a #TenderDockerEvents
 *
 * Stops following the events, without calling connected_func.
 */
void
tender_docker_events_free(TenderDockerEvents *self)
{
	if (self == NULL)
		return;
	tender_docker_events_cancel(self);
	g_free(self);
}

/**
 * tender_docker_events_get_connected:
 * @self: a #TenderDockerEvents
 *
 * Returns: whether the stream is open
 */
gboolean
tender_docker_events_get_connected(TenderDockerEvents *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->connected;
}

/**
 * tender_docker_events_build_path:
 * @since_ns: (nullable): where to resume, in ns since the epoch, or 0
 *
 * Returns: (transfer full): /events?filters=...[&since=SECONDS.NANOSECONDS]
 */
gchar *
tender_docker_events_build_path(gint64 since_ns)
{
	g_autofree gchar *filters = tender_docker_api_build_filters("type",
								    "container",
								    "label",
								    TENDER_DOCKER_LABEL_OWNER,
								    NULL);
	g_autofree gchar *since = NULL;

	if (since_ns > 0)
		since = g_strdup_printf("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
					since_ns / 1000000000,
					since_ns % 1000000000);
	return tender_docker_api_build_path("/events", "filters", filters, "since", since, NULL);
}

static void
tender_docker_events_attempt(TenderDockerEvents *self);

static gboolean
tender_docker_events_retry_cb(gpointer user_data)
{
	TenderDockerEvents *self = user_data;

	self->retry_id = 0;
	tender_docker_events_attempt(self);
	return G_SOURCE_REMOVE;
}

/* the attempt has failed, or its stream dropped: try again later */
static void
tender_docker_events_drop(TenderDockerEventsAttempt *attempt, const GError *error)
{
	TenderDockerEvents *self = attempt->events;

	g_info("The event stream of dockerd at %s %s: %s; trying again in %u ms",
	       tender_docker_client_get_socket_path(self->client),
	       self->connected ? "dropped" : "cannot be opened",
	       error->message,
	       self->backoff_ms);
	g_clear_object(&self->cancellable);
	tender_docker_events_attempt_free(attempt);
	tender_docker_events_set_connected(self, FALSE);
	/* connected_func may have stopped or restarted the events */
	if (!self->started || self->cancellable != NULL || self->retry_id != 0)
		return;
	self->retry_id = g_timeout_add(self->backoff_ms, tender_docker_events_retry_cb, self);
	self->backoff_ms = MIN(self->backoff_ms * 2, TENDER_DOCKER_EVENTS_BACKOFF_MAX_MS);
}

/* the event's time in ns, or 0 */
static gint64
tender_docker_events_time(JsonObject *event)
{
	gint64 ns = json_object_get_int_member_with_default(event, "timeNano", 0);

	if (ns > 0)
		return ns;
	return json_object_get_int_member_with_default(event, "time", 0) * 1000000000;
}

static void
tender_docker_events_read(TenderDockerEventsAttempt *attempt);

/* emits the event of a line; FALSE if the attempt has been stopped meanwhile */
static gboolean
tender_docker_events_emit(TenderDockerEventsAttempt *attempt, const gchar *line)
{
	TenderDockerEvents *self = attempt->events;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = tender_json_parse(line, -1, TENDER_JSON_DEPTH_MAX, &error);
	JsonObject *event = NULL;
	gint64 ns;

	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_warning("dockerd at %s sent an event that is not a JSON object: %s",
			  tender_docker_client_get_socket_path(self->client),
			  error != NULL ? error->message : line);
		return TRUE;
	}
	event = json_node_get_object(root);
	ns = tender_docker_events_time(event);
	if (ns > 0 && self->last_ns > 0 && ns <= self->last_ns)
		return TRUE; /* received before the stream was opened again */
	if (ns > 0) {
		self->last_ns = ns;
		self->since_ns = ns;
	}
	self->event_func(event, self->user_data);
	return !g_cancellable_is_cancelled(attempt->cancellable);
}

static void
tender_docker_events_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerEventsAttempt) attempt = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line = NULL;

	if (g_cancellable_is_cancelled(attempt->cancellable))
		return;
	line = tender_docker_lines_read_finish(TENDER_DOCKER_LINES(source), res, &error);
	if (line == NULL) {
		if (error == NULL)
			g_set_error_literal(&error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "dockerd ended it");
		tender_docker_events_drop(g_steal_pointer(&attempt), error);
		return;
	}
	if (line[0] != '\0' && !tender_docker_events_emit(attempt, line))
		return;
	tender_docker_events_read(g_steal_pointer(&attempt));
}

static void
tender_docker_events_read(TenderDockerEventsAttempt *attempt)
{
	tender_docker_lines_read_async(attempt->lines,
				       attempt->cancellable,
				       tender_docker_events_line_cb,
				       attempt);
}

static void
tender_docker_events_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerEventsAttempt) attempt = user_data;
	TenderDockerEvents *self = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error = NULL;

	if (g_cancellable_is_cancelled(attempt->cancellable))
		return;
	self = attempt->events;
	stream = tender_docker_client_send_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (stream == NULL) {
		tender_docker_events_drop(g_steal_pointer(&attempt), error);
		return;
	}
	if (self->since_ns == 0)
		self->since_ns = g_get_real_time() * 1000;
	self->backoff_ms = TENDER_DOCKER_EVENTS_BACKOFF_FIRST_MS;
	attempt->lines = tender_docker_lines_new(stream, TENDER_DOCKER_EVENT_LINE_MAX);
	tender_docker_events_set_connected(self, TRUE);
	if (g_cancellable_is_cancelled(attempt->cancellable))
		return;
	tender_docker_events_read(g_steal_pointer(&attempt));
}

static void
tender_docker_events_open(TenderDockerEventsAttempt *attempt)
{
	g_autofree gchar *path = tender_docker_events_build_path(attempt->events->since_ns);

	tender_docker_client_send_async(attempt->events->client,
					"GET",
					path,
					NULL,
					attempt->cancellable,
					tender_docker_events_sent_cb,
					attempt);
}

static void
tender_docker_events_connected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerEventsAttempt) attempt = user_data;
	g_autoptr(GError) error = NULL;

	if (g_cancellable_is_cancelled(attempt->cancellable))
		return;
	if (!tender_docker_client_connect_finish(TENDER_DOCKER_CLIENT(source), res, &error)) {
		tender_docker_events_drop(g_steal_pointer(&attempt), error);
		return;
	}
	tender_docker_events_open(g_steal_pointer(&attempt));
}

static void
tender_docker_events_attempt(TenderDockerEvents *self)
{
	TenderDockerEventsAttempt *attempt = g_new0(TenderDockerEventsAttempt, 1);

	attempt->events = self;
	attempt->cancellable = g_cancellable_new();
	self->cancellable = g_object_ref(attempt->cancellable);
	if (tender_docker_client_get_api_version(self->client) == NULL) {
		tender_docker_client_connect_async(self->client,
						   attempt->cancellable,
						   tender_docker_events_connected_cb,
						   attempt);
		return;
	}
	tender_docker_events_open(attempt);
}

/**
 * tender_docker_events_start:
 * @self: a #TenderDockerEvents
 *
 * Opens the stream (connecting the client first if it is not), and keeps it open.
 */
void
tender_docker_events_start(TenderDockerEvents *self)
{
	g_return_if_fail(self != NULL);
	if (self->started)
		return;
	self->started = TRUE;
	self->backoff_ms = TENDER_DOCKER_EVENTS_BACKOFF_FIRST_MS;
	tender_docker_events_attempt(self);
}
