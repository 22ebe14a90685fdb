/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <tender-error.h>

#include "tender-docker-attach.h"
#include "tender-docker-demux.h"
#include "tender-docker-exec.h"

/*
 * TenderDockerExec: one command of ExecWorkload in a container of the runtime docker.
 * POST /containers/ID/exec makes it (its argv, the call's env, working directory, the
 * workload's x-docker user, Tty), POST /exec/ID/start on a connection of its own, which
 * dockerd hijacks (tender-docker-attach.c), runs it: the connection carries its output
 * (multiplexed, tender-docker-demux.c, unless it has a terminal) one way, and its stdin the
 * other, whose end is a half-close.  GET /exec/ID/json says its host PID while it runs, which
 * is reported as soon as it is known, and its ExitCode once the stream has ended.
 *
 * Output goes to the core (tender_run_exec_append_output(), which keeps max_output) or to the
 * caller's descriptors, duplicates of which are polled and written PIPE_BUF bytes at a time
 * (they are the caller's: their flags stay as they are); while more than
 * TENDER_DOCKER_EXEC_PENDING_MAX bytes wait for a descriptor, dockerd's stream is not read.
 * stdin comes from the call's bytes or from the caller's descriptor, a read at a time, each
 * written before the next is read.  After the timeout, or when the caller has gone, the
 * command's process and its descendants are SIGKILLed from the host (through a pidfd of its
 * PID), and its end is signal 9 (dockerd's ExitCode 128+N of a process killed is signal N).
 * Nothing blocks: every step is asynchronous.
 *
 * The state is reference counted: every pending operation holds a reference, and its
 * callback does nothing once the end is reported (view is NULL).
 */

#define TENDER_DOCKER_EXEC_READ_SIZE 65536
/* the most descendants of a killed command that are looked for */
#define TENDER_DOCKER_EXEC_KILL_MAX 4096
/* how soon the PID is asked for again, at first and at most */
#define TENDER_DOCKER_EXEC_POLL_MIN_MS 10
#define TENDER_DOCKER_EXEC_POLL_MAX_MS 200
/* how much of stdout is kept for the reason of a command dockerd could not run */
#define TENDER_DOCKER_EXEC_HEAD_MAX 1024

typedef struct _TenderDockerExec TenderDockerExec;

typedef struct {
	TenderDockerExec *self;
	gint stream; /* 1 or 2 */
	gint fd;     /* a duplicate of the caller's, or -1: output goes to the core */
	GByteArray *pending;
	guint id;
	gboolean broken; /* the caller's end is gone: what comes is dropped */
} TenderDockerExecSink;

struct _TenderDockerExec {
	TenderRunExec *view; /* NULL once the end is reported */
	TenderDockerClient *client;
	gchar *container_id;
	gchar *workload;
	gchar *command;
	gchar *exec_id;
	gboolean tty;
	guint16 rows;
	guint16 columns;
	GCancellable *cancellable; /* of every operation; cancelled at the end */
	GCancellable *parent;	   /* the runtime's */
	gulong parent_id;
	GSource *caller_gone; /* the caller's cancellable */
	GSocketConnection *connection;
	TenderDockerDemux *demux;
	TenderDockerExecSink sinks[2];
	gboolean reading;
	gboolean stream_ended;
	GString *head; /* the first bytes of stdout: dockerd's reason, for a command not run */
	/* stdin */
	GBytes *stdin_data;
	GBytes *stdin_chunk; /* being written */
	gint stdin_fd;
	guint stdin_id;
	/* the process */
	guint32 pid;
	gint pidfd;
	guint poll_id;
	guint poll_ms;
	gboolean inspecting;
	gint64 end_wait_since;
	guint timeout_id;
	guint grace_id;
	gint killed_by; /* the signal we sent it, 0 if none */
	gboolean kill_pending;
};

static void
tender_docker_exec_close(gint *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

static void
tender_docker_exec_clear(TenderDockerExec *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(self->sinks); i++) {
		g_clear_handle_id(&self->sinks[i].id, g_source_remove);
		tender_docker_exec_close(&self->sinks[i].fd);
		g_byte_array_unref(self->sinks[i].pending);
	}
	g_clear_handle_id(&self->stdin_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->grace_id, g_source_remove);
	if (self->caller_gone != NULL) {
		g_source_destroy(self->caller_gone);
		g_source_unref(self->caller_gone);
	}
	if (self->parent != NULL) {
		g_cancellable_disconnect(self->parent, self->parent_id);
		g_object_unref(self->parent);
	}
	tender_docker_exec_close(&self->stdin_fd);
	tender_docker_exec_close(&self->pidfd);
	g_clear_pointer(&self->stdin_data, g_bytes_unref);
	g_clear_pointer(&self->stdin_chunk, g_bytes_unref);
	g_clear_pointer(&self->demux, tender_docker_demux_free);
	g_string_free(self->head, TRUE);
	g_clear_object(&self->connection);
	g_object_unref(self->cancellable);
	g_object_unref(self->client);
	g_free(self->container_id);
	g_free(self->workload);
	g_free(self->command);
	g_free(self->exec_id);
}

static TenderDockerExec *
tender_docker_exec_ref(TenderDockerExec *self)
{
	return g_rc_box_acquire(self);
}

static void
tender_docker_exec_unref(TenderDockerExec *self)
{
	g_rc_box_release_full(self, (GDestroyNotify)tender_docker_exec_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerExec, tender_docker_exec_unref)

/* --- the end --- */

static void
tender_docker_exec_done(TenderDockerExec *self)
{
	g_autoptr(TenderDockerExec) held = self; /* the reference of the running command */

	self->view = NULL;
	g_cancellable_cancel(self->cancellable);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->grace_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	g_clear_handle_id(&self->stdin_id, g_source_remove);
	for (guint i = 0; i < G_N_ELEMENTS(self->sinks); i++)
		g_clear_handle_id(&self->sinks[i].id, g_source_remove);
	if (self->caller_gone != NULL)
		g_source_destroy(self->caller_gone);
}

static void
tender_docker_exec_fail(TenderDockerExec *self, GError *error)
{
	g_autoptr(GError) owned = error;

	if (self->view == NULL)
		return;
	g_debug("workload %s: exec %s failed: %s", self->workload, self->command, error->message);
	tender_run_exec_report_failed(self->view, error);
	tender_docker_exec_done(self);
}

static void
tender_docker_exec_end(TenderDockerExec *self, gint exit_code, gint signo)
{
	if (self->view == NULL)
		return;
	tender_run_exec_report_ended(self->view, exit_code, signo);
	tender_docker_exec_done(self);
}

/* --- killing it from the host --- */

static gint
tender_docker_exec_pidfd_open(guint32 pid)
{
	return (gint)syscall(SYS_pidfd_open, (pid_t)pid, 0);
}

static gboolean
tender_docker_exec_pidfd_kill(gint pidfd, gint signo)
{
	return syscall(SYS_pidfd_send_signal, pidfd, signo, NULL, 0) == 0;
}

/* the children of @pid, from /proc/PID/task/TID/children, onto @pids */
static void
tender_docker_exec_add_children(guint32 pid, GArray *pids)
{
	g_autofree gchar *dir_path = g_strdup_printf("/proc/%u/task", pid);
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	const gchar *tid;

	while (dir != NULL && (tid = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir_path, tid, "children", NULL);
		g_autofree gchar *text = NULL;
		g_auto(GStrv) words = NULL;
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		words = g_strsplit(g_strstrip(text), " ", -1);
		for (guint i = 0; words[i] != NULL && pids->len < TENDER_DOCKER_EXEC_KILL_MAX;
		     i++) {
			guint64 child = 0;
			if (g_ascii_string_to_unsigned(words[i], 10, 1, G_MAXINT32, &child, NULL))
				g_array_append_val(pids, child);
		}
	}
}

/* SIGKILL to the command's process (through its pidfd) and its descendants */
static void
tender_docker_exec_kill_now(TenderDockerExec *self)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(guint64));

	g_array_append_val(pids, (guint64){self->pid});
	for (guint i = 0; i < pids->len; i++)
		tender_docker_exec_add_children((guint32)g_array_index(pids, guint64, i), pids);
	if (!tender_docker_exec_pidfd_kill(self->pidfd, SIGKILL) && errno != ESRCH)
		g_warning("workload %s: could not kill the command %s (PID %u): %s",
			  self->workload,
			  self->command,
			  self->pid,
			  g_strerror(errno));
	for (guint i = 1; i < pids->len; i++) {
		gint fd = tender_docker_exec_pidfd_open((guint32)g_array_index(pids, guint64, i));
		if (fd < 0)
			continue;
		(void)tender_docker_exec_pidfd_kill(fd, SIGKILL);
		(void)close(fd);
	}
}

static gboolean
tender_docker_exec_grace_cb(gpointer user_data)
{
	TenderDockerExec *self = user_data;

	/* something the command started holds the stream: the command is dead, though */
	self->grace_id = 0;
	tender_docker_exec_end(self, -1, self->killed_by);
	return G_SOURCE_REMOVE;
}

/* SIGKILL, once its PID is known */
static void
tender_docker_exec_kill(TenderDockerExec *self, const gchar *why)
{
	if (self->view == NULL || self->killed_by != 0)
		return;
	g_debug("workload %s: exec %s: %s, killing it", self->workload, self->command, why);
	if (self->pidfd < 0) {
		self->kill_pending = TRUE;
		return;
	}
	self->killed_by = SIGKILL;
	self->kill_pending = FALSE;
	tender_docker_exec_kill_now(self);
	self->grace_id = g_timeout_add_full(G_PRIORITY_DEFAULT,
					    TENDER_DOCKER_EXEC_KILL_GRACE_MS,
					    tender_docker_exec_grace_cb,
					    tender_docker_exec_ref(self),
					    (GDestroyNotify)tender_docker_exec_unref);
}

static gboolean
tender_docker_exec_timeout_cb(gpointer user_data)
{
	TenderDockerExec *self = user_data;

	self->timeout_id = 0;
	tender_docker_exec_kill(self, "its timeout has come");
	return G_SOURCE_REMOVE;
}

static gboolean
tender_docker_exec_caller_gone_cb(GCancellable *cancellable, gpointer user_data)
{
	TenderDockerExec *self = user_data;

	tender_docker_exec_kill(self, "its caller has gone");
	return G_SOURCE_REMOVE;
}

static void
tender_docker_exec_parent_cancelled_cb(GCancellable *parent, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

/* --- the command's state, from GET /exec/ID/json --- */

static void
tender_docker_exec_inspect(TenderDockerExec *self);

static gboolean
tender_docker_exec_poll_cb(gpointer user_data)
{
	TenderDockerExec *self = user_data;

	self->poll_id = 0;
	tender_docker_exec_inspect(self);
	return G_SOURCE_REMOVE;
}

static void
tender_docker_exec_poll_later(TenderDockerExec *self)
{
	if (self->poll_id != 0)
		return;
	self->poll_ms = CLAMP(self->poll_ms * 2,
			      TENDER_DOCKER_EXEC_POLL_MIN_MS,
			      TENDER_DOCKER_EXEC_POLL_MAX_MS);
	self->poll_id = g_timeout_add_full(G_PRIORITY_DEFAULT,
					   self->poll_ms,
					   tender_docker_exec_poll_cb,
					   tender_docker_exec_ref(self),
					   (GDestroyNotify)tender_docker_exec_unref);
}

/* its PID: reported, and a pidfd of it taken, for the kill */
static void
tender_docker_exec_take_pid(TenderDockerExec *self, guint32 pid)
{
	self->pid = pid;
	self->pidfd = tender_docker_exec_pidfd_open(pid);
	if (self->pidfd < 0) {
		/* it has ended already */
		self->kill_pending = FALSE;
		return;
	}
	tender_run_exec_report_started(self->view, pid);
	if (self->kill_pending)
		tender_docker_exec_kill(self, "it was to be killed");
}

/* the stream has ended and dockerd says how the command did */
static void
tender_docker_exec_ended(TenderDockerExec *self, const TenderDockerExecState *state)
{
	gint exit_code;
	gint signo;

	if (state->pid == 0 && (state->exit_code == 126 || state->exit_code == 127)) {
		/* it never ran: dockerd could not exec it, and said why on stdout */
		g_autofree gchar *reason = g_utf8_make_valid(self->head->str, -1);
		gboolean missing = tender_docker_exec_reason_is_missing(state->exit_code, reason);
		tender_docker_exec_fail(self,
					g_error_new(TENDER_ERROR,
						    missing ? TENDER_ERROR_NOT_FOUND
							    : TENDER_ERROR_FAILED,
						    "Command '%s' %s in the container of workload "
						    "'%s': %s",
						    self->command,
						    missing ? "does not exist" : "cannot be run",
						    self->workload,
						    g_strstrip(reason)));
		return;
	}
	tender_docker_exec_map_exit(state->exit_code, self->killed_by, &exit_code, &signo);
	g_debug("workload %s: exec %s ended: exit code %d, signal %d",
		self->workload,
		self->command,
		exit_code,
		signo);
	tender_docker_exec_end(self, exit_code, signo);
}

static void
tender_docker_exec_inspected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	TenderDockerExecState state = {0};

	self->inspecting = FALSE;
	if (self->view == NULL)
		return;
	if (answer == NULL || !tender_docker_exec_read_state(answer, &state, &error)) {
		tender_docker_exec_fail(self, g_steal_pointer(&error));
		return;
	}
	if (self->pid == 0 && state.pid != 0 && state.running)
		tender_docker_exec_take_pid(self, state.pid);
	if (!self->stream_ended) {
		if (self->pid == 0)
			tender_docker_exec_poll_later(self);
		return;
	}
	/* the stream may end a moment before dockerd has the exit code */
	if (state.running || state.exit_code < 0) {
		if (self->end_wait_since == 0)
			self->end_wait_since = g_get_monotonic_time();
		if (g_get_monotonic_time() - self->end_wait_since <
		    TENDER_DOCKER_EXEC_END_WAIT_MS * G_TIME_SPAN_MILLISECOND) {
			tender_docker_exec_poll_later(self);
			return;
		}
		tender_docker_exec_fail(self,
					g_error_new(TENDER_ERROR,
						    TENDER_ERROR_FAILED,
						    "dockerd did not say how command '%s' ended",
						    self->command));
		return;
	}
	tender_docker_exec_ended(self, &state);
}

static void
tender_docker_exec_inspect(TenderDockerExec *self)
{
	g_autofree gchar *path = NULL;

	if (self->view == NULL || self->inspecting)
		return;
	self->inspecting = TRUE;
	path = g_strdup_printf("/exec/%s/json", self->exec_id);
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_exec_inspected_cb,
					   tender_docker_exec_ref(self));
}

/* the stream has ended and everything is written to the caller: how did it end? */
static void
tender_docker_exec_check_end(TenderDockerExec *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(self->sinks); i++) {
		TenderDockerExecSink *sink = &self->sinks[i];
		if (sink->fd >= 0 && !sink->broken && sink->pending->len > 0 &&
		    self->killed_by == 0)
			return;
	}
	if (self->stream_ended)
		tender_docker_exec_inspect(self);
}

/* --- output --- */

static void
tender_docker_exec_read(TenderDockerExec *self);

/* whether dockerd's stream may be read: no descriptor has too much waiting */
static gboolean
tender_docker_exec_may_read(TenderDockerExec *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(self->sinks); i++) {
		if (self->sinks[i].pending->len > TENDER_DOCKER_EXEC_PENDING_MAX)
			return FALSE;
	}
	return TRUE;
}

/* writes what waits, a PIPE_BUF at a time while poll() says it would not block; FALSE when
 * nothing waits any more (or the caller's end is gone) */
static gboolean
tender_docker_exec_sink_write(TenderDockerExecSink *sink)
{
	while (sink->pending->len > 0) {
		struct pollfd pfd = {.fd = sink->fd, .events = POLLOUT};
		gssize n;
		if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & POLLOUT) == 0) {
			if ((pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) == 0)
				return TRUE;
			sink->broken = TRUE;
			break;
		}
		n = write(sink->fd, sink->pending->data, MIN(sink->pending->len, (gsize)PIPE_BUF));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			sink->broken = TRUE;
			break;
		}
		g_byte_array_remove_range(sink->pending, 0, (guint)n);
	}
	if (sink->broken)
		g_byte_array_set_size(sink->pending, 0);
	return FALSE;
}

static gboolean
tender_docker_exec_sink_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderDockerExecSink *sink = user_data;
	TenderDockerExec *self = sink->self;

	if (tender_docker_exec_sink_write(sink))
		return G_SOURCE_CONTINUE;
	sink->id = 0;
	if (!self->reading && !self->stream_ended)
		tender_docker_exec_read(self);
	tender_docker_exec_check_end(self);
	return G_SOURCE_REMOVE;
}

static void
tender_docker_exec_output(TenderDockerStream stream,
			  const guint8 *data,
			  gsize len,
			  gpointer user_data)
{
	TenderDockerExec *self = user_data;
	TenderDockerExecSink *sink = &self->sinks[stream == TENDER_DOCKER_STREAM_STDERR ? 1 : 0];

	if (sink->stream == 1 && self->head->len < TENDER_DOCKER_EXEC_HEAD_MAX)
		g_string_append_len(self->head,
				    (const gchar *)data,
				    (gssize)MIN(len,
						TENDER_DOCKER_EXEC_HEAD_MAX - self->head->len));
	if (sink->fd < 0) {
		tender_run_exec_append_output(self->view, sink->stream, data, len);
		return;
	}
	if (sink->broken)
		return;
	g_byte_array_append(sink->pending, data, (guint)len);
	if (sink->id == 0 && tender_docker_exec_sink_write(sink))
		sink->id = g_unix_fd_add(sink->fd, G_IO_OUT, tender_docker_exec_sink_cb, sink);
}

static void
tender_docker_exec_feed(TenderDockerExec *self, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	if (self->tty) {
		tender_docker_exec_output(TENDER_DOCKER_STREAM_STDOUT, data, len, self);
		return;
	}
	if (!tender_docker_demux_feed(self->demux, data, len, &error))
		tender_docker_exec_fail(self, g_steal_pointer(&error));
}

static void
tender_docker_exec_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;

	self->reading = FALSE;
	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (self->view == NULL)
		return;
	if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
		/* its end (a reset connection is one too: dockerd says how it ended) */
		if (error != NULL)
			g_debug("workload %s: exec %s: its stream broke: %s",
				self->workload,
				self->command,
				error->message);
		self->stream_ended = TRUE;
		if (!self->tty && !tender_docker_demux_end(self->demux, &error)) {
			tender_docker_exec_fail(self, g_steal_pointer(&error));
			return;
		}
		tender_docker_exec_check_end(self);
		return;
	}
	tender_docker_exec_feed(self, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	tender_docker_exec_read(self);
}

static void
tender_docker_exec_read(TenderDockerExec *self)
{
	GInputStream *input;

	if (self->view == NULL || self->reading || self->stream_ended ||
	    !tender_docker_exec_may_read(self))
		return;
	self->reading = TRUE;
	input = g_io_stream_get_input_stream(G_IO_STREAM(self->connection));
	g_input_stream_read_bytes_async(input,
					TENDER_DOCKER_EXEC_READ_SIZE,
					G_PRIORITY_DEFAULT,
					self->cancellable,
					tender_docker_exec_read_cb,
					tender_docker_exec_ref(self));
}

/* --- stdin --- */

static void
tender_docker_exec_stdin_end(TenderDockerExec *self)
{
	g_autoptr(GError) error = NULL;

	g_clear_handle_id(&self->stdin_id, g_source_remove);
	tender_docker_exec_close(&self->stdin_fd);
	/* the half-close: dockerd closes the command's stdin */
	if (!g_socket_shutdown(g_socket_connection_get_socket(self->connection),
			       FALSE,
			       TRUE,
			       &error))
		g_debug("workload %s: exec %s: closing its stdin: %s",
			self->workload,
			self->command,
			error->message);
}

static void
tender_docker_exec_stdin_watch(TenderDockerExec *self);

static void
tender_docker_exec_stdin_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GError) error = NULL;

	g_clear_pointer(&self->stdin_chunk, g_bytes_unref);
	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		/* the command does not read any more, or has ended */
		if (self->view != NULL)
			g_debug("workload %s: exec %s: writing its stdin: %s",
				self->workload,
				self->command,
				error->message);
		tender_docker_exec_close(&self->stdin_fd);
		return;
	}
	if (self->view == NULL)
		return;
	if (self->stdin_fd >= 0)
		tender_docker_exec_stdin_watch(self);
	else
		tender_docker_exec_stdin_end(self);
}

/* writes @bytes (taken) to the command's stdin */
static void
tender_docker_exec_stdin_write(TenderDockerExec *self, GBytes *bytes)
{
	GOutputStream *output = g_io_stream_get_output_stream(G_IO_STREAM(self->connection));

	self->stdin_chunk = bytes;
	g_output_stream_write_all_async(output,
					g_bytes_get_data(bytes, NULL),
					g_bytes_get_size(bytes),
					G_PRIORITY_DEFAULT,
					self->cancellable,
					tender_docker_exec_stdin_written_cb,
					tender_docker_exec_ref(self));
}

static gboolean
tender_docker_exec_stdin_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderDockerExec *self = user_data;
	g_autofree guint8 *buf = g_malloc(TENDER_DOCKER_EXEC_READ_SIZE);
	gssize n;

	do
		n = read(self->stdin_fd, buf, TENDER_DOCKER_EXEC_READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return G_SOURCE_CONTINUE;
	self->stdin_id = 0;
	if (n <= 0) {
		tender_docker_exec_stdin_end(self);
		return G_SOURCE_REMOVE;
	}
	/* the next read once this is written */
	tender_docker_exec_stdin_write(self, g_bytes_new_take(g_steal_pointer(&buf), (gsize)n));
	return G_SOURCE_REMOVE;
}

static void
tender_docker_exec_stdin_watch(TenderDockerExec *self)
{
	self->stdin_id =
	    g_unix_fd_add(self->stdin_fd, G_IO_IN | G_IO_HUP, tender_docker_exec_stdin_cb, self);
}

static void
tender_docker_exec_stdin_start(TenderDockerExec *self)
{
	if (self->stdin_fd >= 0)
		tender_docker_exec_stdin_watch(self);
	else if (self->stdin_data != NULL && g_bytes_get_size(self->stdin_data) > 0)
		tender_docker_exec_stdin_write(self, g_bytes_ref(self->stdin_data));
	else if (self->stdin_data != NULL)
		tender_docker_exec_stdin_end(self);
}

/* --- the start --- */

static void
tender_docker_exec_resized_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);

	if (answer == NULL && self->view != NULL)
		g_debug("workload %s: exec %s: its terminal's size: %s",
			self->workload,
			self->command,
			error->message);
}

static void
tender_docker_exec_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) rest = NULL;
	g_autoptr(GSocketConnection) connection =
	    tender_docker_attach_hijack_finish(res, &rest, &error);

	if (self->view == NULL)
		return;
	if (connection == NULL) {
		tender_docker_exec_fail(self, g_steal_pointer(&error));
		return;
	}
	self->connection = g_steal_pointer(&connection);
	if (self->rows != 0 || self->columns != 0) {
		g_autofree gchar *path = g_strdup_printf("/exec/%s/resize?h=%u&w=%u",
							 self->exec_id,
							 self->rows,
							 self->columns);
		tender_docker_client_request_async(self->client,
						   "POST",
						   path,
						   NULL,
						   self->cancellable,
						   tender_docker_exec_resized_cb,
						   tender_docker_exec_ref(self));
	}
	tender_docker_exec_stdin_start(self);
	tender_docker_exec_inspect(self);
	if (g_bytes_get_size(rest) > 0)
		tender_docker_exec_feed(self, g_bytes_get_data(rest, NULL), g_bytes_get_size(rest));
	tender_docker_exec_read(self);
}

static void
tender_docker_exec_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerExec) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *path = NULL;
	GCancellable *cancellable;
	GTask *task;
	const gchar *id = NULL;

	if (self->view == NULL)
		return;
	if (answer == NULL) {
		/* a container that is not running any more is a workload that is not */
		if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
			error->code = TENDER_ERROR_INVALID_STATE;
		tender_docker_exec_fail(self, g_steal_pointer(&error));
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(answer))
		id = json_object_get_string_member_with_default(json_node_get_object(answer),
								"Id",
								NULL);
	if (id == NULL || !tender_docker_api_check_name(id, 128)) {
		tender_docker_exec_fail(self,
					g_error_new_literal(TENDER_ERROR,
							    TENDER_ERROR_FAILED,
							    "dockerd made the command without an "
							    "Id"));
		return;
	}
	self->exec_id = g_strdup(id);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "Detach");
	json_builder_add_boolean_value(builder, FALSE);
	json_builder_set_member_name(builder, "Tty");
	json_builder_add_boolean_value(builder, self->tty);
	json_builder_end_object(builder);
	body = json_builder_get_root(builder);
	path = g_strdup_printf("/v%s/exec/%s/start",
			       tender_docker_client_get_api_version(self->client),
			       self->exec_id);
	cancellable = self->cancellable;
	/* the task holds the reference for its callback */
	task = g_task_new(NULL, cancellable, tender_docker_exec_started_cb, g_steal_pointer(&self));
	tender_docker_attach_hijack(task,
				    tender_docker_client_get_socket_path(
					TENDER_DOCKER_CLIENT(source)),
				    path,
				    body);
}

/* a duplicate of the caller's descriptor for @stream, or -1 */
static gboolean
tender_docker_exec_dup_fd(TenderRunExec *exec, gint stream, gint *fd, GError **error)
{
	gint theirs = tender_run_exec_get_fd(exec, stream);

	*fd = -1;
	if (theirs < 0)
		return TRUE;
	*fd = fcntl(theirs, F_DUPFD_CLOEXEC, 3);
	if (*fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Could not take the caller's descriptor %d: %s",
			    stream,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_exec_start:
 * @client: a client connected to dockerd
 * @container_id: the running container of the workload
 * @workload: the workload's name, for messages
 * @user: (nullable): the workload's x-docker user
 * @exec: the command
 * @cancellable: the runtime's: cancelled when it goes
 * @error: (nullable): a #GError
 *
 * Runs the command of @exec in the container, and reports on @exec what becomes of it.
 *
 * Returns: %FALSE if it cannot be asked of dockerd at all
 */
gboolean
tender_docker_exec_start(TenderDockerClient *client,
			 const gchar *container_id,
			 const gchar *workload,
			 const gchar *user,
			 TenderRunExec *exec,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autoptr(TenderDockerExec) self = g_rc_box_new0(TenderDockerExec);
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *path = NULL;
	guint32 timeout = tender_run_exec_get_timeout(exec);

	self->client = g_object_ref(client);
	self->cancellable = g_cancellable_new();
	self->container_id = g_strdup(container_id);
	self->workload = g_strdup(workload);
	self->command = g_strdup(tender_run_exec_get_argv(exec)[0]);
	self->tty = tender_run_exec_get_tty(exec);
	(void)tender_run_exec_get_terminal_size(exec, &self->rows, &self->columns);
	self->head = g_string_new(NULL);
	self->demux = tender_docker_demux_new(0);
	tender_docker_demux_set_func(self->demux, tender_docker_exec_output, self);
	self->stdin_fd = -1;
	self->pidfd = -1;
	for (guint i = 0; i < G_N_ELEMENTS(self->sinks); i++) {
		self->sinks[i].self = self;
		self->sinks[i].stream = (gint)i + 1;
		self->sinks[i].fd = -1;
		self->sinks[i].pending = g_byte_array_new();
	}
	if (!tender_docker_exec_dup_fd(exec, 0, &self->stdin_fd, error) ||
	    !tender_docker_exec_dup_fd(exec, 1, &self->sinks[0].fd, error) ||
	    !tender_docker_exec_dup_fd(exec, 2, &self->sinks[1].fd, error))
		return FALSE;
	if (tender_run_exec_get_stdin(exec) != NULL)
		self->stdin_data = g_bytes_ref(tender_run_exec_get_stdin(exec));
	body = tender_docker_exec_build_create(tender_run_exec_get_argv(exec),
					       tender_run_exec_get_env(exec),
					       tender_run_exec_get_working_directory(exec),
					       user,
					       self->stdin_fd >= 0 || self->stdin_data != NULL,
					       self->tty);
	self->view = exec;
	self->parent = g_object_ref(cancellable);
	self->parent_id = g_cancellable_connect(cancellable,
						G_CALLBACK(tender_docker_exec_parent_cancelled_cb),
						g_object_ref(self->cancellable),
						g_object_unref);
	self->caller_gone = g_cancellable_source_new(tender_run_exec_get_cancellable(exec));
	g_source_set_callback(self->caller_gone,
			      G_SOURCE_FUNC(tender_docker_exec_caller_gone_cb),
			      tender_docker_exec_ref(self),
			      (GDestroyNotify)tender_docker_exec_unref);
	g_source_attach(self->caller_gone, NULL);
	if (timeout > 0)
		self->timeout_id =
		    g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
					       timeout,
					       tender_docker_exec_timeout_cb,
					       tender_docker_exec_ref(self),
					       (GDestroyNotify)tender_docker_exec_unref);
	g_debug("workload %s: exec %s", workload, self->command);
	path = g_strdup_printf("/containers/%s/exec", container_id);
	tender_docker_client_request_async(client,
					   "POST",
					   path,
					   body,
					   self->cancellable,
					   tender_docker_exec_created_cb,
					   tender_docker_exec_ref(self));
	/* the running command's reference, until its end is reported */
	g_steal_pointer(&self);
	return TRUE;
}
