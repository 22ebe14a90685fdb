/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tender-engine.h"

G_BEGIN_DECLS

#define TENDER_TYPE_HTTP_EVENTS (tender_http_events_get_type())
G_DECLARE_FINAL_TYPE(TenderHttpEvents, tender_http_events, TENDER, HTTP_EVENTS, GObject)

TenderHttpEvents *
tender_http_events_new(TenderEngine *engine);
void
tender_http_events_subscribe(TenderHttpEvents *self, SoupServerMessage *msg);

G_END_DECLS
