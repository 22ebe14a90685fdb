/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include "tender-scope-relay.h"

/*
 * TenderScopeRelay: the bytes between the master of an exec's pty and the caller, in a thread
 * of its own.  The caller's descriptors are theirs: tenderd must not make them non-blocking
 * (a terminal's flags are shared with whoever else has it open), so only a thread may block
 * on them.  Input goes to the master as the pty takes it, output to the caller as fast as they
 * take it; an end of input is the terminal's end-of-file character.  The relay ends when the
 * pty has no other end any more (EIO), or, once told to stop (the command has ended), after
 * what the master still holds.
 */

#define TENDER_SCOPE_RELAY_BUF 16384

struct _TenderScopeRelay {
	gint master;
	gint in_fd;
	gint out_fd;
	gint stop_fd; /* an eventfd: the command has ended */
	GThread *thread;
	GMainContext *context;
	GSourceFunc done;
	gpointer done_data;
	/* input read but not yet taken by the pty */
	guint8 pending[TENDER_SCOPE_RELAY_BUF];
	gsize pending_len;
};

static void
tender_scope_relay_close(gint *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

static gboolean
tender_scope_relay_write_all(gint fd, const guint8 *buf, gsize len)
{
	while (len > 0) {
		gssize n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		buf += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* output of the pty to the caller; FALSE once the pty has no other end, or the caller none */
static gboolean
tender_scope_relay_output(TenderScopeRelay *self)
{
	guint8 buf[TENDER_SCOPE_RELAY_BUF];
	gssize n = read(self->master, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return TRUE;
	if (n <= 0)
		return FALSE;
	/* a caller that went away: what the command prints goes nowhere, it runs on */
	if (self->out_fd >= 0 && !tender_scope_relay_write_all(self->out_fd, buf, (gsize)n))
		tender_scope_relay_close(&self->out_fd);
	return TRUE;
}

/* input of the caller, kept until the pty takes it; at its end, the end-of-file character */
static void
tender_scope_relay_input(TenderScopeRelay *self)
{
	gssize n = read(self->in_fd, self->pending, sizeof(self->pending));
	struct termios term;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		self->pending_len = (gsize)n;
		return;
	}
	tender_scope_relay_close(&self->in_fd);
	if (tcgetattr(self->master, &term) == 0 && (term.c_lflag & ICANON) != 0) {
		self->pending[0] = term.c_cc[VEOF];
		self->pending_len = 1;
	}
}

static void
tender_scope_relay_flush_input(TenderScopeRelay *self)
{
	gssize n = write(self->master, self->pending, self->pending_len);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		/* the pty takes no more: what is left of the input is lost */
		self->pending_len = 0;
		tender_scope_relay_close(&self->in_fd);
		return;
	}
	memmove(self->pending, self->pending + n, self->pending_len - (gsize)n);
	self->pending_len -= (gsize)n;
}

static gpointer
tender_scope_relay_thread(gpointer user_data)
{
	TenderScopeRelay *self = user_data;
	gboolean stopping = FALSE;
	sigset_t pipe_mask;
	GSource *done;

	/* a caller that closed its end costs an EPIPE here, never a signal */
	sigemptyset(&pipe_mask);
	sigaddset(&pipe_mask, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_mask, NULL);
	for (;;) {
		struct pollfd fds[3] = {
		    {.fd = self->master, .events = POLLIN},
		    {.fd = stopping ? -1 : self->stop_fd, .events = POLLIN},
		    {.fd = self->in_fd, .events = POLLIN},
		};
		gint rc;
		if (self->pending_len > 0) {
			fds[0].events |= POLLOUT;
			fds[2].fd = -1;
		}
		/* once stopping, only what the master holds now */
		rc = poll(fds, G_N_ELEMENTS(fds), stopping ? 0 : -1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
		    !tender_scope_relay_output(self))
			break;
		if ((fds[0].revents & POLLOUT) != 0)
			tender_scope_relay_flush_input(self);
		if ((fds[1].revents & POLLIN) != 0)
			stopping = TRUE;
		if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
			tender_scope_relay_input(self);
	}
	tender_scope_relay_close(&self->master);
	tender_scope_relay_close(&self->in_fd);
	tender_scope_relay_close(&self->out_fd);
	/* never called here, even where this thread could take the context */
	done = g_idle_source_new();
	g_source_set_callback(done, self->done, self->done_data, NULL);
	g_source_attach(done, self->context);
	g_source_unref(done);
	return NULL;
}

/**
 * tender_scope_relay_new:
 * @master: (transfer full): the master of the pty
 * @in_fd: (transfer full): what goes to the pty, or -1
 * @out_fd: (transfer full): where its output goes, or -1
 * @done: called in the thread-default main context of the caller once the relay has ended
 * @done_data: for @done
 * @error: (nullable): a #GError
 *
 * Starts relaying; call tender_scope_relay_stop() once the command has ended, then free it
 * (after @done).
 *
 * Returns: (transfer full): a #TenderScopeRelay, or %NULL (and the descriptors are closed)
 */
TenderScopeRelay *
tender_scope_relay_new(gint master,
		       gint in_fd,
		       gint out_fd,
		       GSourceFunc done,
		       gpointer done_data,
		       GError **error)
{
	TenderScopeRelay *self = g_new0(TenderScopeRelay, 1);

	self->master = master;
	self->in_fd = in_fd;
	self->out_fd = out_fd;
	self->done = done;
	self->done_data = done_data;
	self->context = g_main_context_ref_thread_default();
	self->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (self->stop_fd < 0 || !g_unix_set_fd_nonblocking(master, TRUE, error)) {
		if (self->stop_fd < 0)
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "eventfd: %s",
				    g_strerror(errno));
		tender_scope_relay_free(self);
		return NULL;
	}
	self->thread = g_thread_try_new("tender-exec-tty", tender_scope_relay_thread, self, error);
	if (self->thread == NULL) {
		tender_scope_relay_free(self);
		return NULL;
	}
	return self;
}

/**
 * tender_scope_relay_stop:
 * @self: a #TenderScopeRelay
 *
 * The command has ended: the relay ends after the output the pty still holds.
 */
void
tender_scope_relay_stop(TenderScopeRelay *self)
{
	guint64 one = 1;

	if (write(self->stop_fd, &one, sizeof(one)) != sizeof(one))
		g_warning("cannot stop the relay of a terminal: %s", g_strerror(errno));
}

/**
 * tender_scope_relay_free:
 * @self: (nullable): a #TenderScopeRelay that has ended (its done function was called), or
 *   that never started
 */
void
tender_scope_relay_free(TenderScopeRelay *self)
{
	if (self == NULL)
		return;
	if (self->thread != NULL)
		g_thread_join(self->thread);
	tender_scope_relay_close(&self->master);
	tender_scope_relay_close(&self->in_fd);
	tender_scope_relay_close(&self->out_fd);
	tender_scope_relay_close(&self->stop_fd);
	g_main_context_unref(self->context);
	g_free(self);
}
