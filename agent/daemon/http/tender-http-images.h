/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"
#include "tender-request.h"

G_BEGIN_DECLS

gboolean
tender_http_images_prepare(TenderHttpRequest *req, TenderRequest *request);
void
tender_http_images_import_begin(TenderHttpServer *self,
				SoupServerMessage *msg,
				GHashTable *query,
				TenderHttpRequest *owned);
void
tender_http_images_import(TenderHttpRequest *owned);
void
tender_http_images_list(TenderHttpRequest *req);
void
tender_http_images_get(TenderHttpRequest *req);
void
tender_http_images_remove(TenderHttpRequest *req);

G_END_DECLS
