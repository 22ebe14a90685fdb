/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-dbus-daemon.h"
#include "tender-dbus-service.h"
#include "tender-image-store.h"
#include "tender-plugin-list.h"
#include "tender-request.h"
#include "tender-service-list.h"

G_BEGIN_DECLS

/*
 * The D-Bus front-end's own parts: tender-dbus-daemon.c (the object, authorization, the
 * Manager's dispatch), tender-dbus-manager.c (the Manager's methods, ExecWorkload in
 * tender-dbus-exec.c), tender-dbus-workload.c
 * (the workload objects) and tender-dbus-plugins.c (the objects plugins put on the bus).
 */

struct _TenderDbusDaemon {
	GObject parent_instance;
	TenderEngine *engine;
	GDBusConnection *connection;
	GDBusNodeInfo *introspection;
	TenderAuthority *authority;
	guint manager_id;
	GHashTable *objects; /* TenderWorkload* → registration id */
	/* PropertiesChanged to send, one per workload per main-loop iteration: TenderWorkload*
	 * → GPtrArray of the (interned) names of its properties that changed meanwhile */
	GHashTable *changed;
	guint changed_id;
	gulong added_id;
	gulong removed_id;
	TenderPluginList *plugins;
	TenderAdapterList *adapters;
	/* the services the plugins declared, and the built-in ones: see tender-dbus-service.c */
	TenderDbusService *services;
	/* the image store, and its images' objects (tender-dbus-images.c) */
	TenderImageStore *images;
	TenderServiceList *image_services;
};

/* a Manager method, or Properties.Get of a workload, once authorized */
typedef void (*TenderDbusMethodFunc)(TenderDbusDaemon *self,
				     GDBusMethodInvocation *invocation,
				     TenderRequest *request);

/* tender-dbus-workload.c */
void
tender_dbus_daemon_flush_changed(TenderDbusDaemon *self);

/* tender-dbus-daemon.c */
void
tender_dbus_daemon_return_error(GDBusMethodInvocation *invocation, GError *error);
TenderRequest *
tender_dbus_daemon_request_new(GDBusMethodInvocation *invocation);
void
tender_dbus_daemon_authorize(TenderDbusDaemon *self,
			     GDBusMethodInvocation *invocation,
			     TenderRequest *request,
			     TenderEngine *engine,
			     TenderDbusMethodFunc func);

/* tender-dbus-workload.c */
void
tender_dbus_daemon_export_workload(TenderDbusDaemon *self, TenderWorkload *w);
void
tender_dbus_daemon_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data);
void
tender_dbus_daemon_workload_removed_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data);

/* tender-dbus-manager.c */
void
tender_dbus_daemon_create(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request);
void
tender_dbus_daemon_name_options(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request);
void
tender_dbus_daemon_name_only(TenderDbusDaemon *self,
			     GDBusMethodInvocation *invocation,
			     TenderRequest *request);
void
tender_dbus_daemon_get_metrics(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request);
void
tender_dbus_daemon_kill(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request);
void
tender_dbus_daemon_list(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request);
void
tender_dbus_daemon_get(TenderDbusDaemon *self,
		       GDBusMethodInvocation *invocation,
		       TenderRequest *request);
void
tender_dbus_daemon_export(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request);
void
tender_dbus_daemon_import(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request);
void
tender_dbus_daemon_get_logs(TenderDbusDaemon *self,
			    GDBusMethodInvocation *invocation,
			    TenderRequest *request);
void
tender_dbus_daemon_follow_logs(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request);
void
tender_dbus_daemon_list_plugins(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request);
void
tender_dbus_daemon_list_adapters(TenderDbusDaemon *self,
				 GDBusMethodInvocation *invocation,
				 TenderRequest *request);

/* tender-dbus-images.c */
void
tender_dbus_daemon_register_images(TenderDbusDaemon *self);
void
tender_dbus_daemon_import_image(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request);
void
tender_dbus_daemon_list_images(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request);
void
tender_dbus_daemon_remove_image(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request);
/* tender-dbus-exec.c */
void
tender_dbus_daemon_exec(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request);

/* tender-dbus-plugins.c */
void
tender_dbus_daemon_register_plugins(TenderDbusDaemon *self);
void
tender_dbus_daemon_unregister_plugins(TenderDbusDaemon *self);

G_END_DECLS
