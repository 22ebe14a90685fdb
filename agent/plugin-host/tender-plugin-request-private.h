/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tender-authority.h"
#include "tender-plugin-request.h"

G_BEGIN_DECLS

/* the HTTP mirror's side of TenderPluginRequest: only daemon/http uses it */

TenderPluginRequest *
tender_plugin_request_new(SoupServerMessage *msg,
			  const gchar *path,
			  GPtrArray *captures,
			  GHashTable *query,
			  TenderAuthoritySubject *caller);
gboolean
tender_plugin_request_get_replied(TenderPluginRequest *self);
void
tender_plugin_request_pause(TenderPluginRequest *self);

G_END_DECLS
