/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-config.h"
#include "tender-engine.h"
#include "tender-image-store.h"
#include "tender-plugin-list.h"

G_BEGIN_DECLS

#define TENDER_TYPE_HTTP_SERVER (tender_http_server_get_type())
G_DECLARE_FINAL_TYPE(TenderHttpServer, tender_http_server, TENDER, HTTP_SERVER, GObject)

TenderHttpServer *
tender_http_server_new(TenderEngine *engine,
		       const TenderConfig *config,
		       TenderAuthority *authority);
void
tender_http_server_set_plugins(TenderHttpServer *self, TenderPluginList *plugins);
gboolean
tender_http_server_listen(TenderHttpServer *self, GError **error);
void
tender_http_server_set_adapters(TenderHttpServer *self, TenderAdapterList *adapters);
void
tender_http_server_set_images(TenderHttpServer *self, TenderImageStore *images);

G_END_DECLS
