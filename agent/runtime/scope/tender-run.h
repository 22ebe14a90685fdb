/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-cgroup.h"
#include "tender-systemd.h"
#include "tender-workload.h"

G_BEGIN_DECLS

#define TENDER_TYPE_RUN (tender_run_get_type())
G_DECLARE_FINAL_TYPE(TenderRun, tender_run, TENDER, RUN, GObject)

TenderRun *
tender_run_new(TenderWorkload *workload,
	       TenderSystemd *systemd,
	       TenderCgroup *cgroup,
	       const gchar *shim_path,
	       const gchar *record_path);
void
tender_run_start_async(TenderRun *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
tender_run_start_finish(TenderRun *self, GAsyncResult *res, GError **error);
gboolean
tender_run_stop(TenderRun *self, guint timeout_sec, GError **error);
gboolean
tender_run_kill(TenderRun *self, gint signo, GError **error);
gboolean
tender_run_has_ended(TenderRun *self);
void
tender_run_adopt(TenderRun *self, const gchar *run_id, GPid shim_pid);
void
tender_run_abandon(TenderRun *self, const gchar *run_id);
gboolean
tender_run_was_abandoned(TenderRun *self);
const gchar *
tender_run_get_id(TenderRun *self);
GPid
tender_run_get_shim_pid(TenderRun *self);

G_END_DECLS
