/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-engine.h"

G_BEGIN_DECLS

gchar *
tender_prometheus_escape_label(const gchar *value);
gboolean
tender_prometheus_read_process(const gchar *proc_dir, GString *out, GError **error);
void
tender_prometheus_render_async(TenderEngine *engine,
			       GHashTable *metrics_of,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
GBytes *
tender_prometheus_render_finish(GAsyncResult *res);

G_END_DECLS
