/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-runtime-run.h"

G_BEGIN_DECLS

#define TENDER_TYPE_CGROUP (tender_cgroup_get_type())
G_DECLARE_FINAL_TYPE(TenderCgroup, tender_cgroup, TENDER, CGROUP, GObject)

/**
 * TenderCgroupVersion:
 * @TENDER_CGROUP_VERSION_UNKNOWN: no cgroup file system found
 * @TENDER_CGROUP_VERSION_1: legacy or hybrid: one hierarchy per controller
 * @TENDER_CGROUP_VERSION_2: the unified hierarchy
 */
typedef enum {
	TENDER_CGROUP_VERSION_UNKNOWN = 0,
	TENDER_CGROUP_VERSION_1 = 1,
	TENDER_CGROUP_VERSION_2 = 2,
} TenderCgroupVersion;

TenderCgroup *
tender_cgroup_new(const gchar *root);
const gchar *
tender_cgroup_get_root(TenderCgroup *self);
TenderCgroupVersion
tender_cgroup_get_version(TenderCgroup *self);
gchar *
tender_cgroup_build_path(TenderCgroup *self,
			 const gchar *controller,
			 const gchar *cgroup,
			 const gchar *file);
gboolean
tender_cgroup_read_u64(TenderCgroup *self,
		       const gchar *controller,
		       const gchar *cgroup,
		       const gchar *file,
		       guint64 *value,
		       GError **error);
gboolean
tender_cgroup_read_keyed(TenderCgroup *self,
			 const gchar *controller,
			 const gchar *cgroup,
			 const gchar *file,
			 const gchar *key,
			 guint64 *value,
			 GError **error);
GVariant *
tender_cgroup_read_limits(TenderCgroup *self, const gchar *cgroup, GError **error);
GArray *
tender_cgroup_get_pids(TenderCgroup *self, const gchar *cgroup, GError **error);
gboolean
tender_cgroup_kill(TenderCgroup *self,
		   const gchar *cgroup,
		   gint signo,
		   GPid exclude,
		   guint *n_signalled,
		   GError **error);
gchar *
tender_cgroup_parse_proc_cgroup(const gchar *contents, const gchar *controller);
gchar **
tender_cgroup_get_procs_files(TenderCgroup *self, const gchar *cgroup, GError **error);

/**
 * TenderCgroupMetrics:
 *
 * What tender_cgroup_read_metrics() reads, the counters of GetMetrics: @cpu_usage_nsec is the
 * CPU time used since the cgroup was created, @memory_peak_bytes is 0 if the kernel does not
 * say, and a metric whose file is missing is 0.
 */
typedef TenderRuntimeMetrics TenderCgroupMetrics;

gboolean
tender_cgroup_read_metrics(TenderCgroup *self,
			   const gchar *cgroup,
			   TenderCgroupMetrics *metrics,
			   GError **error);

G_END_DECLS
