/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/*
 * Adapters: the per-application contract of the Container Control Core, in C.
 *
 * An adapter plugin registers a TenderAdapterVTable with tender_plugin_register_adapter().
 * The administrator configures instances of it, one key file per instance in
 * /etc/tender/adapters/INSTANCE.conf:
 *
 *   [adapter]
 *   type=exec                     # the TenderAdapterVTable's name
 *   primary_payload_key=command   # a start payload without it is refused (HTTP 400)
 *   run_as_user=app               # the workload runs as this user; absent: root
 *   root_api=false                # true: also answer on /api/... and /metrics
 *
 *   [limits]                      # the workload's limits, as in a workload spec
 *   memory_max=256M
 *
 *   [exec]                        # the adapter's own keys, in a group named after it
 *
 * The core owns everything the adapter would otherwise get wrong: the instance's workload
 * (named adapter-INSTANCE, in its own scope, with the instance's limits), the privilege drop
 * to run_as_user, running the pre-start hooks as root before it, restart-on-start, metrics
 * from the workload's cgroup, authorization, and the D-Bus object and HTTP routes.  The
 * adapter only turns payloads into a command line and live updates into actions.
 *
 * Every operation gets a GTask to complete, at once or later: adapters may ask other
 * processes (the script adapter does).  The task stays the core's: an adapter that completes
 * it after returning takes a reference (g_object_ref()) and drops it once it has.  The core never
 * runs two operations of one instance at once.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * TenderAdapterUpdateResult:
 * @TENDER_ADAPTER_UPDATE_APPLIED: the workload took the change, without a restart
 * @TENDER_ADAPTER_UPDATE_UNSUPPORTED: the adapter does not do live updates at all
 * @TENDER_ADAPTER_UPDATE_NOT_RUNNING: there is no running workload to update
 * @TENDER_ADAPTER_UPDATE_DECLINED: the adapter does live updates, but not this one (an
 *   unknown key, a value it will not apply); nothing changed.  Since: 0.2
 *
 * What an update came to; over HTTP 200, 409, 400 and 409.  An update that went wrong is an
 * error of the task (HTTP 500, with the error's message), not a result.
 *
 * Since: 0.1
 */
typedef enum {
	TENDER_ADAPTER_UPDATE_APPLIED,
	TENDER_ADAPTER_UPDATE_UNSUPPORTED,
	TENDER_ADAPTER_UPDATE_NOT_RUNNING,
	TENDER_ADAPTER_UPDATE_DECLINED,
} TenderAdapterUpdateResult;

/*
 * TenderAdapter is a GObject whose class structure is the core's own; what an adapter fills
 * in is its vtable, TenderAdapterVTable, below.
 */
#define TENDER_TYPE_ADAPTER    (tender_adapter_get_type())
#define TENDER_ADAPTER(obj)    (G_TYPE_CHECK_INSTANCE_CAST((obj), TENDER_TYPE_ADAPTER, TenderAdapter))
#define TENDER_IS_ADAPTER(obj) (G_TYPE_CHECK_INSTANCE_TYPE((obj), TENDER_TYPE_ADAPTER))
typedef struct _TenderAdapter TenderAdapter;
GType
tender_adapter_get_type(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderAdapter, g_object_unref)

/**
 * TenderAdapterVTable:
 * @name: the adapter's name, used as type= in instance files, `[a-z0-9][a-z0-9_-]{0,31}`
 * @struct_size: sizeof(TenderAdapterVTable) as the plugin saw it
 * @setup: (nullable): checks the instance's own group of the instance file and keeps what
 *   it needs with tender_adapter_set_data(); %FALSE refuses the instance
 * @start: turns a start payload into the workload to run: complete @task with
 *   g_task_return_pointer() of a new reference to an a{sv} spec as CreateWorkload takes
 *   (argv, and optionally env, working_directory, description, labels; the core refuses
 *   user, group, capabilities and pre_start, and sets the instance's limits), or an error
 * @pre_start_hooks: (nullable): the privileged set-up of a start: complete @task with a new
 *   reference to an "aas" of commands (or %NULL for none); they run as root, in the
 *   workload's scope, in order, before the privilege drop, and a failing one fails the start
 * @update: (nullable): applies a live update to the running workload: complete @task with
 *   g_task_return_int() of a #TenderAdapterUpdateResult (%TENDER_ADAPTER_UPDATE_DECLINED for
 *   an update it will not apply), or an error when applying it went wrong (its message is
 *   what the client sees).  Only called while the workload runs.  Without it every update
 *   is unsupported
 * @stop: (nullable): called before the core stops the workload (SIGTERM, then SIGKILL);
 *   complete @task with g_task_return_boolean(); an error is logged and the stop goes on
 * @get_metrics: (nullable): the adapter's own metrics: complete @task with a new reference
 *   to a JsonObject (or %NULL), shown under "adapter" next to the workload's metrics (and
 *   as "metrics" on the root_api's /api/metrics)
 * @post_stop_hooks: (nullable): the privileged clean-up of a run, asked for when the core
 *   starts the workload, with the start payload: complete @task with a new reference to an
 *   "aas" of commands (or %NULL for none); they run as root, in the workload's scope, in
 *   order, once the workload's command has ended, however it ended (stopped, exited,
 *   failed).  Since: 0.2
 * @prometheus_metrics: (nullable): the adapter's own Prometheus text: complete @task with a
 *   #GStrv of exposition lines (`name{label="v"} 1`, `# HELP name text`, `# TYPE name
 *   gauge`), or %NULL for none.  The core adds them to the instance's /metrics as they are,
 *   after dropping (with a warning) a line that is not exposition text or uses a name of
 *   the core's own (container_*, tender_*).  Since: 0.2
 *
 * What an adapter does: a table of functions, not a GObject class (before plugin ABI 2 it
 * was named TenderAdapterClass).
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *name;
	guint32 struct_size;
	gboolean (*setup)(TenderAdapter *adapter, GError **error);
	void (*start)(TenderAdapter *adapter, JsonObject *payload, GTask *task);
	void (*pre_start_hooks)(TenderAdapter *adapter, JsonObject *payload, GTask *task);
	void (*update)(TenderAdapter *adapter, JsonObject *payload, GTask *task);
	void (*stop)(TenderAdapter *adapter, GTask *task);
	void (*get_metrics)(TenderAdapter *adapter, GTask *task);
	void (*post_stop_hooks)(TenderAdapter *adapter, JsonObject *payload, GTask *task);
	void (*prometheus_metrics)(TenderAdapter *adapter, GTask *task);
	/*< private >*/
	gpointer padding[6];
} TenderAdapterVTable;

const gchar *
tender_adapter_get_name(TenderAdapter *self);
const gchar *
tender_adapter_get_workload_name(TenderAdapter *self);
gchar *
tender_adapter_get_config_string(TenderAdapter *self, const gchar *key, const gchar *default_value);
GKeyFile *
tender_adapter_get_keyfile(TenderAdapter *self);
void
tender_adapter_set_data(TenderAdapter *self, gpointer data, GDestroyNotify destroy);
gpointer
tender_adapter_get_data(TenderAdapter *self);
guint32
tender_adapter_get_main_pid(TenderAdapter *self);
gboolean
tender_adapter_kill(TenderAdapter *self, gint signo, GError **error);
JsonObject *
tender_adapter_get_payload(TenderAdapter *self);

G_END_DECLS
