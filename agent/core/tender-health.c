/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-health.h"
#include "tender-identity.h"

/*
 * TenderHealth runs the health check of one run of a workload, on the main loop: a timer
 * starts a check interval_sec after the previous one has ended (so checks never overlap), a
 * second timer ends a check that takes longer than timeout_sec, and a TenderHealthTracker
 * turns the results into a status.  No systemd unit is involved.
 *
 * A command check of a minimal workload is a child of tenderd that joins the workload's
 * control groups between fork and exec, so that it runs, and is limited and accounted, as
 * part of the workload; it gets the workload's environment and working directory, and nothing
 * of tenderd's: stdin and output are /dev/null, and GLib closes every other descriptor.  It
 * leads a process group of its own, so that a check that overruns is killed with all it
 * started.
 *
 * A command check of an isolated workload (standard, strict) runs as ExecWorkload runs a
 * command: the runtime runs it inside the workload (the scope runtime with tender-nsenter: its
 * namespaces and root, its user, its seccomp filter if strict, an image's Env and WorkingDir).
 * Its output is read and discarded.  An overrun cancels it, which kills it.
 *
 * An http_url check is a GET from tenderd itself, without a proxy and without following
 * redirects: any 2xx or 3xx answer passes.  Only the status line is waited for.
 *
 * Failures are logged at debug level only, changes of status at info level.
 */

typedef struct _TenderHealthCheck TenderHealthCheck;

struct _TenderHealth {
	GObject parent_instance;
	TenderWorkload *workload;
	TenderRuntimeRun *run; /* the run the checks are of */
	GWeakRef runtime;      /* its runtime, which runs the commands of isolated workloads */
	const TenderHealthSpec *spec; /* the workload's */
	TenderHealthTracker tracker;
	SoupSession *session; /* made by the first http_url check */
	gboolean active;      /* between tender_health_start() and tender_health_suspend() */
	guint interval_id;
	TenderHealthCheck *check; /* the check under way */
	gboolean join_warned;
	TenderIdentity *identity; /* the workload's user, looked up once, at the first check */
};

G_DEFINE_TYPE(TenderHealth, tender_health, G_TYPE_OBJECT)

enum { SIGNAL_STATUS_CHANGED, SIGNAL_UNHEALTHY, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

/* one check; it lives until its process is reaped or its request has finished */
struct _TenderHealthCheck {
	TenderHealth *health; /* NULL once the check no longer counts (suspended, disposed) */
	gint64 started;	      /* monotonic */
	guint timeout_sec;
	guint timeout_id;
	gboolean timed_out;
	GCancellable *cancellable;
	/* a command */
	GSubprocess *process;
	GPid pgid;
	gint report_fd; /* the child writes a TenderHealthJoinError here if it cannot join */
	/* a command in an isolated workload, which its runtime runs */
	TenderRuntimeExec *exec;
	/* an http_url */
	SoupSession *session;
	SoupMessage *message;
	GInputStream *body;
	gboolean passed;
	gchar *why;
};

/* what the child setup needs, all computed before the fork */
typedef struct {
	gchar **files; /* the cgroup.procs files to write "0" into */
	gint report_fd;
	const TenderPrivdrop *drop; /* the workload's user, or NULL for root */
} TenderHealthJoin;

typedef struct {
	gint32 index; /* into TenderHealthJoin.files; -1 for setpgid(), -2 for the user */
	gint32 error; /* an errno */
} TenderHealthJoinError;

static void
tender_health_check_free(TenderHealthCheck *check)
{
	g_clear_handle_id(&check->timeout_id, g_source_remove);
	if (check->report_fd >= 0)
		(void)close(check->report_fd);
	g_clear_object(&check->process);
	g_clear_object(&check->body);
	g_clear_object(&check->message);
	g_clear_object(&check->session);
	g_clear_object(&check->cancellable);
	g_clear_pointer(&check->exec, tender_runtime_exec_free);
	g_free(check->why);
	g_free(check);
}

/* SIGKILL to the check's process group, while its leader has not been reaped */
static void
tender_health_check_kill(TenderHealthCheck *check)
{
	if (check->process == NULL || check->pgid <= 0 ||
	    g_subprocess_get_identifier(check->process) == NULL)
		return;
	(void)kill(-check->pgid, SIGKILL);
	g_subprocess_force_exit(check->process);
}

/* the check under way will not count: stop it; it frees itself once it has ended */
static void
tender_health_cancel_check(TenderHealth *self)
{
	TenderHealthCheck *check = g_steal_pointer(&self->check);

	if (check == NULL)
		return;
	check->health = NULL;
	g_clear_handle_id(&check->timeout_id, g_source_remove);
	tender_health_check_kill(check);
	g_cancellable_cancel(check->cancellable);
}

static void
tender_health_run_check(TenderHealth *self);

static gboolean
tender_health_interval_cb(gpointer user_data)
{
	TenderHealth *self = TENDER_HEALTH(user_data);

	self->interval_id = 0;
	tender_health_run_check(self);
	return G_SOURCE_REMOVE;
}

static void
tender_health_schedule(TenderHealth *self)
{
	g_clear_handle_id(&self->interval_id, g_source_remove);
	self->interval_id =
	    g_timeout_add_seconds(self->spec->interval_sec, tender_health_interval_cb, self);
}

/* a check has ended: count its result, schedule the next one, and tell of a new status */
static void
tender_health_check_finish(TenderHealthCheck *check, gboolean passed, const gchar *why)
{
	g_autoptr(TenderHealth) self = check->health != NULL ? g_object_ref(check->health) : NULL;
	const gchar *name;
	TenderHealthStatus old;
	TenderHealthStatus status;

	if (self == NULL) {
		tender_health_check_free(check);
		return;
	}
	self->check = NULL;
	name = tender_workload_get_name(self->workload);
	if (!passed)
		g_debug("health check of workload %s failed: %s", name, why);
	old = self->tracker.status;
	status = tender_health_tracker_add_result(&self->tracker, passed, check->started);
	tender_health_check_free(check);
	if (self->active)
		tender_health_schedule(self);
	if (status == old)
		return;
	g_info("workload %s is %s", name, tender_health_status_to_string(status));
	g_signal_emit(self, signals[SIGNAL_STATUS_CHANGED], 0, (guint)status);
	if (status == TENDER_HEALTH_STATUS_UNHEALTHY && self->active)
		g_signal_emit(self, signals[SIGNAL_UNHEALTHY], 0);
}

static gboolean
tender_health_timeout_cb(gpointer user_data)
{
	TenderHealthCheck *check = user_data;

	check->timeout_id = 0;
	check->timed_out = TRUE;
	tender_health_check_kill(check);
	g_cancellable_cancel(check->cancellable);
	return G_SOURCE_REMOVE;
}

/* --- command checks --- */

static void
tender_health_child_fail(const TenderHealthJoin *join, gint index, gint err)
{
	TenderHealthJoinError report = {index, err != 0 ? err : EIO};

	if (write(join->report_fd, &report, sizeof(report)) != sizeof(report))
		_exit(TENDER_HEALTH_EXIT_JOIN_FAILED);
	_exit(TENDER_HEALTH_EXIT_JOIN_FAILED);
}

/*
 * Runs in the child between fork and exec, in a copy of a threaded process: only
 * async-signal-safe calls, and nothing that allocates.  The command must not run unless it
 * is in every control group of the workload.
 */
static void
tender_health_child_setup(gpointer user_data)
{
	const TenderHealthJoin *join = user_data;
	struct rlimit nofile;

	/* the soft limit of open files of a workload, not tenderd's raised one (tender-shim) */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur > FD_SETSIZE) {
		nofile.rlim_cur = FD_SETSIZE;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (setpgid(0, 0) < 0)
		tender_health_child_fail(join, -1, errno);
	for (gint i = 0; join->files[i] != NULL; i++) {
		gint fd = open(join->files[i], O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			tender_health_child_fail(join, i, errno);
		if (write(fd, "0", 1) != 1) {
			gint err = errno;
			(void)close(fd);
			tender_health_child_fail(join, i, err);
		}
		(void)close(fd);
	}
	/* as the workload's user, after joining the control groups (which takes root) */
	if (join->drop != NULL) {
		gint rc = tender_privdrop_apply(join->drop);
		if (rc < 0)
			tender_health_child_fail(join, -2, -rc);
	}
}

static void
tender_health_process_exited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHealthCheck *check = user_data;
	GSubprocess *process = G_SUBPROCESS(source);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;
	TenderHealthJoinError report = {0, 0};
	gboolean passed = FALSE;

	if (!g_subprocess_wait_finish(process, res, &error)) {
		why = g_strdup(error->message);
	} else if (check->timed_out) {
		why = g_strdup_printf("no result within %u s: killed", check->timeout_sec);
	} else if (read(check->report_fd, &report, sizeof(report)) == sizeof(report) &&
		   report.index == -2) {
		why = g_strdup_printf("it could not take the workload's user: %s",
				      g_strerror(report.error));
	} else if (report.error != 0) {
		why = g_strdup_printf("it could not join the workload's control groups: %s",
				      g_strerror(report.error));
		if (check->health != NULL && !check->health->join_warned) {
			check->health->join_warned = TRUE;
			g_warning("health check of workload %s: %s",
				  tender_workload_get_name(check->health->workload),
				  why);
		}
	} else if (g_subprocess_get_if_exited(process)) {
		gint status = g_subprocess_get_exit_status(process);
		passed = status == 0;
		if (!passed)
			why = g_strdup_printf("exit status %d", status);
	} else {
		why = g_strdup_printf("killed by signal %d", g_subprocess_get_term_sig(process));
	}
	tender_health_check_finish(check, passed, why);
}

static gboolean
tender_health_spawn(TenderHealth *self, TenderHealthCheck *check, GError **error)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	const TenderIdentity *identity;
	g_auto(GStrv) envp = NULL;
	g_auto(GStrv) files = NULL;
	TenderHealthJoin join = {NULL, -1, NULL};
	TenderPrivdrop drop = {0};
	gint report[2] = {-1, -1};
	const gchar *identifier;

	/* the user database is read once per run, not at every check */
	if (self->identity == NULL)
		self->identity = tender_identity_new_from_spec(spec, error);
	if (self->identity == NULL)
		return FALSE;
	identity = self->identity;
	envp = tender_identity_build_environ(identity, spec);
	files = tender_runtime_run_get_join_files(self->run, error);
	if (files == NULL)
		return FALSE;
	if (!g_unix_open_pipe(report, FD_CLOEXEC, error))
		return FALSE;
	if (!g_unix_set_fd_nonblocking(report[0], TRUE, error)) {
		(void)close(report[0]);
		(void)close(report[1]);
		return FALSE;
	}
	if (identity->drop && !tender_identity_prepare_drop(identity, &drop, error)) {
		(void)close(report[0]);
		(void)close(report[1]);
		return FALSE;
	}
	join.files = files;
	join.report_fd = report[1];
	join.drop = identity->drop ? &drop : NULL;
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
					     G_SUBPROCESS_FLAGS_STDERR_SILENCE |
					     G_SUBPROCESS_FLAGS_SEARCH_PATH_FROM_ENVP);
	g_subprocess_launcher_set_stdin_file_path(launcher, "/dev/null");
	g_subprocess_launcher_set_environ(launcher, envp);
	g_subprocess_launcher_set_cwd(launcher, spec->working_directory);
	g_subprocess_launcher_set_child_setup(launcher, tender_health_child_setup, &join, NULL);
	check->process = g_subprocess_launcher_spawnv(launcher,
						      (const gchar *const *)self->spec->command,
						      error);
	(void)close(report[1]);
	tender_privdrop_clear(&drop);
	if (check->process == NULL) {
		(void)close(report[0]);
		return FALSE;
	}
	check->report_fd = report[0];
	/* NULL if it has been reaped already */
	identifier = g_subprocess_get_identifier(check->process);
	if (identifier != NULL)
		check->pgid = (GPid)g_ascii_strtoll(identifier, NULL, 10);
	g_subprocess_wait_async(check->process, NULL, tender_health_process_exited_cb, check);
	return TRUE;
}

/* --- command checks inside isolated workloads --- */

static void
tender_health_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHealthCheck *check = user_data;
	TenderRuntimeExec *exec = check->exec;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;
	gboolean ran = tender_runtime_exec_finish(TENDER_RUNTIME(source), res, &error);

	if (check->timed_out)
		why = g_strdup_printf("no result within %u s: killed", check->timeout_sec);
	else if (!ran)
		why = g_strdup(error->message);
	else if (exec->signo != 0)
		why = g_strdup_printf("killed by signal %d", exec->signo);
	else if (exec->exit_code != 0)
		why = g_strdup_printf("exit status %d", exec->exit_code);
	tender_health_check_finish(check, ran && why == NULL, why);
}

/* the workload's runtime runs the command in it, as ExecWorkload does */
static gboolean
tender_health_exec(TenderHealth *self, TenderHealthCheck *check, GError **error)
{
	g_autoptr(TenderRuntime) runtime = g_weak_ref_get(&self->runtime);

	if (runtime == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "the workload's runtime is not there to run it");
		return FALSE;
	}
	check->exec =
	    tender_runtime_exec_new_for_spec(tender_workload_get_spec(self->workload), error);
	if (check->exec == NULL)
		return FALSE;
	check->exec->argv = g_strdupv(self->spec->command);
	/* its output is not kept; the check's own timer ends it, through the cancellable */
	check->exec->max_output = 0;
	tender_runtime_exec_async(runtime,
				  self->run,
				  check->exec,
				  check->cancellable,
				  tender_health_exec_cb,
				  check);
	return TRUE;
}

/* --- http_url checks --- */

static void
tender_health_body_closed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHealthCheck *check = user_data;
	g_autofree gchar *why = g_steal_pointer(&check->why);

	/* the verdict came with the status line; the rest of the answer does not matter */
	(void)g_input_stream_close_finish(G_INPUT_STREAM(source), res, NULL);
	tender_health_check_finish(check, check->passed, why);
}

static void
tender_health_response_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHealthCheck *check = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;
	guint status;

	check->body = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (check->body == NULL) {
		if (check->timed_out)
			why = g_strdup_printf("no answer within %u s", check->timeout_sec);
		else
			why = g_strdup(error->message);
		tender_health_check_finish(check, FALSE, why);
		return;
	}
	status = soup_message_get_status(check->message);
	check->passed = status >= 200 && status < 400;
	if (!check->passed)
		check->why = g_strdup_printf("HTTP status %u %s",
					     status,
					     soup_message_get_reason_phrase(check->message));
	g_input_stream_close_async(check->body,
				   G_PRIORITY_DEFAULT,
				   check->cancellable,
				   tender_health_body_closed_cb,
				   check);
}

static gboolean
tender_health_send(TenderHealth *self, TenderHealthCheck *check, GError **error)
{
	if (self->session == NULL) {
		self->session = soup_session_new_with_options("user-agent",
							      "tender/" PACKAGE_VERSION,
							      "timeout",
							      self->spec->timeout_sec,
							      NULL);
		/* a health check asks the workload itself, never through a proxy */
		soup_session_set_proxy_resolver(self->session, NULL);
	}
	check->message = soup_message_new(SOUP_METHOD_GET, self->spec->http_url);
	if (check->message == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s is not a valid URL",
			    self->spec->http_url);
		return FALSE;
	}
	soup_message_add_flags(check->message, SOUP_MESSAGE_NO_REDIRECT);
	check->session = g_object_ref(self->session);
	soup_session_send_async(check->session,
				check->message,
				G_PRIORITY_DEFAULT,
				check->cancellable,
				tender_health_response_cb,
				check);
	return TRUE;
}

static void
tender_health_run_check(TenderHealth *self)
{
	TenderHealthCheck *check = g_new0(TenderHealthCheck, 1);
	g_autoptr(GError) error = NULL;
	gboolean started;

	check->health = self;
	check->started = g_get_monotonic_time();
	check->timeout_sec = self->spec->timeout_sec;
	check->cancellable = g_cancellable_new();
	check->report_fd = -1;
	self->check = check;
	if (self->spec->command != NULL &&
	    tender_workload_get_spec(self->workload)->isolation != TENDER_ISOLATION_MINIMAL)
		started = tender_health_exec(self, check, &error);
	else if (self->spec->command != NULL)
		started = tender_health_spawn(self, check, &error);
	else
		started = tender_health_send(self, check, &error);
	if (!started) {
		tender_health_check_finish(check, FALSE, error->message);
		return;
	}
	check->timeout_id = g_timeout_add((guint)MIN((guint64)check->timeout_sec * 1000, G_MAXINT),
					  tender_health_timeout_cb,
					  check);
}

/* --- the object --- */

/**
 * tender_health_start:
 * @self: a #TenderHealth
 *
 * Starts checking (again, after tender_health_suspend()): the next check comes interval_sec
 * from now.
 */
void
tender_health_start(TenderHealth *self)
{
	g_return_if_fail(TENDER_IS_HEALTH(self));
	if (self->active)
		return;
	self->active = TRUE;
	tender_health_schedule(self);
}

/**
 * tender_health_suspend:
 * @self: a #TenderHealth
 *
 * Stops checking until tender_health_start(); a check under way is killed and does not
 * count.  The status and the count of failures are kept.
 */
void
tender_health_suspend(TenderHealth *self)
{
	g_return_if_fail(TENDER_IS_HEALTH(self));
	self->active = FALSE;
	g_clear_handle_id(&self->interval_id, g_source_remove);
	tender_health_cancel_check(self);
}

/**
 * tender_health_get_status:
 * @self: a #TenderHealth
 *
 * Returns: starting, healthy or unhealthy
 */
TenderHealthStatus
tender_health_get_status(TenderHealth *self)
{
	g_return_val_if_fail(TENDER_IS_HEALTH(self), TENDER_HEALTH_STATUS_NONE);
	return self->tracker.status;
}

static void
tender_health_dispose(GObject *object)
{
	TenderHealth *self = TENDER_HEALTH(object);

	tender_health_suspend(self);
	G_OBJECT_CLASS(tender_health_parent_class)->dispose(object);
}

static void
tender_health_finalize(GObject *object)
{
	TenderHealth *self = TENDER_HEALTH(object);

	g_clear_object(&self->session);
	g_clear_pointer(&self->identity, tender_identity_free);
	g_weak_ref_clear(&self->runtime);
	g_object_unref(self->run);
	g_object_unref(self->workload);
	G_OBJECT_CLASS(tender_health_parent_class)->finalize(object);
}

static void
tender_health_class_init(TenderHealthClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = tender_health_dispose;
	object_class->finalize = tender_health_finalize;

	/**
	 * TenderHealth::status-changed:
	 * @self: the health check
	 * @status: the new #TenderHealthStatus
	 */
	signals[SIGNAL_STATUS_CHANGED] = g_signal_new("status-changed",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      1,
						      G_TYPE_UINT);
	/**
	 * TenderHealth::unhealthy:
	 * @self: the health check
	 *
	 * The status has just become unhealthy (after ::status-changed).
	 */
	signals[SIGNAL_UNHEALTHY] = g_signal_new("unhealthy",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 0);
}

static void
tender_health_init(TenderHealth *self)
{
}

/* how long ago the run started, from StartedAt; 0 if unknown */
static gint64
tender_health_run_age(TenderWorkload *workload)
{
	g_autoptr(GDateTime) started =
	    g_date_time_new_from_iso8601(tender_workload_get_started_at(workload), NULL);
	gint64 age;

	if (started == NULL)
		return 0;
	age = g_get_real_time() - (g_date_time_to_unix(started) * G_USEC_PER_SEC +
				   g_date_time_get_microsecond(started));
	return MAX(age, 0);
}

/**
 * tender_health_new:
 * @workload: a running workload whose spec has a health check
 * @run: its run, whose control groups a command check joins
 * @runtime: (nullable): the runtime of the run, which runs the command checks of an isolated
 *	workload; not kept alive by the checks
 *
 * The start period counts from the run's StartedAt, so that it holds across a restart of
 * tenderd.  Nothing is checked before tender_health_start().
 *
 * Returns: (transfer full): a #TenderHealth, its status "starting"
 */
TenderHealth *
tender_health_new(TenderWorkload *workload, TenderRuntimeRun *run, TenderRuntime *runtime)
{
	TenderHealth *self;
	const TenderHealthSpec *spec;

	g_return_val_if_fail(TENDER_IS_WORKLOAD(workload), NULL);
	spec = tender_workload_get_spec(workload)->health;
	g_return_val_if_fail(spec != NULL, NULL);
	self = g_object_new(TENDER_TYPE_HEALTH, NULL);
	self->workload = g_object_ref(workload);
	self->run = g_object_ref(run);
	g_weak_ref_init(&self->runtime, runtime);
	self->spec = spec;
	tender_health_tracker_init(&self->tracker,
				   spec->retries,
				   g_get_monotonic_time() +
				       (gint64)spec->start_period_sec * G_USEC_PER_SEC -
				       tender_health_run_age(workload));
	return self;
}
