/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-relics.h"
#include "tender-docker-tool-store.h"

G_BEGIN_DECLS

/*
 * The parts of TenderDockerRelics: tender-docker-relics.c starts, stops, deletes and
 * recovers relics; tender-docker-relics-watch.c follows dockerd's events for them and checks
 * their health again and again when a relic asks for it.
 */

/* one periodic health check, or one after a recovery, takes at most this long */
#define TENDER_DOCKER_RELICS_CHECK_SEC 1

struct _TenderDockerRelics {
	GObject parent_instance;
	TenderDockerClient *client;
	TenderDockerToolStore *store;
	GHashTable *relics;	   /* id → TenderDockerRelic */
	GHashTable *stopping;	   /* ids of the relics tender stops or deletes */
	GHashTable *monitors;	   /* id → TenderDockerRelicsMonitor, of the health checks */
	gulong event_id;	   /* the client's "event" */
	GCancellable *cancellable; /* of everything, cancelled on dispose */
};

/* saves the relic's record and emits "changed" */
void
tender_docker_relics_changed(TenderDockerRelics *self, TenderDockerRelic *relic);
/* drops a relic and its record, and emits "changed" (once) */
void
tender_docker_relics_forget(TenderDockerRelics *self, TenderDockerRelic *relic);
/* the address of a container (GET /containers/ID/json) on @network, or %NULL */
const gchar *
tender_docker_relics_get_address(JsonNode *container, const gchar *network);

/* the client's "event", for the relics */
void
tender_docker_relics_event_cb(TenderDockerClient *client, JsonObject *event, gpointer user_data);
/* checks the relic's health every health_check_interval_seconds, if it asks for it */
void
tender_docker_relics_monitor(TenderDockerRelics *self, TenderDockerRelic *relic);
/* frees a monitor, the value of the relics' monitors */
void
tender_docker_relics_monitor_free(gpointer data);
/* one health check now, of up to @timeout_seconds; its result is the relic's health */
void
tender_docker_relics_check(TenderDockerRelics *self,
			   TenderDockerRelic *relic,
			   guint timeout_seconds);

G_END_DECLS
