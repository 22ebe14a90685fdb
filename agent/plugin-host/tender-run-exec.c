/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-run-exec-private.h"

/*
 * TenderRunExec is what a plugin's runtime sees of one command of ExecWorkload: a view of the
 * core's TenderRuntimeExec, which the getters read and the reporters fill in.  tenderd holds
 * one reference while it calls the vtable's exec, the plugin another until it reports the
 * end; the GTask of the core's exec_async returns at that report.  When the runtime goes away
 * first (its plugin is dropped), the view is orphaned: the task returns an error at once, the
 * request is gone (the getters answer nothing), and the plugin's later reports are ignored.
 */

struct _TenderRunExec {
	gint ref_count;
	TenderRuntimeExec *exec; /* not owned; NULL once the task has returned */
	GTask *task;
	GCancellable *cancellable;
	TenderRunExecDoneFunc done;
	gpointer done_data;
	guint32 pid;	   /* the command's host PID, once reported */
	gboolean reported; /* the plugin reported its end: it holds no reference any more */
};

/**
 * tender_run_exec_new: (skip)
 * @exec: the request, valid until @task returns
 * @task: (transfer none): returns %TRUE once the plugin reports the end (@exec has the
 *   answer), or the error
 * @cancellable: (nullable): cancelled when the caller has gone
 * @done: (nullable): called once the plugin has reported the end
 * @done_data: for @done
 *
 * Returns: (transfer full): a view with two references: the caller's, and the plugin's,
 *   which its report of the end (or tender_run_exec_refuse()) drops
 */
TenderRunExec *
tender_run_exec_new(TenderRuntimeExec *exec,
		    GTask *task,
		    GCancellable *cancellable,
		    TenderRunExecDoneFunc done,
		    gpointer done_data)
{
	TenderRunExec *self = g_new0(TenderRunExec, 1);

	self->ref_count = 2;
	self->exec = exec;
	self->task = g_object_ref(task);
	self->cancellable = cancellable != NULL ? g_object_ref(cancellable) : g_cancellable_new();
	self->done = done;
	self->done_data = done_data;
	return self;
}

TenderRunExec *
tender_run_exec_ref(TenderRunExec *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
tender_run_exec_unref(TenderRunExec *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	g_clear_object(&self->task);
	g_object_unref(self->cancellable);
	g_free(self);
}

guint32
tender_run_exec_get_pid(TenderRunExec *self)
{
	return self->pid;
}

/* the task returns: the request is gone */
static void
tender_run_exec_return(TenderRunExec *self, GError *error)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->task);

	self->exec = NULL;
	if (task == NULL) {
		g_clear_error(&error);
		return;
	}
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

/* the plugin is done with the view: its reference goes */
static void
tender_run_exec_finish(TenderRunExec *self, GError *error)
{
	if (self->reported) {
		g_clear_error(&error);
		return;
	}
	self->reported = TRUE;
	tender_run_exec_return(self, error);
	if (self->done != NULL)
		self->done(self, self->done_data);
	tender_run_exec_unref(self);
}

/**
 * tender_run_exec_refuse: (skip)
 * @self: a view
 * @error: (transfer full): why the vtable's exec returned %FALSE
 *
 * The runtime could not run the command at all (unless it reported an end before saying so).
 */
void
tender_run_exec_refuse(TenderRunExec *self, GError *error)
{
	tender_run_exec_finish(self, error);
}

/**
 * tender_run_exec_orphan: (skip)
 * @self: a view
 * @why: the error's message
 *
 * The runtime went away while the command ran: the task fails now, with NotSupported; what
 * the plugin still reports is ignored.
 */
void
tender_run_exec_orphan(TenderRunExec *self, const gchar *why)
{
	tender_run_exec_return(self,
			       g_error_new_literal(TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED, why));
}

/* --- the plugin API --- */

/**
 * tender_run_exec_get_argv:
 * @exec: a #TenderRunExec
 *
 * Returns: (transfer none): the command and its arguments, never empty; the command is looked
 *   up in the PATH of its environment unless it holds a slash
 *
 * Since: 0.4
 */
const gchar *const *
tender_run_exec_get_argv(TenderRunExec *exec)
{
	static const gchar *const none[] = {NULL};

	g_return_val_if_fail(exec != NULL, NULL);
	return exec->exec != NULL ? (const gchar *const *)exec->exec->argv : none;
}

/**
 * tender_run_exec_get_env:
 * @exec: a #TenderRunExec
 *
 * Returns: (transfer none): the call's own "KEY=VALUE" entries, to set over the workload's
 *   environment (which the runtime gives, as to the workload's command); never %NULL
 *
 * Since: 0.4
 */
const gchar *const *
tender_run_exec_get_env(TenderRunExec *exec)
{
	static const gchar *const none[] = {NULL};

	g_return_val_if_fail(exec != NULL, NULL);
	if (exec->exec == NULL || exec->exec->env == NULL)
		return none;
	return (const gchar *const *)exec->exec->env;
}

/**
 * tender_run_exec_get_working_directory:
 * @exec: a #TenderRunExec
 *
 * Returns: (nullable): the absolute path inside the workload the command runs in; %NULL for
 *   the workload's own
 *
 * Since: 0.4
 */
const gchar *
tender_run_exec_get_working_directory(TenderRunExec *exec)
{
	g_return_val_if_fail(exec != NULL, NULL);
	return exec->exec != NULL ? exec->exec->working_directory : NULL;
}

/**
 * tender_run_exec_get_timeout:
 * @exec: a #TenderRunExec
 *
 * Returns: after how many seconds the runtime SIGKILLs the command (and reports signal 9);
 *   0 for never
 *
 * Since: 0.4
 */
guint32
tender_run_exec_get_timeout(TenderRunExec *exec)
{
	g_return_val_if_fail(exec != NULL, 0);
	return exec->exec != NULL ? exec->exec->timeout_sec : 0;
}

/**
 * tender_run_exec_get_stdin:
 * @exec: a #TenderRunExec
 *
 * Returns: (transfer none) (nullable): what the command reads on stdin, then its end; %NULL
 *   for nothing (its stdin is at its end at once), or when stdin is a descriptor
 *   (tender_run_exec_get_fd())
 *
 * Since: 0.4
 */
GBytes *
tender_run_exec_get_stdin(TenderRunExec *exec)
{
	g_return_val_if_fail(exec != NULL, NULL);
	return exec->exec != NULL ? exec->exec->stdin_data : NULL;
}

/**
 * tender_run_exec_get_fd:
 * @exec: a #TenderRunExec
 * @stream: 0 for stdin, 1 for stdout, 2 for stderr
 *
 * The caller's descriptor for one of the command's streams: the runtime copies stdin from
 * it until its end, and the command's output to it, without blocking tenderd (it is the
 * caller's: do not change its flags; poll it).  It is tenderd's, valid while @exec is:
 * duplicate it (with O_CLOEXEC) to keep it longer.
 *
 * Returns: the descriptor, or -1: stdin is tender_run_exec_get_stdin(), output goes to
 *   tender_run_exec_append_output()
 *
 * Since: 0.4
 */
gint
tender_run_exec_get_fd(TenderRunExec *exec, gint stream)
{
	g_return_val_if_fail(exec != NULL, -1);
	g_return_val_if_fail(stream >= 0 && stream <= 2, -1);
	if (exec->exec == NULL)
		return -1;
	return stream == 0   ? exec->exec->stdin_fd
	       : stream == 1 ? exec->exec->stdout_fd
			     : exec->exec->stderr_fd;
}

/**
 * tender_run_exec_get_tty:
 * @exec: a #TenderRunExec
 *
 * Returns: %TRUE if the command's stdin, stdout and stderr are to be a new terminal of the
 *   workload's: what it prints is stdout, stderr stays empty.  A runtime that cannot make
 *   one refuses the command with NotSupported.
 *
 * Since: 0.4
 */
gboolean
tender_run_exec_get_tty(TenderRunExec *exec)
{
	g_return_val_if_fail(exec != NULL, FALSE);
	return exec->exec != NULL && exec->exec->tty;
}

/**
 * tender_run_exec_get_terminal_size:
 * @exec: a #TenderRunExec
 * @rows: (out) (optional): the terminal's rows
 * @columns: (out) (optional): its columns
 *
 * Returns: %TRUE if the caller gave the terminal's size (with a tty); else the sizes are 0
 *
 * Since: 0.4
 */
gboolean
tender_run_exec_get_terminal_size(TenderRunExec *exec, guint16 *rows, guint16 *columns)
{
	guint16 r = 0;
	guint16 c = 0;

	g_return_val_if_fail(exec != NULL, FALSE);
	if (exec->exec != NULL && exec->exec->tty) {
		r = exec->exec->rows;
		c = exec->exec->columns;
	}
	if (rows != NULL)
		*rows = r;
	if (columns != NULL)
		*columns = c;
	return r != 0 || c != 0;
}

/**
 * tender_run_exec_get_cancellable:
 * @exec: a #TenderRunExec
 *
 * Returns: (transfer none): cancelled when the caller has gone: the runtime then SIGKILLs
 *   the command and reports its end (signal 9)
 *
 * Since: 0.4
 */
GCancellable *
tender_run_exec_get_cancellable(TenderRunExec *exec)
{
	g_return_val_if_fail(exec != NULL, NULL);
	return exec->cancellable;
}

/**
 * tender_run_exec_report_started:
 * @exec: a #TenderRunExec that has not ended
 * @host_pid: the command's PID, as the host sees it
 *
 * The command runs: tenderd may follow (and kill) its process from now on.
 *
 * Since: 0.4
 */
void
tender_run_exec_report_started(TenderRunExec *exec, guint32 host_pid)
{
	g_return_if_fail(exec != NULL);
	g_return_if_fail(host_pid > 0);
	if (exec->reported || exec->pid != 0)
		return;
	exec->pid = host_pid;
	if (exec->exec != NULL)
		tender_runtime_exec_report_started(exec->exec, host_pid);
}

/**
 * tender_run_exec_append_output:
 * @exec: a #TenderRunExec that has not ended
 * @stream: 1 for stdout, 2 for stderr
 * @data: (array length=len): what the command wrote
 * @len: how many bytes
 *
 * Output of the command for a stream without a descriptor of the caller's
 * (tender_run_exec_get_fd() is -1).  tenderd keeps the first bytes up to the call's
 * max_output and drops the rest, which sets the answer's truncated.
 *
 * Since: 0.4
 */
void
tender_run_exec_append_output(TenderRunExec *exec, gint stream, gconstpointer data, gsize len)
{
	TenderRuntimeExec *request;
	GByteArray *buf;
	gsize total;
	gsize room;

	g_return_if_fail(exec != NULL);
	g_return_if_fail(stream == 1 || stream == 2);
	g_return_if_fail(data != NULL || len == 0);
	request = exec->exec;
	if (request == NULL || exec->reported || tender_run_exec_get_fd(exec, stream) >= 0)
		return;
	buf = stream == 1 ? request->out : request->err;
	total = request->out->len + request->err->len;
	room = request->max_output > buf->len ? request->max_output - buf->len : 0;
	room = MIN(room,
		   total < TENDER_RUNTIME_EXEC_OUTPUT_TOTAL_MAX
		       ? TENDER_RUNTIME_EXEC_OUTPUT_TOTAL_MAX - total
		       : 0);
	if (len > room)
		request->truncated = TRUE;
	g_byte_array_append(buf, data, (guint)MIN(len, room));
}

/**
 * tender_run_exec_report_ended:
 * @exec: a #TenderRunExec that has not ended
 * @exit_code: its exit status, or -1 if a signal killed it
 * @signo: the signal that killed it, or 0
 *
 * The command has ended, and all its output is reported (or written to the caller's
 * descriptors): ExecWorkload answers.  @exec is invalid from now on.
 *
 * Since: 0.4
 */
void
tender_run_exec_report_ended(TenderRunExec *exec, gint exit_code, gint signo)
{
	g_return_if_fail(exec != NULL);
	g_return_if_fail(signo >= 0);
	if (exec->exec != NULL && !exec->reported) {
		exec->exec->exit_code = signo > 0 ? -1 : exit_code;
		exec->exec->signo = signo;
	}
	tender_run_exec_finish(exec, NULL);
}

/**
 * tender_run_exec_report_failed:
 * @exec: a #TenderRunExec that has not ended
 * @error: why the command could not run: a #TENDER_ERROR (InvalidState when the workload
 *   is not running, NotFound for a command that does not exist, Failed, ...), which
 *   ExecWorkload answers
 *
 * The command could not run, or what ran it failed.  @exec is invalid from now on.
 *
 * Since: 0.4
 */
void
tender_run_exec_report_failed(TenderRunExec *exec, const GError *error)
{
	g_return_if_fail(exec != NULL);
	g_return_if_fail(error != NULL);
	tender_run_exec_finish(exec, g_error_copy(error));
}
