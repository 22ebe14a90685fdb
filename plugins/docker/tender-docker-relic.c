/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>

#include "tender-docker-relic.h"
#include "tender-docker-tool.h"

/*
 * TenderDockerRelic is the record of one relic: its request, its container and network, its
 * status and health.  TenderDockerRelics changes it; it renders it three ways:
 *
 * - tender_docker_relic_to_json(): issue 14's shape (times in UTC, "...123456Z");
 * - tender_docker_relic_to_cortex_json(): Cortex's RelicInfo, its members in its order, its
 *   status one of its ContainerStatus values (unhealthy is running there, stopped is exited)
 *   and its times as pydantic writes them;
 * - tender_docker_relic_to_state(): all of it, for state_dir/relics/ID.json, which
 *   tender_docker_relic_new_from_state() reads back.
 */

struct _TenderDockerRelic {
	GObject parent_instance;
	gchar *id;
	TenderDockerRelicRequest *request;
	TenderDockerRelicStatus status;
	gchar *container_id;
	gchar *container_name;
	gchar *network_id;
	gchar *network_name;
	gboolean healthy;
	gint64 started_at; /* µs since the epoch; 0: not (yet) */
	gint64 checked_at; /* when its health check last answered */
};

G_DEFINE_TYPE(TenderDockerRelic, tender_docker_relic, G_TYPE_OBJECT)

static const gchar *const tender_docker_relic_status_names[] = {
    "created",
    "running",
    "unhealthy",
    "stopped",
    "exited",
};
static const gchar *const tender_docker_relic_status_cortex[] = {
    "created",
    "running",
    "running",
    "exited",
    "exited",
};

/**
 * tender_docker_relic_status_to_string:
 * @status: a status
 *
 * Returns: its name: created, running, unhealthy, stopped or exited
 */
const gchar *
tender_docker_relic_status_to_string(TenderDockerRelicStatus status)
{
	g_return_val_if_fail(status < TENDER_DOCKER_RELIC_STATUS_LAST, NULL);
	return tender_docker_relic_status_names[status];
}

/**
 * tender_docker_relic_status_to_cortex:
 * @status: a status
 *
 * Returns: Cortex's ContainerStatus for it: created, running or exited
 */
const gchar *
tender_docker_relic_status_to_cortex(TenderDockerRelicStatus status)
{
	g_return_val_if_fail(status < TENDER_DOCKER_RELIC_STATUS_LAST, NULL);
	return tender_docker_relic_status_cortex[status];
}

gboolean
tender_docker_relic_status_from_string(const gchar *text, TenderDockerRelicStatus *status)
{
	for (guint i = 0; i < TENDER_DOCKER_RELIC_STATUS_LAST; i++) {
		if (g_strcmp0(text, tender_docker_relic_status_names[i]) == 0) {
			*status = i;
			return TRUE;
		}
	}
	return FALSE;
}

static void
tender_docker_relic_finalize(GObject *object)
{
	TenderDockerRelic *self = TENDER_DOCKER_RELIC(object);

	g_free(self->id);
	tender_docker_relic_request_free(self->request);
	g_free(self->container_id);
	g_free(self->container_name);
	g_free(self->network_id);
	g_free(self->network_name);
	G_OBJECT_CLASS(tender_docker_relic_parent_class)->finalize(object);
}

static void
tender_docker_relic_class_init(TenderDockerRelicClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_docker_relic_finalize;
}

static void
tender_docker_relic_init(TenderDockerRelic *self)
{
}

/**
 * tender_docker_relic_new_id:
 *
 * Returns: (transfer full): a new relic id, "relic_" and 16 random hex digits (as Cortex's)
 */
gchar *
tender_docker_relic_new_id(void)
{
	g_autofree gchar *uuid = g_uuid_string_random();
	GString *id = g_string_new(TENDER_DOCKER_RELIC_ID_PREFIX);

	for (const gchar *p = uuid; *p != '\0' && id->len < TENDER_DOCKER_RELIC_ID_LEN; p++) {
		if (*p != '-')
			g_string_append_c(id, *p);
	}
	return g_string_free(id, FALSE);
}

/**
 * tender_docker_relic_check_id:
 * @id: (nullable): a relic id
 *
 * Returns: whether it is one: "relic_" and 16 lowercase hex digits
 */
gboolean
tender_docker_relic_check_id(const gchar *id)
{
	if (id == NULL || strlen(id) != TENDER_DOCKER_RELIC_ID_LEN ||
	    !g_str_has_prefix(id, TENDER_DOCKER_RELIC_ID_PREFIX))
		return FALSE;
	for (const gchar *p = id + strlen(TENDER_DOCKER_RELIC_ID_PREFIX); *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
			return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_relic_build_container_name:
 * @id: a relic id
 * @relic_name: its name
 * @session_id: its session
 *
 * Returns: (transfer full): its container's name, "relic_NAME_SESSION_" and the first 8 hex
 * digits of the id
 */
gchar *
tender_docker_relic_build_container_name(const gchar *id,
					 const gchar *relic_name,
					 const gchar *session_id)
{
	g_return_val_if_fail(tender_docker_relic_check_id(id), NULL);
	return g_strdup_printf("relic_%s_%s_%.8s",
			       relic_name,
			       session_id,
			       id + strlen(TENDER_DOCKER_RELIC_ID_PREFIX));
}

/**
 * tender_docker_relic_new:
 * @id: its id, from tender_docker_relic_new_id()
 * @request: (transfer full): its request
 *
 * Returns: (transfer full): a relic, created
 */
TenderDockerRelic *
tender_docker_relic_new(const gchar *id, TenderDockerRelicRequest *request)
{
	TenderDockerRelic *self = g_object_new(TENDER_TYPE_DOCKER_RELIC, NULL);

	self->id = g_strdup(id);
	self->request = request;
	self->container_name =
	    tender_docker_relic_build_container_name(id, request->relic_name, request->session_id);
	self->network_name = tender_docker_relic_request_get_network_name(request);
	return self;
}

const gchar *
tender_docker_relic_get_id(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->id;
}

TenderDockerRelicRequest *
tender_docker_relic_get_request(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->request;
}

const gchar *
tender_docker_relic_get_session_id(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->request->session_id;
}

const gchar *
tender_docker_relic_get_container_name(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->container_name;
}

const gchar *
tender_docker_relic_get_network_name(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->network_name;
}

TenderDockerRelicStatus
tender_docker_relic_get_status(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), TENDER_DOCKER_RELIC_STATUS_EXITED);
	return self->status;
}

void
tender_docker_relic_set_status(TenderDockerRelic *self, TenderDockerRelicStatus status)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELIC(self));
	g_return_if_fail(status < TENDER_DOCKER_RELIC_STATUS_LAST);
	self->status = status;
	if (status == TENDER_DOCKER_RELIC_STATUS_STOPPED ||
	    status == TENDER_DOCKER_RELIC_STATUS_EXITED)
		self->healthy = FALSE;
}

const gchar *
tender_docker_relic_get_container_id(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return self->container_id;
}

void
tender_docker_relic_set_container_id(TenderDockerRelic *self, const gchar *container_id)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELIC(self));
	g_free(self->container_id);
	self->container_id = g_strdup(container_id);
}

void
tender_docker_relic_set_network_id(TenderDockerRelic *self, const gchar *network_id)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELIC(self));
	g_free(self->network_id);
	self->network_id = g_strdup(network_id);
}

gboolean
tender_docker_relic_get_healthy(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), FALSE);
	return self->healthy;
}

/**
 * tender_docker_relic_set_healthy:
 * @self: a relic
 * @healthy: whether its health check answered 2xx
 * @checked_at: when it did, or 0
 */
void
tender_docker_relic_set_healthy(TenderDockerRelic *self, gboolean healthy, gint64 checked_at)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELIC(self));
	self->healthy = healthy;
	if (checked_at > 0)
		self->checked_at = checked_at;
}

void
tender_docker_relic_set_started_at(TenderDockerRelic *self, gint64 started_at)
{
	g_return_if_fail(TENDER_IS_DOCKER_RELIC(self));
	self->started_at = started_at;
}

/**
 * tender_docker_relic_get_internal_url:
 * @self: a relic
 *
 * Returns: (transfer full): "http://CONTAINER_NAME:PORT", how its session's containers reach
 * it
 */
gchar *
tender_docker_relic_get_internal_url(TenderDockerRelic *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_RELIC(self), NULL);
	return g_strdup_printf("http://%s:%u", self->container_name, self->request->port);
}

static void
tender_docker_relic_set_nullable(JsonObject *obj, const gchar *member, const gchar *value)
{
	if (value != NULL)
		json_object_set_string_member(obj, member, value);
	else
		json_object_set_null_member(obj, member);
}

static void
tender_docker_relic_set_time(JsonObject *obj, const gchar *member, gint64 usec, gboolean cortex)
{
	g_autofree gchar *text = tender_docker_tool_format_time(usec, cortex);

	tender_docker_relic_set_nullable(obj, member, text);
}

/**
 * tender_docker_relic_to_json:
 * @self: a relic
 *
 * Returns: (transfer full): issue 14's rendering
 */
JsonObject *
tender_docker_relic_to_json(TenderDockerRelic *self)
{
	JsonObject *obj = json_object_new();
	g_autofree gchar *url = tender_docker_relic_get_internal_url(self);

	json_object_set_string_member(obj, "relic_id", self->id);
	json_object_set_string_member(obj, "relic_name", self->request->relic_name);
	json_object_set_string_member(obj, "session_id", self->request->session_id);
	json_object_set_string_member(obj,
				      "status",
				      tender_docker_relic_status_to_string(self->status));
	tender_docker_relic_set_nullable(obj, "container_id", self->container_id);
	json_object_set_string_member(obj, "container_name", self->container_name);
	tender_docker_relic_set_nullable(obj, "network_id", self->network_id);
	json_object_set_string_member(obj, "network_name", self->network_name);
	json_object_set_string_member(obj, "internal_url", url);
	json_object_set_boolean_member(obj, "healthy", self->healthy);
	tender_docker_relic_set_time(obj, "started_at", self->started_at, FALSE);
	json_object_set_int_member(obj, "port", self->request->port);
	return obj;
}

/**
 * tender_docker_relic_to_cortex_json:
 * @self: a relic
 *
 * Returns: (transfer full): Cortex's RelicInfo, its members in its order (memory_used_mb and
 * cpu_percent null: the stats tell them)
 */
JsonObject *
tender_docker_relic_to_cortex_json(TenderDockerRelic *self)
{
	JsonObject *obj = json_object_new();
	g_autofree gchar *url = tender_docker_relic_get_internal_url(self);

	json_object_set_string_member(obj, "relic_id", self->id);
	json_object_set_string_member(obj, "relic_name", self->request->relic_name);
	json_object_set_string_member(obj, "session_id", self->request->session_id);
	json_object_set_string_member(obj,
				      "status",
				      tender_docker_relic_status_to_cortex(self->status));
	tender_docker_relic_set_time(obj, "started_at", self->started_at, TRUE);
	json_object_set_string_member(obj,
				      "container_id",
				      self->container_id != NULL ? self->container_id : "");
	json_object_set_string_member(obj, "container_name", self->container_name);
	tender_docker_relic_set_nullable(obj, "network_id", self->network_id);
	json_object_set_string_member(obj, "network_name", self->network_name);
	json_object_set_string_member(obj, "internal_url", url);
	json_object_set_boolean_member(obj, "healthy", self->healthy);
	tender_docker_relic_set_time(obj, "last_health_check", self->checked_at, TRUE);
	json_object_set_null_member(obj, "memory_used_mb");
	json_object_set_null_member(obj, "cpu_percent");
	return obj;
}

/**
 * tender_docker_relic_to_state:
 * @self: a relic
 *
 * Returns: (transfer full): its record
 */
JsonObject *
tender_docker_relic_to_state(TenderDockerRelic *self)
{
	JsonObject *obj = json_object_new();

	json_object_set_int_member(obj, "version", TENDER_DOCKER_RELIC_STATE_VERSION);
	json_object_set_string_member(obj, "id", self->id);
	json_object_set_object_member(obj,
				      "request",
				      tender_docker_relic_request_to_json(self->request));
	json_object_set_string_member(obj,
				      "status",
				      tender_docker_relic_status_to_string(self->status));
	tender_docker_relic_set_nullable(obj, "container_id", self->container_id);
	tender_docker_relic_set_nullable(obj, "network_id", self->network_id);
	json_object_set_boolean_member(obj, "healthy", self->healthy);
	json_object_set_int_member(obj, "started_at", self->started_at);
	json_object_set_int_member(obj, "checked_at", self->checked_at);
	return obj;
}

static gboolean
tender_docker_relic_state_error(GError **error, const gchar *member)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "A relic's record has no valid '%s'",
		    member);
	return FALSE;
}

/**
 * tender_docker_relic_new_from_state:
 * @obj: a record, from tender_docker_relic_to_state()
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the relic, or %NULL if the record is not one
 */
TenderDockerRelic *
tender_docker_relic_new_from_state(JsonObject *obj, GError **error)
{
	g_autoptr(TenderDockerRelic) self = NULL;
	TenderDockerRelicRequest *request;
	const gchar *id = json_object_get_string_member_with_default(obj, "id", NULL);
	JsonNode *request_node = json_object_get_member(obj, "request");
	const gchar *status = json_object_get_string_member_with_default(obj, "status", NULL);
	TenderDockerRelicStatus value = TENDER_DOCKER_RELIC_STATUS_LAST;

	if (json_object_get_int_member_with_default(obj, "version", 0) !=
	    TENDER_DOCKER_RELIC_STATE_VERSION) {
		tender_docker_relic_state_error(error, "version");
		return NULL;
	}
	if (!tender_docker_relic_check_id(id)) {
		tender_docker_relic_state_error(error, "id");
		return NULL;
	}
	if (!tender_docker_relic_status_from_string(status, &value)) {
		tender_docker_relic_state_error(error, "status");
		return NULL;
	}
	if (request_node == NULL || !JSON_NODE_HOLDS_OBJECT(request_node)) {
		tender_docker_relic_state_error(error, "request");
		return NULL;
	}
	request =
	    tender_docker_relic_request_new_from_json(json_node_get_object(request_node), error);
	if (request == NULL)
		return NULL;
	self = tender_docker_relic_new(id, request);
	self->status = value;
	self->container_id =
	    g_strdup(json_object_get_string_member_with_default(obj, "container_id", NULL));
	self->network_id =
	    g_strdup(json_object_get_string_member_with_default(obj, "network_id", NULL));
	self->healthy = json_object_get_boolean_member_with_default(obj, "healthy", FALSE);
	self->started_at = json_object_get_int_member_with_default(obj, "started_at", 0);
	self->checked_at = json_object_get_int_member_with_default(obj, "checked_at", 0);
	return g_steal_pointer(&self);
}
