/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-adapter-private.h"
#include "tender-config.h"
#include "tender-engine.h"
#include "tender-plugin-list.h"
#include "tender-service-list.h"

G_BEGIN_DECLS

#define TENDER_TYPE_ADAPTER_LIST (tender_adapter_list_get_type())
G_DECLARE_FINAL_TYPE(TenderAdapterList, tender_adapter_list, TENDER, ADAPTER_LIST, GObject)

TenderAdapterList *
tender_adapter_list_new(TenderEngine *engine,
			TenderPluginList *plugins,
			const TenderConfig *config);
void
tender_adapter_list_load(TenderAdapterList *self);
GPtrArray *
tender_adapter_list_get_adapters(TenderAdapterList *self);
TenderAdapter *
tender_adapter_list_find(TenderAdapterList *self, const gchar *name, GError **error);
TenderAdapter *
tender_adapter_list_get_root_api(TenderAdapterList *self);
TenderServiceList *
tender_adapter_list_get_services(TenderAdapterList *self);
GVariant *
tender_adapter_list_to_variant(TenderAdapterList *self);

G_END_DECLS
