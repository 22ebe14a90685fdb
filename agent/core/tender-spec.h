/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tender-spec-types.h"

G_BEGIN_DECLS

TenderSpec *
tender_spec_new(void);
void
tender_spec_free(TenderSpec *self);
TenderSpec *
tender_spec_new_from_variant(GVariant *value, GError **error);
GVariant *
tender_spec_to_variant(const TenderSpec *self);
gchar **
tender_spec_build_environ(const TenderSpec *self);
JsonNode *
tender_spec_to_json(const TenderSpec *self);
TenderSpec *
tender_spec_new_from_json(JsonNode *node, GError **error);
GVariant *
tender_spec_variant_from_json(JsonNode *node, GError **error);
const gchar *
tender_spec_restart_to_string(TenderRestartPolicy policy);
const gchar *
tender_spec_health_action_to_string(TenderHealthAction action);
gboolean
tender_spec_drops_privileges(const TenderSpec *self);
const gchar *
tender_spec_get_runtime(const TenderSpec *self);
GVariant *
tender_spec_get_extension(const TenderSpec *self, const gchar *name);
gchar **
tender_spec_get_extension_names(const TenderSpec *self);
gchar *
tender_spec_capability_from_name(const gchar *name, gint *value);
TenderNetwork
tender_spec_get_network(const TenderSpec *self);
gboolean
tender_spec_get_read_only_rootfs(const TenderSpec *self);
gboolean
tender_spec_get_init(const TenderSpec *self);
const gchar *
tender_spec_get_hostname(const TenderSpec *self, const gchar *workload);
gint
tender_spec_rlimit_from_name(const gchar *name);
const gchar *
tender_spec_rlimit_to_name(gint resource);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSpec, tender_spec_free)

G_END_DECLS
