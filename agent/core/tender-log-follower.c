/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

#include "tender-log-follower.h"

/*
 * TenderLogFollower writes a workload's journal entries into a pipe, one line of JSON each,
 * as FollowLogs promises: first those its journal was positioned on, then every new one.
 * It holds at most one line: when the pipe is full it stops reading the journal until the
 * pipe takes more, so a slow reader slows the reading, and costs no memory.  When the reader
 * closes its end, or reading fails, it emits ::closed; whoever owns it then drops it, which
 * closes the pipe.
 */

/* entries written in one go before other sources get their turn */
#define TENDER_LOG_FOLLOWER_BATCH 256

struct _TenderLogFollower {
	GObject parent_instance;
	gchar *workload;
	TenderJournal *journal;
	gint fd; /* the write end of the pipe, non-blocking */
	GSource *journal_source;
	GSource *hangup_source;
	GSource *writable_source;
	GSource *idle_source;
	gchar *pending; /* the line being written */
	gsize pending_len;
	gsize pending_off;
	gboolean closed;
};

G_DEFINE_TYPE(TenderLogFollower, tender_log_follower, G_TYPE_OBJECT)

enum { SIGNAL_CLOSED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static void
tender_log_follower_pump(TenderLogFollower *self);

static void
tender_log_follower_clear_source(GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy(*source);
	g_clear_pointer(source, g_source_unref);
}

static GSource *
tender_log_follower_attach(GSource *source, GSourceFunc func, TenderLogFollower *self)
{
	/* the sources are destroyed before self goes: no reference needed */
	g_source_set_callback(source, func, self, NULL);
	g_source_attach(source, NULL);
	return source;
}

/* the reader is gone, or the journal cannot be read: stop for good */
static void
tender_log_follower_close(TenderLogFollower *self)
{
	g_autoptr(TenderLogFollower) ref = g_object_ref(self);

	if (self->closed)
		return;
	self->closed = TRUE;
	tender_log_follower_clear_source(&self->journal_source);
	tender_log_follower_clear_source(&self->hangup_source);
	tender_log_follower_clear_source(&self->writable_source);
	tender_log_follower_clear_source(&self->idle_source);
	g_signal_emit(self, signals[SIGNAL_CLOSED], 0);
}

static gboolean
tender_log_follower_writable_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderLogFollower *self = TENDER_LOG_FOLLOWER(user_data);

	g_clear_pointer(&self->writable_source, g_source_unref);
	tender_log_follower_pump(self);
	return G_SOURCE_REMOVE;
}

static gboolean
tender_log_follower_idle_cb(gpointer user_data)
{
	TenderLogFollower *self = TENDER_LOG_FOLLOWER(user_data);

	g_clear_pointer(&self->idle_source, g_source_unref);
	tender_log_follower_pump(self);
	return G_SOURCE_REMOVE;
}

/* writes what the pipe takes of the pending line; FALSE if the pipe is full or closed */
static gboolean
tender_log_follower_write(TenderLogFollower *self)
{
	while (self->pending_off < self->pending_len) {
		gssize n = write(self->fd,
				 self->pending + self->pending_off,
				 self->pending_len - self->pending_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* full: on when the reader has taken some */
			self->writable_source = g_unix_fd_source_new(self->fd, G_IO_OUT);
			tender_log_follower_attach(self->writable_source,
						   G_SOURCE_FUNC(tender_log_follower_writable_cb),
						   self);
			return FALSE;
		}
		if (n < 0) {
			/* EPIPE: the reader has closed its end */
			if (errno != EPIPE)
				g_debug("log follower of %s: %s",
					self->workload,
					g_strerror(errno));
			tender_log_follower_close(self);
			return FALSE;
		}
		self->pending_off += (gsize)n;
	}
	g_clear_pointer(&self->pending, g_free);
	self->pending_len = 0;
	self->pending_off = 0;
	return TRUE;
}

/* writes entries until the pipe is full, the journal has no more, or a batch is done */
static void
tender_log_follower_pump(TenderLogFollower *self)
{
	if (self->closed || self->writable_source != NULL || self->idle_source != NULL)
		return;
	for (guint i = 0; i < TENDER_LOG_FOLLOWER_BATCH; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) entry = NULL;

		if (self->pending != NULL && !tender_log_follower_write(self))
			return;
		entry = tender_journal_next(self->journal, &error);
		if (error != NULL) {
			g_warning("cannot follow the logs of %s: %s",
				  self->workload,
				  error->message);
			tender_log_follower_close(self);
			return;
		}
		/* nothing new: on when the journal changes */
		if (entry == NULL)
			return;
		self->pending = tender_journal_entry_to_json(entry);
		self->pending_len = strlen(self->pending);
	}
	/* a long backlog: go on once the main loop has seen to the rest */
	self->idle_source = g_idle_source_new();
	tender_log_follower_attach(self->idle_source, tender_log_follower_idle_cb, self);
}

static gboolean
tender_log_follower_journal_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderLogFollower *self = TENDER_LOG_FOLLOWER(user_data);
	g_autoptr(GError) error = NULL;

	/* always take note, so that the descriptor quiets down; read only if the pipe takes it */
	if (!tender_journal_process(self->journal, &error)) {
		g_warning("cannot follow the logs of %s: %s", self->workload, error->message);
		tender_log_follower_close(self);
		return G_SOURCE_REMOVE;
	}
	tender_log_follower_pump(self);
	return G_SOURCE_CONTINUE;
}

static gboolean
tender_log_follower_hangup_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderLogFollower *self = TENDER_LOG_FOLLOWER(user_data);

	tender_log_follower_close(self);
	return G_SOURCE_REMOVE;
}

/**
 * tender_log_follower_get_workload:
 * @self: a #TenderLogFollower
 *
 * Returns: the name of the workload whose logs it follows
 */
const gchar *
tender_log_follower_get_workload(TenderLogFollower *self)
{
	g_return_val_if_fail(TENDER_IS_LOG_FOLLOWER(self), NULL);
	return self->workload;
}

static void
tender_log_follower_finalize(GObject *object)
{
	TenderLogFollower *self = TENDER_LOG_FOLLOWER(object);

	tender_log_follower_clear_source(&self->journal_source);
	tender_log_follower_clear_source(&self->hangup_source);
	tender_log_follower_clear_source(&self->writable_source);
	tender_log_follower_clear_source(&self->idle_source);
	if (self->fd >= 0)
		(void)close(self->fd);
	tender_journal_free(self->journal);
	g_free(self->pending);
	g_free(self->workload);
	G_OBJECT_CLASS(tender_log_follower_parent_class)->finalize(object);
}

static void
tender_log_follower_class_init(TenderLogFollowerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_log_follower_finalize;

	/* a reader that went away must cost an EPIPE, not tenderd's life (GSocket does the
	 * same for sockets) */
	signal(SIGPIPE, SIG_IGN);

	/**
	 * TenderLogFollower::closed:
	 * @self: the follower
	 *
	 * The reader has closed the pipe, or the journal could not be read: drop the follower.
	 */
	signals[SIGNAL_CLOSED] = g_signal_new("closed",
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
tender_log_follower_init(TenderLogFollower *self)
{
	self->fd = -1;
}

/**
 * tender_log_follower_new:
 * @workload: the workload's name
 * @journal: (transfer full): its journal, opened with @watch and positioned
 * @fd: (transfer full): the write end of a non-blocking pipe
 *
 * Starts writing at once, from the main loop.
 *
 * Returns: (transfer full): a #TenderLogFollower
 */
TenderLogFollower *
tender_log_follower_new(const gchar *workload, TenderJournal *journal, gint fd)
{
	TenderLogFollower *self = g_object_new(TENDER_TYPE_LOG_FOLLOWER, NULL);

	self->workload = g_strdup(workload);
	self->journal = journal;
	self->fd = fd;
	self->journal_source = g_unix_fd_source_new(tender_journal_get_fd(journal), G_IO_IN);
	tender_log_follower_attach(self->journal_source,
				   G_SOURCE_FUNC(tender_log_follower_journal_cb),
				   self);
	/* poll() reports a closed read end as POLLERR on the write end, whatever was asked */
	self->hangup_source = g_unix_fd_source_new(fd, G_IO_ERR | G_IO_HUP);
	tender_log_follower_attach(self->hangup_source,
				   G_SOURCE_FUNC(tender_log_follower_hangup_cb),
				   self);
	self->idle_source = g_idle_source_new();
	tender_log_follower_attach(self->idle_source, tender_log_follower_idle_cb, self);
	return self;
}
