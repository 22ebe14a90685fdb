/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-authority.h"
#include "tender-config.h"
#include "tender-engine.h"
#include "tender-plugin.h"

G_BEGIN_DECLS

/* the longest plugin or adapter name */
#define TENDER_PLUGIN_NAME_MAX 32

#define TENDER_TYPE_PLUGIN_LIST (tender_plugin_list_get_type())
G_DECLARE_FINAL_TYPE(TenderPluginList, tender_plugin_list, TENDER, PLUGIN_LIST, GObject)

TenderPluginList *
tender_plugin_list_new(TenderEngine *engine,
		       const TenderConfig *config,
		       TenderAuthority *authority);
void
tender_plugin_list_load(TenderPluginList *self);
void
tender_plugin_list_shutdown(TenderPluginList *self);
GPtrArray *
tender_plugin_list_get_plugins(TenderPluginList *self);
GVariant *
tender_plugin_list_to_variant(TenderPluginList *self);
const TenderAdapterVTable *
tender_plugin_list_find_adapter(TenderPluginList *self, const gchar *name, TenderPlugin **plugin);
gboolean
tender_plugin_list_check_name(const gchar *what, const gchar *name, GError **error);

G_END_DECLS
