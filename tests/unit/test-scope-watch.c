/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-watch.h"

#define N_PIPES 200

typedef struct {
	TenderScopeWatch *watch;
	gint fds[2];
	guint id;
	guint calls;
	guint notified;
	gsize bytes;
	gboolean eof;
	gpointer other; /* another Pipe this one's function removes */
	gboolean remove_self;
} Pipe;

static void
pipe_open(Pipe *p, TenderScopeWatch *watch)
{
	g_autoptr(GError) error = NULL;

	p->watch = watch;
	g_assert_true(g_unix_open_pipe(p->fds, FD_CLOEXEC, &error));
	g_assert_no_error(error);
	g_assert_true(g_unix_set_fd_nonblocking(p->fds[0], TRUE, &error));
}

static void
pipe_close(Pipe *p)
{
	for (guint i = 0; i < 2; i++) {
		if (p->fds[i] >= 0)
			(void)close(p->fds[i]);
		p->fds[i] = -1;
	}
}

static void
pipe_notify(gpointer data)
{
	Pipe *p = data;
	p->notified++;
}

static gboolean
pipe_cb(gint fd, GIOCondition condition, gpointer data)
{
	Pipe *p = data;
	gchar buf[64];
	gssize n;

	p->calls++;
	if (p->other != NULL) {
		Pipe *other = p->other;
		tender_scope_watch_remove(p->watch, other->id);
		other->id = 0;
		return G_SOURCE_CONTINUE;
	}
	if (p->remove_self) {
		tender_scope_watch_remove(p->watch, p->id);
		p->id = 0;
		/* what it returns now changes nothing */
		return G_SOURCE_CONTINUE;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		p->bytes += (gsize)n;
	if (n < 0 && errno == EAGAIN)
		return G_SOURCE_CONTINUE;
	p->eof = TRUE;
	p->id = 0;
	return G_SOURCE_REMOVE;
}

static void
pipe_watch(Pipe *p)
{
	g_autoptr(GError) error = NULL;

	p->id =
	    tender_scope_watch_add(p->watch, p->fds[0], G_IO_IN, pipe_cb, p, pipe_notify, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(p->id, !=, 0);
}

/* a watch whose source is in @context, made the thread's default */
static TenderScopeWatch *
watch_new_in(GMainContext *context)
{
	g_main_context_push_thread_default(context);
	return tender_scope_watch_new();
}

/* how many descriptors the main loop polls in one iteration */
static gint
polled_fds(GMainContext *context)
{
	GPollFD fds[64];
	gint max_priority = 0;
	gint timeout = 0;
	gint n;

	g_assert_true(g_main_context_acquire(context));
	(void)g_main_context_prepare(context, &max_priority);
	n = g_main_context_query(context, max_priority, &timeout, fds, G_N_ELEMENTS(fds));
	(void)g_main_context_check(context, max_priority, fds, MIN(n, (gint)G_N_ELEMENTS(fds)));
	g_main_context_release(context);
	return n;
}

/* many descriptors, one source: each is read to its end by its own function */
static void
test_many(void)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(TenderScopeWatch) watch = NULL;
	g_autofree Pipe *pipes = g_new0(Pipe, N_PIPES);
	gint polled_empty;
	guint ended = 0;

	watch = watch_new_in(context);
	polled_empty = polled_fds(context);
	for (guint i = 0; i < N_PIPES; i++) {
		pipe_open(&pipes[i], watch);
		pipe_watch(&pipes[i]);
	}
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, N_PIPES);
	/* the main loop polls as many descriptors with 200 watched as with none */
	g_assert_cmpint(polled_fds(context), ==, polled_empty);

	/* each says i + 1 bytes, and ends: all at once */
	for (guint i = 0; i < N_PIPES; i++) {
		g_autofree gchar *data = g_strnfill(i + 1, 'x');
		g_assert_cmpint(write(pipes[i].fds[1], data, i + 1), ==, (gssize)(i + 1));
		(void)close(pipes[i].fds[1]);
		pipes[i].fds[1] = -1;
	}
	while (ended < N_PIPES) {
		g_main_context_iteration(context, TRUE);
		ended = 0;
		for (guint i = 0; i < N_PIPES; i++)
			ended += pipes[i].eof ? 1 : 0;
	}
	for (guint i = 0; i < N_PIPES; i++) {
		g_assert_cmpuint(pipes[i].bytes, ==, i + 1);
		g_assert_cmpuint(pipes[i].notified, ==, 1);
		pipe_close(&pipes[i]);
	}
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, 0);
	g_main_context_pop_thread_default(context);
}

/* a watch removed by an earlier function of the same batch is not called */
static void
test_remove_in_batch(void)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(TenderScopeWatch) watch = NULL;
	Pipe a = {0};
	Pipe b = {0};

	watch = watch_new_in(context);
	pipe_open(&a, watch);
	pipe_open(&b, watch);
	a.other = &b;
	b.other = &a;
	pipe_watch(&a);
	pipe_watch(&b);
	/* both ready before the loop looks */
	g_assert_cmpint(write(a.fds[1], "a", 1), ==, 1);
	g_assert_cmpint(write(b.fds[1], "b", 1), ==, 1);
	g_main_context_iteration(context, TRUE);
	/* whichever came first removed the other */
	g_assert_cmpuint(a.calls + b.calls, ==, 1);
	g_assert_cmpuint(a.notified + b.notified, ==, 1);
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, 1);
	/* the one left is called again, the removed one never */
	g_main_context_iteration(context, TRUE);
	g_assert_cmpuint(a.calls + b.calls, ==, 2);
	g_assert_true(a.calls == 2 || b.calls == 2);

	tender_scope_watch_remove(watch, a.id != 0 ? a.id : b.id);
	g_assert_cmpuint(a.notified + b.notified, ==, 2);
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, 0);
	pipe_close(&a);
	pipe_close(&b);
	g_main_context_pop_thread_default(context);
}

/* a function that removes its own watch: its notify comes once, after it has returned */
static void
test_remove_self(void)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(TenderScopeWatch) watch = NULL;
	Pipe c = {0};

	watch = watch_new_in(context);
	pipe_open(&c, watch);
	c.remove_self = TRUE;
	pipe_watch(&c);
	g_assert_cmpint(write(c.fds[1], "c", 1), ==, 1);
	g_main_context_iteration(context, TRUE);
	g_assert_cmpuint(c.calls, ==, 1);
	g_assert_cmpuint(c.notified, ==, 1);
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, 0);
	/* still readable, but no longer watched */
	g_assert_false(g_main_context_iteration(context, FALSE));
	g_assert_cmpuint(c.calls, ==, 1);
	pipe_close(&c);
	g_main_context_pop_thread_default(context);
}

/* a descriptor epoll cannot watch: an error, and nothing is kept */
static void
test_refused(void)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(TenderScopeWatch) watch = NULL;
	g_autoptr(GError) error = NULL;
	Pipe p = {0};
	gint fd;

	watch = watch_new_in(context);
	/* a regular file */
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpuint(tender_scope_watch_add(watch,
						fd,
						G_IO_IN,
						pipe_cb,
						&p,
						pipe_notify,
						&error),
			 ==,
			 0);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "Operation not permitted"));
	g_assert_cmpuint(p.notified, ==, 0);
	g_assert_cmpuint(tender_scope_watch_get_size(watch), ==, 0);
	(void)close(fd);
	g_main_context_pop_thread_default(context);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scope-watch/many", test_many);
	g_test_add_func("/scope-watch/remove-in-batch", test_remove_in_batch);
	g_test_add_func("/scope-watch/remove-self", test_remove_self);
	g_test_add_func("/scope-watch/refused", test_refused);
	return g_test_run();
}
