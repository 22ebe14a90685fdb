/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"

G_BEGIN_DECLS

void
tender_http_workloads_health(TenderHttpRequest *req);
void
tender_http_workloads_prometheus(TenderHttpRequest *req);
void
tender_http_workloads_list(TenderHttpRequest *req);
GVariant *
tender_http_workloads_decode(TenderHttpRequest *req, const gchar *method);
void
tender_http_workloads_create(TenderHttpRequest *req);
void
tender_http_workloads_import(TenderHttpRequest *req);
void
tender_http_workloads_get(TenderHttpRequest *req);
void
tender_http_workloads_export(TenderHttpRequest *req);
void
tender_http_workloads_metrics(TenderHttpRequest *req);
void
tender_http_workloads_action(TenderHttpRequest *owned);
void
tender_http_workloads_logs(TenderHttpRequest *owned);

G_END_DECLS
