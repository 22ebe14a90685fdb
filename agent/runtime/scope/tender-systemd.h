/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-spec.h"

G_BEGIN_DECLS

/* the slice every workload's scope is in */
#define TENDER_SYSTEMD_SLICE "tender.slice"

#define TENDER_TYPE_SYSTEMD (tender_systemd_get_type())
G_DECLARE_FINAL_TYPE(TenderSystemd, tender_systemd, TENDER, SYSTEMD, GObject)

TenderSystemd *
tender_systemd_new(GDBusConnection *connection);
gboolean
tender_systemd_setup(TenderSystemd *self, GCancellable *cancellable, GError **error);
void
tender_systemd_start_scope_async(TenderSystemd *self,
				 const gchar *unit,
				 GVariant *properties,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gchar *
tender_systemd_start_scope_finish(TenderSystemd *self, GAsyncResult *res, GError **error);
void
tender_systemd_freeze_unit_async(TenderSystemd *self,
				 const gchar *unit,
				 gboolean freeze,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
tender_systemd_freeze_unit_finish(TenderSystemd *self, GAsyncResult *res, GError **error);
void
tender_systemd_stop_unit_async(TenderSystemd *self,
			       const gchar *unit,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_systemd_stop_unit_finish(TenderSystemd *self, GAsyncResult *res, GError **error);
GVariant *
tender_systemd_build_scope_properties(const TenderSpec *spec, const gchar *name, GPid pid);

G_END_DECLS
