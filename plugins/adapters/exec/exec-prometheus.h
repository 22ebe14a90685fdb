/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the most of a prometheus_file that is read */
#define EXEC_PROMETHEUS_FILE_MAX (1024 * 1024)

void
exec_prometheus_read_async(const gchar *path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
gchar **
exec_prometheus_read_finish(GAsyncResult *res, GError **error);

G_END_DECLS
