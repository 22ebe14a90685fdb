/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tender-plugin-list.h"
#include "tender-plugin-private.h"

G_BEGIN_DECLS

typedef enum {
	TENDER_HTTP_ROUTE_HEALTH,
	TENDER_HTTP_ROUTE_PROMETHEUS,
	TENDER_HTTP_ROUTE_EVENTS,
	TENDER_HTTP_ROUTE_LIST,
	TENDER_HTTP_ROUTE_CREATE,
	TENDER_HTTP_ROUTE_IMPORT,
	TENDER_HTTP_ROUTE_GET,
	TENDER_HTTP_ROUTE_REMOVE,
	TENDER_HTTP_ROUTE_EXPORT,
	TENDER_HTTP_ROUTE_START,
	TENDER_HTTP_ROUTE_STOP,
	TENDER_HTTP_ROUTE_KILL,
	TENDER_HTTP_ROUTE_PAUSE,
	TENDER_HTTP_ROUTE_RESUME,
	TENDER_HTTP_ROUTE_LOGS,
	TENDER_HTTP_ROUTE_METRICS,
	TENDER_HTTP_ROUTE_PLUGINS,
	TENDER_HTTP_ROUTE_PLUGIN,  /* a route a plugin registered */
	TENDER_HTTP_ROUTE_SERVICE, /* a method of a service a plugin declared */
	TENDER_HTTP_ROUTE_PROMETHEUS_ALL,
	TENDER_HTTP_ROUTE_ADAPTERS,
	TENDER_HTTP_ROUTE_ALIAS, /* another name of a method of a built-in service */
	TENDER_HTTP_ROUTE_IMAGES,
	TENDER_HTTP_ROUTE_IMAGE_IMPORT, /* its body is streamed: tender-http-images.c */
	TENDER_HTTP_ROUTE_IMAGE_GET,
	TENDER_HTTP_ROUTE_IMAGE_REMOVE,
	TENDER_HTTP_ROUTE_EXEC,
} TenderHttpRoute;

/* the route a request is for, found once when its headers are there */
typedef struct {
	TenderHttpRoute route;
	const gchar *dbus_method; /* whose authorization a core route needs; NULL: none */
	gchar *name;		  /* the '*' of a core route or alias: a workload, an object */
	/* TENDER_HTTP_ROUTE_PLUGIN */
	TenderPlugin *plugin;		 /* unowned: plugins live as long as tenderd */
	TenderPluginRoute *plugin_route; /* unowned: routes too */
	gchar *plugin_path;		 /* below the prefix and the plugin's name */
	GPtrArray *captures;		 /* the segments that matched the route's '*' */
	/* TENDER_HTTP_ROUTE_SERVICE (tender-http-service.c), with plugin; and, once found,
	 * the object of TENDER_HTTP_ROUTE_ALIAS */
	struct _TenderService *service;
	gchar *service_method;
	/* TENDER_HTTP_ROUTE_ALIAS (tender-http-alias.c): a row of a set (a plugin's: held),
	 * its '*' segments in captures */
	const struct _TenderHttpAlias *alias;
	const struct _TenderHttpAliasSet *alias_set;
} TenderHttpMatch;

void
tender_http_match_clear(TenderHttpMatch *match);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TenderHttpMatch, tender_http_match_clear)

typedef struct _TenderHttpRequest TenderHttpRequest;

const gchar *
tender_http_router_get_core_pattern(guint index);
gboolean
tender_http_router_match_path(const gchar *pattern, const gchar *path, GPtrArray *captures);
gboolean
tender_http_router_method_matches(const gchar *route, const gchar *method);
gboolean
tender_http_router_match_row(const gchar *verb,
			     const gchar *pattern,
			     const gchar *method,
			     const gchar *path,
			     GPtrArray *captures,
			     guint *status,
			     GString *allow);
gboolean
tender_http_router_match(TenderPluginList *plugins,
			 const gchar *method,
			 const gchar *path,
			 TenderHttpMatch *match,
			 guint *status,
			 GString *allow);
gboolean
tender_http_router_authenticate(TenderHttpRequest *req,
				SoupMessageHeaders *headers,
				const gchar *tokens,
				GError **error);
void
tender_http_router_authorize(TenderHttpRequest *req);

gchar *
tender_http_router_deferred_message(TenderPluginList *plugins, const gchar *path, gboolean *detail);

G_END_DECLS
