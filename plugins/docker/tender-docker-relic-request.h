/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the longest relic name or session id of a relic */
#define TENDER_DOCKER_RELIC_NAME_MAX 64
/* the longest health check endpoint */
#define TENDER_DOCKER_RELIC_ENDPOINT_MAX 1024
/* the health wait: its default and longest */
#define TENDER_DOCKER_RELIC_HEALTH_TIMEOUT_DEFAULT 30
#define TENDER_DOCKER_RELIC_HEALTH_TIMEOUT_MAX	   600
/* the periodic health checks: the longest interval between two */
#define TENDER_DOCKER_RELIC_HEALTH_INTERVAL_MAX 3600
/* the restart policy of a relic's container when the request names none */
#define TENDER_DOCKER_RELIC_RESTART_DEFAULT "unless-stopped"
/* a relic's session network: this and the session id */
#define TENDER_DOCKER_RELIC_NETWORK_PREFIX "tender-session-"
/* the labels of a relic's container, besides those of every tender container */
#define TENDER_DOCKER_LABEL_RELIC "org.tender.relic"
#define TENDER_DOCKER_LABEL_PORT  "org.tender.port"

/**
 * TenderDockerRelicRequest:
 * @relic_name: the relic's name
 * @session_id: the session it serves
 * @image: the image it runs
 * @env: its environment, an object of strings (without RELIC_NAME, SESSION_ID)
 * @memory_mb: its memory limit
 * @cpu_limit: how many CPUs it may use
 * @pids: how many tasks it may have
 * @port: the port it serves on, or 0 for the image's single exposed port
 * @private_network: whether it joins its session's network (else the default bridge)
 * @health_endpoint: the path the health wait asks for
 * @health_timeout_seconds: how long the health wait lasts
 * @health_interval_seconds: how often its health is checked again once it has started, or 0
 *   for never (only the health wait)
 * @restart_policy: its container's restart policy: no, on-failure, always or unless-stopped
 *
 * A relic's request, checked: issue 14 §3's members, which also take Cortex's names.
 */
typedef struct {
	gchar *relic_name;
	gchar *session_id;
	gchar *image;
	JsonObject *env;
	guint64 memory_mb;
	gdouble cpu_limit;
	guint64 pids;
	guint port;
	gboolean private_network;
	gchar *health_endpoint;
	guint health_timeout_seconds;
	guint health_interval_seconds;
	gchar *restart_policy;
} TenderDockerRelicRequest;

TenderDockerRelicRequest *
tender_docker_relic_request_new_from_json(JsonObject *obj, GError **error);
void
tender_docker_relic_request_free(TenderDockerRelicRequest *self);
JsonObject *
tender_docker_relic_request_to_json(TenderDockerRelicRequest *self);
gboolean
tender_docker_relic_request_check_name(const gchar *text);
gchar *
tender_docker_relic_request_get_network_name(TenderDockerRelicRequest *self);
gboolean
tender_docker_relic_request_port_from_image(JsonObject *image, guint *port, GError **error);
JsonNode *
tender_docker_relic_request_build_create_body(TenderDockerRelicRequest *self,
					      const gchar *id,
					      const gchar *container_name);
JsonNode *
tender_docker_relic_request_build_network_body(const gchar *session_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerRelicRequest, tender_docker_relic_request_free)

G_END_DECLS
