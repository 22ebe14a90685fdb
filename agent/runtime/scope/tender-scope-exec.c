/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-fdpass.h"
#include "tender-scope-exec.h"
#include "tender-scope-relay.h"
#include "tender-scope-spawn.h"

/*
 * TenderScopeExec: one command of ExecWorkload in a workload of the scope runtime.  It spawns
 * tender-nsenter (agent/shim/) with posix_spawn() and only the descriptors it needs: 0 to 2
 * the command's stdio (the caller's, or pipes whose output is kept up to max_output, or
 * /dev/null), 3 the status pipe, 4 with a terminal a socket the pty's master comes back on,
 * 5 the command's environment in a memfd.  The helper joins the workload's control groups
 * and namespaces and runs the command as the workload's processes run, and says its pid;
 * tenderd tells the request's started that pid once the command runs, keeps the output, feeds
 * stdin, kills the command's process group after timeout_sec or when the caller has gone, and
 * answers once the command has ended and its output is read.  Nothing
 * here blocks the main loop: the pipes are ours and non-blocking, and a terminal's bytes
 * between the caller's descriptors and the master go through a thread (TenderScopeRelay).
 */

#define TENDER_SCOPE_EXEC_STATUS_FD 3
#define TENDER_SCOPE_EXEC_TTY_FD    4
#define TENDER_SCOPE_EXEC_ENV_FD    5
#define TENDER_SCOPE_EXEC_N_FDS	    6
/* what the status pipe may say: a few short lines */
#define TENDER_SCOPE_EXEC_STATUS_MAX 4096
/* how many reads of a pipe one wakeup does, so that a chatty command does not hold the loop */
#define TENDER_SCOPE_EXEC_READS 16

typedef struct _TenderScopeExec TenderScopeExec;

typedef struct {
	TenderScopeExec *self;
	gint fd; /* our end, non-blocking; -1 once read to its end */
	guint id;
	GByteArray *buf;    /* the answer's stdout or stderr */
	gboolean until_eof; /* ours alone (a terminal's output): read to its end */
} TenderScopeExecOutput;

struct _TenderScopeExec {
	GTask *task; /* held while the command runs; it holds us as its data */
	TenderRuntimeExec *exec;
	gchar *name;
	GPid helper;
	GPid pid; /* the command's, as tender-nsenter said; 0 until then */
	guint child_id;
	gboolean exited;
	gint wait_status;
	gint status_fd;
	guint status_id;
	GString *status;
	gchar *failed_step; /* "E STEP ERRNO" */
	gint failed_errno;
	TenderScopeExecOutput outputs[2];
	gint stdin_fd; /* our end of the pipe stdin_data goes into */
	guint stdin_id;
	gsize stdin_done;
	gint tty_sock;
	guint tty_id;
	gint tty_in;  /* the relay's ends, until the master comes */
	gint tty_out; /* likewise */
	TenderScopeRelay *relay;
	gboolean relaying;
	guint timeout_id;
	GCancellable *cancellable;
	gulong cancelled_id;
};

static void
tender_scope_exec_kill(TenderScopeExec *self);

static void
tender_scope_exec_close(gint *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

static void
tender_scope_exec_free(TenderScopeExec *self)
{
	g_clear_handle_id(&self->child_id, g_source_remove);
	g_clear_handle_id(&self->status_id, g_source_remove);
	g_clear_handle_id(&self->stdin_id, g_source_remove);
	g_clear_handle_id(&self->tty_id, g_source_remove);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	for (guint i = 0; i < G_N_ELEMENTS(self->outputs); i++) {
		g_clear_handle_id(&self->outputs[i].id, g_source_remove);
		tender_scope_exec_close(&self->outputs[i].fd);
	}
	tender_scope_exec_close(&self->status_fd);
	tender_scope_exec_close(&self->stdin_fd);
	tender_scope_exec_close(&self->tty_sock);
	tender_scope_exec_close(&self->tty_in);
	tender_scope_exec_close(&self->tty_out);
	tender_scope_relay_free(self->relay);
	if (self->cancellable != NULL)
		g_cancellable_disconnect(self->cancellable, self->cancelled_id);
	g_clear_object(&self->cancellable);
	g_string_free(self->status, TRUE);
	g_free(self->failed_step);
	g_free(self->name);
	g_free(self);
}

/* --- the answer --- */

/* what each step of tender-nsenter that failed means; an errno of 0 matches any */
static const struct {
	const gchar *step;
	gint err;
	TenderError code;
	const gchar *what;
} tender_scope_exec_failures[] = {
    {"exec", ENOENT, TENDER_ERROR_NOT_FOUND, "there is no such command"},
    {"exec", 0, TENDER_ERROR_FAILED, "executing it"},
    {"directory", 0, TENDER_ERROR_INVALID_ARGUMENT, "option 'working_directory'"},
    {"target", ESRCH, TENDER_ERROR_INVALID_STATE, "the workload ended before it could run"},
    {"cgroup", 0, TENDER_ERROR_FAILED, "joining its control groups"},
    {"namespace", 0, TENDER_ERROR_FAILED, "entering its namespaces"},
    {"tty", 0, TENDER_ERROR_FAILED, "opening a terminal in it"},
    {"user", 0, TENDER_ERROR_FAILED, "taking its user"},
};

/* why the command could not be run, as tender-nsenter said it */
static GError *
tender_scope_exec_failure(TenderScopeExec *self)
{
	g_autofree gchar *what = g_strdup(self->failed_step);
	TenderError code = TENDER_ERROR_FAILED;

	for (guint i = 0; i < G_N_ELEMENTS(tender_scope_exec_failures); i++) {
		if (g_strcmp0(tender_scope_exec_failures[i].step, self->failed_step) != 0 ||
		    (tender_scope_exec_failures[i].err != 0 &&
		     tender_scope_exec_failures[i].err != self->failed_errno))
			continue;
		code = tender_scope_exec_failures[i].code;
		g_free(what);
		what = code == TENDER_ERROR_INVALID_ARGUMENT
			   ? g_strdup_printf("%s '%s'",
					     tender_scope_exec_failures[i].what,
					     self->exec->working_directory)
			   : g_strdup(tender_scope_exec_failures[i].what);
		break;
	}
	return g_error_new(TENDER_ERROR,
			   code,
			   "Cannot run '%s' in workload '%s': %s: %s",
			   self->exec->argv[0],
			   self->name,
			   what,
			   g_strerror(self->failed_errno));
}

static void
tender_scope_exec_return(TenderScopeExec *self)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->task);
	gint wstatus = self->wait_status;

	if (self->failed_step != NULL) {
		g_task_return_error(task, tender_scope_exec_failure(self));
		return;
	}
	if (WIFSIGNALED(wstatus)) {
		/* killed: by its timeout, its caller's end, or anyone */
		self->exec->exit_code = -1;
		self->exec->signo = WTERMSIG(wstatus);
	} else if (self->pid == 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"tender-nsenter ended with status %d before it ran '%s'",
					WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1,
					self->exec->argv[0]);
		return;
	} else {
		self->exec->exit_code = WEXITSTATUS(wstatus);
		self->exec->signo = 0;
	}
	g_task_return_boolean(task, TRUE);
}

/* the command has ended and everything it said is read */
static void
tender_scope_exec_check_done(TenderScopeExec *self)
{
	if (self->task == NULL || !self->exited || self->status_fd >= 0 || self->tty_sock >= 0 ||
	    self->relaying || self->outputs[0].fd >= 0 || self->outputs[1].fd >= 0)
		return;
	tender_scope_exec_return(self);
}

/* --- what the helper and the command say --- */

static void
tender_scope_exec_status_line(TenderScopeExec *self, const gchar *line)
{
	g_auto(GStrv) words = g_strsplit(line, " ", 3);
	guint64 value = 0;

	if (g_strcmp0(words[0], "P") == 0 && words[1] != NULL &&
	    g_ascii_string_to_unsigned(words[1], 10, 1, G_MAXINT32, &value, NULL)) {
		self->pid = (GPid)value;
		return;
	}
	if (g_strcmp0(words[0], "E") == 0 && words[1] != NULL && words[2] != NULL &&
	    self->failed_step == NULL &&
	    g_ascii_string_to_unsigned(words[2], 10, 1, G_MAXINT32, &value, NULL)) {
		self->failed_step = g_strdup(words[1]);
		self->failed_errno = (gint)value;
		return;
	}
	g_warning("tender-nsenter said something unexpected: %s", line);
}

/* one read of our end of a pipe: how many bytes, 0 at its end (or on an error), -1 when it
 * has nothing now */
static gssize
tender_scope_exec_read_some(gint fd, gpointer buf, gsize len)
{
	for (;;) {
		gssize n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return errno == EAGAIN ? -1 : 0;
	}
}

/* reads the status pipe; FALSE at its end */
static gboolean
tender_scope_exec_read_status(TenderScopeExec *self)
{
	gchar buf[512];
	gchar *nl;

	for (;;) {
		gssize n = tender_scope_exec_read_some(self->status_fd, buf, sizeof(buf));
		if (n <= 0)
			return n < 0;
		if (self->status->len + (gsize)n > TENDER_SCOPE_EXEC_STATUS_MAX)
			return FALSE;
		g_string_append_len(self->status, buf, n);
		while ((nl = strchr(self->status->str, '\n')) != NULL) {
			*nl = '\0';
			tender_scope_exec_status_line(self, self->status->str);
			g_string_erase(self->status, 0, (gssize)(nl - self->status->str) + 1);
		}
	}
}

/* the status pipe is read and closed: its end without an "E" means the command runs */
static void
tender_scope_exec_status_closed(TenderScopeExec *self)
{
	g_clear_handle_id(&self->status_id, g_source_remove);
	tender_scope_exec_close(&self->status_fd);
	if (self->pid > 0 && self->failed_step == NULL)
		tender_runtime_exec_report_started(self->exec, (guint32)self->pid);
}

static gboolean
tender_scope_exec_status_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeExec *self = user_data;

	if (tender_scope_exec_read_status(self))
		return G_SOURCE_CONTINUE;
	self->status_id = 0;
	tender_scope_exec_status_closed(self);
	tender_scope_exec_check_done(self);
	return G_SOURCE_REMOVE;
}

/* keeps what fits of @len bytes of output */
static void
tender_scope_exec_keep(TenderScopeExecOutput *output, const guint8 *data, gsize len)
{
	TenderRuntimeExec *exec = output->self->exec;
	gsize total = exec->out->len + exec->err->len;
	gsize room = exec->max_output > output->buf->len ? exec->max_output - output->buf->len : 0;

	room = MIN(room,
		   total < TENDER_RUNTIME_EXEC_OUTPUT_TOTAL_MAX
		       ? TENDER_RUNTIME_EXEC_OUTPUT_TOTAL_MAX - total
		       : 0);
	if (len > room)
		exec->truncated = TRUE;
	g_byte_array_append(output->buf, data, (guint)MIN(len, room));
}

/* reads what the pipe holds, at most @reads times; FALSE at its end */
static gboolean
tender_scope_exec_read_output(TenderScopeExecOutput *output, guint reads)
{
	guint8 buf[65536];

	for (guint i = 0; i < reads; i++) {
		gssize n = tender_scope_exec_read_some(output->fd, buf, sizeof(buf));
		if (n <= 0)
			return n < 0;
		tender_scope_exec_keep(output, buf, (gsize)n);
	}
	return TRUE;
}

static void
tender_scope_exec_end_output(TenderScopeExecOutput *output)
{
	g_clear_handle_id(&output->id, g_source_remove);
	tender_scope_exec_close(&output->fd);
}

static gboolean
tender_scope_exec_output_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeExecOutput *output = user_data;

	if (tender_scope_exec_read_output(output, TENDER_SCOPE_EXEC_READS))
		return G_SOURCE_CONTINUE;
	output->id = 0;
	tender_scope_exec_end_output(output);
	tender_scope_exec_check_done(output->self);
	return G_SOURCE_REMOVE;
}

/* feeds stdin_data to the command, then its end */
static gboolean
tender_scope_exec_stdin_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeExec *self = user_data;
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(self->exec->stdin_data, &len);

	while (self->stdin_done < len) {
		gssize n = write(self->stdin_fd, data + self->stdin_done, len - self->stdin_done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return G_SOURCE_CONTINUE;
		if (n < 0)
			break; /* EPIPE: the command does not read any more */
		self->stdin_done += (gsize)n;
	}
	self->stdin_id = 0;
	tender_scope_exec_close(&self->stdin_fd);
	return G_SOURCE_REMOVE;
}

/* --- the terminal --- */

static gboolean
tender_scope_exec_relay_done_cb(gpointer user_data)
{
	TenderScopeExec *self = user_data;

	g_clear_pointer(&self->relay, tender_scope_relay_free);
	self->relaying = FALSE;
	tender_scope_exec_check_done(self);
	return G_SOURCE_REMOVE;
}

/* the master tender-nsenter sends, if it is there; then the relay runs */
static void
tender_scope_exec_receive_master(TenderScopeExec *self)
{
	g_autoptr(GError) error = NULL;
	gint master = tender_fdpass_receive(self->tty_sock, MSG_DONTWAIT);

	if (master < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	g_clear_handle_id(&self->tty_id, g_source_remove);
	tender_scope_exec_close(&self->tty_sock);
	/* none: the helper failed before; the status pipe says why */
	if (master < 0)
		return;
	self->relay = tender_scope_relay_new(master,
					     self->tty_in,
					     self->tty_out,
					     tender_scope_exec_relay_done_cb,
					     self,
					     &error);
	self->tty_in = -1;
	self->tty_out = -1;
	if (self->relay == NULL) {
		g_warning("exec in workload %s: %s", self->name, error->message);
		tender_scope_exec_kill(self);
		return;
	}
	self->relaying = TRUE;
	if (self->exited)
		tender_scope_relay_stop(self->relay);
}

static gboolean
tender_scope_exec_tty_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeExec *self = user_data;

	tender_scope_exec_receive_master(self);
	tender_scope_exec_check_done(self);
	return self->tty_sock >= 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* --- the processes --- */

/* SIGKILL to the command's process group, and to the helper (whose end ends a command it
 * forked) */
static void
tender_scope_exec_kill(TenderScopeExec *self)
{
	if (self->exited)
		return;
	/* the "P" may be in the pipe still */
	if (self->status_fd >= 0)
		(void)tender_scope_exec_read_status(self);
	if (self->pid > 0)
		(void)kill(-self->pid, SIGKILL);
	(void)kill(self->helper, SIGKILL);
}

static gboolean
tender_scope_exec_timeout_cb(gpointer user_data)
{
	TenderScopeExec *self = user_data;

	self->timeout_id = 0;
	g_debug("exec in workload %s: '%s' ran for %u s: killed",
		self->name,
		self->exec->argv[0],
		self->exec->timeout_sec);
	tender_scope_exec_kill(self);
	return G_SOURCE_REMOVE;
}

static void
tender_scope_exec_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	tender_scope_exec_kill(user_data);
}

static void
tender_scope_exec_exited_cb(GPid pid, gint wait_status, gpointer user_data)
{
	TenderScopeExec *self = user_data;

	self->child_id = 0;
	self->exited = TRUE;
	self->wait_status = wait_status;
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	/* what was said before the end is in the pipes: read it, but do not wait for the ends
	 * that processes the command left behind may still hold */
	if (self->status_fd >= 0) {
		(void)tender_scope_exec_read_status(self);
		tender_scope_exec_status_closed(self);
	}
	for (guint i = 0; i < G_N_ELEMENTS(self->outputs); i++) {
		TenderScopeExecOutput *output = &self->outputs[i];
		if (output->fd < 0 || output->until_eof)
			continue;
		(void)tender_scope_exec_read_output(output, 64);
		tender_scope_exec_end_output(output);
	}
	g_clear_handle_id(&self->stdin_id, g_source_remove);
	tender_scope_exec_close(&self->stdin_fd);
	if (self->tty_sock >= 0)
		tender_scope_exec_receive_master(self);
	tender_scope_exec_close(&self->tty_sock);
	g_clear_handle_id(&self->tty_id, g_source_remove);
	if (self->relay != NULL)
		tender_scope_relay_stop(self->relay);
	tender_scope_exec_check_done(self);
}

/* @fd, moved above the descriptors the helper gets, so that no dup2() of its overwrites it */
static gint
tender_scope_exec_move_fd(gint fd)
{
	gint moved;

	if (fd < 0 || fd >= TENDER_SCOPE_EXEC_N_FDS)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, TENDER_SCOPE_EXEC_N_FDS);
	(void)close(fd);
	return moved;
}

/* the command's environment as tender-nsenter reads it: strings each ended by a NUL */
static gint
tender_scope_exec_environ_fd(gchar **envp, GError **error)
{
	gint fd = memfd_create("tender-exec-environ", MFD_CLOEXEC);

	if (fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "memfd_create: %s",
			    g_strerror(errno));
		return -1;
	}
	for (guint i = 0; envp != NULL && envp[i] != NULL; i++) {
		const gchar *p = envp[i];
		gsize len = strlen(p) + 1;
		while (len > 0) {
			gssize n = write(fd, p, len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "Cannot pass the environment: %s",
					    g_strerror(errno));
				(void)close(fd);
				return -1;
			}
			p += n;
			len -= (gsize)n;
		}
	}
	return tender_scope_exec_move_fd(fd);
}

/* a pipe: the end at @ours for us (non-blocking), the other at @theirs, both close-on-exec */
static gboolean
tender_scope_exec_pipe(gint *ours, gint *theirs, gboolean ours_reads, GError **error)
{
	gint fds[2] = {-1, -1};

	if (!g_unix_open_pipe(fds, FD_CLOEXEC, error))
		return FALSE;
	*ours = tender_scope_exec_move_fd(fds[ours_reads ? 0 : 1]);
	*theirs = tender_scope_exec_move_fd(fds[ours_reads ? 1 : 0]);
	return g_unix_set_fd_nonblocking(*ours, TRUE, error);
}

static void
tender_scope_exec_watch_output(TenderScopeExec *self, guint index, gint fd, gboolean until_eof)
{
	TenderScopeExecOutput *output = &self->outputs[index];

	output->fd = fd;
	output->until_eof = until_eof;
	output->id =
	    g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, tender_scope_exec_output_cb, output);
}

/*
 * The helper's descriptors 0 to 5 in @fds (-1: /dev/null), and our ends: for a terminal, the
 * relay's (the caller's, or pipes) and the socket the master comes on; else the pipes of
 * captured output and of stdin_data.  Closes nothing on error: tender_scope_exec_free() does.
 */
static gboolean
tender_scope_exec_open_fds(TenderScopeExec *self, gint *fds, GError **error)
{
	TenderRuntimeExec *exec = self->exec;
	gint *caller_out[2] = {&exec->stdout_fd, &exec->stderr_fd};
	gint sock[2] = {-1, -1};
	gint ours = -1;

	if (exec->stdin_data != NULL &&
	    !tender_scope_exec_pipe(&self->stdin_fd,
				    exec->tty ? &self->tty_in : &fds[STDIN_FILENO],
				    FALSE,
				    error))
		return FALSE;
	if (exec->tty) {
		if (exec->stdin_fd >= 0)
			self->tty_in = g_steal_fd(&exec->stdin_fd);
		if (exec->stdout_fd >= 0)
			self->tty_out = g_steal_fd(&exec->stdout_fd);
		else if (!tender_scope_exec_pipe(&ours, &self->tty_out, TRUE, error))
			return FALSE;
		if (ours >= 0)
			tender_scope_exec_watch_output(self, 0, ours, TRUE);
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "socketpair: %s",
				    g_strerror(errno));
			return FALSE;
		}
		self->tty_sock = tender_scope_exec_move_fd(sock[0]);
		fds[TENDER_SCOPE_EXEC_TTY_FD] = tender_scope_exec_move_fd(sock[1]);
		return g_unix_set_fd_nonblocking(self->tty_sock, TRUE, error);
	}
	if (exec->stdin_fd >= 0)
		fds[STDIN_FILENO] = tender_scope_exec_move_fd(g_steal_fd(&exec->stdin_fd));
	for (guint i = 0; i < G_N_ELEMENTS(caller_out); i++) {
		if (*caller_out[i] >= 0) {
			fds[STDOUT_FILENO + i] =
			    tender_scope_exec_move_fd(g_steal_fd(caller_out[i]));
			continue;
		}
		if (!tender_scope_exec_pipe(&ours, &fds[STDOUT_FILENO + i], TRUE, error))
			return FALSE;
		tender_scope_exec_watch_output(self, i, g_steal_fd(&ours), FALSE);
	}
	return TRUE;
}

static gboolean
tender_scope_exec_spawn(TenderScopeExec *self,
			const gchar *helper,
			const gchar *const *argv,
			gint *fds,
			GError **error)
{
	/* tenderd ignores SIGPIPE; the command gets every signal's default, and none blocked */
	TenderScopeSpawn spawn = {
	    .path = helper,
	    .argv = argv,
	    .fds = fds,
	    .n_fds = TENDER_SCOPE_EXEC_N_FDS,
	};

	if (!tender_scope_spawn_run(&spawn, &self->helper, error))
		return FALSE;
	self->child_id = g_child_watch_add(self->helper, tender_scope_exec_exited_cb, self);
	return TRUE;
}

/* tender-nsenter's arguments; @owned keeps the strings made here */
static GPtrArray *
tender_scope_exec_build_argv(TenderScopeExec *self,
			     const gchar *helper,
			     TenderWorkload *workload,
			     GPtrArray *owned)
{
	TenderRuntimeExec *exec = self->exec;
	GPtrArray *argv = g_ptr_array_new();
	const TenderIdentity *identity = exec->identity;

	g_ptr_array_add(argv, (gpointer)helper);
	g_ptr_array_add(argv, (gpointer) "--pid");
	g_ptr_array_add(argv, g_strdup_printf("%u", tender_workload_get_main_pid(workload)));
	g_ptr_array_add(owned, g_ptr_array_index(argv, argv->len - 1));
	g_ptr_array_add(argv, (gpointer) "--scope");
	g_ptr_array_add(argv, (gpointer)tender_workload_get_control_group(workload));
	g_ptr_array_add(argv, (gpointer) "--cwd");
	g_ptr_array_add(argv, exec->working_directory);
	if (identity != NULL && identity->drop) {
		gchar *ids[] = {g_strdup_printf("%u", identity->uid),
				g_strdup_printf("%u", identity->gid),
				tender_identity_caps_to_string(identity)};
		const gchar *flags[] = {"--uid", "--gid", "--caps"};
		for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
			g_ptr_array_add(owned, ids[i]);
			g_ptr_array_add(argv, (gpointer)flags[i]);
			g_ptr_array_add(argv, ids[i]);
		}
	}
	if (exec->tty) {
		gchar *rows = g_strdup_printf("%u", exec->rows);
		gchar *columns = g_strdup_printf("%u", exec->columns);
		g_ptr_array_add(owned, rows);
		g_ptr_array_add(owned, columns);
		g_ptr_array_add(argv, (gpointer) "--tty");
		g_ptr_array_add(argv, rows);
		g_ptr_array_add(argv, columns);
	}
	/* a strict workload's command has no capability and its seccomp filter: so has this */
	if (exec->strict)
		g_ptr_array_add(argv, (gpointer) "--strict");
	g_ptr_array_add(argv, (gpointer) "--");
	for (guint i = 0; exec->argv[i] != NULL; i++)
		g_ptr_array_add(argv, exec->argv[i]);
	g_ptr_array_add(argv, NULL);
	return argv;
}

/**
 * tender_scope_exec_prepare:
 * @exec: a command to run in a workload, as the engine asks it
 * @spec: the workload's spec
 * @image: (nullable): its image
 *
 * Gives @exec what the workload's own command gets of its image (tender-scope-shim.c): the
 * image's User when the spec has no user (and the environment of that user), the image's Env
 * under the spec's env, the call's own env over both; the working directory of the
 * workload's processes unless the call names one.
 *
 * Returns: %TRUE, or %FALSE if the image's user cannot be resolved in it
 */
gboolean
tender_scope_exec_prepare(TenderRuntimeExec *exec,
			  const TenderSpec *spec,
			  const TenderScopeImage *image,
			  GError **error)
{
	if (exec->working_directory == NULL)
		exec->working_directory =
		    g_strdup(tender_scope_image_get_working_directory(image, spec));
	if (image == NULL)
		return TRUE;
	if (image->user != NULL && spec->user == NULL) {
		TenderIdentity *identity = tender_scope_image_new_identity(image, spec, error);
		if (identity == NULL)
			return FALSE;
		tender_identity_free(exec->identity);
		exec->identity = identity;
		g_strfreev(exec->envp);
		exec->envp = tender_identity_build_environ(identity, spec);
	}
	exec->envp = tender_scope_image_merge_environ(image, spec, exec->envp);
	for (guint i = 0; exec->env != NULL && exec->env[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(exec->env[i], "=", 2);
		exec->envp = g_environ_setenv(exec->envp, kv[0], kv[1], TRUE);
	}
	return TRUE;
}

/**
 * tender_scope_exec_start:
 * @source_object: the runtime, the source of the task
 * @helper: where tender-nsenter is
 * @workload: a running workload
 * @exec: the command, tender_scope_exec_prepare()d; valid until @callback, which finds the
 *	answer in it
 * @cancellable: (nullable): cancelled when the caller has gone: the command is killed
 * @callback: called once the command has ended and its output is read, or it could not run
 * @user_data: for @callback
 *
 * Finish with g_task_propagate_boolean().
 */
void
tender_scope_exec_start(gpointer source_object,
			const gchar *helper,
			TenderWorkload *workload,
			TenderRuntimeExec *exec,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(source_object, NULL, callback, user_data);
	TenderScopeExec *self = g_new0(TenderScopeExec, 1);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) argv = NULL;
	g_autoptr(GError) error = NULL;
	gint fds[TENDER_SCOPE_EXEC_N_FDS] = {-1, -1, -1, -1, -1, -1};
	gint status_ours = -1;
	gboolean ok;

	g_task_set_source_tag(task, tender_scope_exec_start);
	self->exec = exec;
	self->name = g_strdup(tender_workload_get_name(workload));
	self->status = g_string_new(NULL);
	self->status_fd = self->stdin_fd = self->tty_sock = self->tty_in = self->tty_out = -1;
	self->outputs[0] = (TenderScopeExecOutput){self, -1, 0, exec->out, FALSE};
	self->outputs[1] = (TenderScopeExecOutput){self, -1, 0, exec->err, FALSE};
	g_task_set_task_data(task, self, (GDestroyNotify)tender_scope_exec_free);
	/* a command that stops reading its stdin costs an EPIPE, not tenderd's life (the log
	 * follower does the same) */
	signal(SIGPIPE, SIG_IGN);

	if (tender_workload_get_main_pid(workload) == 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' has no main process to run '%s' in",
					self->name,
					exec->argv[0]);
		return;
	}
	argv = tender_scope_exec_build_argv(self, helper, workload, owned);
	ok = tender_scope_exec_open_fds(self, fds, &error) &&
	     tender_scope_exec_pipe(&status_ours, &fds[TENDER_SCOPE_EXEC_STATUS_FD], TRUE, &error);
	self->status_fd = status_ours;
	if (ok)
		fds[TENDER_SCOPE_EXEC_ENV_FD] = tender_scope_exec_environ_fd(exec->envp, &error);
	ok = ok && fds[TENDER_SCOPE_EXEC_ENV_FD] >= 0 &&
	     tender_scope_exec_spawn(self, helper, (const gchar *const *)argv->pdata, fds, &error);
	/* the helper's ends are the helper's now */
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++)
		tender_scope_exec_close(&fds[i]);
	if (!ok) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	self->status_id =
	    g_unix_fd_add(self->status_fd, G_IO_IN | G_IO_HUP, tender_scope_exec_status_cb, self);
	if (self->stdin_fd >= 0)
		self->stdin_id = g_unix_fd_add(self->stdin_fd,
					       G_IO_OUT | G_IO_ERR,
					       tender_scope_exec_stdin_cb,
					       self);
	if (self->tty_sock >= 0)
		self->tty_id = g_unix_fd_add(self->tty_sock,
					     G_IO_IN | G_IO_HUP,
					     tender_scope_exec_tty_cb,
					     self);
	/* in milliseconds: a timer of whole seconds may fire up to one second early */
	if (exec->timeout_sec > 0)
		self->timeout_id =
		    g_timeout_add((guint)MIN((guint64)exec->timeout_sec * 1000, G_MAXUINT),
				  tender_scope_exec_timeout_cb,
				  self);
	if (cancellable != NULL) {
		self->cancellable = g_object_ref(cancellable);
		self->cancelled_id =
		    g_cancellable_connect(cancellable,
					  G_CALLBACK(tender_scope_exec_cancelled_cb),
					  self,
					  NULL);
	}
	/* held until the command has ended: the task holds us */
	self->task = g_steal_pointer(&task);
}
