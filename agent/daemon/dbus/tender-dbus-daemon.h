/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-engine.h"
#include "tender-image-store.h"
#include "tender-plugin-list.h"

G_BEGIN_DECLS

#define TENDER_TYPE_DBUS_DAEMON (tender_dbus_daemon_get_type())
G_DECLARE_FINAL_TYPE(TenderDbusDaemon, tender_dbus_daemon, TENDER, DBUS_DAEMON, GObject)

#define TENDER_DBUS_NAME	   "org.tender.Agent1"
#define TENDER_DBUS_PATH	   "/org/tender/Agent1"
#define TENDER_DBUS_MANAGER_IFACE  "org.tender.Agent1.Manager"
#define TENDER_DBUS_WORKLOAD_IFACE "org.tender.Agent1.Workload"

TenderDbusDaemon *
tender_dbus_daemon_new(TenderEngine *engine, TenderAuthority *authority);
void
tender_dbus_daemon_set_plugins(TenderDbusDaemon *self, TenderPluginList *plugins);
gboolean
tender_dbus_daemon_register(TenderDbusDaemon *self, GDBusConnection *connection, GError **error);
void
tender_dbus_daemon_set_adapters(TenderDbusDaemon *self, TenderAdapterList *adapters);
void
tender_dbus_daemon_set_images(TenderDbusDaemon *self, TenderImageStore *images);

G_END_DECLS
