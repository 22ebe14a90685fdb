/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-plugin-private.h"
#include "tender-service.h"

G_BEGIN_DECLS

/* the most route aliases one plugin may register, and the longest pattern */
#define TENDER_PLUGIN_HTTP_ALIASES_MAX	     64
#define TENDER_PLUGIN_HTTP_ALIAS_PATTERN_MAX 256

/* one route alias a plugin registered (tender_plugin_add_http_aliases()) */
typedef struct {
	gchar *verb;
	gchar *pattern; /* as the plugin gave it, with {name} segments */
	gchar *route;	/* as the HTTP router matches it: '*' for each {name} */
	GStrv captures; /* the names of the '*' segments, in order */
	gchar *method;
	TenderPluginHttpAliasFlags flags;
	gchar *tag;	/* (nullable): the a{ss}'s "route" */
	gsize body_max; /* %TENDER_PLUGIN_HTTP_ALIAS_BYTES: the largest body; 0: the mirror's */
} TenderPluginAlias;

void
tender_plugin_alias_free(TenderPluginAlias *alias);

/* the most path prefixes one plugin may reserve (tender_plugin_reserve_http_paths()) */
#define TENDER_PLUGIN_HTTP_RESERVED_MAX 8

/* a path prefix a plugin reserved */
typedef struct {
	gchar *prefix; /* "/containers/" */
	TenderPluginHttpAliasFlags flags;
} TenderPluginReserved;

void
tender_plugin_reserved_free(TenderPluginReserved *reserved);
const TenderPluginReserved *
tender_plugin_lookup_reserved(TenderPlugin *self, const gchar *path);
gboolean
tender_plugin_check_feature_name(const gchar *name, GError **error);
TenderService *
tender_plugin_get_feature_service(TenderPlugin *self);
GPtrArray *
tender_plugin_get_http_aliases(TenderPlugin *self);
void
tender_plugin_clear_http_aliases(TenderPlugin *self);
gpointer
tender_plugin_get_http_alias_cache(TenderPlugin *self);
void
tender_plugin_set_http_alias_cache(TenderPlugin *self, gpointer cache, GDestroyNotify destroy);
void
tender_plugin_set_peers(TenderPlugin *self, GPtrArray *peers);

G_END_DECLS
