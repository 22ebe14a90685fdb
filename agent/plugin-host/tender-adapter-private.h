/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-adapter.h"
#include "tender-engine.h"
#include "tender-service.h"

G_BEGIN_DECLS

/* the longest instance name: its workload, "adapter-NAME", must be a valid workload name */
#define TENDER_ADAPTER_INSTANCE_MAX (TENDER_NAME_MAX - 8)
/* the largest start or update payload, as JSON text */
#define TENDER_ADAPTER_PAYLOAD_MAX (256 * 1024)
/* how many operations of one instance may wait for the one under way */
#define TENDER_ADAPTER_QUEUE_MAX 16
/* how many Prometheus lines of an adapter are kept */
#define TENDER_ADAPTER_PROMETHEUS_LINES_MAX 10000

/* the counters of a network namespace, summed over its interfaces */
typedef struct {
	guint64 bytes_sent;
	guint64 bytes_recv;
	guint64 packets_sent;
	guint64 packets_recv;
} TenderAdapterNetCounters;

/**
 * TenderAdapterConfig:
 * @type: the adapter class ([adapter] type)
 * @primary_payload_key: the key every start payload needs
 * @run_as_user: (nullable): the workload's user; %NULL: root
 * @root_api: whether the instance also answers on /api/... and /metrics
 * @limits: an a{sv} of spec keys from [limits]
 *
 * An instance file, parsed and checked.
 */
typedef struct {
	gchar *type;
	gchar *primary_payload_key;
	gchar *run_as_user;
	gboolean root_api;
	GVariant *limits;
} TenderAdapterConfig;

TenderAdapterConfig *
tender_adapter_config_new_from_keyfile(GKeyFile *keyfile, const gchar *path, GError **error);
void
tender_adapter_config_free(TenderAdapterConfig *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderAdapterConfig, tender_adapter_config_free)

GVariant *
tender_adapter_config_build_spec(TenderAdapterConfig *config,
				 const gchar *name,
				 GVariant *class_spec,
				 GVariant *pre_start,
				 GVariant *post_stop,
				 GError **error);
JsonObject *
tender_adapter_payload_load(const gchar *name, const gchar *path);
gboolean
tender_adapter_payload_write(const gchar *name,
			     const gchar *path,
			     JsonObject *payload,
			     GError **error);

gboolean
tender_adapter_check_payload(JsonObject *payload, const gchar *primary_key, GError **error);
JsonObject *
tender_adapter_payload_from_json(const gchar *text, GError **error);
JsonObject *
tender_adapter_payload_from_variant(GVariant *value, GError **error);
const gchar *
tender_adapter_update_result_to_string(TenderAdapterUpdateResult result);
gchar *
tender_adapter_render_prometheus(const gchar *instance, JsonObject *metrics);
gboolean
tender_adapter_prometheus_check_line(const gchar *line, GError **error);
GStrv
tender_adapter_prometheus_filter(const gchar *const *lines, guint *n_dropped, gchar **why);
gchar *
tender_adapter_render_container(JsonObject *metrics, const gchar *const *lines);
gboolean
tender_adapter_metrics_parse_net_dev(const gchar *text,
				     TenderAdapterNetCounters *counters,
				     GError **error);
gboolean
tender_adapter_metrics_parse_meminfo(const gchar *text,
				     guint64 *total,
				     guint64 *available,
				     GError **error);
JsonObject *
tender_adapter_metrics_system(gdouble cpu_percent_of_one,
			      guint n_cpus,
			      guint64 used,
			      guint64 limit,
			      guint64 mem_total,
			      guint64 mem_available);

TenderAdapter *
tender_adapter_new(TenderEngine *engine,
		   const TenderAdapterVTable *klass,
		   const gchar *name,
		   const gchar *path,
		   GKeyFile *keyfile,
		   TenderAdapterConfig *config,
		   const gchar *state_dir,
		   GError **error);
const TenderAdapterVTable *
tender_adapter_get_vtable(TenderAdapter *self);
const gchar *
tender_adapter_get_type_name(TenderAdapter *self);
const gchar *
tender_adapter_get_object_path(TenderAdapter *self);
const gchar *
tender_adapter_get_run_as_user(TenderAdapter *self);
const gchar *
tender_adapter_get_primary_payload_key(TenderAdapter *self);
gboolean
tender_adapter_get_root_api(TenderAdapter *self);

void
tender_adapter_start_async(TenderAdapter *self,
			   JsonObject *payload,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean
tender_adapter_start_finish(TenderAdapter *self, GAsyncResult *res, GError **error);
void
tender_adapter_update_async(TenderAdapter *self,
			    JsonObject *payload,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
tender_adapter_update_finish(TenderAdapter *self,
			     GAsyncResult *res,
			     TenderAdapterUpdateResult *result,
			     GError **error);
void
tender_adapter_stop_async(TenderAdapter *self,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
gboolean
tender_adapter_stop_finish(TenderAdapter *self, GAsyncResult *res, GError **error);
void
tender_adapter_get_metrics_async(TenderAdapter *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
JsonObject *
tender_adapter_get_metrics_finish(TenderAdapter *self, GAsyncResult *res, GError **error);
void
tender_adapter_get_prometheus_async(TenderAdapter *self,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
JsonObject *
tender_adapter_get_prometheus_finish(TenderAdapter *self,
				     GAsyncResult *res,
				     GStrv *lines,
				     GError **error);
JsonObject *
tender_adapter_get_health(TenderAdapter *self);
const gchar *
tender_adapter_get_app_status(TenderAdapter *self);

const TenderServiceMethod *
tender_adapter_service_get_methods(void);
TenderService *
tender_adapter_service_new(TenderAdapter *adapter, GDBusInterfaceInfo *iface, GError **error);

G_END_DECLS
