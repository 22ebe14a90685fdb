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

/* the owner of a service that is not a plugin's: a feature of tenderd itself */
#define TENDER_SERVICE_OWNER_CORE "core"

/**
 * TenderServiceMethod:
 * @method: a method of the service's interface
 * @action_id: the polkit action it needs, org.tender.*
 * @detail: (nullable): the "method" detail polkit rules see; %NULL: @method
 * @func: the handler; for a built-in service its plugin argument is %NULL
 *
 * One entry of a method table, which ends with an entry whose method is %NULL.  Several
 * methods may share a detail (a method and its Json twin are one call for polkit rules).
 */
typedef struct {
	const gchar *method;
	const gchar *action_id;
	const gchar *detail;
	TenderPluginCallFunc func;
} TenderServiceMethod;

/**
 * TenderServicePropertyFunc:
 * @user_data: the service's
 * @property: a property of the interface
 *
 * Returns: (transfer floating) (nullable): its value, %NULL for none
 */
typedef GVariant *(*TenderServicePropertyFunc)(gpointer user_data, const gchar *property);

/**
 * TenderServiceProperties:
 * @action_id: the polkit action Properties.Get and GetAll need
 * @detail: the "method" detail polkit rules see for them
 * @get: reads one property
 *
 * How the read-only properties of a service's interface are read.
 */
typedef struct {
	const gchar *action_id;
	const gchar *detail;
	TenderServicePropertyFunc get;
} TenderServiceProperties;

TenderService *
tender_service_new(TenderPlugin *plugin,
		   const gchar *subpath,
		   const gchar *introspection_xml,
		   const TenderPluginServiceMethod *methods,
		   gpointer user_data,
		   GDestroyNotify destroy,
		   GError **error);
TenderService *
tender_service_new_feature_object(TenderPlugin *plugin,
				  const gchar *subpath,
				  const gchar *object_path,
				  const gchar *introspection_xml,
				  const TenderPluginServiceMethod *methods,
				  TenderPluginPropertyFunc get_property,
				  gpointer user_data,
				  GDestroyNotify destroy,
				  GError **error);
void
tender_service_set_feature(TenderService *self);
gboolean
tender_service_is_feature(TenderService *self);
TenderService *
tender_service_new_builtin(const gchar *subpath,
			   const gchar *object_path,
			   GDBusInterfaceInfo *iface,
			   const TenderServiceMethod *methods,
			   const TenderServiceProperties *properties,
			   gpointer user_data,
			   GDestroyNotify destroy,
			   GError **error);
void
tender_service_add_detail(TenderService *self, const gchar *key, const gchar *value);
TenderPlugin *
tender_service_get_plugin(TenderService *self);
const gchar *
tender_service_get_owner(TenderService *self);
const gchar *
tender_service_get_subpath(TenderService *self);
const gchar *
tender_service_get_object_path(TenderService *self);
gpointer
tender_service_get_user_data(TenderService *self);
GDBusInterfaceInfo *
tender_service_get_interface(TenderService *self);
GDBusMethodInfo *
tender_service_lookup_method(TenderService *self, const gchar *method);
const gchar *
tender_service_get_action(TenderService *self, const gchar *method);
gboolean
tender_service_has_properties(TenderService *self);
GVariant *
tender_service_get_property(TenderService *self, const gchar *property);
void
tender_service_prepare_request(TenderService *self, TenderRequest *request, const gchar *method);
void
tender_service_prepare_read(TenderService *self, TenderRequest *request);
void
tender_service_prepare_method(const TenderServiceMethod *methods,
			      TenderRequest *request,
			      const gchar *method);
void
tender_service_call(TenderService *self,
		    const TenderCaller *caller,
		    const gchar *method,
		    GVariant *parameters,
		    const TenderCallChannel *channel,
		    TenderCallReplyFunc func,
		    gpointer user_data);

G_END_DECLS
