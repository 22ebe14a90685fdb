/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-relic-health.h"
#include "tender-docker-relics-private.h"
#include "tender-docker-tool-request.h"

/*
 * What happens to relics between tender's own calls.
 *
 * dockerd's events (the client's "event", already only of tender's containers): a relic's
 * container that dies is exited (stopped, if tender is stopping it or it was stopped), one
 * stopped behind tender's back is stopped, one that starts again (its restart policy, or
 * someone's docker start) is running, and one removed behind tender's back is gone.  Each
 * change is saved and told ("changed") at once.
 *
 * Health checks: a relic whose request has health_check_interval_seconds is asked for its
 * health endpoint that often, on its container's address on its network, for as long as it
 * is there; each answer (2xx, or none within a second) makes it healthy and running, or not
 * healthy and unhealthy, and a change is saved and told.  A relic found again after a
 * restart of tenderd in the middle of its health wait gets the rest of it.
 */

/* --- the events --- */

static const gchar *
tender_docker_relics_event_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static JsonObject *
tender_docker_relics_event_object(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_node_get_object(node);
}

/* the status an event gives a relic of @status, or @status */
static TenderDockerRelicStatus
tender_docker_relics_event_status(const gchar *action,
				  TenderDockerRelicStatus status,
				  gboolean stopping)
{
	if (g_strcmp0(action, "die") == 0) {
		if (status == TENDER_DOCKER_RELIC_STATUS_STOPPED || stopping)
			return TENDER_DOCKER_RELIC_STATUS_STOPPED;
		return TENDER_DOCKER_RELIC_STATUS_EXITED;
	}
	if (g_strcmp0(action, "stop") == 0)
		return TENDER_DOCKER_RELIC_STATUS_STOPPED;
	/* a start while tender starts it is tender's own, which the health wait settles */
	if (g_strcmp0(action, "start") == 0 && !stopping &&
	    (status == TENDER_DOCKER_RELIC_STATUS_EXITED ||
	     status == TENDER_DOCKER_RELIC_STATUS_STOPPED))
		return TENDER_DOCKER_RELIC_STATUS_RUNNING;
	return status;
}

void
tender_docker_relics_event_cb(TenderDockerClient *client, JsonObject *event, gpointer user_data)
{
	TenderDockerRelics *self = user_data;
	const gchar *action = tender_docker_relics_event_string(event, "Action");
	JsonObject *actor = tender_docker_relics_event_object(event, "Actor");
	JsonObject *attributes = tender_docker_relics_event_object(actor, "Attributes");
	const gchar *container_id = tender_docker_relics_event_string(actor, "ID");
	const gchar *id = tender_docker_relics_event_string(attributes, TENDER_DOCKER_LABEL_ID);
	TenderDockerRelic *relic;
	TenderDockerRelicStatus status;
	TenderDockerRelicStatus was;
	gboolean stopping;

	if (g_strcmp0(tender_docker_relics_event_string(attributes, TENDER_DOCKER_LABEL_KIND),
		      "relic") != 0 ||
	    id == NULL || action == NULL)
		return;
	relic = g_hash_table_lookup(self->relics, id);
	/* not yet made, or an older container of the same relic */
	if (relic == NULL || tender_docker_relic_get_container_id(relic) == NULL ||
	    g_strcmp0(tender_docker_relic_get_container_id(relic), container_id) != 0)
		return;
	stopping = g_hash_table_contains(self->stopping, id);
	if (g_strcmp0(action, "destroy") == 0) {
		/* tender's delete forgets it itself */
		if (!stopping)
			tender_docker_relics_forget(self, relic);
		return;
	}
	was = tender_docker_relic_get_status(relic);
	status = tender_docker_relics_event_status(action, was, stopping);
	if (status == was)
		return;
	g_debug("relic %s: %s, now %s", id, action, tender_docker_relic_status_to_string(status));
	/* a container that started again has not answered its health check since */
	if (status == TENDER_DOCKER_RELIC_STATUS_RUNNING)
		tender_docker_relic_set_healthy(relic, FALSE, 0);
	tender_docker_relic_set_status(relic, status);
	tender_docker_relics_changed(self, relic);
	if (status == TENDER_DOCKER_RELIC_STATUS_RUNNING &&
	    tender_docker_relic_get_request(relic)->health_interval_seconds != 0)
		tender_docker_relics_check(self, relic, TENDER_DOCKER_RELICS_CHECK_SEC);
}

/* --- the health checks --- */

/* one check: the relics, the relic's id, and the monitor's cancellable, if it has one */
typedef struct {
	TenderDockerRelics *self;
	gchar *id;
	gchar *network;
	guint port;
	guint timeout_seconds;
	GCancellable *cancellable;
} TenderDockerRelicsCheck;

static void
tender_docker_relics_check_free(TenderDockerRelicsCheck *check)
{
	g_object_unref(check->self);
	g_free(check->id);
	g_free(check->network);
	g_object_unref(check->cancellable);
	g_free(check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerRelicsCheck, tender_docker_relics_check_free)

/* the relic of the check, if it is still there and runs */
static TenderDockerRelic *
tender_docker_relics_check_relic(TenderDockerRelicsCheck *check)
{
	TenderDockerRelic *relic;
	TenderDockerRelicStatus status;

	if (g_cancellable_is_cancelled(check->cancellable))
		return NULL;
	relic = g_hash_table_lookup(check->self->relics, check->id);
	if (relic == NULL || tender_docker_relic_get_container_id(relic) == NULL)
		return NULL;
	status = tender_docker_relic_get_status(relic);
	if (status != TENDER_DOCKER_RELIC_STATUS_RUNNING &&
	    status != TENDER_DOCKER_RELIC_STATUS_UNHEALTHY)
		return NULL;
	return relic;
}

static void
tender_docker_relics_checked_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerRelicsCheck) check = user_data;
	g_autoptr(GError) error = NULL;
	gboolean healthy = tender_docker_relic_health_wait_finish(res, &error);
	TenderDockerRelic *relic = tender_docker_relics_check_relic(check);
	TenderDockerRelicStatus status;

	if (error != NULL || relic == NULL)
		return;
	status =
	    healthy ? TENDER_DOCKER_RELIC_STATUS_RUNNING : TENDER_DOCKER_RELIC_STATUS_UNHEALTHY;
	if (status == tender_docker_relic_get_status(relic) &&
	    healthy == tender_docker_relic_get_healthy(relic)) {
		/* the same: only when it answered last changes, which is not saved */
		tender_docker_relic_set_healthy(relic, healthy, healthy ? g_get_real_time() : 0);
		return;
	}
	g_debug("relic %s: %s", check->id, healthy ? "healthy" : "not healthy");
	tender_docker_relic_set_healthy(relic, healthy, healthy ? g_get_real_time() : 0);
	tender_docker_relic_set_status(relic, status);
	tender_docker_relics_changed(check->self, relic);
}

static void
tender_docker_relics_check_inspected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerRelicsCheck) check = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	TenderDockerRelic *relic = tender_docker_relics_check_relic(check);
	TenderDockerRelicRequest *request;
	const gchar *address;
	g_autofree gchar *uri = NULL;
	GCancellable *cancellable;
	guint timeout_seconds;

	if (relic == NULL)
		return;
	if (answer == NULL) {
		g_debug("relic %s: cannot inspect its container: %s", check->id, error->message);
		return;
	}
	request = tender_docker_relic_get_request(relic);
	address = tender_docker_relics_get_address(answer, check->network);
	/* no address: it is not up (again) yet; the next check will tell */
	if (address == NULL)
		return;
	uri = g_strdup_printf("http://%s:%u%s", address, check->port, request->health_endpoint);
	/* the check goes to the callback: what the wait takes of it, first */
	cancellable = check->cancellable;
	timeout_seconds = check->timeout_seconds;
	tender_docker_relic_health_wait_async(uri,
					      timeout_seconds,
					      cancellable,
					      tender_docker_relics_checked_cb,
					      g_steal_pointer(&check));
}

static void
tender_docker_relics_check_full(TenderDockerRelics *self,
				TenderDockerRelic *relic,
				guint timeout_seconds,
				GCancellable *cancellable)
{
	TenderDockerRelicsCheck *check = g_new0(TenderDockerRelicsCheck, 1);
	g_autofree gchar *path = NULL;

	check->self = g_object_ref(self);
	check->id = g_strdup(tender_docker_relic_get_id(relic));
	check->network = g_strdup(tender_docker_relic_get_network_name(relic));
	check->port = tender_docker_relic_get_request(relic)->port;
	check->timeout_seconds = timeout_seconds;
	check->cancellable = g_object_ref(cancellable);
	path = g_strdup_printf("/containers/%s/json", tender_docker_relic_get_container_id(relic));
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   cancellable,
					   tender_docker_relics_check_inspected_cb,
					   check);
}

void
tender_docker_relics_check(TenderDockerRelics *self,
			   TenderDockerRelic *relic,
			   guint timeout_seconds)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELICS(self));
	if (tender_docker_relic_get_container_id(relic) == NULL)
		return;
	tender_docker_relics_check_full(self, relic, timeout_seconds, self->cancellable);
}

/* a relic's periodic checks: a timer, removed with the monitor (its relic gone, or the
 * relics disposed) */
typedef struct {
	TenderDockerRelics *self; /* not a reference: the relics own the monitor */
	gchar *id;
	guint source_id;
	GCancellable *cancellable;
} TenderDockerRelicsMonitor;

void
tender_docker_relics_monitor_free(gpointer data)
{
	TenderDockerRelicsMonitor *monitor = data;

	g_cancellable_cancel(monitor->cancellable);
	g_object_unref(monitor->cancellable);
	if (monitor->source_id != 0)
		g_source_remove(monitor->source_id);
	g_free(monitor->id);
	g_free(monitor);
}

static gboolean
tender_docker_relics_monitor_cb(gpointer user_data)
{
	TenderDockerRelicsMonitor *monitor = user_data;
	TenderDockerRelic *relic = g_hash_table_lookup(monitor->self->relics, monitor->id);

	if (relic == NULL) {
		monitor->source_id = 0;
		g_hash_table_remove(monitor->self->monitors, monitor->id);
		return G_SOURCE_REMOVE;
	}
	if (tender_docker_relic_get_container_id(relic) != NULL)
		tender_docker_relics_check_full(monitor->self,
						relic,
						TENDER_DOCKER_RELICS_CHECK_SEC,
						monitor->cancellable);
	return G_SOURCE_CONTINUE;
}

void
tender_docker_relics_monitor(TenderDockerRelics *self, TenderDockerRelic *relic)
{
	guint interval = tender_docker_relic_get_request(relic)->health_interval_seconds;
	const gchar *id = tender_docker_relic_get_id(relic);
	TenderDockerRelicsMonitor *monitor;

	g_return_if_fail(TENDER_IS_DOCKER_RELICS(self));
	if (interval == 0 || g_hash_table_contains(self->monitors, id))
		return;
	monitor = g_new0(TenderDockerRelicsMonitor, 1);
	monitor->self = self;
	monitor->id = g_strdup(id);
	monitor->cancellable = g_cancellable_new();
	monitor->source_id =
	    g_timeout_add_seconds(interval, tender_docker_relics_monitor_cb, monitor);
	g_hash_table_insert(self->monitors, g_strdup(id), monitor);
}
