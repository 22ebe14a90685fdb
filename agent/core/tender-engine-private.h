/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-engine.h"
#include "tender-store.h"
#include "tender-supervisor.h"

G_BEGIN_DECLS

/* what tender-engine.c, tender-engine-logs.c and tender-supervisor.c share */

struct _TenderEngine {
	GObject parent_instance;
	TenderConfig *config;
	TenderStore *store;
	GHashTable *runtimes; /* name → TenderRuntime */
	GHashTable *entries;  /* name → TenderSupervisor */
	guint trim_id;	      /* after removals: the heap's free pages go back to the system */
	gboolean set_up;      /* tender_engine_setup() has taken over the state files */
	/* the TenderLogFollowers of FollowLogs, and how many GetLogs are under way */
	GPtrArray *followers;
	guint log_queries;
	/* the GTasks of tender_engine_get_metrics_async() of every workload that wait for the
	 * reading under way, which they share; NULL when none is */
	GPtrArray *metrics_waiters;
};

/* where an option of a method goes; its type is the schema's (tender-options.c) */
typedef struct {
	const gchar *key;
	gpointer value; /* guint32* for "u", gboolean* for "b", gchar** for "s" */
} TenderEngineOption;

gboolean
tender_engine_parse_options(const gchar *method,
			    GVariant *options,
			    const TenderEngineOption *table,
			    GError **error);
TenderSupervisor *
tender_engine_lookup(TenderEngine *self, const gchar *name, GError **error);
TenderRuntimeRun *
tender_engine_lookup_metrics_run(TenderEngine *self, const gchar *name, GError **error);
gboolean
tender_engine_save_workload(TenderEngine *self,
			    TenderWorkload *workload,
			    TenderSupervisor *supervisor,
			    gboolean sync,
			    GError **error);
gboolean
tender_engine_sync_workload(TenderEngine *self, TenderWorkload *workload, GError **error);
gboolean
tender_engine_resolve_command(TenderEngine *self, TenderWorkload *workload, GError **error);
gboolean
tender_engine_remove_entry(TenderEngine *self, TenderSupervisor *supervisor, GError **error);
void
tender_engine_logs_workload_removed_cb(TenderEngine *self,
				       TenderWorkload *workload,
				       gpointer user_data);

G_END_DECLS
