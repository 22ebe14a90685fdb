/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-config.h"

G_BEGIN_DECLS

/* the file under the state directory that keeps the workloads' addresses */
#define TENDER_NETWORK_STATE_FILE "network.json"

#define TENDER_TYPE_NETWORK_MANAGER (tender_network_manager_get_type())
G_DECLARE_FINAL_TYPE(TenderNetworkManager, tender_network_manager, TENDER, NETWORK_MANAGER, GObject)

TenderNetworkManager *
tender_network_manager_new(const gchar *state_dir,
			   const gchar *bridge,
			   const gchar *subnet,
			   const gchar *publish_address,
			   GError **error);
TenderNetworkManager *
tender_network_manager_new_for_config(const TenderConfig *config, GError **error);
gboolean
tender_network_manager_setup(TenderNetworkManager *self, GError **error);
gboolean
tender_network_manager_check_ports(TenderNetworkManager *self,
				   const gchar *workload,
				   GArray *ports,
				   GError **error);
void
tender_network_manager_attach_async(TenderNetworkManager *self,
				    const gchar *workload,
				    GPid pid,
				    GArray *ports,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gchar *
tender_network_manager_attach_finish(TenderNetworkManager *self, GAsyncResult *res, GError **error);
void
tender_network_manager_detach_async(TenderNetworkManager *self,
				    const gchar *workload,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_network_manager_detach_finish(TenderNetworkManager *self, GAsyncResult *res, GError **error);
gboolean
tender_network_manager_release(TenderNetworkManager *self, const gchar *workload, GError **error);
const gchar *
tender_network_manager_get_address(TenderNetworkManager *self, const gchar *workload);
const gchar *
tender_network_manager_get_bridge(TenderNetworkManager *self);
gchar *
tender_network_manager_get_gateway(TenderNetworkManager *self);

G_END_DECLS
