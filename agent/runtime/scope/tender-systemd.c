/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-systemd.h"

/*
 * TenderSystemd talks to PID 1 over D-Bus: it creates transient scopes and waits for their
 * start jobs without ever blocking the main loop.
 */

#define SYSTEMD_BUS_NAME      "org.freedesktop.systemd1"
#define SYSTEMD_OBJECT_PATH   "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER_IFACE "org.freedesktop.systemd1.Manager"

/* StartTransientUnit can race with the garbage collection of an ended scope of the same name */
#define TENDER_SYSTEMD_UNIT_EXISTS_RETRIES  50
#define TENDER_SYSTEMD_UNIT_EXISTS_DELAY_MS 20

struct _TenderSystemd {
	GObject parent_instance;
	GDBusConnection *connection;
	guint job_removed_id;
	GHashTable *pending; /* unit name → GTask (a reference) */
};

G_DEFINE_TYPE(TenderSystemd, tender_systemd, G_TYPE_OBJECT)

typedef struct {
	gchar *unit;
	GVariant *properties;
	gchar *job;
	gchar *result; /* from JobRemoved, possibly before the call returned */
	guint retries;
} TenderSystemdStart;

static void
tender_systemd_start_free(TenderSystemdStart *data)
{
	g_free(data->unit);
	g_variant_unref(data->properties);
	g_free(data->job);
	g_free(data->result);
	g_free(data);
}

static void
tender_systemd_call_start(GTask *task);

/* calls @method of PID 1's manager */
static void
tender_systemd_call_manager(TenderSystemd *self,
			    const gchar *method,
			    GVariant *parameters,
			    const GVariantType *reply_type,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_dbus_connection_call(self->connection,
			       SYSTEMD_BUS_NAME,
			       SYSTEMD_OBJECT_PATH,
			       SYSTEMD_MANAGER_IFACE,
			       method,
			       parameters,
			       reply_type,
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       cancellable,
			       callback,
			       user_data);
}

/* the reply of a call made for @task, or %NULL once @task has returned its error, converted
 * and prefixed with @prefix */
static GVariant *
tender_systemd_call_finish(GObject *source, GAsyncResult *res, GTask *task, const gchar *prefix)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);

	if (reply == NULL) {
		tender_error_convert(&error);
		g_prefix_error(&error, "%s", prefix);
		g_task_return_error(task, g_steal_pointer(&error));
	}
	return reply;
}

static void
tender_systemd_get_cgroup_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GVariant) reply =
	    tender_systemd_call_finish(source,
				       res,
				       task,
				       "Cannot read the scope's control group: ");
	g_autoptr(GVariant) value = NULL;

	if (reply == NULL)
		return;
	g_variant_get(reply, "(v)", &value);
	g_task_return_pointer(task, g_variant_dup_string(value, NULL), g_free);
}

static void
tender_systemd_get_unit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GCancellable *cancellable = g_task_get_cancellable(task);
	const gchar *path = NULL;
	g_autoptr(GVariant) reply =
	    tender_systemd_call_finish(source,
				       res,
				       task,
				       "The scope vanished right after it started: ");

	if (reply == NULL)
		return;
	g_variant_get(reply, "(&o)", &path);
	g_dbus_connection_call(G_DBUS_CONNECTION(source),
			       SYSTEMD_BUS_NAME,
			       path,
			       "org.freedesktop.DBus.Properties",
			       "Get",
			       g_variant_new("(ss)",
					     "org.freedesktop.systemd1.Scope",
					     "ControlGroup"),
			       G_VARIANT_TYPE("(v)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       cancellable,
			       tender_systemd_get_cgroup_cb,
			       g_steal_pointer(&task));
}

/* called once both the call has returned and JobRemoved has been seen */
static void
tender_systemd_start_complete(TenderSystemd *self, GTask *task_borrowed)
{
	g_autoptr(GTask) task = g_object_ref(task_borrowed);
	TenderSystemdStart *data = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);

	g_hash_table_remove(self->pending, data->unit);
	if (g_strcmp0(data->result, "done") != 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"systemd could not start %s: the job's result is '%s'",
					data->unit,
					data->result);
		return;
	}
	tender_systemd_call_manager(self,
				    "GetUnit",
				    g_variant_new("(s)", data->unit),
				    G_VARIANT_TYPE("(o)"),
				    cancellable,
				    tender_systemd_get_unit_cb,
				    g_steal_pointer(&task));
}

static void
tender_systemd_job_removed_cb(GDBusConnection *connection,
			      const gchar *sender_name,
			      const gchar *object_path,
			      const gchar *interface_name,
			      const gchar *signal_name,
			      GVariant *parameters,
			      gpointer user_data)
{
	TenderSystemd *self = TENDER_SYSTEMD(user_data);
	const gchar *job = NULL;
	const gchar *unit = NULL;
	const gchar *result = NULL;
	guint32 id = 0;
	GTask *task;
	TenderSystemdStart *data;

	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(uoss)")))
		return;
	g_variant_get(parameters, "(u&o&s&s)", &id, &job, &unit, &result);
	task = g_hash_table_lookup(self->pending, unit);
	if (task == NULL)
		return;
	data = g_task_get_task_data(task);
	if (data->result != NULL)
		return;
	/* a job of an earlier call for the same unit is not ours */
	if (data->job != NULL && g_strcmp0(data->job, job) != 0)
		return;
	data->result = g_strdup(result);
	if (data->job != NULL)
		tender_systemd_start_complete(self, task);
}

static gboolean
tender_systemd_retry_cb(gpointer user_data)
{
	tender_systemd_call_start(G_TASK(user_data));
	return G_SOURCE_REMOVE;
}

static void
tender_systemd_start_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderSystemd *self = g_task_get_source_object(task);
	TenderSystemdStart *data = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *remote = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		remote = g_dbus_error_get_remote_error(error);
		if (g_strcmp0(remote, "org.freedesktop.systemd1.UnitExists") == 0 &&
		    data->retries++ < TENDER_SYSTEMD_UNIT_EXISTS_RETRIES) {
			/* an ended scope of that name is not collected yet: give PID 1 a moment */
			tender_systemd_call_manager(self,
						    "ResetFailedUnit",
						    g_variant_new("(s)", data->unit),
						    NULL,
						    NULL,
						    NULL,
						    NULL);
			g_timeout_add_full(G_PRIORITY_DEFAULT,
					   TENDER_SYSTEMD_UNIT_EXISTS_DELAY_MS,
					   tender_systemd_retry_cb,
					   g_steal_pointer(&task),
					   g_object_unref);
			return;
		}
		g_hash_table_remove(self->pending, data->unit);
		tender_error_convert(&error);
		g_prefix_error(&error, "systemd refused to create %s: ", data->unit);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_variant_get(reply, "(o)", &data->job);
	if (data->result != NULL)
		tender_systemd_start_complete(self, task);
}

static void
tender_systemd_call_start(GTask *task)
{
	TenderSystemd *self = g_task_get_source_object(task);
	TenderSystemdStart *data = g_task_get_task_data(task);

	g_clear_pointer(&data->result, g_free);
	g_clear_pointer(&data->job, g_free);
	g_hash_table_replace(self->pending, g_strdup(data->unit), g_object_ref(task));
	tender_systemd_call_manager(self,
				    "StartTransientUnit",
				    g_variant_new("(ss@a(sv)a(sa(sv)))",
						  data->unit,
						  "fail",
						  data->properties,
						  NULL),
				    G_VARIANT_TYPE("(o)"),
				    g_task_get_cancellable(task),
				    tender_systemd_start_cb,
				    g_object_ref(task));
}

/**
 * tender_systemd_start_scope_async:
 * @self: a #TenderSystemd
 * @unit: the scope's unit name
 * @properties: an a(sv) of unit properties, PIDs among them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the start job has finished
 * @user_data: for @callback
 *
 * Creates a transient scope with StartTransientUnit and waits for its job.
 */
void
tender_systemd_start_scope_async(TenderSystemd *self,
				 const gchar *unit,
				 GVariant *properties,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderSystemdStart *data = g_new0(TenderSystemdStart, 1);

	g_return_if_fail(TENDER_IS_SYSTEMD(self));
	data->unit = g_strdup(unit);
	data->properties = g_variant_ref_sink(properties);
	g_task_set_task_data(task, data, (GDestroyNotify)tender_systemd_start_free);
	g_task_set_source_tag(task, tender_systemd_start_scope_async);
	if (g_hash_table_contains(self->pending, unit)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"%s is being started already",
					unit);
		return;
	}
	tender_systemd_call_start(task);
}

/**
 * tender_systemd_start_scope_finish:
 * @self: a #TenderSystemd
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the scope's control group path, or %NULL
 */
gchar *
tender_systemd_start_scope_finish(TenderSystemd *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* a method of PID 1's manager on one unit, whose reply says nothing more than success */
static void
tender_systemd_unit_call_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* calls @method for a task whose source tag is @source_tag and returns a boolean */
static void
tender_systemd_unit_call(TenderSystemd *self,
			 const gchar *method,
			 GVariant *parameters,
			 const GVariantType *reply_type,
			 gpointer source_tag,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	tender_systemd_call_manager(self,
				    method,
				    parameters,
				    reply_type,
				    cancellable,
				    tender_systemd_unit_call_cb,
				    task);
}

/**
 * tender_systemd_freeze_unit_async:
 * @self: a #TenderSystemd
 * @unit: a unit name
 * @freeze: %TRUE for FreezeUnit, %FALSE for ThawUnit
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once systemd has frozen or thawed the unit, or refused to
 * @user_data: for @callback
 *
 * Calls FreezeUnit or ThawUnit, which systemd answers once the unit's cgroup is frozen or
 * thawed (cgroup v2 only).
 */
void
tender_systemd_freeze_unit_async(TenderSystemd *self,
				 const gchar *unit,
				 gboolean freeze,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_return_if_fail(TENDER_IS_SYSTEMD(self));
	tender_systemd_unit_call(self,
				 freeze ? "FreezeUnit" : "ThawUnit",
				 g_variant_new("(s)", unit),
				 G_VARIANT_TYPE_UNIT,
				 tender_systemd_freeze_unit_async,
				 cancellable,
				 callback,
				 user_data);
}

/**
 * tender_systemd_freeze_unit_finish:
 * @self: a #TenderSystemd
 * @res: the result
 * @error: (nullable): a #GError, as it came from the bus (its remote name tells whether
 *   systemd cannot freeze at all: org.freedesktop.DBus.Error.NotSupported or UnknownMethod)
 *
 * Returns: %TRUE if the unit is frozen or thawed
 */
gboolean
tender_systemd_freeze_unit_finish(TenderSystemd *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_systemd_stop_unit_async:
 * @self: a #TenderSystemd
 * @unit: a unit name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once systemd has queued the stop job, or refused to
 * @user_data: for @callback
 *
 * Calls StopUnit(@unit, "replace").  A scope whose processes are all gone stops at once,
 * even when systemd has not noticed yet that its cgroup is empty.
 */
void
tender_systemd_stop_unit_async(TenderSystemd *self,
			       const gchar *unit,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_return_if_fail(TENDER_IS_SYSTEMD(self));
	tender_systemd_unit_call(self,
				 "StopUnit",
				 g_variant_new("(ss)", unit, "replace"),
				 G_VARIANT_TYPE("(o)"),
				 tender_systemd_stop_unit_async,
				 cancellable,
				 callback,
				 user_data);
}

/**
 * tender_systemd_stop_unit_finish:
 * @self: a #TenderSystemd
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the stop job is queued, or there is no such unit
 */
gboolean
tender_systemd_stop_unit_finish(TenderSystemd *self, GAsyncResult *res, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *remote = NULL;

	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	if (g_task_propagate_boolean(G_TASK(res), &error_local))
		return TRUE;
	remote = g_dbus_error_get_remote_error(error_local);
	if (g_strcmp0(remote, "org.freedesktop.systemd1.NoSuchUnit") == 0)
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/**
 * tender_systemd_setup:
 * @self: a #TenderSystemd
 * @cancellable: (nullable): a #GCancellable
 * @error: (nullable): a #GError
 *
 * Subscribes to PID 1's signals (JobRemoved is sent only to subscribers).  Called once at
 * start-up, before the main loop runs.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_systemd_setup(TenderSystemd *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	g_return_val_if_fail(TENDER_IS_SYSTEMD(self), FALSE);
	self->job_removed_id = g_dbus_connection_signal_subscribe(self->connection,
								  SYSTEMD_BUS_NAME,
								  SYSTEMD_MANAGER_IFACE,
								  "JobRemoved",
								  SYSTEMD_OBJECT_PATH,
								  NULL,
								  G_DBUS_SIGNAL_FLAGS_NONE,
								  tender_systemd_job_removed_cb,
								  self,
								  NULL);
	reply = g_dbus_connection_call_sync(self->connection,
					    SYSTEMD_BUS_NAME,
					    SYSTEMD_OBJECT_PATH,
					    SYSTEMD_MANAGER_IFACE,
					    "Subscribe",
					    NULL,
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    cancellable,
					    error);
	if (reply == NULL) {
		tender_error_convert(error);
		g_prefix_error(error, "Cannot subscribe to systemd: ");
		return FALSE;
	}
	return TRUE;
}

static void
tender_systemd_finalize(GObject *object)
{
	TenderSystemd *self = TENDER_SYSTEMD(object);
	if (self->job_removed_id != 0)
		g_dbus_connection_signal_unsubscribe(self->connection, self->job_removed_id);
	g_hash_table_unref(self->pending);
	g_object_unref(self->connection);
	G_OBJECT_CLASS(tender_systemd_parent_class)->finalize(object);
}

static void
tender_systemd_class_init(TenderSystemdClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_systemd_finalize;
}

static void
tender_systemd_init(TenderSystemd *self)
{
	self->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * tender_systemd_new:
 * @connection: the bus PID 1 is on (the system bus)
 *
 * Returns: (transfer full): a #TenderSystemd
 */
TenderSystemd *
tender_systemd_new(GDBusConnection *connection)
{
	TenderSystemd *self = g_object_new(TENDER_TYPE_SYSTEMD, NULL);
	self->connection = g_object_ref(connection);
	return self;
}

/* adds the property @name = @value, unless @value is 0; with a @path, the property is an
 * a(st) of the one (@path, @value) */
static void
tender_systemd_add_limit(GVariantBuilder *builder,
			 const gchar *name,
			 const gchar *path,
			 guint64 value)
{
	GVariant *item;

	if (value == 0)
		return;
	if (path == NULL) {
		g_variant_builder_add(builder, "(sv)", name, g_variant_new_uint64(value));
		return;
	}
	item = g_variant_new("(st)", path, value);
	g_variant_builder_add(builder,
			      "(sv)",
			      name,
			      g_variant_new_array(G_VARIANT_TYPE("(st)"), &item, 1));
}

/**
 * tender_systemd_build_scope_properties:
 * @spec: the spec of a workload
 * @name: its name
 * @pid: the process that goes into the scope first
 *
 * Returns: (transfer floating): the properties of the workload's transient scope, with the
 * spec's limits, an a(sv) for tender_systemd_start_scope_async()
 */
GVariant *
tender_systemd_build_scope_properties(const TenderSpec *spec, const gchar *name, GPid pid)
{
	GVariantBuilder builder;
	g_autofree gchar *description = NULL;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(sv)"));
	description = spec->description != NULL ? g_strdup(spec->description)
						: g_strdup_printf("tender workload %s", name);
	g_variant_builder_add(&builder, "(sv)", "Description", g_variant_new_string(description));
	g_variant_builder_add(&builder,
			      "(sv)",
			      "Slice",
			      g_variant_new_string(TENDER_SYSTEMD_SLICE));
	g_variant_builder_add(&builder,
			      "(sv)",
			      "PIDs",
			      g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
							&(guint32){(guint32)pid},
							1,
							sizeof(guint32)));
	g_variant_builder_add(&builder,
			      "(sv)",
			      "CollectMode",
			      g_variant_new_string("inactive-or-failed"));
	/* GetMetrics reads the scope's own cgroups, in every controller it reports on */
	g_variant_builder_add(&builder, "(sv)", "CPUAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&builder, "(sv)", "MemoryAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&builder, "(sv)", "TasksAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&builder, "(sv)", "IOAccounting", g_variant_new_boolean(TRUE));
	/* the limits the spec sets (0: not set) */
	tender_systemd_add_limit(&builder, "MemoryMax", NULL, spec->memory_max);
	tender_systemd_add_limit(&builder,
				 "CPUQuotaPerSecUSec",
				 NULL,
				 (guint64)spec->cpu_quota_percent * 10000);
	tender_systemd_add_limit(&builder, "TasksMax", NULL, spec->tasks_max);
	tender_systemd_add_limit(&builder,
				 "IOReadBandwidthMax",
				 spec->working_directory,
				 spec->io_read_bandwidth_max);
	tender_systemd_add_limit(&builder,
				 "IOWriteBandwidthMax",
				 spec->working_directory,
				 spec->io_write_bandwidth_max);
	return g_variant_builder_end(&builder);
}
