/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-http-events.h"
#include "tender-http-message.h"
#include "tender-http-stream.h"

/*
 * TenderHttpEvents: GET /v1/events, the workloads' state changes as Server-Sent Events.  The
 * last TENDER_HTTP_EVENTS_MAX are kept, so that a client that reconnects with Last-Event-ID
 * misses none.
 */

#define TENDER_HTTP_EVENTS_MAX 1024

struct _TenderHttpEvents {
	GObject parent_instance;
	TenderEngine *engine;
	gulong added_id;
	GQueue events; /* TenderHttpEvent, oldest first */
	guint64 last_event_id;
	GPtrArray *subscribers; /* TenderHttpStream */
};

G_DEFINE_TYPE(TenderHttpEvents, tender_http_events, G_TYPE_OBJECT)

typedef struct {
	guint64 id;
	gchar *text; /* the whole SSE event */
} TenderHttpEvent;

static void
tender_http_event_free(TenderHttpEvent *event)
{
	g_free(event->text);
	g_free(event);
}

static void
tender_http_events_state_changed_cb(TenderWorkload *w,
				    guint old_state,
				    guint new_state,
				    const gchar *reason,
				    gpointer user_data)
{
	TenderHttpEvents *self = TENDER_HTTP_EVENTS(user_data);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	g_autoptr(GPtrArray) slow = g_ptr_array_new();
	TenderHttpEvent *event = g_new0(TenderHttpEvent, 1);

	event->id = ++self->last_event_id;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, tender_workload_get_name(w));
	json_builder_set_member_name(b, "old_state");
	json_builder_add_string_value(b, tender_state_to_string((TenderState)old_state));
	json_builder_set_member_name(b, "new_state");
	json_builder_add_string_value(b, tender_state_to_string((TenderState)new_state));
	json_builder_set_member_name(b, "reason");
	json_builder_add_string_value(b, reason);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(generator, root);
	data = json_generator_to_data(generator, NULL);
	event->text = g_strdup_printf("id: %" G_GUINT64_FORMAT "\nevent: WorkloadStateChanged\n"
				      "data: %s\n\n",
				      event->id,
				      data);
	g_queue_push_tail(&self->events, event);
	while (g_queue_get_length(&self->events) > TENDER_HTTP_EVENTS_MAX)
		tender_http_event_free(g_queue_pop_head(&self->events));
	for (guint i = 0; i < self->subscribers->len; i++) {
		TenderHttpStream *stream = g_ptr_array_index(self->subscribers, i);
		if (tender_http_stream_get_pending(stream) > TENDER_HTTP_STREAM_BACKLOG) {
			g_ptr_array_add(slow, stream);
			continue;
		}
		tender_http_stream_append(stream, event->text, strlen(event->text));
	}
	/* a client that does not read is dropped rather than buffered for */
	for (guint i = 0; i < slow->len; i++) {
		TenderHttpStream *stream = g_ptr_array_index(slow, i);
		g_warning("dropping an HTTP event stream whose client does not read");
		g_ptr_array_remove(self->subscribers, stream);
		tender_http_stream_set_list(stream, NULL);
		tender_http_stream_drop(stream);
	}
}

static void
tender_http_events_watch_workload(TenderHttpEvents *self, TenderWorkload *w)
{
	g_signal_connect_object(w,
				"state-changed",
				G_CALLBACK(tender_http_events_state_changed_cb),
				self,
				0);
}

static void
tender_http_events_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	tender_http_events_watch_workload(TENDER_HTTP_EVENTS(user_data), w);
}

/**
 * tender_http_events_subscribe:
 * @self: a #TenderHttpEvents
 * @msg: GET /v1/events, authorized
 *
 * Answers @msg with the events to come, as Server-Sent Events, after those the client missed
 * since its Last-Event-ID.
 */
void
tender_http_events_subscribe(TenderHttpEvents *self, SoupServerMessage *msg)
{
	const gchar *last =
	    soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
					 "Last-Event-ID");
	guint64 last_id = 0;
	TenderHttpStream *stream;
	GString *backlog = g_string_new("retry: 1000\n\n");

	if (last != NULL && !g_ascii_string_to_unsigned(last, 10, 0, G_MAXUINT64, &last_id, NULL)) {
		g_string_free(backlog, TRUE);
		tender_http_message_reply_error(msg,
						SOUP_STATUS_BAD_REQUEST,
						TENDER_ERROR_INVALID_ARGUMENT,
						"Last-Event-ID must be a number");
		return;
	}
	if (last != NULL) {
		for (GList *l = self->events.head; l != NULL; l = l->next) {
			TenderHttpEvent *event = l->data;
			if (event->id > last_id)
				g_string_append(backlog, event->text);
		}
	}
	stream = tender_http_stream_new(msg, "text/event-stream");
	tender_http_stream_set_list(stream, self->subscribers);
	g_ptr_array_add(self->subscribers, stream);
	tender_http_stream_append(stream, backlog->str, backlog->len);
	g_string_free(backlog, TRUE);
	tender_http_stream_release(stream);
}

static void
tender_http_events_dispose(GObject *object)
{
	TenderHttpEvents *self = TENDER_HTTP_EVENTS(object);

	if (self->engine != NULL)
		g_clear_signal_handler(&self->added_id, self->engine);
	for (guint i = 0; self->subscribers != NULL && i < self->subscribers->len; i++)
		tender_http_stream_set_list(g_ptr_array_index(self->subscribers, i), NULL);
	if (self->subscribers != NULL)
		g_ptr_array_set_size(self->subscribers, 0);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_http_events_parent_class)->dispose(object);
}

static void
tender_http_events_finalize(GObject *object)
{
	TenderHttpEvents *self = TENDER_HTTP_EVENTS(object);

	g_queue_clear_full(&self->events, (GDestroyNotify)tender_http_event_free);
	g_ptr_array_unref(self->subscribers);
	G_OBJECT_CLASS(tender_http_events_parent_class)->finalize(object);
}

static void
tender_http_events_class_init(TenderHttpEventsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_http_events_dispose;
	object_class->finalize = tender_http_events_finalize;
}

static void
tender_http_events_init(TenderHttpEvents *self)
{
	g_queue_init(&self->events);
	self->subscribers = g_ptr_array_new();
}

/**
 * tender_http_events_new:
 * @engine: whose workloads to watch
 *
 * Returns: (transfer full): a #TenderHttpEvents
 */
TenderHttpEvents *
tender_http_events_new(TenderEngine *engine)
{
	TenderHttpEvents *self = g_object_new(TENDER_TYPE_HTTP_EVENTS, NULL);
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(engine);

	self->engine = g_object_ref(engine);
	for (guint i = 0; i < workloads->len; i++)
		tender_http_events_watch_workload(self, g_ptr_array_index(workloads, i));
	self->added_id = g_signal_connect(engine,
					  "workload-added",
					  G_CALLBACK(tender_http_events_workload_added_cb),
					  self);
	return self;
}
