/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "tender-privdrop.h"
#include "tender-spec.h"

G_BEGIN_DECLS

/**
 * TenderIdentity:
 *
 * Whom a workload runs as: its spec's user, group and capabilities, resolved to ids and
 * capability numbers against the system's user and group databases as they are now.
 */
typedef struct {
	gboolean drop; /* FALSE: root with every capability, as tenderd itself */
	guint32 uid;
	guint32 gid;
	gchar *user_name; /* NULL unless the spec has a user */
	gchar *home;
	gchar *shell;
	gint n_caps;
	gint caps[TENDER_PRIVDROP_CAPS_MAX];
} TenderIdentity;

TenderIdentity *
tender_identity_new_from_spec(const TenderSpec *spec, GError **error);
void
tender_identity_free(TenderIdentity *self);
gchar **
tender_identity_build_environ(const TenderIdentity *self, const TenderSpec *spec);
gchar *
tender_identity_caps_to_string(const TenderIdentity *self);
gboolean
tender_identity_prepare_drop(const TenderIdentity *self, TenderPrivdrop *drop, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderIdentity, tender_identity_free)

G_END_DECLS
