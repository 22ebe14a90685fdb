/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-client.h"

G_BEGIN_DECLS

/* the delay before the event stream is opened again: doubling from the first to the last */
#define TENDER_DOCKER_EVENTS_BACKOFF_FIRST_MS 500
#define TENDER_DOCKER_EVENTS_BACKOFF_MAX_MS   30000

typedef struct _TenderDockerEvents TenderDockerEvents;

/* an event of the Engine API; the stream has opened or dropped */
typedef void (*TenderDockerEventFunc)(JsonObject *event, gpointer user_data);
typedef void (*TenderDockerConnectedFunc)(gboolean connected, gpointer user_data);

TenderDockerEvents *
tender_docker_events_new(TenderDockerClient *client,
			 TenderDockerEventFunc event_func,
			 TenderDockerConnectedFunc connected_func,
			 gpointer user_data);
void
tender_docker_events_free(TenderDockerEvents *self);
void
tender_docker_events_start(TenderDockerEvents *self);
void
tender_docker_events_stop(TenderDockerEvents *self);
gboolean
tender_docker_events_get_connected(TenderDockerEvents *self);
gchar *
tender_docker_events_build_path(gint64 since_ns);

G_END_DECLS
