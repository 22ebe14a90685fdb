/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-freezer.h"

/*
 * TenderFreezer freezes and thaws the processes of a scope, without blocking the main loop:
 *   cgroup v2: systemd's FreezeUnit and ThawUnit, which answer once the kernel is done; if the
 *              manager cannot freeze, tenderd writes cgroup.freeze itself and waits for
 *              cgroup.events to say "frozen 1" (or 0);
 *   cgroup v1: systemd cannot freeze units there, so tenderd moves the scope's processes into
 *              a cgroup of the same path in the freezer hierarchy, writes FROZEN (or THAWED)
 *              to its freezer.state and waits until it reads so.
 * A freeze that does not complete in time is undone, so that no workload is left half frozen.
 */

/* how often the kernel's freezer state is read while waiting */
#define TENDER_FREEZER_POLL_MS 10
/* a v1 freezer cgroup whose last processes are still exiting is removed a little later */
#define TENDER_FREEZER_RELEASE_TRIES	50
#define TENDER_FREEZER_RELEASE_DELAY_MS 200

struct _TenderFreezer {
	GObject parent_instance;
	TenderCgroup *cgroup;
	TenderSystemd *systemd;
};

G_DEFINE_TYPE(TenderFreezer, tender_freezer, G_TYPE_OBJECT)

typedef struct {
	gchar *unit;
	gchar *cgroup;
	gboolean freeze;
	gint64 deadline; /* g_get_monotonic_time() */
} TenderFreezerOp;

static void
tender_freezer_op_free(TenderFreezerOp *op)
{
	g_free(op->unit);
	g_free(op->cgroup);
	g_free(op);
}

static const gchar *
tender_freezer_verb(TenderFreezerOp *op)
{
	return op->freeze ? "freeze" : "thaw";
}

/* a freeze that failed half way must not leave some processes frozen */
static void
tender_freezer_undo(TenderFreezer *self, TenderFreezerOp *op)
{
	g_autoptr(GError) error = NULL;

	if (op->freeze && !tender_cgroup_set_frozen(self->cgroup, op->cgroup, FALSE, &error))
		g_debug("cannot thaw %s again: %s", op->unit, error->message);
}

/* reads the kernel's freezer state: G_SOURCE_REMOVE once @task has returned */
static gboolean
tender_freezer_poll_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	TenderFreezer *self = g_task_get_source_object(task);
	TenderFreezerOp *op = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	gboolean frozen = FALSE;

	if (!tender_cgroup_get_frozen(self->cgroup, op->cgroup, &frozen, &error)) {
		tender_freezer_undo(self, op);
		g_prefix_error(&error, "Cannot %s %s: ", tender_freezer_verb(op), op->unit);
		g_task_return_error(task, g_steal_pointer(&error));
		return G_SOURCE_REMOVE;
	}
	if (frozen == op->freeze) {
		g_task_return_boolean(task, TRUE);
		return G_SOURCE_REMOVE;
	}
	if (g_get_monotonic_time() < op->deadline)
		return G_SOURCE_CONTINUE;
	tender_freezer_undo(self, op);
	g_task_return_new_error(task,
				TENDER_ERROR,
				TENDER_ERROR_FAILED,
				"The kernel did not %s %s within %d s",
				tender_freezer_verb(op),
				op->unit,
				TENDER_FREEZER_TIMEOUT_MS / 1000);
	return G_SOURCE_REMOVE;
}

/* asks the kernel directly, then waits for it; takes @task */
static void
tender_freezer_kernel(GTask *task_owned)
{
	g_autoptr(GTask) task = task_owned;
	TenderFreezer *self = g_task_get_source_object(task);
	TenderFreezerOp *op = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if ((op->freeze && !tender_cgroup_join_freezer(self->cgroup, op->cgroup, &error)) ||
	    !tender_cgroup_set_frozen(self->cgroup, op->cgroup, op->freeze, &error)) {
		tender_freezer_undo(self, op);
		g_prefix_error(&error, "Cannot %s %s: ", tender_freezer_verb(op), op->unit);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	op->deadline = g_get_monotonic_time() + TENDER_FREEZER_TIMEOUT_MS * 1000;
	if (tender_freezer_poll_cb(task) == G_SOURCE_REMOVE)
		return;
	g_timeout_add_full(G_PRIORITY_DEFAULT,
			   TENDER_FREEZER_POLL_MS,
			   tender_freezer_poll_cb,
			   g_steal_pointer(&task),
			   g_object_unref);
}

static void
tender_freezer_systemd_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderFreezerOp *op = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *remote = NULL;

	if (tender_systemd_freeze_unit_finish(TENDER_SYSTEMD(source), res, &error)) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	remote = g_dbus_error_get_remote_error(error);
	if (g_strcmp0(remote, "org.freedesktop.DBus.Error.NotSupported") == 0 ||
	    g_strcmp0(remote, "org.freedesktop.DBus.Error.UnknownMethod") == 0) {
		g_debug("systemd cannot %s %s (%s): writing cgroup.freeze",
			tender_freezer_verb(op),
			op->unit,
			error->message);
		tender_freezer_kernel(g_steal_pointer(&task));
		return;
	}
	tender_error_convert(&error);
	g_prefix_error(&error, "systemd could not %s %s: ", tender_freezer_verb(op), op->unit);
	g_task_return_error(task, g_steal_pointer(&error));
}

static void
tender_freezer_set_async(TenderFreezer *self,
			 const gchar *unit,
			 const gchar *cgroup,
			 gboolean freeze,
			 gpointer source_tag,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderFreezerOp *op = g_new0(TenderFreezerOp, 1);

	op->unit = g_strdup(unit);
	op->cgroup = g_strdup(cgroup);
	op->freeze = freeze;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_freezer_op_free);
	g_task_set_source_tag(task, source_tag);
	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_2 &&
	    self->systemd != NULL) {
		tender_systemd_freeze_unit_async(self->systemd,
						 unit,
						 freeze,
						 cancellable,
						 tender_freezer_systemd_cb,
						 g_steal_pointer(&task));
		return;
	}
	tender_freezer_kernel(g_steal_pointer(&task));
}

/**
 * tender_freezer_freeze_async:
 * @self: a #TenderFreezer
 * @unit: the scope's unit name
 * @cgroup: its cgroup path
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every process of the scope is frozen, or the freeze failed
 * @user_data: for @callback
 *
 * Freezes every process of a scope.  On cgroup v1 this leaves a freezer cgroup behind: call
 * tender_freezer_release() once the scope has ended.
 */
void
tender_freezer_freeze_async(TenderFreezer *self,
			    const gchar *unit,
			    const gchar *cgroup,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_return_if_fail(TENDER_IS_FREEZER(self));
	tender_freezer_set_async(self,
				 unit,
				 cgroup,
				 TRUE,
				 tender_freezer_freeze_async,
				 cancellable,
				 callback,
				 user_data);
}

/**
 * tender_freezer_freeze_finish:
 * @self: a #TenderFreezer
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the scope is frozen; on failure it is thawed again
 */
gboolean
tender_freezer_freeze_finish(TenderFreezer *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_freezer_thaw_async:
 * @self: a #TenderFreezer
 * @unit: the scope's unit name
 * @cgroup: its cgroup path
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the scope's processes run again, or the thaw failed
 * @user_data: for @callback
 */
void
tender_freezer_thaw_async(TenderFreezer *self,
			  const gchar *unit,
			  const gchar *cgroup,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(TENDER_IS_FREEZER(self));
	tender_freezer_set_async(self,
				 unit,
				 cgroup,
				 FALSE,
				 tender_freezer_thaw_async,
				 cancellable,
				 callback,
				 user_data);
}

/**
 * tender_freezer_thaw_finish:
 * @self: a #TenderFreezer
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the scope is thawed
 */
gboolean
tender_freezer_thaw_finish(TenderFreezer *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

typedef struct {
	TenderFreezer *self;
	gchar *cgroup;
	guint tries;
} TenderFreezerRelease;

static void
tender_freezer_release_free(TenderFreezerRelease *release)
{
	g_object_unref(release->self);
	g_free(release->cgroup);
	g_free(release);
}

static gboolean
tender_freezer_release_cb(gpointer user_data)
{
	TenderFreezerRelease *release = user_data;
	g_autoptr(GError) error = NULL;

	if (tender_cgroup_remove_freezer(release->self->cgroup, release->cgroup, &error))
		return G_SOURCE_REMOVE;
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE) &&
	    ++release->tries < TENDER_FREEZER_RELEASE_TRIES)
		return G_SOURCE_CONTINUE;
	g_info("%s", error->message);
	return G_SOURCE_REMOVE;
}

/**
 * tender_freezer_release:
 * @self: a #TenderFreezer
 * @cgroup: the cgroup path of a scope that has ended
 *
 * Removes the v1 freezer cgroup of a scope, now or, while its last processes are still
 * exiting, a little later.  Nothing to do on v2.
 */
void
tender_freezer_release(TenderFreezer *self, const gchar *cgroup)
{
	TenderFreezerRelease *release;

	g_return_if_fail(TENDER_IS_FREEZER(self));
	release = g_new0(TenderFreezerRelease, 1);
	release->self = g_object_ref(self);
	release->cgroup = g_strdup(cgroup);
	if (tender_freezer_release_cb(release) == G_SOURCE_REMOVE) {
		tender_freezer_release_free(release);
		return;
	}
	g_timeout_add_full(G_PRIORITY_DEFAULT,
			   TENDER_FREEZER_RELEASE_DELAY_MS,
			   tender_freezer_release_cb,
			   release,
			   (GDestroyNotify)tender_freezer_release_free);
}

static void
tender_freezer_finalize(GObject *object)
{
	TenderFreezer *self = TENDER_FREEZER(object);
	g_object_unref(self->cgroup);
	g_clear_object(&self->systemd);
	G_OBJECT_CLASS(tender_freezer_parent_class)->finalize(object);
}

static void
tender_freezer_class_init(TenderFreezerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_freezer_finalize;
}

static void
tender_freezer_init(TenderFreezer *self)
{
}

/**
 * tender_freezer_new:
 * @cgroup: the cgroup reader
 * @systemd: (nullable): the connection to PID 1, for FreezeUnit on cgroup v2
 *
 * Returns: (transfer full): a #TenderFreezer
 */
TenderFreezer *
tender_freezer_new(TenderCgroup *cgroup, TenderSystemd *systemd)
{
	TenderFreezer *self = g_object_new(TENDER_TYPE_FREEZER, NULL);
	self->cgroup = g_object_ref(cgroup);
	self->systemd = systemd != NULL ? g_object_ref(systemd) : NULL;
	return self;
}
