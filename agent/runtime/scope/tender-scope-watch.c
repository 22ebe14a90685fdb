/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-watch.h"

/*
 * TenderScopeWatch: one main-loop source for the descriptors of every run of the scope
 * runtime (each shim's pidfd and status pipe).  They are in one epoll instance, and the main
 * loop polls only its descriptor: GLib visits each of its sources on every iteration, so with
 * a source per descriptor the cost of an iteration would grow with the number of running
 * workloads.  Each wakeup dispatches at most TENDER_SCOPE_WATCH_BATCH ready descriptors (the
 * epoll is level-triggered: the others come on the next iteration), each to the function it
 * was added with, as g_unix_fd_add() would.  A watch removed while a batch is dispatched
 * (by an earlier function of the batch) is not called any more.
 */

#define TENDER_SCOPE_WATCH_BATCH 64

typedef struct {
	guint id;
	gint fd;
	TenderScopeWatchFunc func;
	gpointer user_data;
	GDestroyNotify notify;
	gboolean removed; /* while its function runs */
} TenderScopeWatchEntry;

struct _TenderScopeWatch {
	GObject parent_instance;
	gint epfd; /* -1 if it could not be made: every add fails, saying why */
	gint epoll_errno;
	GSource *source;
	GHashTable *entries; /* id → TenderScopeWatchEntry */
	guint next_id;
	TenderScopeWatchEntry *dispatching;
};

G_DEFINE_TYPE(TenderScopeWatch, tender_scope_watch, G_TYPE_OBJECT)

static void
tender_scope_watch_entry_free(TenderScopeWatchEntry *entry)
{
	if (entry->notify != NULL)
		entry->notify(entry->user_data);
	g_free(entry);
}

/* epoll's events and GLib's conditions */
static const struct {
	guint32 events;
	GIOCondition condition;
} tender_scope_watch_conditions[] = {
    {EPOLLIN, G_IO_IN},
    {EPOLLOUT, G_IO_OUT},
    {EPOLLPRI, G_IO_PRI},
    {EPOLLERR, G_IO_ERR},
    {EPOLLHUP, G_IO_HUP},
};

/* epoll's events as GLib's conditions (@from_epoll), or the other way round; epoll reports
 * EPOLLERR and EPOLLHUP whether asked or not */
static guint32
tender_scope_watch_convert(guint32 bits, gboolean from_epoll)
{
	guint32 out = 0;

	for (guint i = 0; i < G_N_ELEMENTS(tender_scope_watch_conditions); i++) {
		guint32 events = tender_scope_watch_conditions[i].events;
		guint32 condition = tender_scope_watch_conditions[i].condition;
		if (bits & (from_epoll ? events : condition))
			out |= from_epoll ? condition : events;
	}
	return out;
}

/* takes the entry out of the table and the epoll; frees it unless its function runs */
static void
tender_scope_watch_drop(TenderScopeWatch *self, TenderScopeWatchEntry *entry)
{
	g_hash_table_steal(self->entries, GUINT_TO_POINTER(entry->id));
	if (epoll_ctl(self->epfd, EPOLL_CTL_DEL, entry->fd, NULL) < 0)
		g_debug("epoll: cannot remove descriptor %d: %s", entry->fd, g_strerror(errno));
	if (entry == self->dispatching)
		entry->removed = TRUE;
	else
		tender_scope_watch_entry_free(entry);
}

static gboolean
tender_scope_watch_dispatch_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	g_autoptr(TenderScopeWatch) self = g_object_ref(TENDER_SCOPE_WATCH(user_data));
	struct epoll_event events[TENDER_SCOPE_WATCH_BATCH];
	gint n;

	n = epoll_wait(self->epfd, events, G_N_ELEMENTS(events), 0);
	if (n < 0 && errno != EINTR)
		g_warning("epoll_wait: %s", g_strerror(errno));
	for (gint i = 0; i < n; i++) {
		TenderScopeWatchEntry *entry =
		    g_hash_table_lookup(self->entries, GUINT_TO_POINTER(events[i].data.u32));
		gboolean keep;

		/* removed by an earlier function of this batch */
		if (entry == NULL)
			continue;
		self->dispatching = entry;
		keep = entry->func(entry->fd,
				   (GIOCondition)tender_scope_watch_convert(events[i].events, TRUE),
				   entry->user_data);
		self->dispatching = NULL;
		if (entry->removed)
			tender_scope_watch_entry_free(entry);
		else if (!keep)
			tender_scope_watch_drop(self, entry);
	}
	return G_SOURCE_CONTINUE;
}

/**
 * tender_scope_watch_add:
 * @self: a #TenderScopeWatch
 * @fd: a descriptor that epoll can watch (a pipe, a pidfd); it stays the caller's, and must
 *	stay open until the watch is removed
 * @condition: G_IO_IN, G_IO_OUT or G_IO_PRI; G_IO_HUP and G_IO_ERR always come
 * @func: called on the main loop while @fd is ready
 * @user_data: for @func
 * @notify: (nullable): called with @user_data once the watch is removed
 * @error: (nullable): a #GError
 *
 * Returns: the watch's id (never 0), or 0 if epoll refused @fd (and @notify is not called)
 */
guint
tender_scope_watch_add(TenderScopeWatch *self,
		       gint fd,
		       GIOCondition condition,
		       TenderScopeWatchFunc func,
		       gpointer user_data,
		       GDestroyNotify notify,
		       GError **error)
{
	TenderScopeWatchEntry *entry;
	struct epoll_event event = {0};
	gint err = self->epoll_errno;

	g_return_val_if_fail(TENDER_IS_SCOPE_WATCH(self), 0);
	g_return_val_if_fail(fd >= 0, 0);

	/* ids wrap around after 2^32 watches: skip 0 and any still in use */
	do {
		self->next_id++;
	} while (self->next_id == 0 ||
		 g_hash_table_contains(self->entries, GUINT_TO_POINTER(self->next_id)));
	event.events = tender_scope_watch_convert(condition, FALSE);
	event.data.u32 = self->next_id;
	if (self->epfd >= 0 && epoll_ctl(self->epfd, EPOLL_CTL_ADD, fd, &event) < 0)
		err = errno;
	if (self->epfd < 0 || err != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot watch descriptor %d: %s",
			    fd,
			    g_strerror(err));
		return 0;
	}
	entry = g_new0(TenderScopeWatchEntry, 1);
	entry->id = self->next_id;
	entry->fd = fd;
	entry->func = func;
	entry->user_data = user_data;
	entry->notify = notify;
	g_hash_table_insert(self->entries, GUINT_TO_POINTER(entry->id), entry);
	return entry->id;
}

/**
 * tender_scope_watch_remove:
 * @self: a #TenderScopeWatch
 * @id: what tender_scope_watch_add() returned; 0 does nothing
 *
 * Ends the watch before its descriptor is closed; its notify is called (once its function
 * has returned, if it is running).
 */
void
tender_scope_watch_remove(TenderScopeWatch *self, guint id)
{
	TenderScopeWatchEntry *entry;

	g_return_if_fail(TENDER_IS_SCOPE_WATCH(self));
	if (id == 0)
		return;
	entry = g_hash_table_lookup(self->entries, GUINT_TO_POINTER(id));
	g_return_if_fail(entry != NULL);
	tender_scope_watch_drop(self, entry);
}

/**
 * tender_scope_watch_get_size:
 * @self: a #TenderScopeWatch
 *
 * Returns: how many descriptors are watched
 */
guint
tender_scope_watch_get_size(TenderScopeWatch *self)
{
	g_return_val_if_fail(TENDER_IS_SCOPE_WATCH(self), 0);
	return g_hash_table_size(self->entries);
}

static void
tender_scope_watch_finalize(GObject *object)
{
	TenderScopeWatch *self = TENDER_SCOPE_WATCH(object);
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		g_hash_table_iter_steal(&iter);
		tender_scope_watch_entry_free(value);
	}
	g_hash_table_unref(self->entries);
	if (self->source != NULL) {
		g_source_destroy(self->source);
		g_source_unref(self->source);
	}
	if (self->epfd >= 0)
		(void)close(self->epfd);
	G_OBJECT_CLASS(tender_scope_watch_parent_class)->finalize(object);
}

static void
tender_scope_watch_class_init(TenderScopeWatchClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_scope_watch_finalize;
}

static void
tender_scope_watch_init(TenderScopeWatch *self)
{
	self->entries = g_hash_table_new(g_direct_hash, g_direct_equal);
	self->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (self->epfd < 0) {
		self->epoll_errno = errno;
		g_warning("epoll_create1: %s", g_strerror(errno));
		return;
	}
	self->source = g_unix_fd_source_new(self->epfd, G_IO_IN);
	g_source_set_callback(self->source,
			      G_SOURCE_FUNC(tender_scope_watch_dispatch_cb),
			      self,
			      NULL);
	g_source_set_static_name(self->source, "tender-scope-watch");
	g_source_attach(self->source, g_main_context_get_thread_default());
}

/**
 * tender_scope_watch_new:
 *
 * Returns: (transfer full): a #TenderScopeWatch whose source is in the thread-default main
 *	context
 */
TenderScopeWatch *
tender_scope_watch_new(void)
{
	return g_object_new(TENDER_TYPE_SCOPE_WATCH, NULL);
}
