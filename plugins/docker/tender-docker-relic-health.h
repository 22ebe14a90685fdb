/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* the health wait: how often it asks, and how long one answer may take */
#define TENDER_DOCKER_RELIC_HEALTH_INTERVAL_MS 500
#define TENDER_DOCKER_RELIC_HEALTH_REQUEST_SEC 2

void
tender_docker_relic_health_wait_async(const gchar *uri,
				      guint timeout_seconds,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
gboolean
tender_docker_relic_health_wait_finish(GAsyncResult *res, GError **error);

G_END_DECLS
