/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-adapter-list.h"
#include "tender-http-request.h"

G_BEGIN_DECLS

TenderAdapter *
tender_http_adapters_find(TenderAdapterList *adapters, const gchar *name, GError **error);
gboolean
tender_http_adapters_has_root_api(TenderAdapterList *adapters);
gboolean
tender_http_adapters_claim(TenderHttpRequest *req);
void
tender_http_adapters_list(TenderHttpRequest *req);
void
tender_http_adapters_call(TenderHttpRequest *owned);

G_END_DECLS
