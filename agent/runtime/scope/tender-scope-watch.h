/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TENDER_TYPE_SCOPE_WATCH (tender_scope_watch_get_type())
G_DECLARE_FINAL_TYPE(TenderScopeWatch, tender_scope_watch, TENDER, SCOPE_WATCH, GObject)

/* as a GUnixFDSourceFunc: G_SOURCE_REMOVE ends the watch */
typedef gboolean (*TenderScopeWatchFunc)(gint fd, GIOCondition condition, gpointer user_data);

TenderScopeWatch *
tender_scope_watch_new(void);
guint
tender_scope_watch_add(TenderScopeWatch *self,
		       gint fd,
		       GIOCondition condition,
		       TenderScopeWatchFunc func,
		       gpointer user_data,
		       GDestroyNotify notify,
		       GError **error);
void
tender_scope_watch_remove(TenderScopeWatch *self, guint id);
guint
tender_scope_watch_get_size(TenderScopeWatch *self);

G_END_DECLS
