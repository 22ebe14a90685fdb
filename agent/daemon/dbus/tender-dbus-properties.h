/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TenderDbusPropertyFunc:
 * @data: the caller's
 * @object: the object a call is for
 * @property: a property of its interface
 *
 * Returns: (transfer floating) (nullable): its value, or %NULL for no such property
 */
typedef GVariant *(*TenderDbusPropertyFunc)(gpointer data, gpointer object, const gchar *property);

void
tender_dbus_properties_return(GDBusMethodInvocation *invocation,
			      GDBusInterfaceInfo *iface,
			      TenderDbusPropertyFunc func,
			      gpointer data,
			      gpointer object);

G_END_DECLS
