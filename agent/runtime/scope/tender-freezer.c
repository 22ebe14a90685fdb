/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "tender-cgroup-private.h"
#include "tender-error.h"
#include "tender-freezer.h"
#include "tender-util.h"

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
/* --- the kernel's freezer ---
 *
 * On cgroup v2 the scope's own cgroup is frozen (cgroup.freeze).  On v1, systemd does not
 * manage the freezer hierarchy: the scope's processes are moved into a cgroup of the same
 * path in it (ROOT/freezer/CGROUP), which is then frozen with freezer.state.
 */

/* how often the scope is searched for processes that escaped the move into the freezer */
#define TENDER_FREEZER_JOIN_ROUNDS 64

static gboolean
tender_freezer_write_string(TenderCgroup *cg,
			    const gchar *controller,
			    const gchar *cgroup,
			    const gchar *file,
			    const gchar *text,
			    gint flags,
			    GError **error)
{
	gchar path[PATH_MAX];
	gsize len = strlen(text);
	gssize n;
	gint fd;

	if (!tender_cgroup_format_path(cg, path, sizeof(path), controller, cgroup, file)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The control group path %s is too long",
			    cgroup);
		return FALSE;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | flags);
	if (fd < 0) {
		gint saved = errno;
		g_set_error(error,
			    TENDER_ERROR,
			    saved == ENOENT ? TENDER_ERROR_NOT_FOUND : TENDER_ERROR_FAILED,
			    "Cannot open %s: %s",
			    path,
			    g_strerror(saved));
		errno = saved;
		return FALSE;
	}
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n != (gssize)len) {
		gint saved = n < 0 ? errno : EIO;
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot write '%.*s' to %s: %s",
			    (gint)strcspn(text, "\n"),
			    text,
			    path,
			    g_strerror(saved));
		errno = saved;
		return FALSE;
	}
	(void)close(fd);
	return TRUE;
}

/* the processes of @cgroup in one hierarchy, as a set */
static GHashTable *
tender_freezer_get_pid_set(TenderCgroup *cg,
			   const gchar *controller,
			   const gchar *cgroup,
			   GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GHashTable) set = g_hash_table_new(g_direct_hash, g_direct_equal);

	if (!tender_cgroup_read_file(cg, controller, cgroup, "cgroup.procs", &contents, error))
		return NULL;
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		guint64 pid = 0;
		if (g_ascii_string_to_unsigned(lines[i], 10, 1, G_MAXINT32, &pid, NULL))
			g_hash_table_add(set, GUINT_TO_POINTER((guint)pid));
	}
	return g_steal_pointer(&set);
}

/**
 * tender_freezer_join:
 * @self: a #TenderFreezer
 * @cgroup: the cgroup path of a scope
 * @error: (nullable): a #GError
 *
 * On cgroup v1, creates the cgroup of the same path in the freezer hierarchy and moves every
 * process of @cgroup into it, again and again until none is left outside: a process forked
 * during the move does not escape.  Nothing to do on v2.
 *
 * Returns: %TRUE once every process of @cgroup is in its freezer cgroup
 */
gboolean
tender_freezer_join(TenderFreezer *self, const gchar *cgroup, GError **error)
{
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(TENDER_IS_FREEZER(self), FALSE);
	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_2)
		return TRUE;
	if (!tender_cgroup_check_exists(self->cgroup, cgroup, error))
		return FALSE;
	dir = g_build_filename(tender_cgroup_get_root(self->cgroup), "freezer", NULL);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The cgroup v1 freezer is not mounted at %s",
			    dir);
		return FALSE;
	}
	g_free(dir);
	dir = tender_cgroup_build_path(self->cgroup, "freezer", cgroup, NULL);
	if (!tender_util_mkdir_with_parents(dir, 0755, error))
		return FALSE;
	for (guint round = 0; round < TENDER_FREEZER_JOIN_ROUNDS; round++) {
		g_autoptr(GHashTable) scope =
		    tender_freezer_get_pid_set(self->cgroup, NULL, cgroup, error);
		g_autoptr(GHashTable) frozen = NULL;
		GHashTableIter iter;
		gpointer key;
		guint moved = 0;

		if (scope == NULL)
			return FALSE;
		frozen = tender_freezer_get_pid_set(self->cgroup, "freezer", cgroup, error);
		if (frozen == NULL)
			return FALSE;
		g_hash_table_iter_init(&iter, scope);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			gchar pid[16];
			g_autoptr(GError) error_local = NULL;
			if (g_hash_table_contains(frozen, key))
				continue;
			moved++;
			g_snprintf(pid, sizeof(pid), "%u\n", GPOINTER_TO_UINT(key));
			if (tender_freezer_write_string(self->cgroup,
							"freezer",
							cgroup,
							"cgroup.procs",
							pid,
							O_APPEND,
							&error_local))
				continue;
			/* a process that is gone already needs no freezing */
			if (errno == ESRCH)
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (moved == 0)
			return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "New processes kept appearing in %s while they were moved into the freezer",
		    cgroup);
	return FALSE;
}

/**
 * tender_freezer_set_frozen:
 * @self: a #TenderFreezer
 * @cgroup: the cgroup path of a scope
 * @frozen: %TRUE to freeze, %FALSE to thaw
 * @error: (nullable): a #GError
 *
 * Asks the kernel to freeze or thaw @cgroup: v1 freezer.state in the freezer hierarchy (see
 * tender_freezer_join()), v2 cgroup.freeze.  Freezing takes a while: wait until
 * tender_freezer_get_frozen() says so.  Thawing a v1 scope that has no freezer cgroup (it was
 * never frozen) does nothing.
 *
 * Returns: %TRUE if the kernel took the request
 */
gboolean
tender_freezer_set_frozen(TenderFreezer *self, const gchar *cgroup, gboolean frozen, GError **error)
{
	g_return_val_if_fail(TENDER_IS_FREEZER(self), FALSE);
	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_2)
		return tender_freezer_write_string(self->cgroup,
						   NULL,
						   cgroup,
						   "cgroup.freeze",
						   frozen ? "1\n" : "0\n",
						   O_TRUNC,
						   error);
	if (!frozen) {
		/* a scope that never was frozen has no freezer cgroup: it is thawed */
		gchar path[PATH_MAX];
		if (tender_cgroup_format_path(self->cgroup,
					      path,
					      sizeof(path),
					      "freezer",
					      cgroup,
					      NULL) &&
		    access(path, F_OK) < 0 && errno == ENOENT)
			return TRUE;
	}
	return tender_freezer_write_string(self->cgroup,
					   "freezer",
					   cgroup,
					   "freezer.state",
					   frozen ? "FROZEN\n" : "THAWED\n",
					   O_TRUNC,
					   error);
}

/**
 * tender_freezer_get_frozen:
 * @self: a #TenderFreezer
 * @cgroup: the cgroup path of a scope
 * @frozen: (out): %TRUE if every process of @cgroup is frozen
 * @error: (nullable): a #GError
 *
 * Tells whether @cgroup is frozen: v1 freezer.state is FROZEN (not merely FREEZING) in the
 * freezer hierarchy, v2 cgroup.events says "frozen 1".  On v1 a scope that never was frozen
 * has no freezer cgroup, and is not frozen.
 *
 * Returns: %TRUE on success; %TENDER_ERROR_NOT_FOUND if @cgroup does not exist
 */
gboolean
tender_freezer_get_frozen(TenderFreezer *self,
			  const gchar *cgroup,
			  gboolean *frozen,
			  GError **error)
{
	gchar path[PATH_MAX];
	gchar buf[64];

	g_return_val_if_fail(TENDER_IS_FREEZER(self), FALSE);
	*frozen = FALSE;
	if (!tender_cgroup_check_exists(self->cgroup, cgroup, error))
		return FALSE;
	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_2) {
		TenderCgroupKeyed events = {"frozen", 0, FALSE};
		if (!tender_cgroup_format_path(self->cgroup,
					       path,
					       sizeof(path),
					       NULL,
					       cgroup,
					       "cgroup.events") ||
		    !tender_cgroup_foreach_line(path, tender_cgroup_keyed_line_cb, &events) ||
		    !events.found) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot read the freezer state of %s from cgroup.events",
				    cgroup);
			return FALSE;
		}
		*frozen = events.value == 1;
		return TRUE;
	}
	if (!tender_cgroup_format_path(self->cgroup,
				       path,
				       sizeof(path),
				       "freezer",
				       cgroup,
				       "freezer.state"))
		return TRUE;
	if (!tender_cgroup_read_buffer(path, buf, sizeof(buf))) {
		if (errno == ENOENT)
			return TRUE;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot read %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	g_strchomp(buf);
	if (strcmp(buf, "FROZEN") == 0) {
		*frozen = TRUE;
	} else if (strcmp(buf, "FREEZING") != 0 && strcmp(buf, "THAWED") != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Unknown freezer state '%s' in %s",
			    buf,
			    path);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_freezer_remove:
 * @self: a #TenderFreezer
 * @cgroup: the cgroup path of a scope
 * @error: (nullable): a #GError
 *
 * Removes the freezer cgroup that tender_freezer_join() made (v1); one that does not
 * exist is no error.  Nothing to do on v2.
 *
 * Returns: %TRUE if it is gone; %TENDER_ERROR_INVALID_STATE while processes are still in it
 */
gboolean
tender_freezer_remove(TenderFreezer *self, const gchar *cgroup, GError **error)
{
	gchar path[PATH_MAX];

	g_return_val_if_fail(TENDER_IS_FREEZER(self), FALSE);
	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_2)
		return TRUE;
	if (!tender_cgroup_format_path(self->cgroup, path, sizeof(path), "freezer", cgroup, NULL))
		return TRUE;
	if (rmdir(path) == 0 || errno == ENOENT) {
		/* and the slices made for it, once no other scope needs them: a process that
		 * joins the scope's nearest cgroup in each hierarchy (a health check) must not
		 * find a stray tender.slice in the freezer hierarchy */
		gchar root[PATH_MAX];
		gchar *slash;
		if (!tender_cgroup_format_path(self->cgroup,
					       root,
					       sizeof(root),
					       "freezer",
					       "/",
					       NULL))
			return TRUE;
		while ((slash = strrchr(path, '/')) != NULL) {
			*slash = '\0';
			if (strlen(path) <= strlen(root) || rmdir(path) < 0)
				break;
		}
		return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    errno == EBUSY ? TENDER_ERROR_INVALID_STATE : TENDER_ERROR_FAILED,
		    "Cannot remove %s: %s",
		    path,
		    g_strerror(errno));
	return FALSE;
}

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

	if (op->freeze && !tender_freezer_set_frozen(self, op->cgroup, FALSE, &error))
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

	if (!tender_freezer_get_frozen(self, op->cgroup, &frozen, &error)) {
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

	if ((op->freeze && !tender_freezer_join(self, op->cgroup, &error)) ||
	    !tender_freezer_set_frozen(self, op->cgroup, op->freeze, &error)) {
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

/**
 * tender_freezer_set_state_async:
 * @self: a #TenderFreezer
 * @unit: the scope's unit name
 * @cgroup: its cgroup path
 * @freeze: %TRUE to freeze every process of the scope, %FALSE to thaw them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every process of the scope is frozen (or runs again), or the freeze
 *   (or thaw) failed
 * @user_data: for @callback
 *
 * Freezes or thaws every process of a scope.  On cgroup v1 a freeze leaves a freezer cgroup
 * behind: call tender_freezer_release() once the scope has ended.
 */
void
tender_freezer_set_state_async(TenderFreezer *self,
			       const gchar *unit,
			       const gchar *cgroup,
			       gboolean freeze,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	TenderFreezerOp *op;

	g_return_if_fail(TENDER_IS_FREEZER(self));
	task = g_task_new(self, cancellable, callback, user_data);
	op = g_new0(TenderFreezerOp, 1);
	op->unit = g_strdup(unit);
	op->cgroup = g_strdup(cgroup);
	op->freeze = freeze;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_freezer_op_free);
	g_task_set_source_tag(task, tender_freezer_set_state_async);
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
 * tender_freezer_set_state_finish:
 * @self: a #TenderFreezer
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the scope is frozen (or thawed); a freeze that failed is thawed again
 */
gboolean
tender_freezer_set_state_finish(TenderFreezer *self, GAsyncResult *res, GError **error)
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

	if (tender_freezer_remove(release->self, release->cgroup, &error))
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
