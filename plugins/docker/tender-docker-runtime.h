/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <tender-plugin.h>

#include "tender-docker-client.h"

G_BEGIN_DECLS

/* the seconds /containers/ID/stop waits before dockerd's own SIGKILL: the longest stop
 * timeout of tenderd, whose SIGKILL (through kill) comes first */
#define TENDER_DOCKER_STOP_WAIT_SEC 3600
/* how old the counters of GetMetrics may be before they are read again */
#define TENDER_DOCKER_STATS_MAX_AGE_MS 500

typedef struct _TenderDockerRuntime TenderDockerRuntime;

TenderDockerRuntime *
tender_docker_runtime_register(TenderPlugin *plugin, TenderDockerClient *client, GError **error);
void
tender_docker_runtime_reopen(TenderDockerRuntime *self);

G_END_DECLS
