/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"
#include "tender-request.h"

G_BEGIN_DECLS

gboolean
tender_http_service_match_method(TenderPlugin *plugin,
				 struct _TenderService *service,
				 const gchar *name,
				 const gchar *method,
				 TenderHttpMatch *match,
				 guint *status,
				 GString *allow);
gboolean
tender_http_service_match(TenderPlugin *plugin,
			  const gchar *method,
			  const gchar *path,
			  TenderHttpMatch *match,
			  guint *status,
			  GString *allow);
void
tender_http_service_prepare(TenderHttpRequest *req, TenderRequest *request);
void
tender_http_service_call(TenderHttpRequest *owned);

G_END_DECLS
