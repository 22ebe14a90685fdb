/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-plugin-private.h"

G_BEGIN_DECLS

/* the instance of a TenderPlugin: only for the files that make up TenderPlugin itself
 * (tender-plugin.c, tender-plugin-probe.c); the rest of tenderd goes through its functions */
struct _TenderPlugin {
	GObject parent_instance;
	gchar *filename;
	gchar *name;
	gchar *version;
	gchar *description;
	TenderPluginStatus status;
	gchar *status_message;
	GModule *module;
	const TenderPluginDescriptor *descriptor;
	gboolean initialized;
	TenderEngine *engine;
	const TenderConfig *config;
	TenderAuthority *authority;
	GDBusConnection *connection;
	gchar *state_dir;
	gchar *config_group;
	gpointer data;
	GDestroyNotify data_destroy;
	GPtrArray *dbus_objects; /* of TenderPluginDbusObject */
	GPtrArray *routes;	 /* of TenderPluginRoute */
	GPtrArray *services;	 /* of TenderService */
	GPtrArray *adapters;	 /* of const TenderAdapterVTable */
	GPtrArray *runtimes;	 /* of TenderPluginRuntime */
	GArray *watches;	 /* of TenderPluginWatch */
	guint next_watch_id;
	guint probe_id;	      /* the next probe of a deferred plugin */
	guint probe_delay_ms; /* the wait before the next probe, doubled each time */
	gboolean probing;     /* its probe is being called */
	gboolean probe_asked; /* it asked to be probed again, from within its probe */
	GHashTable *names;    /* bus names that trigger a probe → watch id (0: no bus yet) */
	/* its feature (tender-plugin-feature.c); its feature service is among its services */
	GPtrArray *http_aliases;	      /* of TenderPluginAlias */
	gpointer http_alias_cache;	      /* the HTTP mirror's form of them, or NULL */
	GDestroyNotify http_alias_cache_free; /* frees it */
	GPtrArray *peers;	    /* unowned: every plugin tenderd loads (the list's), or NULL */
	GPtrArray *reserved;	    /* of TenderPluginReserved: kept for the plugin's life */
	GPtrArray *feature_objects; /* of TenderService, below the feature service's object */
};

/* a deferred plugin's probes: after 1 s, then twice as long each time, up to 60 s */
#define TENDER_PLUGIN_PROBE_DELAY_MIN_MS 1000
#define TENDER_PLUGIN_PROBE_DELAY_MAX_MS 60000

G_END_DECLS
