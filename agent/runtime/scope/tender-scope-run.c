/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-freezer.h"
#include "tender-scope-containers.h"
#include "tender-scope-run-private.h"
#include "tender-scope-shim.h"
#include "tender-units.h"
#include "tender-util.h"

/*
 * TenderScopeRun is one run of a workload in the scope runtime: it spawns tender-shim, has
 * systemd move it into a new transient scope with the spec's limits, tells it to go, learns
 * the command's PID, and, when the shim exits, reads the exit record the shim wrote and
 * reports how the run ended.  Signals, metrics and limits go through the scope's cgroup,
 * pause and resume through TenderFreezer.  Nothing here blocks: every step is a callback on
 * the main loop.
 *
 * The shim is spawned, and its end and status pipe watched, in tender-scope-run-shim.c.
 *
 * A run on the private network is joined to it (TenderNetworkManager) when the shim names the
 * container's first process, which waits until then, and detached when it ends; a run adopted
 * after a restart of tenderd is joined again (its veth is kept, its ports published again).
 */

/* an abandoned run: how often, and how many times, its scope is checked and killed again */
#define TENDER_SCOPE_RUN_ABANDON_INTERVAL_MS 20
#define TENDER_SCOPE_RUN_ABANDON_TRIES	     250

G_DEFINE_TYPE(TenderScopeRun, tender_scope_run, TENDER_TYPE_RUNTIME_RUN)

static gchar *
tender_scope_run_signal_name(gint signo)
{
	const gchar *name = tender_units_signal_to_string(signo);
	return name != NULL ? g_strdup(name) : g_strdup_printf("%d", signo);
}

void
tender_scope_run_close_go(TenderScopeRun *self)
{
	if (self->go_fd >= 0) {
		(void)close(self->go_fd);
		self->go_fd = -1;
	}
}

/* the start failed before the command ran: remember why; the end comes with the shim's exit */
void
tender_scope_run_fail_start(TenderScopeRun *self, const gchar *reason)
{
	if (self->start_error == NULL)
		self->start_error = g_strdup(reason);
	tender_scope_run_close_go(self);
	tender_scope_run_kill_shim(self);
}

static gboolean
tender_scope_run_read_record(TenderScopeRun *self, JsonObject **out, GError **error)
{
	g_autofree gchar *data = NULL;
	g_autoptr(JsonObject) obj = NULL;
	gsize len = 0;

	if (!g_file_get_contents(self->record_path, &data, &len, error))
		return FALSE;
	obj = tender_scope_shim_parse_record(self->record_path, data, len, error);
	if (obj == NULL)
		return FALSE;
	if (g_strcmp0(json_object_get_string_member_with_default(obj, "run_id", ""),
		      self->run_id) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s belongs to another run",
			    self->record_path);
		return FALSE;
	}
	*out = g_steal_pointer(&obj);
	return TRUE;
}

void
tender_scope_run_finish_start(TenderScopeRun *self, GError *error)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->start_task);
	if (task == NULL) {
		if (error != NULL)
			g_error_free(error);
		return;
	}
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

/* both the shim has exited and its status pipe is drained: settle the workload's state */
void
tender_scope_run_end(TenderScopeRun *self)
{
	g_autoptr(TenderScopeRun) keep = NULL;
	TenderWorkload *w = self->workload;
	g_autoptr(JsonObject) record = NULL;
	g_autoptr(GError) error_record = NULL;
	g_autofree gchar *reason = NULL;
	g_autofree gchar *now = NULL;
	gint64 ended_usec = 0;
	TenderState state;
	gint exit_code = -1;
	gint signo = 0;
	gint64 oom_kills = 0;

	if (tender_runtime_run_has_ended(TENDER_RUNTIME_RUN(self)) || !self->shim_exited ||
	    !self->status_done)
		return;
	/* the handlers of ::ended may drop the last other reference */
	keep = g_object_ref(self);
	tender_scope_run_unwatch(self, &self->pidfd_watch);
	g_clear_handle_id(&self->child_id, g_source_remove);
	g_clear_handle_id(&self->cut_id, g_source_remove);
	tender_scope_run_close_go(self);
	/* its veth, rules and proxies go (the address stays the workload's until it is removed) */
	tender_scope_run_leave_network(self);

	if (!tender_scope_run_read_record(self, &record, &error_record))
		g_debug("workload %s: no exit record: %s",
			tender_workload_get_name(w),
			error_record->message);

	if (record != NULL) {
		const gchar *status =
		    json_object_get_string_member_with_default(record, "status", "");
		gint err = (gint)json_object_get_int_member_with_default(record, "errno", 0);
		ended_usec = json_object_get_int_member_with_default(record, "ended_usec", 0);
		exit_code = (gint)json_object_get_int_member_with_default(record, "exit_code", -1);
		signo = (gint)json_object_get_int_member_with_default(record, "signal", 0);
		oom_kills = json_object_get_int_member_with_default(record, "oom_kills", 0);
		if (g_strcmp0(status, "exec-failed") == 0 && self->start_error == NULL)
			self->start_error = g_strdup_printf("exec: %s", g_strerror(err));
		else if (g_strcmp0(status, "fork-failed") == 0 && self->start_error == NULL)
			self->start_error = g_strdup_printf("fork: %s", g_strerror(err));
	} else if (self->shim_signal != 0) {
		/* the shim itself was SIGKILLed (by a stop's escalation, or by someone) */
		signo = self->shim_signal;
	}

	now =
	    ended_usec > 0 ? tender_util_timestamp_format(ended_usec) : tender_util_timestamp_now();
	/* StartedAt is when tenderd heard that the command runs, which may come after a quick
	 * command's end as the shim saw it: a run never ends before it started */
	if (g_strcmp0(now, tender_workload_get_started_at(w)) < 0) {
		g_free(now);
		now = g_strdup(tender_workload_get_started_at(w));
	}
	tender_workload_set_main_pid(w, 0);

	tender_workload_set_oom_killed(w, oom_kills > 0);
	if (!self->reached_running) {
		if (self->start_error == NULL)
			self->start_error =
			    g_strdup("tender-shim ended before the command was executed");
		tender_workload_set_exit(w, -1, 0);
		tender_workload_set_stopped_at(w, now);
		tender_runtime_run_report_ended(TENDER_RUNTIME_RUN(self),
						TENDER_STATE_FAILED,
						self->start_error);
		tender_scope_run_finish_start(self,
					      g_error_new_literal(TENDER_ERROR,
								  TENDER_ERROR_FAILED,
								  self->start_error));
		return;
	}

	tender_workload_set_exit(w, exit_code, signo);
	tender_workload_set_stopped_at(w, now);
	if (tender_runtime_run_get_stop_requested(TENDER_RUNTIME_RUN(self))) {
		state = TENDER_STATE_STOPPED;
		reason = g_strdup(tender_runtime_run_get_stop_escalated(TENDER_RUNTIME_RUN(self))
				      ? "stop-timeout"
				      : "");
	} else if (signo == SIGKILL && oom_kills > 0) {
		/* the kernel's OOM killer struck in the scope (its own counter says so) */
		state = TENDER_STATE_FAILED;
		reason = g_strdup("oom-kill");
	} else if (signo != 0) {
		g_autofree gchar *signame = tender_scope_run_signal_name(signo);
		state = TENDER_STATE_FAILED;
		reason = g_strdup_printf("signal: %s", signame);
	} else if (exit_code >= 0) {
		state = TENDER_STATE_EXITED;
		reason = g_strdup_printf("exit-code: %d", exit_code);
	} else if (tender_runtime_run_was_abandoned(TENDER_RUNTIME_RUN(self))) {
		state = TENDER_STATE_FAILED;
		reason = g_strdup("lost: tenderd stopped while starting it; its processes were "
				  "killed");
	} else if (self->adopted) {
		/* adopted after a restart of tenderd, and the shim left no word */
		state = TENDER_STATE_FAILED;
		reason = g_strdup("lost: tender-shim ended without an exit record");
	} else {
		state = TENDER_STATE_FAILED;
		reason = g_strdup("tender-shim ended without an exit record");
	}
	if (record == NULL) {
		/* whatever the shim left behind must not live on unseen */
		const gchar *cgroup = tender_workload_get_control_group(w);
		if (cgroup[0] != '\0')
			(void)tender_cgroup_kill(self->cgroup, cgroup, SIGKILL, 0, NULL, NULL);
	}
	tender_runtime_run_report_ended(TENDER_RUNTIME_RUN(self), state, reason);
	/* a freezer cgroup of the run (v1) goes once it has ended */
	if (self->freezer != NULL)
		tender_freezer_release(self->freezer, tender_workload_get_control_group(w));
}

static void
tender_scope_run_scope_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderScopeRun) self = TENDER_SCOPE_RUN(user_data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cgroup = NULL;

	cgroup = tender_systemd_start_scope_finish(TENDER_SYSTEMD(source), res, &error);
	if (cgroup == NULL) {
		g_autofree gchar *why = g_strdup_printf("scope: %s", error->message);
		tender_scope_run_fail_start(self, why);
		return;
	}
	tender_workload_set_control_group(self->workload, cgroup);
	tender_util_crash_point("start-scope");
	if (self->shim_exited) {
		tender_scope_run_fail_start(self, "tender-shim ended before its scope was ready");
		return;
	}
	/* the shim is in its scope with every limit applied: only now may the command run */
	if (write(self->go_fd, "G", 1) != 1) {
		g_autofree gchar *why = g_strdup_printf("tender-shim: %s", g_strerror(errno));
		tender_scope_run_fail_start(self, why);
		return;
	}
	/* the private network: the shim waits for a second word (tender_scope_run_joined_cb) */
	if (tender_spec_get_network(tender_workload_get_spec(self->workload)) !=
	    TENDER_NETWORK_PRIVATE)
		tender_scope_run_close_go(self);
	tender_util_crash_point("start-go");
}

static void
tender_scope_run_start_async(TenderRuntimeRun *run,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	g_autoptr(GError) error = NULL;

	g_return_if_fail(self->start_task == NULL);
	self->start_task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(self->start_task, tender_scope_run_start_async);

	if (g_unlink(self->record_path) < 0 && errno != ENOENT)
		g_warning("cannot remove %s: %s", self->record_path, g_strerror(errno));
	if (self->systemd == NULL) {
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "no connection to systemd");
	} else if (!tender_scope_run_spawn_shim(self, &error)) {
		/* a user or group that no longer exists is the spec's fault, not the spawn's */
		if (!g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT))
			g_prefix_error(&error, "spawn: ");
	}
	if (error != NULL) {
		/* nothing was started: end the run right here */
		self->shim_exited = TRUE;
		self->status_done = TRUE;
		self->start_error = g_strdup(error->message);
		tender_scope_run_close_go(self);
		tender_scope_run_end(self);
		return;
	}
	tender_util_crash_point("start-spawned");
	tender_scope_run_watch_shim(self);
	tender_systemd_start_scope_async(
	    self->systemd,
	    tender_workload_get_unit(self->workload),
	    tender_systemd_build_scope_properties(tender_workload_get_spec(self->workload),
						  tender_workload_get_name(self->workload),
						  self->shim_pid),
	    NULL,
	    tender_scope_run_scope_started_cb,
	    g_object_ref(self));
}

static gboolean
tender_scope_run_start_finish(TenderRuntimeRun *run, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, run), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_scope_run_thawed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree gchar *name = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_freezer_set_state_finish(TENDER_FREEZER(source), res, &error))
		g_warning("workload %s: %s", name, error->message);
}

static TenderFreezer *
tender_scope_run_get_freezer(TenderScopeRun *self)
{
	if (self->freezer == NULL)
		self->freezer = tender_freezer_new(self->cgroup, self->systemd);
	return self->freezer;
}

/* thaws the run without waiting: it is being stopped */
static void
tender_scope_run_thaw_to_stop(TenderScopeRun *self)
{
	TenderWorkload *w = self->workload;

	self->frozen = FALSE;
	tender_freezer_set_state_async(tender_scope_run_get_freezer(self),
				       tender_workload_get_unit(w),
				       tender_workload_get_control_group(w),
				       FALSE,
				       NULL,
				       tender_scope_run_thawed_cb,
				       g_strdup(tender_workload_get_name(w)));
}

/*
 * SIGTERM (and SIGCONT, so that a stopped process sees it) to every process of the workload
 * but tender-shim.  A frozen workload is thawed first: its processes take the signals only
 * once thawed (on cgroup v1 not even SIGKILL reaches them).  The run ends when the shim has
 * reaped the command.
 */
static gboolean
tender_scope_run_stop(TenderRuntimeRun *run, GError **error)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	const gchar *cgroup = tender_workload_get_control_group(self->workload);

	if (self->stop_begun == 0)
		self->stop_begun = g_get_monotonic_time();
	if (self->frozen) {
		g_info("thawing workload %s so that it can stop",
		       tender_workload_get_name(self->workload));
		tender_scope_run_thaw_to_stop(self);
	}
	if (!tender_cgroup_kill(self->cgroup, cgroup, SIGTERM, self->shim_pid, NULL, error))
		return FALSE;
	(void)tender_cgroup_kill(self->cgroup, cgroup, SIGCONT, self->shim_pid, NULL, NULL);
	return TRUE;
}

/* tells tender-shim that the stop's timeout has passed: it runs no further post_stop hook */
static void
tender_scope_run_tell_shim(TenderScopeRun *self)
{
	if (self->pidfd >= 0 && pidfd_send_signal(self->pidfd, SIGUSR1, NULL, 0) < 0 &&
	    errno != ESRCH)
		g_warning("workload %s: cannot signal tender-shim: %s",
			  tender_workload_get_name(self->workload),
			  g_strerror(errno));
}

static gboolean
tender_scope_run_cut_hooks_cb(gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(user_data);

	self->cut_id = 0;
	g_info("workload %s: its post_stop hooks did not end in time: killing them",
	       tender_workload_get_name(self->workload));
	tender_scope_run_tell_shim(self);
	(void)tender_cgroup_kill(self->cgroup,
				 tender_workload_get_control_group(self->workload),
				 SIGKILL,
				 self->shim_pid,
				 NULL,
				 NULL);
	return G_SOURCE_REMOVE;
}

/*
 * A stop's timeout has passed: its SIGKILL goes to every process of the scope but tender-shim,
 * the command's and a post_stop hook's alike.  The shim is told first, so that it runs no
 * further post_stop hook: a stop that the command obeyed in time ends within its timeout,
 * hooks included.  If the command was still running, its post_stop hooks have yet to run:
 * they get as long again (the stop's timeout once more), then the same happens to them.  So a
 * stop takes at most twice its timeout (and the few seconds the output may take to drain).
 */
static void
tender_scope_run_cut_stop(TenderScopeRun *self)
{
	gint64 elapsed_ms = (g_get_monotonic_time() - self->stop_begun) / 1000;

	self->stop_cut = TRUE;
	tender_scope_run_tell_shim(self);
	self->cut_id = g_timeout_add((guint)CLAMP(elapsed_ms, 0, G_MAXUINT),
				     tender_scope_run_cut_hooks_cb,
				     self);
}

/* @signo to every process of the workload but tender-shim */
static gboolean
tender_scope_run_kill(TenderRuntimeRun *run, gint signo, guint *n_signalled, GError **error)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);

	/* the SIGKILL of a stop whose timeout has passed (tender_runtime_run_stop()) */
	if (signo == SIGKILL && !self->stop_cut && self->stop_begun != 0 &&
	    tender_runtime_run_get_stop_escalated(run))
		tender_scope_run_cut_stop(self);
	return tender_cgroup_kill(self->cgroup,
				  tender_workload_get_control_group(self->workload),
				  signo,
				  self->shim_pid,
				  n_signalled,
				  error);
}

static void
tender_scope_run_paused_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderScopeRun *self = g_task_get_source_object(task);
	TenderRuntimeRun *run = TENDER_RUNTIME_RUN(self);
	gboolean paused = GPOINTER_TO_INT(g_task_get_task_data(task));
	g_autoptr(GError) error = NULL;

	if (!tender_freezer_set_state_finish(TENDER_FREEZER(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!paused)
		self->frozen = FALSE;
	else if (tender_runtime_run_has_ended(run))
		self->frozen = FALSE;
	else if (tender_runtime_run_get_stop_requested(run))
		/* stopped while being frozen: let it carry on with that */
		tender_scope_run_thaw_to_stop(self);
	else
		self->frozen = TRUE;
	g_task_return_boolean(task, TRUE);
}

/* freezes (or thaws) every process of the scope, see TenderFreezer */
static void
tender_scope_run_set_paused_async(TenderRuntimeRun *run,
				  gboolean paused,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	TenderWorkload *w = self->workload;
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_scope_run_set_paused_async);
	g_task_set_task_data(task, GINT_TO_POINTER(paused), NULL);
	tender_freezer_set_state_async(tender_scope_run_get_freezer(self),
				       tender_workload_get_unit(w),
				       tender_workload_get_control_group(w),
				       paused,
				       NULL,
				       tender_scope_run_paused_cb,
				       task);
}

static gboolean
tender_scope_run_set_paused_finish(TenderRuntimeRun *run, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, run), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

static gboolean
tender_scope_run_get_paused(TenderRuntimeRun *run)
{
	return TENDER_SCOPE_RUN(run)->frozen;
}

/* the usage of the scope, from its cgroup files */
static gboolean
tender_scope_run_read_metrics(TenderRuntimeRun *run, TenderRuntimeMetrics *metrics, GError **error)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	const gchar *cgroup = tender_workload_get_control_group(self->workload);

	if (cgroup[0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "it has no control group");
		return FALSE;
	}
	return tender_cgroup_read_metrics(self->cgroup, cgroup, metrics, error);
}

/* what a worker thread reads: the cgroup hierarchy (immutable) and a copy of the path */
typedef struct {
	TenderCgroup *cgroup;
	gchar *path;
} TenderScopeRunMetricsData;

static void
tender_scope_run_metrics_data_free(gpointer user_data)
{
	TenderScopeRunMetricsData *data = user_data;
	g_object_unref(data->cgroup);
	g_free(data->path);
	g_free(data);
}

static gboolean
tender_scope_run_metrics_read(gpointer user_data, TenderRuntimeMetrics *metrics, GError **error)
{
	TenderScopeRunMetricsData *data = user_data;
	return tender_cgroup_read_metrics(data->cgroup, data->path, metrics, error);
}

/* the same reads as tender_scope_run_read_metrics(), for a worker thread */
static TenderRuntimeMetricsReader *
tender_scope_run_get_metrics_reader(TenderRuntimeRun *run)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	const gchar *cgroup = tender_workload_get_control_group(self->workload);
	TenderScopeRunMetricsData *data;
	TenderRuntimeMetricsReader *reader;

	if (cgroup[0] == '\0')
		return NULL;
	data = g_new0(TenderScopeRunMetricsData, 1);
	data->cgroup = g_object_ref(self->cgroup);
	data->path = g_strdup(cgroup);
	reader = g_new0(TenderRuntimeMetricsReader, 1);
	reader->func = tender_scope_run_metrics_read;
	reader->data = data;
	reader->destroy = tender_scope_run_metrics_data_free;
	return reader;
}

/* the limits the kernel holds for the scope */
static GVariant *
tender_scope_run_read_limits(TenderRuntimeRun *run, GError **error)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	const gchar *cgroup = tender_workload_get_control_group(self->workload);

	if (cgroup[0] == '\0')
		return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return tender_cgroup_read_limits(self->cgroup, cgroup, error);
}

static gchar **
tender_scope_run_get_join_files(TenderRuntimeRun *run, GError **error)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	return tender_cgroup_get_procs_files(self->cgroup,
					     tender_workload_get_control_group(self->workload),
					     error);
}

/*
 * Takes over a run that a previous tenderd started.  If its tender-shim still runs (checked
 * by its command line, which names @run_id, through a pidfd so that a reused PID cannot
 * fool it), the run goes on and ends as any other; paused or not is what the kernel says.
 * Otherwise it ends right away, with the state the shim's exit record gives, or failed
 * "lost: ..." if there is none (and then any process left in the scope is killed).
 */
static void
tender_scope_run_adopt(TenderRuntimeRun *run, const gchar *run_id, GPid shim_pid)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	g_autoptr(GError) error = NULL;

	/* a freezer cgroup of the run (v1) goes when it ends, whether it was paused or not */
	(void)tender_scope_run_get_freezer(self);
	g_free(self->run_id);
	self->run_id = g_strdup(run_id);
	self->shim_pid = shim_pid;
	self->adopted = TRUE;
	self->status_done = TRUE;
	self->reached_running = TRUE;
	if (shim_pid > 0)
		self->pidfd = pidfd_open(shim_pid, 0);
	if (self->pidfd < 0) {
		g_debug("workload %s: tender-shim PID %d is gone",
			tender_workload_get_name(self->workload),
			(gint)shim_pid);
	} else if (!tender_scope_shim_check_pid(self->pidfd, shim_pid, run_id, &error)) {
		g_debug("workload %s: %s",
			tender_workload_get_name(self->workload),
			error->message);
	} else if (!tender_scope_run_watch_pidfd(self, &error)) {
		g_warning("workload %s: %s",
			  tender_workload_get_name(self->workload),
			  error->message);
	} else {
		g_info("workload %s: re-adopted run %s (tender-shim PID %d)",
		       tender_workload_get_name(self->workload),
		       run_id,
		       (gint)shim_pid);
		tender_scope_run_rejoin_network(self);
		/* a pause or resume may have been under way */
		if (!tender_freezer_get_frozen(self->freezer,
					       tender_workload_get_control_group(self->workload),
					       &self->frozen,
					       &error))
			g_debug("workload %s: %s",
				tender_workload_get_name(self->workload),
				error->message);
		return;
	}
	/* ended while tenderd was away: what is left of its network goes */
	tender_scope_run_mark_network(self);
	self->shim_exited = TRUE;
	tender_scope_run_end(self);
}

static void
tender_scope_run_abandon_stopped_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderScopeRun) self = TENDER_SCOPE_RUN(user_data);
	g_autoptr(GError) error = NULL;

	if (!tender_systemd_stop_unit_finish(TENDER_SYSTEMD(source), res, &error))
		g_warning("workload %s: cannot stop %s: %s",
			  tender_workload_get_name(self->workload),
			  tender_workload_get_unit(self->workload),
			  error->message);
	self->shim_exited = TRUE;
	tender_scope_run_end(self);
}

/* the scope's cgroup is empty, or the cgroup is gone: the abandoned run is over */
static gboolean
tender_scope_run_abandon_cb(gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(user_data);
	const gchar *cgroup = tender_workload_get_control_group(self->workload);
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) pids = tender_cgroup_get_pids(self->cgroup, cgroup, &error);

	if (pids != NULL && pids->len > 0 &&
	    self->abandon_tries++ < TENDER_SCOPE_RUN_ABANDON_TRIES) {
		/* again: a process may have forked while the others were killed */
		(void)tender_cgroup_kill(self->cgroup, cgroup, SIGKILL, 0, NULL, NULL);
		return G_SOURCE_CONTINUE;
	}
	if (pids != NULL && pids->len > 0)
		g_warning("workload %s: %u processes of %s survive SIGKILL",
			  tender_workload_get_name(self->workload),
			  pids->len,
			  cgroup);
	else if (pids == NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		g_warning("workload %s: %s",
			  tender_workload_get_name(self->workload),
			  error->message);
	self->abandon_id = 0;
	if (self->systemd == NULL) {
		self->shim_exited = TRUE;
		tender_scope_run_end(self);
		return G_SOURCE_REMOVE;
	}
	/* systemd may not have seen the scope's cgroup go empty (a shim that died before or
	 * while it was moved there): its stop makes sure the scope goes, so that the workload
	 * can start again */
	tender_systemd_stop_unit_async(self->systemd,
				       tender_workload_get_unit(self->workload),
				       NULL,
				       tender_scope_run_abandon_stopped_cb,
				       g_object_ref(self));
	return G_SOURCE_REMOVE;
}

/*
 * Ends a run that a previous tenderd was starting when it went away.  Its caller never heard
 * that the command runs, and nothing says what its PID would be, so it is not adopted:
 * everything in the workload's scope is killed (a tender-shim that never got the word to go
 * gives up by itself), and once the scope is empty the run ends with what its exit record
 * says or, without one, failed "lost: ...".  The scope then goes, so that the workload can be
 * started again.
 */
static void
tender_scope_run_abandon(TenderRuntimeRun *run, const gchar *run_id)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(run);
	g_autofree gchar *cgroup = NULL;

	g_free(self->run_id);
	self->run_id = g_strdup(run_id);
	self->adopted = TRUE;
	self->status_done = TRUE;
	self->reached_running = TRUE;
	/* the scope may exist although the old tenderd never learnt its cgroup */
	cgroup = g_strdup_printf("/%s/%s",
				 TENDER_SYSTEMD_SLICE,
				 tender_workload_get_unit(self->workload));
	tender_workload_set_control_group(self->workload, cgroup);
	g_info("workload %s: tenderd stopped while starting run %s; killing what is left of it",
	       tender_workload_get_name(self->workload),
	       run_id);
	(void)tender_cgroup_kill(self->cgroup, cgroup, SIGKILL, 0, NULL, NULL);
	self->abandon_id =
	    g_timeout_add(TENDER_SCOPE_RUN_ABANDON_INTERVAL_MS, tender_scope_run_abandon_cb, self);
}

static const gchar *
tender_scope_run_get_id(TenderRuntimeRun *run)
{
	return TENDER_SCOPE_RUN(run)->run_id;
}

/* the PID of tender-shim, or 0 before it is spawned */
static GPid
tender_scope_run_get_pid(TenderRuntimeRun *run)
{
	return TENDER_SCOPE_RUN(run)->shim_pid;
}

static void
tender_scope_run_dispose(GObject *object)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(object);
	/* a watch of the shim holds a reference: none is left once the run is disposed */
	g_warn_if_fail(self->pidfd_watch == 0 && self->status_watch == 0 && self->child_id == 0);
	g_clear_handle_id(&self->abandon_id, g_source_remove);
	g_clear_handle_id(&self->cut_id, g_source_remove);
	tender_scope_run_close_go(self);
	if (self->pidfd >= 0) {
		(void)close(self->pidfd);
		self->pidfd = -1;
	}
	if (self->status_fd >= 0) {
		(void)close(self->status_fd);
		self->status_fd = -1;
	}
	G_OBJECT_CLASS(tender_scope_run_parent_class)->dispose(object);
}

static void
tender_scope_run_finalize(GObject *object)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(object);
	g_object_unref(self->workload);
	g_clear_object(&self->systemd);
	g_object_unref(self->cgroup);
	g_object_unref(self->containers);
	g_clear_object(&self->freezer);
	g_clear_object(&self->network);
	g_object_unref(self->watch);
	g_string_free(self->status, TRUE);
	g_clear_object(&self->start_task);
	g_free(self->shim_path);
	g_free(self->record_path);
	g_free(self->run_id);
	g_free(self->start_error);
	G_OBJECT_CLASS(tender_scope_run_parent_class)->finalize(object);
}

static void
tender_scope_run_class_init(TenderScopeRunClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	TenderRuntimeRunClass *run_class = TENDER_RUNTIME_RUN_CLASS(klass);

	object_class->dispose = tender_scope_run_dispose;
	object_class->finalize = tender_scope_run_finalize;
	run_class->start_async = tender_scope_run_start_async;
	run_class->start_finish = tender_scope_run_start_finish;
	run_class->stop = tender_scope_run_stop;
	run_class->kill = tender_scope_run_kill;
	run_class->set_paused_async = tender_scope_run_set_paused_async;
	run_class->set_paused_finish = tender_scope_run_set_paused_finish;
	run_class->get_paused = tender_scope_run_get_paused;
	run_class->read_metrics = tender_scope_run_read_metrics;
	run_class->get_metrics_reader = tender_scope_run_get_metrics_reader;
	run_class->read_limits = tender_scope_run_read_limits;
	run_class->get_join_files = tender_scope_run_get_join_files;
	run_class->adopt = tender_scope_run_adopt;
	run_class->abandon = tender_scope_run_abandon;
	run_class->get_id = tender_scope_run_get_id;
	run_class->get_pid = tender_scope_run_get_pid;
}

static void
tender_scope_run_init(TenderScopeRun *self)
{
	self->go_fd = -1;
	self->pidfd = -1;
	self->status_fd = -1;
	self->status = g_string_new(NULL);
}

/**
 * tender_scope_run_new:
 * @workload: the workload to run
 * @systemd: (nullable): the connection to PID 1; without it no scope can be started
 * @cgroup: the cgroup reader
 * @containers: the container directories of workloads with an image
 * @watch: the runtime's one main-loop source, which watches the shim
 * @shim_path: where tender-shim is
 * @record_path: where the shim writes the exit record
 *
 * Returns: (transfer full): a #TenderScopeRun
 */
TenderScopeRun *
tender_scope_run_new(TenderWorkload *workload,
		     TenderSystemd *systemd,
		     TenderCgroup *cgroup,
		     TenderScopeContainers *containers,
		     TenderScopeWatch *watch,
		     const gchar *shim_path,
		     const gchar *record_path)
{
	TenderScopeRun *self = g_object_new(TENDER_TYPE_SCOPE_RUN, "workload", workload, NULL);
	g_autofree gchar *uuid = g_uuid_string_random();
	g_auto(GStrv) parts = g_strsplit(uuid, "-", -1);

	self->workload = g_object_ref(workload);
	self->systemd = systemd != NULL ? g_object_ref(systemd) : NULL;
	self->cgroup = g_object_ref(cgroup);
	self->containers = g_object_ref(containers);
	self->watch = g_object_ref(watch);
	self->shim_path = g_strdup(shim_path);
	self->record_path = g_strdup(record_path);
	self->run_id = g_strjoinv("", parts);
	return self;
}
