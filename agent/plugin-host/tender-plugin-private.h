/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-authority.h"
#include "tender-config.h"
#include "tender-engine.h"
#include "tender-plugin.h"

G_BEGIN_DECLS

/*
 * The core's side of TenderPlugin: what the loader, the D-Bus daemon and the HTTP server use.
 * Plugins see only tender-plugin.h.  No libsoup here: the HTTP side of a plugin's routes is in
 * tender-plugin-request-private.h.
 */

typedef enum {
	TENDER_PLUGIN_STATUS_ACTIVE,
	TENDER_PLUGIN_STATUS_DISABLED,
	TENDER_PLUGIN_STATUS_FAILED,
	TENDER_PLUGIN_STATUS_DEFERRED,
} TenderPluginStatus;

/* the longest introspection XML, subpath and route a plugin may register */
#define TENDER_PLUGIN_XML_MAX	       (64 * 1024)
#define TENDER_PLUGIN_SUBPATH_MAX      128
#define TENDER_PLUGIN_DBUS_OBJECTS_MAX 1024
#define TENDER_PLUGIN_ROUTES_MAX       64
#define TENDER_PLUGIN_SERVICES_MAX     256

/* one object a plugin put on the bus */
typedef struct {
	TenderPlugin *plugin; /* unowned: the plugin outlives its objects */
	gchar *subpath;
	gchar *object_path;
	GDBusNodeInfo *node;
	GDBusInterfaceInfo *iface;
	GHashTable *actions; /* method name -> polkit action id */
	TenderPluginMethodFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
	guint registration_id; /* the D-Bus daemon's */
} TenderPluginDbusObject;

/* one HTTP route of a plugin */
typedef struct {
	gchar *method;
	gchar *path; /* below /v1/plugins/NAME/, '*' is one segment */
	gchar *action_id;
	TenderPluginRouteFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} TenderPluginRoute;

void
tender_plugin_dbus_object_free(TenderPluginDbusObject *obj);
void
tender_plugin_route_free(TenderPluginRoute *route);

TenderPlugin *
tender_plugin_new(const gchar *filename,
		  TenderEngine *engine,
		  const TenderConfig *config,
		  TenderAuthority *authority);
const gchar *
tender_plugin_get_filename(TenderPlugin *self);
const gchar *
tender_plugin_get_version(TenderPlugin *self);
const gchar *
tender_plugin_get_description(TenderPlugin *self);
TenderPluginStatus
tender_plugin_get_status(TenderPlugin *self);
const gchar *
tender_plugin_get_status_message(TenderPlugin *self);
gchar *
tender_plugin_get_status_string(TenderPlugin *self);
void
tender_plugin_set_descriptor(TenderPlugin *self,
			     GModule *module,
			     const TenderPluginDescriptor *descriptor);
void
tender_plugin_set_status(TenderPlugin *self, TenderPluginStatus status, const gchar *message);
void
tender_plugin_start(TenderPlugin *self);
void
tender_plugin_clear_registrations(TenderPlugin *self);
void
tender_plugin_announce_registrations(TenderPlugin *self);
void
tender_plugin_unwatch_names(TenderPlugin *self, gboolean forget);
void
tender_plugin_arm_names(TenderPlugin *self);
gboolean
tender_plugin_check_subpath_free(TenderPlugin *self,
				 const gchar *subpath,
				 GPtrArray *array,
				 guint max,
				 const gchar *what,
				 GError **error);
void
tender_plugin_add_registration(TenderPlugin *self,
			       GPtrArray *array,
			       gpointer item,
			       const gchar *signal_name);
gboolean
tender_plugin_remove_registration(TenderPlugin *self,
				  GPtrArray *array,
				  gpointer item,
				  guint index,
				  const gchar *signal_name,
				  const gchar *what,
				  const gchar *subpath,
				  GError **error);
gboolean
tender_plugin_get_initialized(TenderPlugin *self);
void
tender_plugin_log_status(TenderPlugin *self);
void
tender_plugin_shutdown_plugin(TenderPlugin *self);
void
tender_plugin_dispatch_state(TenderPlugin *self,
			     const gchar *workload,
			     const gchar *old_state,
			     const gchar *new_state,
			     const gchar *reason);
void
tender_plugin_set_connection(TenderPlugin *self, GDBusConnection *connection);
GDBusConnection *
tender_plugin_get_connection(TenderPlugin *self);
TenderEngine *
tender_plugin_get_engine(TenderPlugin *self);
/* tender-plugin-workload.c: whether @self owns workload @name, which it may manage */
gboolean
tender_plugin_check_owner(TenderPlugin *self, const gchar *name, GError **error);
GPtrArray *
tender_plugin_get_dbus_objects(TenderPlugin *self);
GPtrArray *
tender_plugin_get_routes(TenderPlugin *self);
GPtrArray *
tender_plugin_get_services(TenderPlugin *self);
GPtrArray *
tender_plugin_get_adapters(TenderPlugin *self);
GPtrArray *
tender_plugin_get_runtimes(TenderPlugin *self);
gboolean
tender_plugin_check_subpath(const gchar *subpath, GError **error);
GDBusNodeInfo *
tender_plugin_parse_interface(const gchar *xml, GError **error);
GDBusNodeInfo *
tender_plugin_parse_interface_full(const gchar *xml, gboolean properties, GError **error);
/* tender-plugin-feature-object.c: the objects below its feature service, of TenderService */
GPtrArray *
tender_plugin_get_feature_objects(TenderPlugin *self);
/* a TenderService, see tender-service.h */
struct _TenderService *
tender_plugin_lookup_service(TenderPlugin *self, const gchar *subpath);
TenderPluginDbusObject *
tender_plugin_find_dbus_object(TenderPlugin *self, const gchar *subpath, guint *index);

G_END_DECLS
