/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-relics.h"
#include "tender-docker-stats.h"
#include "tender-docker-tools.h"

G_BEGIN_DECLS

/* how many containers' stats are asked for at once, and the most containers reported */
#define TENDER_DOCKER_STATS_CONCURRENT 8
#define TENDER_DOCKER_STATS_MAX	       2048
/* the longest id, container name or container id asked for */
#define TENDER_DOCKER_STATS_ID_MAX 128

void
tender_docker_stats_query_async(TenderDockerClient *client,
				TenderDockerTools *tools,
				TenderDockerRelics *relics,
				const gchar *id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
GPtrArray *
tender_docker_stats_query_finish(GAsyncResult *res, GError **error);

G_END_DECLS
