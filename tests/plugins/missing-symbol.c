/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin that needs a function this tenderd does not export (say, one of a newer API):
 * refused when it is loaded, not when it would first call it.
 */
#include <tender-plugin.h>

void
tender_plugin_from_the_future(TenderPlugin *plugin);

static gboolean
missing_init(TenderPlugin *plugin, GError **error)
{
	tender_plugin_from_the_future(plugin);
	return TRUE;
}

TENDER_PLUGIN_DEFINE("missing-symbol", "0.1", "needs a newer tenderd", missing_init, NULL)
