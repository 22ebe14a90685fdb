/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin built for an ABI this tenderd does not have: refused before its init runs.
 */
#include <tender-plugin.h>

static gboolean
bad_abi_init(TenderPlugin *plugin, GError **error)
{
	g_error("the init of a plugin with the wrong ABI must never run");
	return TRUE;
}

G_MODULE_EXPORT const TenderPluginDescriptor *
tender_plugin_describe(void);

const TenderPluginDescriptor *
tender_plugin_describe(void)
{
	static const TenderPluginDescriptor descriptor = {
	    99,
	    (guint32)sizeof(TenderPluginDescriptor),
	    "bad-abi",
	    "0.1",
	    "built for another ABI",
	    bad_abi_init,
	    NULL,
	    NULL,
	    {NULL},
	};
	return &descriptor;
}
