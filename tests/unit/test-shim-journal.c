/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim's client of journald's native protocol, read back from a socket bound here */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim-journal.h"

/* a value bigger than the socket's buffer can ever be (8 MiB, doubled by the kernel) */
#define TEST_BIG_VALUE (17 * 1024 * 1024)

typedef struct {
	gchar *dir;
	gchar *path;
	int fd;
} TestJournal;

static void
test_journal_setup(TestJournal *self, gconstpointer user_data)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	g_autoptr(GError) error = NULL;

	self->dir = g_dir_make_tmp("tender-shim-journal-XXXXXX", &error);
	g_assert_no_error(error);
	self->path = g_build_filename(self->dir, "socket", NULL);
	g_assert_cmpuint(strlen(self->path), <, sizeof(addr.sun_path));
	strcpy(addr.sun_path, self->path);
	self->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	g_assert_cmpint(self->fd, >=, 0);
	g_assert_cmpint(bind(self->fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
}

static void
test_journal_teardown(TestJournal *self, gconstpointer user_data)
{
	g_autofree gchar *path = g_steal_pointer(&self->path);
	g_autofree gchar *dir = g_steal_pointer(&self->dir);

	close(self->fd);
	g_unlink(path);
	g_rmdir(dir);
}

/* the next datagram, or the content of the memfd it carries (*@memfd set then) */
static GBytes *
test_journal_receive(TestJournal *self, gboolean *memfd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	/* more than any datagram of these tests */
	struct iovec iov = {.iov_len = 1024 * 1024};
	g_autofree guint8 *data = iov.iov_base = g_malloc(iov.iov_len);
	struct msghdr msg = {0};
	struct cmsghdr *cmsg;
	struct stat st;
	ssize_t n;
	int fd;
	int seals;
	guint8 *content;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	n = recvmsg(self->fd, &msg, MSG_CMSG_CLOEXEC);
	g_assert_cmpint(n, >=, 0);
	g_assert_false(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
	cmsg = CMSG_FIRSTHDR(&msg);
	*memfd = cmsg != NULL;
	if (cmsg == NULL)
		return g_bytes_new(data, (gsize)n);

	/* a memfd, the datagram's only content, sealed against any change */
	g_assert_cmpint(n, ==, 0);
	g_assert_cmpint(cmsg->cmsg_level, ==, SOL_SOCKET);
	g_assert_cmpint(cmsg->cmsg_type, ==, SCM_RIGHTS);
	g_assert_cmpuint(cmsg->cmsg_len, ==, CMSG_LEN(sizeof(int)));
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	seals = fcntl(fd, F_GET_SEALS);
	g_assert_cmpint(seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE),
			==,
			F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	g_assert_cmpint(fstat(fd, &st), ==, 0);
	content = g_malloc((gsize)st.st_size);
	g_assert_cmpint(pread(fd, content, (size_t)st.st_size, 0), ==, st.st_size);
	close(fd);
	return g_bytes_new_take(content, (gsize)st.st_size);
}

/* nothing more was sent */
static void
test_journal_assert_empty(TestJournal *self)
{
	char byte;
	g_assert_cmpint(recv(self->fd, &byte, 1, 0), <, 0);
	g_assert_cmpint(errno, ==, EAGAIN);
}

/* parses an entry as journald does: the names in order, and NAME => value */
static GPtrArray *
test_journal_parse(GBytes *entry, GHashTable *values)
{
	gsize size = 0;
	const guint8 *p = g_bytes_get_data(entry, &size);
	const guint8 *end = p + size;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	while (p < end) {
		const guint8 *nl = memchr(p, '\n', (gsize)(end - p));
		const guint8 *eq;
		guint64 len;
		gchar *name;

		g_assert_nonnull(nl);
		eq = memchr(p, '=', (gsize)(nl - p));
		if (eq != NULL) {
			name = g_strndup((const gchar *)p, (gsize)(eq - p));
			g_hash_table_insert(values,
					    g_strdup(name),
					    g_bytes_new(eq + 1, (gsize)(nl - eq - 1)));
			p = nl + 1;
		} else {
			name = g_strndup((const gchar *)p, (gsize)(nl - p));
			g_assert_cmpint(end - nl - 1, >=, 8);
			memcpy(&len, nl + 1, 8);
			len = GUINT64_FROM_LE(len);
			g_assert_cmpuint(len, <=, (guint64)(end - nl - 9));
			g_hash_table_insert(values, g_strdup(name), g_bytes_new(nl + 9, len));
			p = nl + 9 + len;
			g_assert_true(p < end && *p == '\n');
			p++;
		}
		g_ptr_array_add(names, name);
	}
	return names;
}

static GHashTable *
test_journal_values_new(void)
{
	return g_hash_table_new_full(g_str_hash,
				     g_str_equal,
				     g_free,
				     (GDestroyNotify)g_bytes_unref);
}

static void
test_journal_assert_value(GHashTable *values, const gchar *name, const void *data, gsize len)
{
	GBytes *value = g_hash_table_lookup(values, name);
	gsize size = 0;
	const void *got;

	g_assert_nonnull(value);
	got = g_bytes_get_data(value, &size);
	g_assert_cmpmem(got, size, data, len);
}

static struct iovec
test_journal_field(const gchar *text)
{
	return (struct iovec){.iov_base = (void *)text, .iov_len = strlen(text)};
}

/* sends @fields, and asserts that one datagram came, @expected as it is; returns it */
static GBytes *
test_journal_send_expect(TestJournal *self,
			 const struct iovec *fields,
			 gsize n_fields,
			 const gchar *expected,
			 gsize expected_len)
{
	gboolean memfd = TRUE;
	GBytes *entry;
	gsize size = 0;
	const void *data;

	g_assert_cmpint(tender_shim_journal_sendv(self->path, fields, n_fields), ==, 0);
	entry = test_journal_receive(self, &memfd);
	g_assert_false(memfd);
	data = g_bytes_get_data(entry, &size);
	g_assert_cmpmem(data, size, expected, expected_len);
	test_journal_assert_empty(self);
	return entry;
}

static void
test_journal_text_func(TestJournal *self, gconstpointer user_data)
{
	/* what tender-shim sends for a line of a workload's stdout */
	struct iovec fields[] = {
	    test_journal_field("MESSAGE=hello, world \t\x01\xff"),
	    test_journal_field("PRIORITY=6"),
	    test_journal_field("TENDER_STREAM=stdout"),
	    test_journal_field("SYSLOG_IDENTIFIER=echo"),
	    test_journal_field("TENDER_WORKLOAD=web"),
	    test_journal_field("OBJECT_SYSTEMD_UNIT=tender-web.scope"),
	    test_journal_field("EMPTY="),
	};
	const gchar *expected =
	    "MESSAGE=hello, world \t\x01\xff\nPRIORITY=6\n"
	    "TENDER_STREAM=stdout\nSYSLOG_IDENTIFIER=echo\n"
	    "TENDER_WORKLOAD=web\nOBJECT_SYSTEMD_UNIT=tender-web.scope\nEMPTY=\n";
	g_autoptr(GBytes) entry = test_journal_send_expect(self,
							   fields,
							   G_N_ELEMENTS(fields),
							   expected,
							   strlen(expected));
}

static void
test_journal_binary_func(TestJournal *self, gconstpointer user_data)
{
	/* a newline makes the value binary: NAME\n, 64-bit LE length, the bytes, \n */
	static const char field[] = "MESSAGE=two\nlines\0and a NUL=\n";
	static const char expected[] = "PRIORITY=3\nMESSAGE\n"
				       "\x15\0\0\0\0\0\0\0"
				       "two\nlines\0and a NUL=\n"
				       "\n";
	struct iovec fields[] = {
	    test_journal_field("PRIORITY=3"),
	    {.iov_base = (void *)field, .iov_len = sizeof(field) - 1},
	};
	g_autoptr(GBytes) entry = test_journal_send_expect(self,
							   fields,
							   G_N_ELEMENTS(fields),
							   expected,
							   sizeof(expected) - 1);
	g_autoptr(GHashTable) values = test_journal_values_new();
	g_autoptr(GPtrArray) names = test_journal_parse(entry, values);

	g_assert_cmpuint(names->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "PRIORITY");
	g_assert_cmpstr(g_ptr_array_index(names, 1), ==, "MESSAGE");
	test_journal_assert_value(values, "MESSAGE", field + 8, sizeof(field) - 1 - 8);
	test_journal_assert_value(values, "PRIORITY", "3", 1);
}

/* a value of @len bytes of every kind, newlines among them, after NAME= */
static gchar *
test_journal_big_field(const gchar *name, gsize len, gsize *field_len)
{
	gsize prefix = strlen(name) + 1;
	gchar *field = g_malloc(prefix + len);

	memcpy(field, name, prefix - 1);
	field[prefix - 1] = '=';
	for (gsize i = 0; i < len; i++)
		field[prefix + i] = (gchar)(i * 7 % 256);
	*field_len = prefix + len;
	return field;
}

static void
test_journal_big_func(TestJournal *self, gconstpointer user_data)
{
	/* 100 KiB fits in one datagram; more than the socket's buffer goes in a memfd */
	const gsize sizes[] = {100 * 1024, TEST_BIG_VALUE};

	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		gsize len = 0;
		g_autofree gchar *field = test_journal_big_field("BIG", sizes[i], &len);
		struct iovec fields[] = {
		    test_journal_field("TENDER_WORKLOAD=web"),
		    {.iov_base = field, .iov_len = len},
		    test_journal_field("PRIORITY=6"),
		};
		gboolean memfd = FALSE;
		g_autoptr(GBytes) entry = NULL;
		g_autoptr(GHashTable) values = test_journal_values_new();
		g_autoptr(GPtrArray) names = NULL;

		g_assert_cmpint(tender_shim_journal_sendv(self->path, fields, G_N_ELEMENTS(fields)),
				==,
				0);
		entry = test_journal_receive(self, &memfd);
		g_assert_true(memfd == (sizes[i] == TEST_BIG_VALUE));
		names = test_journal_parse(entry, values);
		g_assert_cmpuint(names->len, ==, 3);
		test_journal_assert_value(values, "BIG", field + 4, sizes[i]);
		test_journal_assert_value(values, "TENDER_WORKLOAD", "web", 3);
		test_journal_assert_value(values, "PRIORITY", "6", 1);
		test_journal_assert_empty(self);
	}
}

static void
test_journal_invalid_func(TestJournal *self, gconstpointer user_data)
{
	const gchar *bad[] =
	    {"MESSAGE",
	     "=value",
	     "message=x",
	     "_PID=1",
	     "9LIVES=x",
	     "TWO\nLINES=x",
	     "WITH SPACE=x",
	     "A_NAME_OF_SIXTY_FIVE_CHARACTERS_IS_ONE_MORE_THAN_JOURNALD_TAKES_X=x"};
	struct iovec many[TENDER_SHIM_JOURNAL_FIELDS_MAX + 1];
	gsize len = 0;
	g_autofree gchar *big = test_journal_big_field("BIG", TEST_BIG_VALUE, &len);
	struct iovec huge[] = {
	    {.iov_base = big, .iov_len = len},
	    {.iov_base = big, .iov_len = len},
	};
	g_autofree gchar *missing = g_build_filename(self->dir, "missing", NULL);
	struct iovec ok = test_journal_field("MESSAGE=x");

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct iovec field = test_journal_field(bad[i]);
		g_assert_cmpint(tender_shim_journal_sendv(self->path, &field, 1), ==, -EINVAL);
	}
	g_assert_cmpint(tender_shim_journal_sendv(self->path, &ok, 0), ==, -EINVAL);
	for (guint i = 0; i < G_N_ELEMENTS(many); i++)
		many[i] = ok;
	g_assert_cmpint(tender_shim_journal_sendv(self->path, many, G_N_ELEMENTS(many)),
			==,
			-E2BIG);
	/* as many fields as allowed are taken */
	g_assert_cmpint(tender_shim_journal_sendv(self->path, many, G_N_ELEMENTS(many) - 1), ==, 0);
	/* two of 17 MiB: over the 32 MiB of an entry */
	g_assert_cmpint(tender_shim_journal_sendv(self->path, huge, G_N_ELEMENTS(huge)),
			==,
			-E2BIG);
	g_assert_cmpint(tender_shim_journal_sendv(missing, &ok, 1), ==, -ENOENT);
	g_assert_cmpint(tender_shim_journal_sendv("", &ok, 1), ==, -EINVAL);
	{
		gboolean memfd = TRUE;
		g_autoptr(GBytes) entry = test_journal_receive(self, &memfd);
		g_autoptr(GHashTable) values = test_journal_values_new();
		g_autoptr(GPtrArray) names = test_journal_parse(entry, values);
		g_assert_cmpuint(names->len, ==, TENDER_SHIM_JOURNAL_FIELDS_MAX);
	}
	test_journal_assert_empty(self);
}

int
main(int argc, char **argv)
{
	const struct {
		const gchar *path;
		void (*func)(TestJournal *self, gconstpointer user_data);
	} tests[] = {
	    {"/shim-journal/text", test_journal_text_func},
	    {"/shim-journal/binary", test_journal_binary_func},
	    {"/shim-journal/big", test_journal_big_func},
	    {"/shim-journal/invalid", test_journal_invalid_func},
	};

	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add(tests[i].path,
			   TestJournal,
			   NULL,
			   test_journal_setup,
			   tests[i].func,
			   test_journal_teardown);
	return g_test_run();
}
