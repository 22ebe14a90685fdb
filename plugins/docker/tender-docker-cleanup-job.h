/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-cleanup.h"
#include "tender-docker-relics.h"
#include "tender-docker-tools.h"

G_BEGIN_DECLS

void
tender_docker_cleanup_job_session_async(TenderDockerClient *client,
					TenderDockerTools *tools,
					TenderDockerRelics *relics,
					const gchar *session_id,
					gboolean force,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
void
tender_docker_cleanup_job_networks_async(TenderDockerClient *client,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data);
TenderDockerCleanup *
tender_docker_cleanup_job_finish(GAsyncResult *res, GError **error);

G_END_DECLS
