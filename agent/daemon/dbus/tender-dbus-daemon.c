/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-plugin-list.h"
#include "tender-plugin-private.h"
#include "tender-request.h"
#include "tender-dbus-daemon.h"
#include "tender-dbus-properties.h"
#include "tender-dbus-service.h"
#include "tender-error.h"
#include "tender-resources.h"

/*
 * TenderDbusDaemon is the D-Bus front-end: it exports the Manager and one object per
 * workload, authorizes each call, turns messages into engine requests and engine answers into
 * replies.  It holds no workload logic of its own.
 */

struct _TenderDbusDaemon {
	GObject parent_instance;
	TenderEngine *engine;
	GDBusConnection *connection;
	GDBusNodeInfo *introspection;
	TenderAuthority *authority;
	guint manager_id;
	GHashTable *objects; /* TenderWorkload* → registration id */
	gulong added_id;
	gulong removed_id;
	TenderPluginList *plugins;
	TenderAdapterList *adapters;
	/* the services the plugins declared, and the built-in ones: see tender-dbus-service.c */
	TenderDbusService *services;
};

G_DEFINE_TYPE(TenderDbusDaemon, tender_dbus_daemon, G_TYPE_OBJECT)

typedef void (*TenderDbusMethodFunc)(TenderDbusDaemon *self,
				     GDBusMethodInvocation *invocation,
				     TenderRequest *request);

typedef struct {
	TenderDbusDaemon *self;
	GDBusMethodInvocation *invocation;
	TenderDbusMethodFunc func;
} TenderDbusAuthHelper;

static void
tender_dbus_auth_helper_free(TenderDbusAuthHelper *helper)
{
	g_object_unref(helper->self);
	g_object_unref(helper->invocation);
	g_free(helper);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusAuthHelper, tender_dbus_auth_helper_free)

static void
tender_dbus_daemon_return_error(GDBusMethodInvocation *invocation, GError *error)
{
	tender_error_convert(&error);
	g_dbus_method_invocation_return_gerror(invocation, error);
}

/* --- authorization --- */

/* every call is authorized, asynchronously, before the engine sees it */
static void
tender_dbus_daemon_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDbusAuthHelper) helper = user_data;
	GError *error = NULL;

	if (!tender_request_authorize_finish(TENDER_REQUEST(source), res, &error)) {
		tender_dbus_daemon_return_error(helper->invocation, error);
		return;
	}
	helper->func(helper->self, helper->invocation, TENDER_REQUEST(source));
}

/* the request a call makes: the caller is the sender, who may allow interaction in the call */
static TenderRequest *
tender_dbus_daemon_request_new(GDBusMethodInvocation *invocation)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	g_autoptr(TenderAuthoritySubject) subject =
	    tender_authority_subject_new_bus_name(sender != NULL ? sender : "");

	return tender_request_new(subject,
				  (g_dbus_message_get_flags(message) &
				   G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0);
}

/* runs @func once the caller is allowed what @request asks, by the one request path */
static void
tender_dbus_daemon_authorize(TenderDbusDaemon *self,
			     GDBusMethodInvocation *invocation,
			     TenderRequest *request,
			     TenderEngine *engine,
			     TenderDbusMethodFunc func)
{
	g_autoptr(TenderDbusAuthHelper) helper = NULL;

	if (g_dbus_method_invocation_get_sender(invocation) == NULL) {
		/* a peer-to-peer connection: whoever could connect is trusted */
		func(self, invocation, request);
		return;
	}
	helper = g_new0(TenderDbusAuthHelper, 1);
	helper->self = g_object_ref(self);
	helper->invocation = g_object_ref(invocation);
	helper->func = func;
	tender_request_authorize_async(request,
				       self->authority,
				       engine,
				       NULL,
				       tender_dbus_daemon_authorize_cb,
				       g_steal_pointer(&helper));
}

/* --- workload objects --- */

static GVariant *
tender_dbus_daemon_workload_property(gpointer data, gpointer object, const gchar *property)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(data);
	return tender_engine_get_workload_property(self->engine, TENDER_WORKLOAD(object), property);
}

/* Properties.Get or GetAll of a workload, once authorized */
static void
tender_dbus_daemon_workload_properties(TenderDbusDaemon *self,
				       GDBusMethodInvocation *invocation,
				       TenderRequest *request)
{
	tender_dbus_properties_return(invocation,
				      g_dbus_node_info_lookup_interface(self->introspection,
									TENDER_DBUS_WORKLOAD_IFACE),
				      tender_dbus_daemon_workload_property,
				      self,
				      g_dbus_method_invocation_get_user_data(invocation));
}

/*
 * The workload vtable has no get_property, so GDBus hands Properties.Get and GetAll (already
 * checked against the XML) to this method_call: they need org.tender.workloads.read, like
 * GetWorkload, and polkit is asked asynchronously.
 */
static void
tender_dbus_daemon_workload_method_call(GDBusConnection *connection,
					const gchar *sender,
					const gchar *object_path,
					const gchar *interface_name,
					const gchar *method_name,
					GVariant *parameters,
					GDBusMethodInvocation *invocation,
					gpointer user_data)
{
	TenderWorkload *w = TENDER_WORKLOAD(user_data);
	TenderDbusDaemon *self = g_object_get_data(G_OBJECT(w), "tender-dbus-daemon");
	g_autoptr(TenderRequest) request = NULL;

	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") != 0 ||
	    (g_strcmp0(method_name, "Get") != 0 && g_strcmp0(method_name, "GetAll") != 0)) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_METHOD,
						      "No method %s",
						      method_name);
		return;
	}
	request = tender_dbus_daemon_request_new(invocation);
	tender_request_set_method_action(request, method_name, TENDER_AUTHORITY_ACTION_READ);
	tender_request_set_workload(request, tender_workload_get_name(w));
	tender_dbus_daemon_authorize(self,
				     invocation,
				     request,
				     self->engine,
				     tender_dbus_daemon_workload_properties);
}

static void
tender_dbus_daemon_workload_changed_cb(TenderWorkload *w, const gchar *property, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	GVariantBuilder changed;
	g_autoptr(GError) error = NULL;

	g_variant_builder_init(&changed, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&changed,
			      "{sv}",
			      property,
			      tender_engine_get_workload_property(self->engine, w, property));
	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   tender_workload_get_object_path(w),
					   "org.freedesktop.DBus.Properties",
					   "PropertiesChanged",
					   g_variant_new("(sa{sv}as)",
							 TENDER_DBUS_WORKLOAD_IFACE,
							 &changed,
							 NULL),
					   &error))
		g_warning("cannot emit PropertiesChanged: %s", error->message);
}

static void
tender_dbus_daemon_workload_state_changed_cb(TenderWorkload *w,
					     guint old_state,
					     guint new_state,
					     const gchar *reason,
					     gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	g_autoptr(GError) error = NULL;

	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   TENDER_DBUS_PATH,
					   TENDER_DBUS_MANAGER_IFACE,
					   "WorkloadStateChanged",
					   g_variant_new("(ssss)",
							 tender_workload_get_name(w),
							 tender_state_to_string(
							     (TenderState)old_state),
							 tender_state_to_string(
							     (TenderState)new_state),
							 reason),
					   &error))
		g_warning("cannot emit WorkloadStateChanged: %s", error->message);
}

static const GDBusInterfaceVTable tender_dbus_daemon_workload_vtable = {
    .method_call = tender_dbus_daemon_workload_method_call,
};

static void
tender_dbus_daemon_export_workload(TenderDbusDaemon *self, TenderWorkload *w)
{
	g_autoptr(GError) error = NULL;
	GDBusInterfaceInfo *iface =
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_DBUS_WORKLOAD_IFACE);
	guint id;

	g_object_set_data(G_OBJECT(w), "tender-dbus-daemon", self);
	id = g_dbus_connection_register_object(self->connection,
					       tender_workload_get_object_path(w),
					       iface,
					       &tender_dbus_daemon_workload_vtable,
					       g_object_ref(w),
					       g_object_unref,
					       &error);
	if (id == 0) {
		g_warning("cannot export %s: %s",
			  tender_workload_get_object_path(w),
			  error->message);
		return;
	}
	g_hash_table_insert(self->objects, g_object_ref(w), GUINT_TO_POINTER(id));
	g_signal_connect_object(w,
				"changed",
				G_CALLBACK(tender_dbus_daemon_workload_changed_cb),
				self,
				0);
	g_signal_connect_object(w,
				"state-changed",
				G_CALLBACK(tender_dbus_daemon_workload_state_changed_cb),
				self,
				0);
}

static void
tender_dbus_daemon_emit_manager_signal(TenderDbusDaemon *self,
				       const gchar *signal,
				       TenderWorkload *w)
{
	g_autoptr(GError) error = NULL;
	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   TENDER_DBUS_PATH,
					   TENDER_DBUS_MANAGER_IFACE,
					   signal,
					   g_variant_new("(so)",
							 tender_workload_get_name(w),
							 tender_workload_get_object_path(w)),
					   &error))
		g_warning("cannot emit %s: %s", signal, error->message);
}

static void
tender_dbus_daemon_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	tender_dbus_daemon_export_workload(self, w);
	tender_dbus_daemon_emit_manager_signal(self, "WorkloadNew", w);
}

static void
tender_dbus_daemon_workload_removed_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	gpointer id = NULL;

	if (g_hash_table_lookup_extended(self->objects, w, NULL, &id)) {
		g_dbus_connection_unregister_object(self->connection, GPOINTER_TO_UINT(id));
		g_signal_handlers_disconnect_by_data(w, self);
		g_hash_table_remove(self->objects, w);
	}
	tender_dbus_daemon_emit_manager_signal(self, "WorkloadRemoved", w);
}

/* --- manager methods --- */

static void
tender_dbus_daemon_create(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request)
{
	const gchar *name = NULL;
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(GVariant) options = NULL;
	GError *error = NULL;
	TenderWorkload *w;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv}@a{sv})",
		      &name,
		      &spec,
		      &options);
	w = tender_engine_create_workload(self->engine, name, spec, options, &error);
	if (w == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(o)",
							    tender_workload_get_object_path(w)));
}

typedef void (*TenderEngineAsyncFunc)(TenderEngine *engine,
				      const gchar *name,
				      GVariant *options,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
typedef gboolean (*TenderEngineFinishFunc)(TenderEngine *engine, GAsyncResult *res, GError **error);

/* the methods that take (s name, a{sv} options), return nothing, and finish asynchronously */
static const struct {
	const gchar *method;
	TenderEngineAsyncFunc async;
	TenderEngineFinishFunc finish;
} tender_dbus_daemon_async_methods[] = {
    {"StartWorkload", tender_engine_start_workload_async, tender_engine_start_workload_finish},
    {"StopWorkload", tender_engine_stop_workload_async, tender_engine_stop_workload_finish},
    {"RemoveWorkload", tender_engine_remove_workload_async, tender_engine_remove_workload_finish},
};

typedef struct {
	GDBusMethodInvocation *invocation;
	TenderEngineFinishFunc finish;
} TenderDbusAsyncCall;

static void
tender_dbus_daemon_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDbusAsyncCall *call = user_data;
	g_autoptr(GDBusMethodInvocation) invocation = call->invocation;
	GError *error = NULL;
	gboolean ok = call->finish(TENDER_ENGINE(source), res, &error);

	g_free(call);
	if (!ok) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
tender_dbus_daemon_name_options(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request)
{
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	const gchar *name = NULL;
	g_autoptr(GVariant) options = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv})",
		      &name,
		      &options);
	for (guint i = 0; i < G_N_ELEMENTS(tender_dbus_daemon_async_methods); i++) {
		TenderDbusAsyncCall *call;
		if (g_strcmp0(method, tender_dbus_daemon_async_methods[i].method) != 0)
			continue;
		call = g_new0(TenderDbusAsyncCall, 1);
		call->invocation = g_object_ref(invocation);
		call->finish = tender_dbus_daemon_async_methods[i].finish;
		tender_dbus_daemon_async_methods[i]
		    .async(self->engine, name, options, NULL, tender_dbus_daemon_async_cb, call);
		return;
	}
	g_assert_not_reached();
}

typedef void (*TenderEngineNameAsyncFunc)(TenderEngine *engine,
					  const gchar *name,
					  GCancellable *cancellable,
					  GAsyncReadyCallback callback,
					  gpointer user_data);

/* the methods that take (s name), return nothing, and finish asynchronously */
static const struct {
	const gchar *method;
	TenderEngineNameAsyncFunc async;
	TenderEngineFinishFunc finish;
} tender_dbus_daemon_name_async_methods[] = {
    {"PauseWorkload", tender_engine_pause_workload_async, tender_engine_pause_workload_finish},
    {"ResumeWorkload", tender_engine_resume_workload_async, tender_engine_resume_workload_finish},
};

static void
tender_dbus_daemon_name_only(TenderDbusDaemon *self,
			     GDBusMethodInvocation *invocation,
			     TenderRequest *request)
{
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	const gchar *name = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	for (guint i = 0; i < G_N_ELEMENTS(tender_dbus_daemon_name_async_methods); i++) {
		TenderDbusAsyncCall *call;
		if (g_strcmp0(method, tender_dbus_daemon_name_async_methods[i].method) != 0)
			continue;
		call = g_new0(TenderDbusAsyncCall, 1);
		call->invocation = g_object_ref(invocation);
		call->finish = tender_dbus_daemon_name_async_methods[i].finish;
		tender_dbus_daemon_name_async_methods[i].async(self->engine,
							       name,
							       NULL,
							       tender_dbus_daemon_async_cb,
							       call);
		return;
	}
	g_assert_not_reached();
}

static void
tender_dbus_daemon_get_metrics(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	const gchar *name = NULL;
	GError *error = NULL;
	GVariant *metrics;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	metrics = tender_engine_get_metrics(self->engine, name, &error);
	if (metrics == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&metrics, 1));
}

static void
tender_dbus_daemon_kill(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request)
{
	const gchar *name = NULL;
	gint32 signo = 0;
	GError *error = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&si)", &name, &signo);
	if (!tender_engine_kill_workload(self->engine, name, signo, &error)) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
tender_dbus_daemon_list(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request)
{
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(self->engine);
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(ssso)"));
	for (guint i = 0; i < workloads->len; i++) {
		TenderWorkload *w = g_ptr_array_index(workloads, i);
		g_variant_builder_add(&builder,
				      "(ssso)",
				      tender_workload_get_name(w),
				      tender_state_to_string(tender_workload_get_state(w)),
				      tender_workload_get_unit(w),
				      tender_workload_get_object_path(w));
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(a(ssso))", &builder));
}

static void
tender_dbus_daemon_get(TenderDbusDaemon *self,
		       GDBusMethodInvocation *invocation,
		       TenderRequest *request)
{
	const gchar *name = NULL;
	GError *error = NULL;
	TenderWorkload *w;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	w = tender_engine_get_workload(self->engine, name, &error);
	if (w == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(o)",
							    tender_workload_get_object_path(w)));
}

static void
tender_dbus_daemon_export(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request)
{
	const gchar *name = NULL;
	GError *error = NULL;
	g_autofree gchar *json = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	json = tender_engine_export_workload(self->engine, name, &error);
	if (json == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(s)", json));
}

static void
tender_dbus_daemon_import(TenderDbusDaemon *self,
			  GDBusMethodInvocation *invocation,
			  TenderRequest *request)
{
	const gchar *json = NULL;
	g_autoptr(GVariant) options = NULL;
	GError *error = NULL;
	TenderWorkload *w;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv})",
		      &json,
		      &options);
	w = tender_engine_import_workload(self->engine, json, options, &error);
	if (w == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(o)",
							    tender_workload_get_object_path(w)));
}

static void
tender_dbus_daemon_get_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	g_autoptr(GVariant) entries = NULL;
	GError *error = NULL;

	entries = tender_engine_get_logs_finish(TENDER_ENGINE(source), res, &error);
	if (entries == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(@aa{sv})", entries));
}

static void
tender_dbus_daemon_get_logs(TenderDbusDaemon *self,
			    GDBusMethodInvocation *invocation,
			    TenderRequest *request)
{
	const gchar *name = NULL;
	g_autoptr(GVariant) options = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv})",
		      &name,
		      &options);
	tender_engine_get_logs_async(self->engine,
				     name,
				     options,
				     NULL,
				     tender_dbus_daemon_get_logs_cb,
				     g_object_ref(invocation));
}

static void
tender_dbus_daemon_follow_logs(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	GDBusConnection *connection = g_dbus_method_invocation_get_connection(invocation);
	const gchar *name = NULL;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	GError *error = NULL;
	gint fd = -1;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv})",
		      &name,
		      &options);
	if ((g_dbus_connection_get_capabilities(connection) &
	     G_DBUS_CAPABILITY_FLAGS_UNIX_FD_PASSING) == 0) {
		g_dbus_method_invocation_return_error_literal(
		    invocation,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "This connection cannot pass file descriptors, which FollowLogs needs");
		return;
	}
	if (!tender_engine_follow_logs(self->engine, name, options, &fd, &error)) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	/* the list owns the descriptor from here, and closes it once the reply is sent */
	fd_list = g_unix_fd_list_new_from_array(&fd, 1);
	g_dbus_method_invocation_return_value_with_unix_fd_list(invocation,
								g_variant_new("(h)", 0),
								fd_list);
}

/* --- plugins --- */

static void
tender_dbus_daemon_list_plugins(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request)
{
	GVariant *list = self->plugins != NULL
			     ? tender_plugin_list_to_variant(self->plugins)
			     : g_variant_new_array(G_VARIANT_TYPE("(sss)"), NULL, 0);
	g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&list, 1));
}

/* the object a plugin registered at @object_path, if it is still there */
static TenderPluginDbusObject *
tender_dbus_daemon_find_plugin_object(TenderDbusDaemon *self, const gchar *object_path)
{
	GPtrArray *plugins = tender_plugin_list_get_plugins(self->plugins);

	for (guint i = 0; i < plugins->len; i++) {
		GPtrArray *objects = tender_plugin_get_dbus_objects(g_ptr_array_index(plugins, i));
		for (guint j = 0; j < objects->len; j++) {
			TenderPluginDbusObject *obj = g_ptr_array_index(objects, j);
			if (g_strcmp0(obj->object_path, object_path) == 0)
				return obj;
		}
	}
	return NULL;
}

typedef struct {
	TenderDbusDaemon *self;
	GDBusMethodInvocation *invocation;
	TenderAuthoritySubject *caller;
} TenderDbusPluginCall;

static void
tender_dbus_plugin_call_free(TenderDbusPluginCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	tender_authority_subject_free(call->caller);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusPluginCall, tender_dbus_plugin_call_free)

/* hands an authorized call, with its caller's uid, to the plugin */
static void
tender_dbus_daemon_plugin_dispatch(TenderDbusPluginCall *call)
{
	const gchar *path = g_dbus_method_invocation_get_object_path(call->invocation);
	TenderPluginDbusObject *obj = tender_dbus_daemon_find_plugin_object(call->self, path);

	if (obj == NULL) {
		g_dbus_method_invocation_return_error(call->invocation,
						      TENDER_ERROR,
						      TENDER_ERROR_NOT_FOUND,
						      "The object %s went away",
						      path);
		return;
	}
	obj->func(obj->plugin, call->caller, g_object_ref(call->invocation), obj->user_data);
}

/* authorized: the plugin gets the caller with its uid, which plugins may key their state on */
static void
tender_dbus_daemon_plugin_call(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	g_autoptr(TenderDbusPluginCall) call = g_new0(TenderDbusPluginCall, 1);

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	if (g_dbus_method_invocation_get_sender(invocation) == NULL) {
		/* a peer-to-peer connection: the peer is trusted, as tenderd's own user */
		call->caller = tender_authority_subject_new_uid((guint32)getuid());
	} else {
		call->caller = tender_authority_subject_copy(tender_request_get_subject(request));
	}
	tender_dbus_daemon_plugin_dispatch(call);
}

static void
tender_dbus_daemon_plugin_method_call(GDBusConnection *connection,
				      const gchar *sender,
				      const gchar *object_path,
				      const gchar *interface_name,
				      const gchar *method_name,
				      GVariant *parameters,
				      GDBusMethodInvocation *invocation,
				      gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = tender_dbus_daemon_find_plugin_object(self, object_path);
	g_autoptr(TenderRequest) request = NULL;
	const gchar *action;

	/* plugin interfaces have no properties (tender_plugin_add_dbus_object refuses them) */
	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") == 0) {
		if (g_strcmp0(method_name, "GetAll") == 0) {
			g_dbus_method_invocation_return_value(invocation,
							      g_variant_new_parsed("(@a{sv} {},)"));
			return;
		}
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_PROPERTY,
						      "%s has no properties",
						      interface_name);
		return;
	}
	action = obj != NULL ? g_hash_table_lookup(obj->actions, method_name) : NULL;
	if (action == NULL) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_METHOD,
						      "No method %s",
						      method_name);
		return;
	}
	request = tender_dbus_daemon_request_new(invocation);
	tender_request_set_method_action(request, method_name, action);
	tender_request_set_detail(request, "plugin", tender_plugin_get_name(obj->plugin));
	tender_request_set_detail(request, "object_path", object_path);
	tender_dbus_daemon_authorize(self,
				     invocation,
				     request,
				     NULL,
				     tender_dbus_daemon_plugin_call);
}

static const GDBusInterfaceVTable tender_dbus_daemon_plugin_vtable = {
    .method_call = tender_dbus_daemon_plugin_method_call,
};

static void
tender_dbus_daemon_plugin_object_added_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = data;
	g_autoptr(GError) error = NULL;

	obj->registration_id = g_dbus_connection_register_object(self->connection,
								 obj->object_path,
								 obj->iface,
								 &tender_dbus_daemon_plugin_vtable,
								 self,
								 NULL,
								 &error);
	if (obj->registration_id == 0)
		g_warning("plugin %s: cannot export %s: %s",
			  tender_plugin_get_name(plugin),
			  obj->object_path,
			  error->message);
}

static void
tender_dbus_daemon_plugin_object_removed_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = data;

	if (obj->registration_id != 0)
		g_dbus_connection_unregister_object(self->connection, obj->registration_id);
	obj->registration_id = 0;
}

/* puts the objects of every active plugin on the bus, now and as they come */
static void
tender_dbus_daemon_register_plugins(TenderDbusDaemon *self)
{
	GPtrArray *plugins;

	if (self->plugins == NULL)
		return;
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		GPtrArray *objects = tender_plugin_get_dbus_objects(plugin);

		/* a deferred plugin may become active later: its objects come then */
		if (tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_ACTIVE &&
		    tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_DEFERRED)
			continue;
		tender_plugin_set_connection(plugin, self->connection);
		for (guint j = 0; j < objects->len; j++)
			tender_dbus_daemon_plugin_object_added_cb(plugin,
								  g_ptr_array_index(objects, j),
								  self);
		g_signal_connect_object(plugin,
					"dbus-object-added",
					G_CALLBACK(tender_dbus_daemon_plugin_object_added_cb),
					self,
					0);
		g_signal_connect_object(plugin,
					"dbus-object-removed",
					G_CALLBACK(tender_dbus_daemon_plugin_object_removed_cb),
					self,
					0);
	}
}

static void
tender_dbus_daemon_unregister_plugins(TenderDbusDaemon *self)
{
	GPtrArray *plugins;

	if (self->plugins == NULL || self->connection == NULL)
		return;
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		GPtrArray *objects = tender_plugin_get_dbus_objects(plugin);

		g_signal_handlers_disconnect_by_data(plugin, self);
		for (guint j = 0; j < objects->len; j++)
			tender_dbus_daemon_plugin_object_removed_cb(plugin,
								    g_ptr_array_index(objects, j),
								    self);
		tender_plugin_set_connection(plugin, NULL);
	}
}

/**
 * tender_dbus_daemon_set_plugins:
 * @self: a #TenderDbusDaemon
 * @plugins: the loaded plugins
 *
 * Serves ListPlugins and the plugins' objects.  Call before tender_dbus_daemon_register().
 */
void
tender_dbus_daemon_set_plugins(TenderDbusDaemon *self, TenderPluginList *plugins)
{
	g_return_if_fail(TENDER_IS_DBUS_DAEMON(self));
	g_set_object(&self->plugins, plugins);
}

/* --- adapter instances: org.tender.Agent1.Adapter is a built-in service --- */

static void
tender_dbus_daemon_list_adapters(TenderDbusDaemon *self,
				 GDBusMethodInvocation *invocation,
				 TenderRequest *request)
{
	GVariant *list = self->adapters != NULL
			     ? tender_adapter_list_to_variant(self->adapters)
			     : g_variant_new_array(G_VARIANT_TYPE("(sso)"), NULL, 0);
	g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&list, 1));
}

/**
 * tender_dbus_daemon_set_adapters:
 * @self: a #TenderDbusDaemon
 * @adapters: the adapter instances to export
 *
 * Serves ListAdapters, and the instances' objects (built-in services, see
 * tender-dbus-service.c).  Call before tender_dbus_daemon_register().
 */
void
tender_dbus_daemon_set_adapters(TenderDbusDaemon *self, TenderAdapterList *adapters)
{
	g_return_if_fail(TENDER_IS_DBUS_DAEMON(self));
	g_set_object(&self->adapters, adapters);
}

static const struct {
	const gchar *name;
	TenderDbusMethodFunc func;
} tender_dbus_daemon_methods[] = {
    {"ExportWorkload", tender_dbus_daemon_export},
    {"ImportWorkload", tender_dbus_daemon_import},
    {"CreateWorkload", tender_dbus_daemon_create},
    {"StartWorkload", tender_dbus_daemon_name_options},
    {"StopWorkload", tender_dbus_daemon_name_options},
    {"KillWorkload", tender_dbus_daemon_kill},
    {"RemoveWorkload", tender_dbus_daemon_name_options},
    {"ListWorkloads", tender_dbus_daemon_list},
    {"GetWorkload", tender_dbus_daemon_get},
    {"GetLogs", tender_dbus_daemon_get_logs},
    {"FollowLogs", tender_dbus_daemon_follow_logs},
    {"PauseWorkload", tender_dbus_daemon_name_only},
    {"ResumeWorkload", tender_dbus_daemon_name_only},
    {"GetMetrics", tender_dbus_daemon_get_metrics},
    {"ListPlugins", tender_dbus_daemon_list_plugins},
    {"ListAdapters", tender_dbus_daemon_list_adapters},
};

static void
tender_dbus_daemon_manager_method_call(GDBusConnection *connection,
				       const gchar *sender,
				       const gchar *object_path,
				       const gchar *interface_name,
				       const gchar *method_name,
				       GVariant *parameters,
				       GDBusMethodInvocation *invocation,
				       gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	g_autoptr(TenderRequest) request = tender_dbus_daemon_request_new(invocation);

	for (guint i = 0; i < G_N_ELEMENTS(tender_dbus_daemon_methods); i++) {
		if (g_strcmp0(method_name, tender_dbus_daemon_methods[i].name) != 0)
			continue;
		if (!tender_request_set_manager_call(request, method_name, parameters, NULL))
			break;
		tender_dbus_daemon_authorize(self,
					     invocation,
					     request,
					     self->engine,
					     tender_dbus_daemon_methods[i].func);
		return;
	}
	g_dbus_method_invocation_return_error(invocation,
					      G_DBUS_ERROR,
					      G_DBUS_ERROR_UNKNOWN_METHOD,
					      "No method %s",
					      method_name);
}

static GVariant *
tender_dbus_daemon_manager_get_property(GDBusConnection *connection,
					const gchar *sender,
					const gchar *object_path,
					const gchar *interface_name,
					const gchar *property_name,
					GError **error,
					gpointer user_data)
{
	if (g_strcmp0(property_name, "Version") == 0)
		return g_variant_new_string(PACKAGE_VERSION);
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    "No property %s",
		    property_name);
	return NULL;
}

static const GDBusInterfaceVTable tender_dbus_daemon_manager_vtable = {
    .method_call = tender_dbus_daemon_manager_method_call,
    .get_property = tender_dbus_daemon_manager_get_property,
};

/**
 * tender_dbus_daemon_register:
 * @self: a #TenderDbusDaemon
 * @connection: the bus to export on
 * @error: (nullable): a #GError
 *
 * Exports the Manager and every workload on @connection.  The caller owns the bus name.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_dbus_daemon_register(TenderDbusDaemon *self, GDBusConnection *connection, GError **error)
{
	g_autoptr(GBytes) xml = NULL;
	g_autoptr(GPtrArray) workloads = NULL;

	g_return_val_if_fail(TENDER_IS_DBUS_DAEMON(self), FALSE);
	xml = g_resource_lookup_data(tender_get_resource(),
				     "/org/tender/Agent1/org.tender.Agent1.xml",
				     G_RESOURCE_LOOKUP_FLAGS_NONE,
				     error);
	if (xml == NULL)
		return FALSE;
	self->introspection = g_dbus_node_info_new_for_xml(g_bytes_get_data(xml, NULL), error);
	if (self->introspection == NULL)
		return FALSE;
	self->connection = g_object_ref(connection);
	self->manager_id = g_dbus_connection_register_object(
	    connection,
	    TENDER_DBUS_PATH,
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_DBUS_MANAGER_IFACE),
	    &tender_dbus_daemon_manager_vtable,
	    self,
	    NULL,
	    error);
	if (self->manager_id == 0)
		return FALSE;
	workloads = tender_engine_get_workloads(self->engine);
	for (guint i = 0; i < workloads->len; i++)
		tender_dbus_daemon_export_workload(self, g_ptr_array_index(workloads, i));
	self->added_id = g_signal_connect(self->engine,
					  "workload-added",
					  G_CALLBACK(tender_dbus_daemon_workload_added_cb),
					  self);
	self->removed_id = g_signal_connect(self->engine,
					    "workload-removed",
					    G_CALLBACK(tender_dbus_daemon_workload_removed_cb),
					    self);
	tender_dbus_daemon_register_plugins(self);
	self->services = tender_dbus_service_new(connection, self->authority, self->plugins);
	if (self->adapters != NULL)
		tender_dbus_service_add_list(self->services,
					     tender_adapter_list_get_services(self->adapters));
	return TRUE;
}

static void
tender_dbus_daemon_dispose(GObject *object)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(object);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	if (self->engine != NULL) {
		g_clear_signal_handler(&self->added_id, self->engine);
		g_clear_signal_handler(&self->removed_id, self->engine);
	}
	if (self->connection != NULL) {
		g_hash_table_iter_init(&iter, self->objects);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			g_signal_handlers_disconnect_by_data(key, self);
			g_dbus_connection_unregister_object(self->connection,
							    GPOINTER_TO_UINT(value));
		}
		g_hash_table_remove_all(self->objects);
		tender_dbus_daemon_unregister_plugins(self);
		if (self->manager_id != 0)
			g_dbus_connection_unregister_object(self->connection, self->manager_id);
		self->manager_id = 0;
	}
	g_clear_object(&self->services);
	g_clear_object(&self->connection);
	g_clear_object(&self->authority);
	g_clear_object(&self->plugins);
	g_clear_object(&self->adapters);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_dbus_daemon_parent_class)->dispose(object);
}

static void
tender_dbus_daemon_finalize(GObject *object)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(object);
	g_hash_table_unref(self->objects);
	if (self->introspection != NULL)
		g_dbus_node_info_unref(self->introspection);
	G_OBJECT_CLASS(tender_dbus_daemon_parent_class)->finalize(object);
}

static void
tender_dbus_daemon_class_init(TenderDbusDaemonClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_dbus_daemon_dispose;
	object_class->finalize = tender_dbus_daemon_finalize;
}

static void
tender_dbus_daemon_init(TenderDbusDaemon *self)
{
	self->objects = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
}

/**
 * tender_dbus_daemon_new:
 * @engine: the engine to serve
 * @authority: the authority every call is authorized by
 *
 * Returns: (transfer full): a #TenderDbusDaemon
 */
TenderDbusDaemon *
tender_dbus_daemon_new(TenderEngine *engine, TenderAuthority *authority)
{
	TenderDbusDaemon *self = g_object_new(TENDER_TYPE_DBUS_DAEMON, NULL);
	self->engine = g_object_ref(engine);
	self->authority = g_object_ref(authority);
	/* register the error domain before the first reply */
	(void)tender_error_quark();
	return self;
}
