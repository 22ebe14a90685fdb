/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tender-session-follow.h"
#include "tender-session-ports.h"
#include "tender-session-processes-private.h"
#include "tender-session.h"

/*
 * The background processes of a session: each runs with tender_plugin_exec_workload_async(),
 * its stdout and stderr through pipes into two log files in the plugin's state dir
 * (LOG_DIR/ID.stdout, ID.stderr).  A log is capped: when its file reaches half the cap it
 * becomes ID.stdout.old (the older half, dropped at the next turn) and a new file starts.
 * A process is followed through a pidfd (KillProcess signals it: no PID reuse race).  Ended
 * processes are kept, with their logs, until the session goes (the oldest ended ones go
 * beyond TENDER_SESSION_PROCESSES_KEPT).
 */

void
tender_session_process_unref(TenderSessionProcess *self)
{
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	for (guint i = 1; i <= 2; i++) {
		if (self->log_fd[i] >= 0)
			close(self->log_fd[i]);
		g_free(self->log_path[i]);
	}
	if (self->pidfd >= 0)
		close(self->pidfd);
	g_clear_pointer(&self->result, g_variant_unref);
	g_clear_pointer(&self->followers, g_ptr_array_unref);
	g_clear_object(&self->cancellable);
	g_free(self->id);
	g_strfreev(self->argv);
	g_free(self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionProcess, tender_session_process_unref)

static TenderSessionProcess *
tender_session_process_ref(TenderSessionProcess *self)
{
	g_atomic_int_inc(&self->refcount);
	return self;
}

/* its logs go: the files of both streams and their older halves */
static void
tender_session_process_forget(TenderSessionProcess *self)
{
	for (guint i = 1; i <= 2; i++) {
		g_autofree gchar *old = g_strconcat(self->log_path[i], ".old", NULL);
		(void)g_unlink(self->log_path[i]);
		(void)g_unlink(old);
	}
	self->owner = NULL;
	g_cancellable_cancel(self->cancellable);
}

/**
 * tender_session_processes_new:
 * @log_dir: where the logs go (made; files there of an earlier tenderd are removed)
 * @max_running: running at once, at most
 * @log_max: bytes of each log kept, at most
 */
TenderSessionProcesses *
tender_session_processes_new(const gchar *log_dir, guint max_running, gsize log_max)
{
	TenderSessionProcesses *self = g_new0(TenderSessionProcesses, 1);
	g_autoptr(GDir) dir = g_dir_open(log_dir, 0, NULL);
	const gchar *name;

	self->dir = g_strdup(log_dir);
	self->list = g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_process_unref);
	self->max_running = max_running;
	self->log_max = log_max;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(log_dir, name, NULL);
		(void)g_unlink(path);
	}
	return self;
}

/* the session goes: its running processes are killed, all logs removed */
void
tender_session_processes_free(TenderSessionProcesses *self)
{
	for (guint i = 0; i < self->list->len; i++)
		tender_session_process_forget(g_ptr_array_index(self->list, i));
	(void)g_rmdir(self->dir);
	g_ptr_array_unref(self->list);
	g_free(self->dir);
	g_free(self);
}

guint
tender_session_processes_get_running(TenderSessionProcesses *self)
{
	guint n = 0;

	for (guint i = 0; i < self->list->len; i++) {
		TenderSessionProcess *process = g_ptr_array_index(self->list, i);
		if (process->state == TENDER_SESSION_PROCESS_RUNNING)
			n++;
	}
	return n;
}

const gchar *
tender_session_process_get_id(TenderSessionProcess *process)
{
	return process->id;
}

guint32
tender_session_process_get_pid(TenderSessionProcess *process)
{
	return process->pid;
}

/* beyond TENDER_SESSION_PROCESSES_KEPT, the oldest ended ones go */
static void
tender_session_processes_trim(TenderSessionProcesses *self)
{
	for (guint i = 0; i < self->list->len && self->list->len > TENDER_SESSION_PROCESSES_KEPT;) {
		TenderSessionProcess *process = g_ptr_array_index(self->list, i);
		if (process->state == TENDER_SESSION_PROCESS_RUNNING) {
			i++;
			continue;
		}
		tender_session_process_forget(process);
		g_ptr_array_remove_index(self->list, i);
	}
}

/* --- output into the logs --- */

static void
tender_session_process_log(TenderSessionProcess *self, guint stream, const guint8 *data, gsize len)
{
	gsize max_file = self->owner != NULL ? self->owner->log_max / 2 : 0;

	if (self->log_fd[stream] < 0 || self->owner == NULL)
		return;
	if (self->log_size[stream] + len > max_file) {
		/* the older half goes: this file becomes it, a new one starts */
		g_autofree gchar *old = g_strconcat(self->log_path[stream], ".old", NULL);
		close(self->log_fd[stream]);
		(void)g_rename(self->log_path[stream], old);
		self->log_fd[stream] = open(self->log_path[stream],
					    O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
					    0600);
		self->log_size[stream] = 0;
		if (len > max_file) {
			data += len - max_file;
			len = max_file;
		}
	}
	while (len > 0 && self->log_fd[stream] >= 0) {
		gssize n = write(self->log_fd[stream], data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			g_warning("cannot write the log %s: %s",
				  self->log_path[stream],
				  g_strerror(errno));
			return;
		}
		data += n;
		len -= (gsize)n;
		self->log_size[stream] += (gsize)n;
	}
}

/* the followers that ended go */
static void
tender_session_process_prune_followers(TenderSessionProcess *self)
{
	for (guint i = 0; i < self->followers->len;) {
		if (tender_session_follower_is_done(g_ptr_array_index(self->followers, i)))
			g_ptr_array_remove_index(self->followers, i);
		else
			i++;
	}
}

/* the line that ends a follow: the process's state, exit code and signal */
JsonObject *
tender_session_process_end_line(TenderSessionProcess *self)
{
	JsonObject *obj = json_object_new();

	json_object_set_string_member(obj,
				      "state",
				      tender_session_process_state_to_string(self->state));
	json_object_set_int_member(obj, "exit_code", self->exit_code);
	json_object_set_int_member(obj, "signal", self->signo);
	return obj;
}

static void
tender_session_process_end_followers(TenderSessionProcess *self)
{
	g_autoptr(JsonObject) last = tender_session_process_end_line(self);
	g_autoptr(GPtrArray) followers = g_ptr_array_ref(self->followers);

	for (guint i = 0; i < followers->len; i++)
		tender_session_follower_end(g_ptr_array_index(followers, i), last);
	tender_session_process_prune_followers(self);
}

static void
tender_session_process_maybe_ended(TenderSessionProcess *self)
{
	gint code = -1;
	gint signo = 0;

	if (self->result == NULL || !self->eof[1] || !self->eof[2] ||
	    self->state != TENDER_SESSION_PROCESS_RUNNING)
		return;
	(void)g_variant_lookup(self->result, "exit_code", "i", &code);
	(void)g_variant_lookup(self->result, "signal", "i", &signo);
	/* a runtime that cannot tell a signal's end from an exit (dockerd says 128+N): the
	 * signal KillProcess sent is what ended it */
	if (signo == 0 && self->signalled > 0 && code == 128 + self->signalled) {
		signo = self->signalled;
		code = -1;
	}
	self->exit_code = code;
	self->signo = signo;
	self->state = signo != 0 ? TENDER_SESSION_PROCESS_KILLED : TENDER_SESSION_PROCESS_EXITED;
	self->ended_at = g_get_real_time();
	g_debug("process %s (%u) ended: exit code %d, signal %d", self->id, self->pid, code, signo);
	if (self->ended != NULL)
		self->ended(self, self->ended_data);
	self->ended = NULL;
	tender_session_process_end_followers(self);
	if (self->owner != NULL)
		tender_session_processes_trim(self->owner);
}

typedef struct {
	TenderSessionProcess *process;
	guint stream;
} TenderSessionProcessPipe;

static void
tender_session_process_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
tender_session_process_read(GInputStream *stream, TenderSessionProcessPipe *pipe)
{
	g_input_stream_read_bytes_async(stream,
					65536,
					G_PRIORITY_DEFAULT,
					NULL,
					tender_session_process_read_cb,
					pipe);
}

static void
tender_session_process_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessionProcessPipe *pipe = user_data;
	TenderSessionProcess *process = pipe->process;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);

	if (bytes != NULL && g_bytes_get_size(bytes) > 0) {
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(bytes, &len);
		tender_session_process_log(process, pipe->stream, data, len);
		for (guint i = 0; i < process->followers->len; i++)
			tender_session_follower_push(g_ptr_array_index(process->followers, i),
						     pipe->stream,
						     data,
						     len);
		tender_session_process_prune_followers(process);
		tender_session_process_read(G_INPUT_STREAM(source), pipe);
		return;
	}
	process->eof[pipe->stream] = TRUE;
	tender_session_process_maybe_ended(process);
	g_object_unref(source);
	tender_session_process_unref(process);
	g_free(pipe);
}

/* --- start --- */

static void
tender_session_process_started_cb(TenderPlugin *plugin, guint32 pid, gpointer user_data)
{
	TenderSessionProcess *self = user_data;
	g_autoptr(GTask) start = g_steal_pointer(&self->start);

	self->pid = pid;
	self->pidfd = (gint)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (self->pidfd < 0)
		g_warning("process %s: no pidfd of %u: %s", self->id, pid, g_strerror(errno));
	if (start != NULL)
		g_task_return_pointer(start,
				      tender_session_process_ref(self),
				      (GDestroyNotify)tender_session_process_unref);
}

static void
tender_session_process_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionProcess) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GTask) start = g_steal_pointer(&self->start);

	self->result = tender_plugin_exec_workload_finish(TENDER_PLUGIN(source), res, &error);
	if (start != NULL && self->result != NULL) {
		/* it ran and ended before its pid was told (dockerd tells it only while the
		 * command runs): started, and ended */
		self->pidfd = -1;
		g_task_return_pointer(start,
				      tender_session_process_ref(self),
				      (GDestroyNotify)tender_session_process_unref);
		g_clear_object(&start);
	}
	if (start != NULL) {
		/* it never ran */
		if (self->owner != NULL)
			g_ptr_array_remove(self->owner->list, self);
		self->ended = NULL;
		if (error == NULL)
			error = g_error_new(TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "The process ended without having run");
		g_task_return_error(start, g_steal_pointer(&error));
		return;
	}
	if (self->result == NULL) {
		g_warning("process %s: %s", self->id, error->message);
		self->result = g_variant_ref_sink(g_variant_new_parsed("@a{sv} {}"));
	}
	tender_session_process_maybe_ended(self);
}

static gboolean
tender_session_process_open_logs(TenderSessionProcess *self, gint pipes[3], GError **error)
{
	for (guint i = 1; i <= 2; i++) {
		gint fds[2] = {-1, -1};
		TenderSessionProcessPipe *pipe;
		GInputStream *stream;

		self->log_fd[i] = open(self->log_path[i],
				       O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
				       0600);
		if (self->log_fd[i] < 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot make the log %s: %s",
				    self->log_path[i],
				    g_strerror(errno));
			return FALSE;
		}
		if (!g_unix_open_pipe(fds, FD_CLOEXEC, error))
			return FALSE;
		pipes[i] = fds[1];
		if (!g_unix_set_fd_nonblocking(fds[0], TRUE, error)) {
			close(fds[0]);
			return FALSE;
		}
		stream = g_unix_input_stream_new(fds[0], TRUE);
		pipe = g_new0(TenderSessionProcessPipe, 1);
		pipe->process = tender_session_process_ref(self);
		pipe->stream = i;
		tender_session_process_read(stream, pipe);
	}
	return TRUE;
}

/**
 * tender_session_processes_start_async:
 * @options: the command (StartProcess's: no stdin nor timeout)
 * @ended: (nullable): called once it ended and its output is all in its logs; not for one
 *   that never ran (the start's error says why)
 *
 * Starts a background process; the result is the process, once it runs.
 */
void
tender_session_processes_start_async(TenderSessionProcesses *self,
				     TenderPlugin *plugin,
				     const gchar *workload,
				     TenderSessionExecOptions *options,
				     gboolean has_workspace,
				     TenderSessionProcessEndedFunc ended,
				     gpointer ended_data,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, NULL, callback, user_data);
	g_autoptr(TenderSessionProcess) process = g_new0(TenderSessionProcess, 1);
	g_autoptr(GError) error = NULL;
	gint pipes[3] = {-1, -1, -1};
	guint running = tender_session_processes_get_running(self);

	if (running >= self->max_running) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_LIMIT_REACHED,
					"The session runs %u processes, the most [plugin sessions] "
					"max-processes allows; kill one",
					running);
		return;
	}
	if (g_mkdir_with_parents(self->dir, 0700) != 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"Cannot make %s: %s",
					self->dir,
					g_strerror(errno));
		return;
	}
	process->refcount = 1;
	process->owner = self;
	process->id = g_strdup_printf("p%u", ++self->next_id);
	process->argv = g_strdupv(options->argv);
	process->pidfd = -1;
	process->log_fd[1] = process->log_fd[2] = -1;
	process->eof[0] = TRUE;
	process->started_at = g_get_real_time();
	process->cancellable = g_cancellable_new();
	process->followers =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_follower_unref);
	process->ended = ended;
	process->ended_data = ended_data;
	for (guint i = 1; i <= 2; i++)
		process->log_path[i] = g_strdup_printf("%s/%s.%s",
						       self->dir,
						       process->id,
						       i == 1 ? "stdout" : "stderr");
	if (!tender_session_process_open_logs(process, pipes, &error)) {
		for (guint i = 1; i <= 2; i++) {
			if (pipes[i] >= 0)
				close(pipes[i]);
		}
		tender_session_process_forget(process);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	process->start = g_steal_pointer(&task);
	g_ptr_array_add(self->list, tender_session_process_ref(process));
	tender_plugin_exec_workload_async(plugin,
					  workload,
					  (const gchar *const *)options->argv,
					  tender_session_exec_options_to_variant(options,
										 has_workspace),
					  -1,
					  pipes[1],
					  pipes[2],
					  tender_session_process_started_cb,
					  process->cancellable,
					  tender_session_process_done_cb,
					  tender_session_process_ref(process));
}

/**
 * tender_session_processes_start_finish:
 *
 * Returns: (transfer full): the process, running
 */
TenderSessionProcess *
tender_session_processes_start_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* --- list, kill --- */

TenderSessionProcess *
tender_session_processes_lookup(TenderSessionProcesses *self, const gchar *id, GError **error)
{
	for (guint i = 0; i < self->list->len; i++) {
		TenderSessionProcess *process = g_ptr_array_index(self->list, i);
		if (g_strcmp0(process->id, id) == 0 && process->start == NULL)
			return process;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_NOT_FOUND,
		    "No process '%s' in the session",
		    id);
	return NULL;
}

const gchar *
tender_session_process_state_to_string(TenderSessionProcessState state)
{
	if (state == TENDER_SESSION_PROCESS_RUNNING)
		return "running";
	if (state == TENDER_SESSION_PROCESS_KILLED)
		return "killed";
	return "exited";
}

/**
 * tender_session_processes_list:
 * @sandbox_pid: the sandbox's main process (whose /proc/PID/net tells the sockets), or 0
 *
 * Returns: (transfer full): the processes by start: id, pid, argv, state (running, exited,
 *   killed), exit_code and signal (once ended), started_at, ended_at, ports (of a running one:
 *   its and its descendants' listening TCP sockets, {port, address})
 */
JsonArray *
tender_session_processes_list(TenderSessionProcesses *self, guint32 sandbox_pid)
{
	JsonArray *array = json_array_new();

	for (guint i = 0; i < self->list->len; i++) {
		TenderSessionProcess *process = g_ptr_array_index(self->list, i);
		JsonObject *obj = json_object_new();
		JsonArray *argv = json_array_new();
		JsonArray *ports = NULL;

		if (process->start != NULL) {
			json_object_unref(obj);
			json_array_unref(argv);
			continue;
		}
		for (guint j = 0; process->argv[j] != NULL; j++)
			json_array_add_string_element(argv, process->argv[j]);
		json_object_set_string_member(obj, "id", process->id);
		json_object_set_int_member(obj, "pid", process->pid);
		json_object_set_array_member(obj, "argv", argv);
		json_object_set_string_member(obj,
					      "state",
					      tender_session_process_state_to_string(
						  process->state));
		if (process->state != TENDER_SESSION_PROCESS_RUNNING) {
			json_object_set_int_member(obj, "exit_code", process->exit_code);
			json_object_set_int_member(obj, "signal", process->signo);
		}
		tender_session_set_time(obj, "started_at", process->started_at);
		tender_session_set_time(obj, "ended_at", process->ended_at);
		if (process->state == TENDER_SESSION_PROCESS_RUNNING && sandbox_pid != 0)
			ports = tender_session_ports_of_process(sandbox_pid, process->pid);
		json_object_set_array_member(obj,
					     "ports",
					     ports != NULL ? ports : json_array_new());
		json_array_add_object_element(array, obj);
	}
	return array;
}

/**
 * tender_session_signal_parse:
 * @text: a number (1 to 64) or a name, with or without SIG (TERM, KILL, INT, HUP, QUIT,
 *   USR1, USR2, STOP, CONT)
 *
 * Returns: %TRUE with @signo, else InvalidArgument
 */
gboolean
tender_session_signal_parse(const gchar *text, gint *signo, GError **error)
{
	const struct {
		const gchar *name;
		gint signo;
	} names[] = {{"TERM", SIGTERM},
		     {"KILL", SIGKILL},
		     {"INT", SIGINT},
		     {"HUP", SIGHUP},
		     {"QUIT", SIGQUIT},
		     {"USR1", SIGUSR1},
		     {"USR2", SIGUSR2},
		     {"STOP", SIGSTOP},
		     {"CONT", SIGCONT},
		     {NULL, 0}};
	const gchar *name = g_str_has_prefix(text, "SIG") ? text + 3 : text;
	guint64 value = 0;

	for (guint i = 0; names[i].name != NULL; i++) {
		if (g_strcmp0(names[i].name, name) == 0) {
			*signo = names[i].signo;
			return TRUE;
		}
	}
	if (g_ascii_string_to_unsigned(text, 10, 1, 64, &value, NULL)) {
		*signo = (gint)value;
		return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid signal '%s': give 1 to 64, or TERM, KILL, INT, HUP, QUIT, USR1, USR2, "
		    "STOP, CONT",
		    text);
	return FALSE;
}

/*
 * @signo to the process's group (the command leads one: what it started, unless they made
 * their own).  The group's id cannot be another's while a process of it is left, and its
 * leader is checked through the pidfd first; a leader that left its group gets the signal
 * through the pidfd alone.
 */
static gboolean
tender_session_process_signal(TenderSessionProcess *self, gint signo)
{
	gboolean alive = syscall(SYS_pidfd_send_signal, self->pidfd, 0, NULL, 0) == 0;

	if (kill(-(pid_t)self->pid, signo) == 0)
		return TRUE;
	return alive && syscall(SYS_pidfd_send_signal, self->pidfd, signo, NULL, 0) == 0;
}

/**
 * tender_session_processes_kill:
 * @signo: 1 to 64
 *
 * Sends @signo to a running process and its process group, the leader checked through its
 * pidfd.
 *
 * Returns: %TRUE on success; NotFound, InvalidState (it ended), InvalidArgument (@signo)
 */
gboolean
tender_session_processes_kill(TenderSessionProcesses *self,
			      const gchar *id,
			      gint signo,
			      GError **error)
{
	TenderSessionProcess *process = tender_session_processes_lookup(self, id, error);

	if (process == NULL)
		return FALSE;
	if (signo < 1 || signo > 64) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid signal %d: give 1 to 64",
			    signo);
		return FALSE;
	}
	if (process->state != TENDER_SESSION_PROCESS_RUNNING || process->pidfd < 0 ||
	    !tender_session_process_signal(process, signo)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Process %s is not running",
			    id);
		return FALSE;
	}
	process->signalled = signo;
	return TRUE;
}
