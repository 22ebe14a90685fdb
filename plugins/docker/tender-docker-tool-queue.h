/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-tool.h"

G_BEGIN_DECLS

typedef struct _TenderDockerToolQueue TenderDockerToolQueue;

TenderDockerToolQueue *
tender_docker_tool_queue_new(guint max);
void
tender_docker_tool_queue_free(TenderDockerToolQueue *self);
void
tender_docker_tool_queue_set_max(TenderDockerToolQueue *self, guint max);
gboolean
tender_docker_tool_queue_push(TenderDockerToolQueue *self, TenderDockerTool *tool, GError **error);
void
tender_docker_tool_queue_insert(TenderDockerToolQueue *self, TenderDockerTool *tool);
gboolean
tender_docker_tool_queue_remove(TenderDockerToolQueue *self, TenderDockerTool *tool);
TenderDockerTool *
tender_docker_tool_queue_pop(TenderDockerToolQueue *self);
guint
tender_docker_tool_queue_get_length(TenderDockerToolQueue *self);
guint
tender_docker_tool_queue_get_position(TenderDockerToolQueue *self, TenderDockerTool *tool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerToolQueue, tender_docker_tool_queue_free)

G_END_DECLS
