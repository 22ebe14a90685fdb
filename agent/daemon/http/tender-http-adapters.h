/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-alias.h"
#include "tender-http-request.h"

G_BEGIN_DECLS

/* the route aliases of the adapter instances */
extern const TenderHttpAliasSet tender_http_adapters_aliases;

void
tender_http_adapters_list(TenderHttpRequest *req);

G_END_DECLS
