/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-authority.h"
#include "tender-plugin-list.h"
#include "tender-service-list.h"

G_BEGIN_DECLS

#define TENDER_TYPE_DBUS_SERVICE (tender_dbus_service_get_type())
G_DECLARE_FINAL_TYPE(TenderDbusService, tender_dbus_service, TENDER, DBUS_SERVICE, GObject)

TenderDbusService *
tender_dbus_service_new(GDBusConnection *connection,
			TenderAuthority *authority,
			TenderPluginList *plugins);
void
tender_dbus_service_add_list(TenderDbusService *self, TenderServiceList *list);

G_END_DECLS
