/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-call-private.h"
#include "tender-plugin.h"
#include "tender-request.h"

G_BEGIN_DECLS

#define TENDER_TYPE_SERVICE (tender_service_get_type())
G_DECLARE_FINAL_TYPE(TenderService, tender_service, TENDER, SERVICE, GObject)

TenderService *
tender_service_new(TenderPlugin *plugin,
		   const gchar *subpath,
		   const gchar *introspection_xml,
		   const TenderPluginServiceMethod *methods,
		   gpointer user_data,
		   GDestroyNotify destroy,
		   GError **error);
TenderPlugin *
tender_service_get_plugin(TenderService *self);
const gchar *
tender_service_get_subpath(TenderService *self);
const gchar *
tender_service_get_object_path(TenderService *self);
GDBusInterfaceInfo *
tender_service_get_interface(TenderService *self);
GDBusMethodInfo *
tender_service_lookup_method(TenderService *self, const gchar *method);
const gchar *
tender_service_get_action(TenderService *self, const gchar *method);
void
tender_service_prepare_request(TenderService *self, TenderRequest *request, const gchar *method);
void
tender_service_call(TenderService *self,
		    const TenderCaller *caller,
		    const gchar *method,
		    GVariant *parameters,
		    TenderCallReplyFunc func,
		    gpointer user_data);

G_END_DECLS
