/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-cgroup.h"

G_BEGIN_DECLS

/* the readers that tender-cgroup.c, tender-cgroup-metrics.c and tender-freezer.c share */

typedef void (*TenderCgroupLineFunc)(gchar *line, gpointer user_data);

/* what tender_cgroup_keyed_line_cb() looks for, and found */
typedef struct {
	const gchar *key;
	guint64 value;
	gboolean found;
} TenderCgroupKeyed;

gboolean
tender_cgroup_read_file(TenderCgroup *self,
			const gchar *controller,
			const gchar *cgroup,
			const gchar *file,
			gchar **contents,
			GError **error);
gboolean
tender_cgroup_format_path(TenderCgroup *self,
			  gchar *buf,
			  gsize size,
			  const gchar *controller,
			  const gchar *cgroup,
			  const gchar *file);
gboolean
tender_cgroup_check_exists(TenderCgroup *self, const gchar *cgroup, GError **error);
gboolean
tender_cgroup_read_buffer(const gchar *path, gchar *buf, gsize size);
gboolean
tender_cgroup_foreach_line(const gchar *path, TenderCgroupLineFunc func, gpointer user_data);
void
tender_cgroup_keyed_line_cb(gchar *line, gpointer user_data);

G_END_DECLS
