/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-cgroup.h"
#include "tender-systemd.h"

G_BEGIN_DECLS

#define TENDER_TYPE_FREEZER (tender_freezer_get_type())
G_DECLARE_FINAL_TYPE(TenderFreezer, tender_freezer, TENDER, FREEZER, GObject)

/* how long a freeze or thaw may take before it counts as failed */
#define TENDER_FREEZER_TIMEOUT_MS 10000

TenderFreezer *
tender_freezer_new(TenderCgroup *cgroup, TenderSystemd *systemd);
void
tender_freezer_set_state_async(TenderFreezer *self,
			       const gchar *unit,
			       const gchar *cgroup,
			       gboolean freeze,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_freezer_set_state_finish(TenderFreezer *self, GAsyncResult *res, GError **error);
void
tender_freezer_release(TenderFreezer *self, const gchar *cgroup);
gboolean
tender_freezer_join(TenderFreezer *self, const gchar *cgroup, GError **error);
gboolean
tender_freezer_set_frozen(TenderFreezer *self,
			  const gchar *cgroup,
			  gboolean frozen,
			  GError **error);
gboolean
tender_freezer_get_frozen(TenderFreezer *self,
			  const gchar *cgroup,
			  gboolean *frozen,
			  GError **error);
gboolean
tender_freezer_remove(TenderFreezer *self, const gchar *cgroup, GError **error);

G_END_DECLS
