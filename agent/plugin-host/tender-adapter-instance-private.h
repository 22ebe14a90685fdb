/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-adapter-private.h"
#include "tender-state.h"

G_BEGIN_DECLS

/* the instance of a TenderAdapter: only for the files that make up TenderAdapter itself
 * (tender-adapter.c, tender-adapter-ops.c); the rest of tenderd goes through its functions */
struct _TenderAdapter {
	GObject parent_instance;
	TenderEngine *engine;
	const TenderAdapterVTable *klass;
	gchar *name;
	gchar *workload_name;
	gchar *object_path;
	gchar *path;
	gchar *state_path;
	GKeyFile *keyfile;
	TenderAdapterConfig *config;
	JsonObject *payload; /* the last start payload, or NULL */
	gpointer data;
	GDestroyNotify data_destroy;
	GQueue queue; /* GTask of the operations waiting, oldest first */
	GTask *current;
	guint starts;	       /* start operations waiting or under way */
	gboolean start_failed; /* the last start failed: app_status "error" */
	gboolean warned_lines; /* the adapter's bad Prometheus lines were logged */
};

TenderWorkload *
tender_adapter_get_workload(TenderAdapter *self);
TenderState
tender_adapter_get_state(TenderAdapter *self);
JsonObject *
tender_adapter_metrics_new(TenderAdapter *self);

G_END_DECLS
