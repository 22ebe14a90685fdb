/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-engine.h"
#include "tender-http-events.h"
#include "tender-http-server.h"
#include "tender-plugin-list.h"

G_BEGIN_DECLS

/* what the routes' handlers use of the server */

TenderEngine *
tender_http_server_get_engine(TenderHttpServer *self);
TenderAuthority *
tender_http_server_get_authority(TenderHttpServer *self);
TenderPluginList *
tender_http_server_get_plugins(TenderHttpServer *self);
TenderAdapterList *
tender_http_server_get_adapters(TenderHttpServer *self);
TenderHttpEvents *
tender_http_server_get_events(TenderHttpServer *self);
TenderImageStore *
tender_http_server_get_images(TenderHttpServer *self);

G_END_DECLS
