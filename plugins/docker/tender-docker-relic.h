/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tender-docker-relic-request.h"

G_BEGIN_DECLS

/* a relic's id: "relic_" and 16 hex digits, as Cortex's relic_id */
#define TENDER_DOCKER_RELIC_ID_PREFIX "relic_"
#define TENDER_DOCKER_RELIC_ID_LEN    22
/* the version of the files of state_dir/relics */
#define TENDER_DOCKER_RELIC_STATE_VERSION 1

/**
 * TenderDockerRelicStatus:
 * @TENDER_DOCKER_RELIC_STATUS_CREATED: its container is being made and started
 * @TENDER_DOCKER_RELIC_STATUS_RUNNING: it runs (and answered its health check, if it was
 *   asked once)
 * @TENDER_DOCKER_RELIC_STATUS_UNHEALTHY: it runs, and did not answer its health check in time
 * @TENDER_DOCKER_RELIC_STATUS_STOPPED: it was stopped
 * @TENDER_DOCKER_RELIC_STATUS_EXITED: it ended by itself
 */
typedef enum {
	TENDER_DOCKER_RELIC_STATUS_CREATED,
	TENDER_DOCKER_RELIC_STATUS_RUNNING,
	TENDER_DOCKER_RELIC_STATUS_UNHEALTHY,
	TENDER_DOCKER_RELIC_STATUS_STOPPED,
	TENDER_DOCKER_RELIC_STATUS_EXITED,
	TENDER_DOCKER_RELIC_STATUS_LAST, /*< skip >*/
} TenderDockerRelicStatus;

const gchar *
tender_docker_relic_status_to_string(TenderDockerRelicStatus status);
const gchar *
tender_docker_relic_status_to_cortex(TenderDockerRelicStatus status);
gboolean
tender_docker_relic_status_from_string(const gchar *text, TenderDockerRelicStatus *status);

#define TENDER_TYPE_DOCKER_RELIC (tender_docker_relic_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerRelic, tender_docker_relic, TENDER, DOCKER_RELIC, GObject)

gchar *
tender_docker_relic_new_id(void);
gboolean
tender_docker_relic_check_id(const gchar *id);
gchar *
tender_docker_relic_build_container_name(const gchar *id,
					 const gchar *relic_name,
					 const gchar *session_id);
TenderDockerRelic *
tender_docker_relic_new(const gchar *id, TenderDockerRelicRequest *request);
TenderDockerRelic *
tender_docker_relic_new_from_state(JsonObject *obj, GError **error);
JsonObject *
tender_docker_relic_to_state(TenderDockerRelic *self);

const gchar *
tender_docker_relic_get_id(TenderDockerRelic *self);
TenderDockerRelicRequest *
tender_docker_relic_get_request(TenderDockerRelic *self);
const gchar *
tender_docker_relic_get_session_id(TenderDockerRelic *self);
const gchar *
tender_docker_relic_get_container_name(TenderDockerRelic *self);
const gchar *
tender_docker_relic_get_network_name(TenderDockerRelic *self);
TenderDockerRelicStatus
tender_docker_relic_get_status(TenderDockerRelic *self);
void
tender_docker_relic_set_status(TenderDockerRelic *self, TenderDockerRelicStatus status);
const gchar *
tender_docker_relic_get_container_id(TenderDockerRelic *self);
void
tender_docker_relic_set_container_id(TenderDockerRelic *self, const gchar *container_id);
void
tender_docker_relic_set_network_id(TenderDockerRelic *self, const gchar *network_id);
gboolean
tender_docker_relic_get_healthy(TenderDockerRelic *self);
void
tender_docker_relic_set_healthy(TenderDockerRelic *self, gboolean healthy, gint64 checked_at);
void
tender_docker_relic_set_started_at(TenderDockerRelic *self, gint64 started_at);
gchar *
tender_docker_relic_get_internal_url(TenderDockerRelic *self);

JsonObject *
tender_docker_relic_to_json(TenderDockerRelic *self);
JsonObject *
tender_docker_relic_to_cortex_json(TenderDockerRelic *self);

G_END_DECLS
