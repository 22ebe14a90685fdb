/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "tender-config.h"
#include "tender-runtime.h"
#include "tender-workload.h"

G_BEGIN_DECLS

#define TENDER_TYPE_ENGINE (tender_engine_get_type())
G_DECLARE_FINAL_TYPE(TenderEngine, tender_engine, TENDER, ENGINE, GObject)

#define TENDER_ENGINE_STOP_TIMEOUT_MAX 3600
#define TENDER_ENGINE_IMPORT_MAX       (1024 * 1024)

TenderEngine *
tender_engine_new(const TenderConfig *config);
void
tender_engine_add_runtime(TenderEngine *self, TenderRuntime *runtime);
void
tender_engine_remove_runtime(TenderEngine *self, TenderRuntime *runtime);
gboolean
tender_engine_has_runtime(TenderEngine *self, const gchar *name);
gchar *
tender_engine_dup_runtime_names(TenderEngine *self);
gboolean
tender_engine_check_runtime(TenderEngine *self,
			    const gchar *name,
			    const TenderSpec *spec,
			    GError **error);
TenderRuntime *
tender_engine_runtime_for_workload(TenderEngine *self, TenderWorkload *workload, GError **error);
gboolean
tender_engine_setup(TenderEngine *self, GError **error);
TenderWorkload *
tender_engine_create_workload(TenderEngine *self,
			      const gchar *name,
			      GVariant *spec,
			      GVariant *options,
			      GError **error);
TenderWorkload *
tender_engine_create_owned_workload(TenderEngine *self,
				    const gchar *owner,
				    const gchar *name,
				    GVariant *spec,
				    GVariant *options,
				    GError **error);
void
tender_engine_start_workload_async(TenderEngine *self,
				   const gchar *name,
				   GVariant *options,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
tender_engine_start_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
void
tender_engine_stop_workload_async(TenderEngine *self,
				  const gchar *name,
				  GVariant *options,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
tender_engine_stop_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
gboolean
tender_engine_kill_workload(TenderEngine *self, const gchar *name, gint signo, GError **error);
void
tender_engine_remove_workload_async(TenderEngine *self,
				    const gchar *name,
				    GVariant *options,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_engine_remove_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
void
tender_engine_get_logs_async(TenderEngine *self,
			     const gchar *name,
			     GVariant *options,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
GVariant *
tender_engine_get_logs_finish(TenderEngine *self, GAsyncResult *res, GError **error);
gboolean
tender_engine_follow_logs(TenderEngine *self,
			  const gchar *name,
			  GVariant *options,
			  gint *fd,
			  GError **error);
TenderWorkload *
tender_engine_get_workload(TenderEngine *self, const gchar *name, GError **error);
GPtrArray *
tender_engine_get_workloads(TenderEngine *self);
GVariant *
tender_engine_get_limits(TenderEngine *self, TenderWorkload *workload);
GVariant *
tender_engine_get_metrics(TenderEngine *self, const gchar *name, GError **error);
void
tender_engine_get_metrics_async(TenderEngine *self,
				const gchar *name,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
GVariant *
tender_engine_get_metrics_finish(TenderEngine *self, GAsyncResult *res, GError **error);
GHashTable *
tender_engine_get_all_metrics_finish(TenderEngine *self, GAsyncResult *res, GError **error);
void
tender_engine_pause_workload_async(TenderEngine *self,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
tender_engine_pause_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
void
tender_engine_resume_workload_async(TenderEngine *self,
				    const gchar *name,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_engine_resume_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
gchar *
tender_engine_export_workload(TenderEngine *self, const gchar *name, GError **error);
TenderWorkload *
tender_engine_import_workload(TenderEngine *self,
			      const gchar *json,
			      GVariant *options,
			      GError **error);
GVariant *
tender_engine_get_workload_property(TenderEngine *self, TenderWorkload *w, const gchar *property);
GVariant *
tender_engine_get_workload_properties(TenderEngine *self, const gchar *name, GError **error);
void
tender_engine_exec_workload_async(TenderEngine *self,
				  const gchar *name,
				  const gchar *const *argv,
				  GVariant *options,
				  GUnixFDList *fd_list,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
void
tender_engine_exec_workload_full_async(TenderEngine *self,
				       const gchar *name,
				       const gchar *const *argv,
				       GVariant *options,
				       GUnixFDList *fd_list,
				       TenderRuntimeExecStartedFunc started,
				       gpointer started_data,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
TenderRuntimeExec *
tender_engine_exec_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error);
GHashTable *
tender_engine_get_call_details(TenderEngine *self,
			       const gchar *method,
			       const gchar *name,
			       GVariant *spec,
			       const gchar *json);

G_END_DECLS
