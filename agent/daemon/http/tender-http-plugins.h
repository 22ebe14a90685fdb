/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"

G_BEGIN_DECLS

void
tender_http_plugins_list(TenderHttpRequest *req);
void
tender_http_plugins_call(TenderHttpRequest *req);

G_END_DECLS
