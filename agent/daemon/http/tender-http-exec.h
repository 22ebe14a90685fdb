/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"

G_BEGIN_DECLS

GVariant *
tender_http_exec_decode(TenderHttpRequest *req, GError **error);
void
tender_http_exec_call(TenderHttpRequest *owned);

G_END_DECLS
