/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-workload.h"

G_BEGIN_DECLS

#define TENDER_TYPE_STORE (tender_store_get_type())
G_DECLARE_FINAL_TYPE(TenderStore, tender_store, TENDER, STORE, GObject)

/**
 * TenderStoreRun:
 * @run_id: the run the workload last had, or %NULL
 * @shim_pid: the PID of that run's tender-shim, or 0
 * @restart_pending: a restart was due when the state was written
 *
 * What a state file says of the workload's run, beside the workload itself.
 */
typedef struct {
	gchar *run_id;
	GPid shim_pid;
	gboolean restart_pending;
} TenderStoreRun;

/**
 * TenderStoreItem:
 * @workload: the workload, in its last known state
 * @run: its run
 */
typedef struct {
	TenderWorkload *workload;
	TenderStoreRun run;
} TenderStoreItem;

TenderStore *
tender_store_new(const gchar *state_dir);
gboolean
tender_store_setup(TenderStore *self, GError **error);
GPtrArray *
tender_store_load(TenderStore *self);
gboolean
tender_store_save(TenderStore *self,
		  TenderWorkload *workload,
		  const TenderStoreRun *run,
		  GError **error);
gboolean
tender_store_save_full(TenderStore *self,
		       TenderWorkload *workload,
		       const TenderStoreRun *run,
		       gboolean sync,
		       GError **error);
gboolean
tender_store_sync(TenderStore *self, const gchar *name, GError **error);
gboolean
tender_store_delete(TenderStore *self, const gchar *name, GError **error);
const gchar *
tender_store_get_dir(TenderStore *self);

G_END_DECLS
