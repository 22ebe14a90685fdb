/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/*
 * The tender plugin API, installed as <tender-1/tender-plugin.h> with tender-plugin-1.pc.
 *
 * A plugin is a shared object in $libdir/tender/plugins-2 (or in a directory named by
 * [plugins] path= in tenderd.conf) that exports exactly one symbol,
 * tender_plugin_describe(), best written with TENDER_PLUGIN_DEFINE() (or
 * TENDER_PLUGIN_DEFINE_PROBE()).  tenderd checks the descriptor's ABI version, calls init()
 * (or probes it, again later if it defers), and keeps the module resident.  Everything a
 * plugin does goes through the functions below: its workloads are engine workloads (scopes,
 * limits, logs, metrics, state that survives restarts) that it owns, its runtimes (see
 * tender-run.h) run workloads whose spec names them, and its services (methods declared
 * once, served over D-Bus and HTTP), D-Bus methods and HTTP routes are authorized by polkit
 * in the core before the plugin sees them.
 *
 * All functions must be called from tenderd's main thread.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tender-adapter.h"
#include "tender-call.h"
#include "tender-caller.h"
#include "tender-error.h"
#include "tender-json.h"
#include "tender-plugin-request.h"
#include "tender-run.h"

G_BEGIN_DECLS

/**
 * TENDER_PLUGIN_ABI_VERSION:
 *
 * The plugin ABI this header describes.  It changes whenever a change to this API would
 * break a built plugin; the plugin directory carries it in its name (plugins-2).  ABI 2
 * added the probe of #TenderPluginDescriptor.
 *
 * Since: 0.1
 */
#define TENDER_PLUGIN_ABI_VERSION 2

/**
 * TENDER_PLUGIN_ENTRY_POINT:
 *
 * The one symbol a plugin exports, a #TenderPluginDescribeFunc.
 *
 * Since: 0.1
 */
#define TENDER_PLUGIN_ENTRY_POINT "tender_plugin_describe"

#define TENDER_TYPE_PLUGIN (tender_plugin_get_type())
G_DECLARE_FINAL_TYPE(TenderPlugin, tender_plugin, TENDER, PLUGIN, GObject)

/**
 * TenderPluginProbeResult:
 * @TENDER_PLUGIN_PROBE_RESULT_SUCCESS: the plugin is active
 * @TENDER_PLUGIN_PROBE_RESULT_FAIL: the plugin is refused for good; the error says why
 * @TENDER_PLUGIN_PROBE_RESULT_DEFER: what the plugin needs is not there yet (its service
 *   is not up); the error says what.  tenderd probes it again, after 1 s, then after
 *   twice as long each time up to 60 s, at once when a name it watches appears on the
 *   bus (tender_plugin_watch_name()), and at once when the plugin asks
 *   (tender_plugin_request_probe()), until the probe succeeds or fails
 *
 * What a probe says, as power-profiles-daemon's drivers do.  Whatever the plugin registered
 * in a probe that did not succeed is undone (its data too), so each probe starts afresh.
 *
 * Since: 0.2
 */
typedef enum {
	TENDER_PLUGIN_PROBE_RESULT_SUCCESS,
	TENDER_PLUGIN_PROBE_RESULT_FAIL,
	TENDER_PLUGIN_PROBE_RESULT_DEFER,
} TenderPluginProbeResult;

/**
 * TenderPluginDescriptor:
 * @abi_version: %TENDER_PLUGIN_ABI_VERSION of the header the plugin was built with
 * @struct_size: sizeof(TenderPluginDescriptor) as the plugin saw it
 * @name: the plugin's name, `[a-z0-9][a-z0-9_-]{0,31}`, unique among loaded plugins
 * @version: the plugin's own version, free-form (e.g. "1.2.0")
 * @description: one line for `tenderctl plugins`
 * @init: (nullable): registers what the plugin provides; on %FALSE with @error set the
 *   plugin is refused (its registrations are undone) and tenderd goes on without it.
 *   Needed unless @probe is set.  Since: 0.1
 * @shutdown: (nullable): called once when tenderd exits, for plugins whose init or probe
 *   succeeded.  Since: 0.1
 * @probe: (nullable): called instead of @init when set: registers what the plugin
 *   provides and says whether it can serve now, never, or later (see
 *   #TenderPluginProbeResult); for a plugin whose service may not be up when tenderd
 *   starts.  Since: 0.2
 *
 * What a plugin is.  Returned by its entry point; must stay valid while tenderd runs
 * (a static const).
 *
 * Since: 0.1
 */
typedef struct {
	guint32 abi_version;
	guint32 struct_size;
	const gchar *name;
	const gchar *version;
	const gchar *description;
	gboolean (*init)(TenderPlugin *plugin, GError **error);
	void (*shutdown)(TenderPlugin *plugin);
	TenderPluginProbeResult (*probe)(TenderPlugin *plugin, GError **error);
	/*< private >*/
	gpointer padding[7];
} TenderPluginDescriptor;

/**
 * TenderPluginDescribeFunc:
 *
 * The type of %TENDER_PLUGIN_ENTRY_POINT.
 *
 * Since: 0.1
 */
typedef const TenderPluginDescriptor *(*TenderPluginDescribeFunc)(void);

/* the entry point, for TENDER_PLUGIN_DEFINE() and TENDER_PLUGIN_DEFINE_PROBE() */
#define TENDER_PLUGIN_DEFINE_FULL_(name, version, description, init, shutdown, probe)              \
	G_MODULE_EXPORT const TenderPluginDescriptor *tender_plugin_describe(void);                \
	G_MODULE_EXPORT const TenderPluginDescriptor *tender_plugin_describe(void)                 \
	{                                                                                          \
		static const TenderPluginDescriptor descriptor = {TENDER_PLUGIN_ABI_VERSION,       \
								  (guint32)sizeof(                 \
								      TenderPluginDescriptor),     \
								  (name),                          \
								  (version),                       \
								  (description),                   \
								  (init),                          \
								  (shutdown),                      \
								  (probe),                         \
								  {NULL}};                         \
		return &descriptor;                                                                \
	}

/**
 * TENDER_PLUGIN_DEFINE:
 * @name: the plugin's name, a string literal
 * @version: its version, a string literal
 * @description: one line, a string literal
 * @init: its init function
 * @shutdown: its shutdown function or %NULL
 *
 * Defines the entry point of a plugin.  Use it once, in one source file of the plugin.
 *
 * Since: 0.1
 */
#define TENDER_PLUGIN_DEFINE(name, version, description, init, shutdown)                           \
	TENDER_PLUGIN_DEFINE_FULL_(name, version, description, init, shutdown, NULL)

/**
 * TENDER_PLUGIN_DEFINE_PROBE:
 * @name: the plugin's name, a string literal
 * @version: its version, a string literal
 * @description: one line, a string literal
 * @probe: its probe function, see #TenderPluginProbeResult
 * @shutdown: its shutdown function or %NULL
 *
 * Defines the entry point of a plugin that is probed rather than initialized: one that can
 * wait for its service.  Use it once, in one source file of the plugin.
 *
 * Since: 0.2
 */
#define TENDER_PLUGIN_DEFINE_PROBE(name, version, description, probe, shutdown)                    \
	TENDER_PLUGIN_DEFINE_FULL_(name, version, description, NULL, shutdown, probe)

/* --- the plugin itself --- */

const gchar *
tender_plugin_get_name(TenderPlugin *self);
void
tender_plugin_set_data(TenderPlugin *self, gpointer data, GDestroyNotify destroy);
gpointer
tender_plugin_get_data(TenderPlugin *self);
const gchar *
tender_plugin_get_state_dir(TenderPlugin *self);
gchar *
tender_plugin_get_config_string(TenderPlugin *self, const gchar *key, const gchar *default_value);
gboolean
tender_plugin_get_config_boolean(TenderPlugin *self,
				 const gchar *key,
				 gboolean default_value,
				 GError **error);
gboolean
tender_plugin_get_config_uint64(TenderPlugin *self,
				const gchar *key,
				guint64 default_value,
				guint64 max,
				guint64 *value,
				GError **error);
void
tender_plugin_watch_name(TenderPlugin *self, const gchar *name);
void
tender_plugin_request_probe(TenderPlugin *self);

/* --- workloads, through the engine --- */

gboolean
tender_plugin_create_workload(TenderPlugin *self,
			      const gchar *name,
			      GVariant *spec,
			      GError **error);
void
tender_plugin_start_workload_async(TenderPlugin *self,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
tender_plugin_start_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error);
void
tender_plugin_stop_workload_async(TenderPlugin *self,
				  const gchar *name,
				  guint timeout_sec,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
tender_plugin_stop_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error);
void
tender_plugin_remove_workload_async(TenderPlugin *self,
				    const gchar *name,
				    gboolean force,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_plugin_remove_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error);
gboolean
tender_plugin_kill_workload(TenderPlugin *self, const gchar *name, gint signo, GError **error);
GVariant *
tender_plugin_get_workload(TenderPlugin *self, const gchar *name, GError **error);
GVariant *
tender_plugin_get_workload_properties(TenderPlugin *self,
				      const gchar *name,
				      const gchar *const *properties,
				      GError **error);
GVariant *
tender_plugin_get_workload_metrics(TenderPlugin *self, const gchar *name, GError **error);
void
tender_plugin_get_workload_logs_async(TenderPlugin *self,
				      const gchar *name,
				      GVariant *options,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
GVariant *
tender_plugin_get_workload_logs_finish(TenderPlugin *self, GAsyncResult *res, GError **error);

/**
 * TenderPluginExecStartedFunc:
 * @plugin: the plugin that runs the command
 * @pid: the command's process, as the host sees it (the leader of its process group)
 * @user_data: what was given to tender_plugin_exec_workload_async()
 *
 * Called once the command of tender_plugin_exec_workload_async() runs, before its callback;
 * not for a command that never ran.
 *
 * Since: 0.4
 */
typedef void (*TenderPluginExecStartedFunc)(TenderPlugin *plugin, guint32 pid, gpointer user_data);

void
tender_plugin_exec_workload_async(TenderPlugin *self,
				  const gchar *name,
				  const gchar *const *argv,
				  GVariant *options,
				  gint stdin_fd,
				  gint stdout_fd,
				  gint stderr_fd,
				  TenderPluginExecStartedFunc started,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
GVariant *
tender_plugin_exec_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error);

/**
 * TenderPluginStateFunc:
 * @plugin: the plugin that watches
 * @workload: the workload's name
 * @old_state: its state before, "" for a workload just created or restored
 * @new_state: its state now, "" for a workload just removed
 * @reason: the Reason property (e.g. "oom-kill", "exit-code"), or ""
 * @user_data: what was given to tender_plugin_watch_workloads()
 *
 * Called for every state transition of every workload, in order, after the
 * org.tender.Agent1.Manager WorkloadStateChanged signal of the same transition.
 *
 * Since: 0.1
 */
typedef void (*TenderPluginStateFunc)(TenderPlugin *plugin,
				      const gchar *workload,
				      const gchar *old_state,
				      const gchar *new_state,
				      const gchar *reason,
				      gpointer user_data);

guint
tender_plugin_watch_workloads(TenderPlugin *self,
			      TenderPluginStateFunc func,
			      gpointer user_data,
			      GDestroyNotify destroy);
void
tender_plugin_unwatch_workloads(TenderPlugin *self, guint watch_id);

/* --- authorization --- */

void
tender_plugin_check_authorization_async(TenderPlugin *self,
					const TenderCaller *caller,
					const gchar *action_id,
					GHashTable *details,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
gboolean
tender_plugin_check_authorization_finish(TenderPlugin *self, GAsyncResult *res, GError **error);

/* --- D-Bus, below /org/tender/Agent1/plugin/NAME --- */

/**
 * TenderPluginMethodAction:
 * @method: a method of the interface
 * @action_id: the polkit action that authorizes a call of it
 *
 * One entry of the table given to tender_plugin_add_dbus_object(); the table ends with an
 * entry whose @method is %NULL.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *method;
	const gchar *action_id;
} TenderPluginMethodAction;

/**
 * TenderPluginMethodFunc:
 * @plugin: the plugin
 * @caller: who called, already authorized for the method's action
 * @invocation: (transfer full): the call; the function must return a value or an error
 *   on it, now or later
 * @user_data: what was given to tender_plugin_add_dbus_object()
 *
 * Since: 0.1
 */
typedef void (*TenderPluginMethodFunc)(TenderPlugin *plugin,
				       const TenderCaller *caller,
				       GDBusMethodInvocation *invocation,
				       gpointer user_data);

gboolean
tender_plugin_add_dbus_object(TenderPlugin *self,
			      const gchar *subpath,
			      const gchar *introspection_xml,
			      const TenderPluginMethodAction *actions,
			      TenderPluginMethodFunc func,
			      gpointer user_data,
			      GDestroyNotify destroy,
			      GError **error);
gboolean
tender_plugin_remove_dbus_object(TenderPlugin *self, const gchar *subpath, GError **error);
gchar *
tender_plugin_get_object_path(TenderPlugin *self, const gchar *subpath);
gboolean
tender_plugin_emit_dbus_signal(TenderPlugin *self,
			       const gchar *subpath,
			       const gchar *interface_name,
			       const gchar *signal_name,
			       GVariant *parameters,
			       GError **error);

/* --- HTTP, below /v1/plugins/NAME/ --- */

/**
 * TenderPluginRouteFunc:
 * @plugin: the plugin
 * @request: the request, already authorized for the route's action; reply on it with
 *   one of the tender_plugin_request_reply_*() functions, now or later (keep a reference)
 * @user_data: what was given to tender_plugin_add_http_route()
 *
 * Since: 0.1
 */
typedef void (*TenderPluginRouteFunc)(TenderPlugin *plugin,
				      TenderPluginRequest *request,
				      gpointer user_data);

gboolean
tender_plugin_add_http_route(TenderPlugin *self,
			     const gchar *method,
			     const gchar *path,
			     const gchar *action_id,
			     TenderPluginRouteFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy,
			     GError **error);

/* --- services: methods declared once, served over D-Bus and HTTP --- */

/**
 * TenderPluginCallFunc:
 * @plugin: the plugin
 * @call: (transfer full): the call, its arguments checked and its caller authorized for the
 *   method's action; complete it with tender_call_return_value() or
 *   tender_call_return_error(), now or later
 * @user_data: what was given to tender_plugin_add_service()
 *
 * Since: 0.2
 */
typedef void (*TenderPluginCallFunc)(TenderPlugin *plugin, TenderCall *call, gpointer user_data);

/**
 * TenderPluginServiceMethod:
 * @method: a method of the service's interface
 * @action_id: the polkit action that authorizes a call of it, an org.tender.* id
 * @func: its handler
 *
 * One entry of the table given to tender_plugin_add_service(); the table ends with an entry
 * whose @method is %NULL.
 *
 * Since: 0.2
 */
typedef struct {
	const gchar *method;
	const gchar *action_id;
	TenderPluginCallFunc func;
} TenderPluginServiceMethod;

gboolean
tender_plugin_add_service(TenderPlugin *self,
			  const gchar *subpath,
			  const gchar *introspection_xml,
			  const TenderPluginServiceMethod *methods,
			  gpointer user_data,
			  GDestroyNotify destroy,
			  GError **error);
gboolean
tender_plugin_remove_service(TenderPlugin *self, const gchar *subpath, GError **error);

/* --- adapters --- */

gboolean
tender_plugin_register_adapter(TenderPlugin *self,
			       const TenderAdapterVTable *klass,
			       GError **error);

/* --- runtimes, see tender-run.h --- */

gboolean
tender_plugin_register_runtime(TenderPlugin *self,
			       const gchar *name,
			       const TenderRuntimeVTable *vtable,
			       gpointer user_data,
			       GDestroyNotify destroy,
			       GError **error);

/* --- the plugin's feature: its top-level service and its route aliases (Since: 0.3) --- */

gboolean
tender_plugin_add_feature_service(TenderPlugin *self,
				  const gchar *introspection_xml,
				  const TenderPluginServiceMethod *methods,
				  gpointer user_data,
				  GDestroyNotify destroy,
				  GError **error);

/**
 * TenderPluginHttpAliasFlags:
 * @TENDER_PLUGIN_HTTP_ALIAS_NONE: errors are answered as the HTTP mirror answers them,
 *   {"error": {"name", "message"}}
 * @TENDER_PLUGIN_HTTP_ALIAS_DETAIL: errors, the method's and the core's (401, 403, 400 of a
 *   body that is not text), are answered as FastAPI's HTTPException is, {"detail": "message"},
 *   with the same status
 * @TENDER_PLUGIN_HTTP_ALIAS_BYTES: the body is bytes both ways: the method takes (a{ss} ay),
 *   the request's body any bytes up to the alias's @body_max, and answers (u s ay), the
 *   status, the content type and the body, sent as they are (Since: 0.4)
 *
 * How a route alias answers errors, and what its bodies are.
 *
 * Since: 0.3
 */
typedef enum {
	TENDER_PLUGIN_HTTP_ALIAS_NONE = 0,
	TENDER_PLUGIN_HTTP_ALIAS_DETAIL = 1 << 0,
	TENDER_PLUGIN_HTTP_ALIAS_BYTES = 1 << 1,
} TenderPluginHttpAliasFlags;

/* the largest request body an alias of %TENDER_PLUGIN_HTTP_ALIAS_BYTES may take (Since: 0.4) */
#define TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX (64 * 1024 * 1024)

/**
 * TenderPluginHttpAlias:
 * @verb: "GET" (which answers HEAD too), "POST", "PUT", "PATCH" or "DELETE"
 * @pattern: an absolute path, e.g. "/containers/tool/{id}"; a `{name}` segment matches any
 *   one segment, which the method gets under name
 * @method: a method of the plugin's feature service, of in-signature (a{ss} s) and
 *   out-signature (u s)
 * @flags: how errors are answered
 * @tag: (nullable): given to the method in its a{ss} under the key "route", over a capture or
 *   query parameter of that name: for a method that serves several routes (e.g. one per
 *   polkit action), which one was asked for
 * @body_max: with %TENDER_PLUGIN_HTTP_ALIAS_BYTES, the largest request body, in bytes, at
 *   most %TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX (64 MiB); 0: the HTTP mirror's ([http] body-max).
 *   A larger body is answered 413 (Since: 0.4)
 *
 * One entry of the table given to tender_plugin_add_http_aliases(); the table ends with an
 * entry whose @verb is %NULL.  Use designated initializers: the padding is for later.
 *
 * Since: 0.3
 */
typedef struct {
	const gchar *verb;
	const gchar *pattern;
	const gchar *method;
	TenderPluginHttpAliasFlags flags;
	const gchar *tag;
	gsize body_max;
} TenderPluginHttpAlias;

gboolean
tender_plugin_reserve_http_paths(TenderPlugin *self,
				 const gchar *prefix,
				 TenderPluginHttpAliasFlags flags,
				 GError **error);
gboolean
tender_plugin_add_http_aliases(TenderPlugin *self,
			       const TenderPluginHttpAlias *aliases,
			       GError **error);
gboolean
tender_plugin_emit_feature_signal(TenderPlugin *self,
				  const gchar *signal_name,
				  GVariant *parameters,
				  GError **error);

/* --- objects below the feature service, with properties (Since: 0.4) --- */

/**
 * TENDER_PLUGIN_PROPERTIES_READ:
 *
 * The method of the entry of a feature object's method table that gives the polkit action
 * of its Properties.Get and GetAll (the "method" detail polkit rules see for them).
 *
 * Since: 0.4
 */
#define TENDER_PLUGIN_PROPERTIES_READ "org.freedesktop.DBus.Properties.Get"

/**
 * TenderPluginPropertyFunc:
 * @plugin: the plugin
 * @subpath: the feature object's, as given to tender_plugin_add_feature_object()
 * @property: a property of its interface
 * @user_data: the object's
 *
 * Reads a property of a feature object, for a caller polkit allowed.
 *
 * Returns: (transfer floating) (nullable): its value, of the type the XML gives (a value of
 *   another type is dropped with a warning), or %NULL for none
 *
 * Since: 0.4
 */
typedef GVariant *(*TenderPluginPropertyFunc)(TenderPlugin *plugin,
					      const gchar *subpath,
					      const gchar *property,
					      gpointer user_data);

/* at most this many feature objects per plugin */
#define TENDER_PLUGIN_FEATURE_OBJECTS_MAX 4096

gboolean
tender_plugin_add_feature_object(TenderPlugin *self,
				 const gchar *subpath,
				 const gchar *introspection_xml,
				 const TenderPluginServiceMethod *methods,
				 TenderPluginPropertyFunc get_property,
				 gpointer user_data,
				 GDestroyNotify destroy,
				 GError **error);
gboolean
tender_plugin_remove_feature_object(TenderPlugin *self, const gchar *subpath, GError **error);
gchar *
tender_plugin_get_feature_object_path(TenderPlugin *self, const gchar *subpath);
gboolean
tender_plugin_emit_feature_properties_changed(TenderPlugin *self,
					      const gchar *subpath,
					      const gchar *const *names,
					      GError **error);

G_END_DECLS
