/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-spec-keys.h"
#include "tender-spec.h"

G_BEGIN_DECLS

/* the checks of some kinds of keys, for tender_spec_new_from_variant() */
gboolean
tender_spec_parse_identity(const gchar *key,
			   GVariant *value,
			   guint64 max,
			   gchar **out,
			   GError **error);
gchar **
tender_spec_parse_capabilities(const TenderSpecKey *key, GVariant *value, GError **error);
gboolean
tender_spec_parse_extension(TenderSpec *self,
			    const TenderSpecKey *key,
			    const gchar *name,
			    GVariant *value,
			    GError **error);

gboolean
tender_spec_parse_volumes(const TenderSpecKey *key,
			  GVariant *value,
			  GPtrArray **out,
			  GError **error);
gboolean
tender_spec_parse_ports(const TenderSpecKey *key, GVariant *value, GArray **out, GError **error);
gboolean
tender_spec_parse_rlimits(const TenderSpecKey *key, GVariant *value, GArray **out, GError **error);
GVariant *
tender_spec_isolation_to_variant(const TenderSpecKey *key, gconstpointer field);
gboolean
tender_spec_check_isolation(const TenderSpec *self, GError **error);

G_END_DECLS
