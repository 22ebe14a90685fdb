/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixfdlist.h>

#include "tender-dbus-daemon-private.h"
#include "tender-error.h"

/*
 * The methods of org.tender.Agent1.Manager, once authorized (tender-dbus-daemon.c
 * dispatches them): each turns a call into an engine request and the engine's answer into
 * the reply.
 */

/* answers a call with the object path of @w, or with @error (taken) when @w is %NULL */
static void
tender_dbus_daemon_return_workload(GDBusMethodInvocation *invocation,
				   TenderWorkload *w,
				   GError *error)
{
	if (w == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(o)",
							    tender_workload_get_object_path(w)));
}

void
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
	tender_dbus_daemon_return_workload(invocation, w, error);
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

static TenderDbusAsyncCall *
tender_dbus_daemon_async_call_new(GDBusMethodInvocation *invocation, TenderEngineFinishFunc finish)
{
	TenderDbusAsyncCall *call = g_new0(TenderDbusAsyncCall, 1);
	call->invocation = g_object_ref(invocation);
	call->finish = finish;
	return call;
}

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

void
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
		call =
		    tender_dbus_daemon_async_call_new(invocation,
						      tender_dbus_daemon_async_methods[i].finish);
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

void
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
		call = tender_dbus_daemon_async_call_new(invocation,
							 tender_dbus_daemon_name_async_methods[i]
							     .finish);
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
tender_dbus_daemon_get_metrics_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	g_autoptr(GVariant) metrics = NULL;
	GError *error = NULL;

	metrics = tender_engine_get_metrics_finish(TENDER_ENGINE(source), res, &error);
	if (metrics == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(@a{sv})", metrics));
}

/* the cgroup files are read in a worker thread, not on the main loop */
void
tender_dbus_daemon_get_metrics(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	const gchar *name = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	tender_engine_get_metrics_async(self->engine,
					name,
					NULL,
					tender_dbus_daemon_get_metrics_cb,
					g_object_ref(invocation));
}

void
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

void
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

void
tender_dbus_daemon_get(TenderDbusDaemon *self,
		       GDBusMethodInvocation *invocation,
		       TenderRequest *request)
{
	const gchar *name = NULL;
	GError *error = NULL;
	TenderWorkload *w;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &name);
	w = tender_engine_get_workload(self->engine, name, &error);
	tender_dbus_daemon_return_workload(invocation, w, error);
}

void
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

void
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
	tender_dbus_daemon_return_workload(invocation, w, error);
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

void
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

void
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

void
tender_dbus_daemon_list_plugins(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request)
{
	GVariant *list = self->plugins != NULL
			     ? tender_plugin_list_to_variant(self->plugins)
			     : g_variant_new_array(G_VARIANT_TYPE("(sss)"), NULL, 0);
	g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&list, 1));
}

void
tender_dbus_daemon_list_adapters(TenderDbusDaemon *self,
				 GDBusMethodInvocation *invocation,
				 TenderRequest *request)
{
	GVariant *list = self->adapters != NULL
			     ? tender_adapter_list_to_variant(self->adapters)
			     : g_variant_new_array(G_VARIANT_TYPE("(sso)"), NULL, 0);
	g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(&list, 1));
}
