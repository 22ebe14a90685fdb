/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tender-identity.h"
#include "tender-spec.h"

G_BEGIN_DECLS

void
tender_scope_shim_add_args(const TenderIdentity *identity,
			   const TenderSpec *spec,
			   GPtrArray *argv,
			   GPtrArray *owned);
JsonObject *
tender_scope_shim_parse_record(const gchar *path, const gchar *data, gsize len, GError **error);
gchar *
tender_scope_shim_sanitize_reason(const gchar *text);

G_END_DECLS
