/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TENDER_TYPE_DOCKER_LINES (tender_docker_lines_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerLines, tender_docker_lines, TENDER, DOCKER_LINES, GObject)

TenderDockerLines *
tender_docker_lines_new(GInputStream *base, gsize max);
void
tender_docker_lines_read_async(TenderDockerLines *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gchar *
tender_docker_lines_read_finish(TenderDockerLines *self, GAsyncResult *res, GError **error);

G_END_DECLS
