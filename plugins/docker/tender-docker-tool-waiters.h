/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-tool.h"

G_BEGIN_DECLS

/**
 * TenderDockerToolWait:
 * @TENDER_DOCKER_TOOL_WAIT_STARTED: an execute without wait: answered with the run once it
 *                                   has started (or ended)
 * @TENDER_DOCKER_TOOL_WAIT_ENDED: an execute with wait: answered with the run once it has ended
 * @TENDER_DOCKER_TOOL_WAIT_CANCEL: a cancel: answered once the run has ended, %TRUE if it
 *                                  ended cancelled
 */
typedef enum {
	TENDER_DOCKER_TOOL_WAIT_STARTED,
	TENDER_DOCKER_TOOL_WAIT_ENDED,
	TENDER_DOCKER_TOOL_WAIT_CANCEL,
} TenderDockerToolWait;

typedef struct _TenderDockerToolWaiters TenderDockerToolWaiters;

TenderDockerToolWaiters *
tender_docker_tool_waiters_new(void);
void
tender_docker_tool_waiters_free(TenderDockerToolWaiters *self);
void
tender_docker_tool_waiters_add(TenderDockerToolWaiters *self,
			       GTask *task,
			       TenderDockerTool *tool,
			       TenderDockerToolWait kind);
void
tender_docker_tool_waiters_answer(TenderDockerToolWaiters *self,
				  TenderDockerTool *tool,
				  gboolean ended);

G_END_DECLS
