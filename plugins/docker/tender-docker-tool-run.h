/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-client.h"
#include "tender-docker-tool-store.h"
#include "tender-docker-tool.h"

G_BEGIN_DECLS

/* the container of a tool run is named this and its id */
#define TENDER_DOCKER_TOOL_CONTAINER_PREFIX "tender-tool-"
/* the delay before a wait that failed (dockerd away) is tried again: doubling up to the last */
#define TENDER_DOCKER_TOOL_RETRY_FIRST_MS 500
#define TENDER_DOCKER_TOOL_RETRY_MAX_MS	  16000

typedef struct _TenderDockerToolRun TenderDockerToolRun;

/* the run's tool has started (or could not start); the run has ended */
typedef void (*TenderDockerToolRunFunc)(TenderDockerToolRun *run, gpointer user_data);

TenderDockerToolRun *
tender_docker_tool_run_new(TenderDockerClient *client,
			   TenderDockerToolStore *store,
			   TenderDockerTool *tool,
			   gsize output_max,
			   TenderDockerToolRunFunc started_func,
			   TenderDockerToolRunFunc ended_func,
			   gpointer user_data);
void
tender_docker_tool_run_free(TenderDockerToolRun *self);
TenderDockerTool *
tender_docker_tool_run_get_tool(TenderDockerToolRun *self);
void
tender_docker_tool_run_start(TenderDockerToolRun *self);
void
tender_docker_tool_run_adopt(TenderDockerToolRun *self);
gboolean
tender_docker_tool_run_kill(TenderDockerToolRun *self,
			    TenderDockerToolStatus ending,
			    GError **error);
gint64
tender_docker_tool_run_parse_time(const gchar *text);
void
tender_docker_tool_run_parse_stats(JsonObject *stats, gint64 *memory_bytes, gint64 *cpu_time_ns);

G_END_DECLS
