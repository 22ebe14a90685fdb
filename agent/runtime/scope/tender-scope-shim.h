/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tender-identity.h"
#include "tender-scope-image.h"
#include "tender-spec.h"

G_BEGIN_DECLS

/**
 * TenderScopeShimTarget:
 * @shim: where tender-shim is
 * @name: the workload's name
 * @record: where the shim writes the exit record
 * @run_id: the run's id
 * @spec: the workload's spec
 * @image: (nullable): its image
 * @container_dir: (nullable): with an image, its container directory (upper, work)
 *
 * What tender-shim runs, and where.
 */
typedef struct {
	const gchar *shim;
	const gchar *name;
	const gchar *record;
	const gchar *run_id;
	const TenderSpec *spec;
	const TenderScopeImage *image;
	const gchar *container_dir;
} TenderScopeShimTarget;

gboolean
tender_scope_shim_build(const TenderScopeShimTarget *target,
			gchar ***argv,
			gchar ***envp,
			gchar **cwd,
			GError **error);
JsonObject *
tender_scope_shim_parse_record(const gchar *path, const gchar *data, gsize len, GError **error);
gchar *
tender_scope_shim_sanitize_reason(const gchar *text);
gboolean
tender_scope_shim_check_pid(gint pidfd, GPid pid, const gchar *run_id, GError **error);
gboolean
tender_scope_shim_parse_failure(gchar *text, guint64 *value, const gchar **why);

G_END_DECLS
