/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-service.h"

G_BEGIN_DECLS

#define TENDER_TYPE_SERVICE_LIST (tender_service_list_get_type())
G_DECLARE_FINAL_TYPE(TenderServiceList, tender_service_list, TENDER, SERVICE_LIST, GObject)

TenderServiceList *
tender_service_list_new(const gchar *noun, const TenderServiceMethod *methods);
const TenderServiceMethod *
tender_service_list_get_methods(TenderServiceList *self);
gboolean
tender_service_list_add(TenderServiceList *self, TenderService *service, GError **error);
void
tender_service_list_remove(TenderServiceList *self, TenderService *service);
GPtrArray *
tender_service_list_get_services(TenderServiceList *self);
TenderService *
tender_service_list_find(TenderServiceList *self, const gchar *name, GError **error);
void
tender_service_list_set_alias(TenderServiceList *self, const gchar *alias, TenderService *service);
TenderService *
tender_service_list_get_alias(TenderServiceList *self, const gchar *alias);

G_END_DECLS
