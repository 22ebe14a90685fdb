/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-authority.h"
#include "tender-engine.h"

G_BEGIN_DECLS

#define TENDER_TYPE_REQUEST (tender_request_get_type())
G_DECLARE_FINAL_TYPE(TenderRequest, tender_request, TENDER, REQUEST, GObject)

const gchar *
tender_request_action_for_method(const gchar *method);

TenderRequest *
tender_request_new(const TenderAuthoritySubject *subject, gboolean interactive);
gboolean
tender_request_set_method(TenderRequest *self, const gchar *method, GError **error);
void
tender_request_set_method_action(TenderRequest *self, const gchar *method, const gchar *action);
void
tender_request_set_workload(TenderRequest *self, const gchar *name);
void
tender_request_set_spec(TenderRequest *self, GVariant *spec);
void
tender_request_set_import(TenderRequest *self, const gchar *json);
void
tender_request_set_detail(TenderRequest *self, const gchar *key, const gchar *value);
gboolean
tender_request_set_manager_call(TenderRequest *self,
				const gchar *method,
				GVariant *parameters,
				GError **error);

const gchar *
tender_request_get_method(TenderRequest *self);
const gchar *
tender_request_get_action(TenderRequest *self);
const gchar *
tender_request_get_workload(TenderRequest *self);
const TenderAuthoritySubject *
tender_request_get_subject(TenderRequest *self);
GHashTable *
tender_request_get_details(TenderRequest *self, TenderEngine *engine);

void
tender_request_authorize_async(TenderRequest *self,
			       TenderAuthority *authority,
			       TenderEngine *engine,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_request_authorize_finish(TenderRequest *self, GAsyncResult *res, GError **error);

G_END_DECLS
