/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <tender-json.h>
#include "tender-docker-relics.h"
#include "tender-docker-service.h"

G_BEGIN_DECLS

/*
 * The parts of TenderDockerService (tender-docker-service.c): each feature (tools, relics,
 * ...) is one TenderDockerServicePart in its own tender-docker-service-FEATURE.c, with its
 * D-Bus methods, its HTTP routes (by tag, called through HttpRead and HttpManage) and its
 * route aliases.  The service joins them.
 */

/* the polkit actions; and how seed 002's routes answer errors (as FastAPI does) */
#define TENDER_DOCKER_READ   "org.tender.docker.read"
#define TENDER_DOCKER_MANAGE "org.tender.docker.manage"
#define TENDER_DOCKER_CORTEX TENDER_PLUGIN_HTTP_ALIAS_DETAIL

struct _TenderDockerService {
	TenderPlugin *plugin;
	TenderDockerClient *client;
	TenderDockerTools *tools;
	TenderDockerRelics *relics;
	GPtrArray *signal_ids;	  /* of TenderDockerServiceSignal */
	GHashTable *relic_status; /* relic id -> the status RelicChanged told last */
};

/* one HTTP call: the route and its parameters, and whether it is seed 002's */
typedef struct {
	TenderDockerService *self;
	TenderCall *call;
	GVariant *params;
	gchar *body;
	const gchar *route;
	gboolean cortex;
} TenderDockerHttp;

void
tender_docker_http_free(TenderDockerHttp *http);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerHttp, tender_docker_http_free)

/* a route: its tag, whether it changes anything (HttpManage, else HttpRead) and its handler,
 * which owns the call (and frees it, at once or when answered) */
typedef struct {
	const gchar *tag;
	gboolean manage;
	void (*func)(TenderDockerHttp *http);
} TenderDockerRoute;

/* a feature's share of the service; tables end with a NULL name, tag or verb */
typedef struct {
	const TenderPluginServiceMethod *methods;
	const TenderDockerRoute *routes;
	const TenderPluginHttpAlias *aliases;	     /* below /v1/docker/ */
	const TenderPluginHttpAlias *cortex_aliases; /* seed 002's, with cortex-api=true */
	/* connects to the engine's signals, with tender_docker_service_connect() */
	void (*attach)(TenderDockerService *self);
} TenderDockerServicePart;

extern const TenderDockerServicePart tender_docker_service_tools_part;
extern const TenderDockerServicePart tender_docker_service_relics_part;
extern const TenderDockerServicePart tender_docker_service_stats_part;

/* the route's handlers: a path or query parameter; the body as a JSON object (%NULL when
 * answered: 400, or seed 002's 422); the answers */
const gchar *
tender_docker_http_param(TenderDockerHttp *http, const gchar *key);
JsonObject *
tender_docker_http_read_object(TenderDockerHttp *http);
void
tender_docker_http_done(TenderDockerHttp *http, void (*func)(TenderDockerHttp *http));
void
tender_docker_service_answer(TenderCall *call, guint status, JsonNode *body);
void
tender_docker_service_answer_object(TenderCall *call, guint status, JsonObject *obj);
void
tender_docker_service_answer_detail(TenderCall *call, guint status, const gchar *message);

/* a new run needs dockerd now: while its event stream is down, Unavailable (503) */
gboolean
tender_docker_service_check_dockerd(TenderDockerService *self, GError **error);

/* connects @callback of a part to @instance's @signal, disconnected when the service goes */
void
tender_docker_service_connect(TenderDockerService *self,
			      gpointer instance,
			      const gchar *signal,
			      GCallback callback);

/* emits a signal of org.tender.Agent1.Docker (a failure is only logged) */
void
tender_docker_service_emit(TenderDockerService *self, const gchar *signal, GVariant *params);

G_END_DECLS
