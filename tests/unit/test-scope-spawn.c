/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-spawn.h"

/* a descriptor that is open in the parent, not close-on-exec: the child must not have it */
#define LEAKY_FD 50

static gint
move_above(gint fd, gint low)
{
	gint moved = fcntl(fd, F_DUPFD_CLOEXEC, low);

	g_assert_cmpint(moved, >=, low);
	(void)close(fd);
	return moved;
}

/* runs @script in sh with @fds, @cwd and @envp; what it writes to its fd 3 */
static gchar *
spawn_script(const gchar *script, const gchar *cwd, const gchar *const *envp, gint *wait_status)
{
	const gchar *argv[] = {"/bin/sh", "-c", script, NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gint out_pipe[2] = {-1, -1};
	gint other[2] = {-1, -1};
	gint fds[5] = {TENDER_SCOPE_SPAWN_FD_NULL,
		       TENDER_SCOPE_SPAWN_FD_INHERIT,
		       TENDER_SCOPE_SPAWN_FD_INHERIT,
		       -1,
		       -1};
	TenderScopeSpawn spawn = {
	    .path = "/bin/sh",
	    .argv = argv,
	    .envp = envp,
	    .cwd = cwd,
	    .fds = fds,
	    .n_fds = G_N_ELEMENTS(fds),
	};
	GPid pid = 0;
	gchar buf[256];
	gssize n;

	g_assert_true(g_unix_open_pipe(out_pipe, FD_CLOEXEC, &error));
	g_assert_true(g_unix_open_pipe(other, FD_CLOEXEC, &error));
	/* above 3 and 4, which the next lines take */
	for (guint i = 0; i < 2; i++) {
		out_pipe[i] = move_above(out_pipe[i], 10);
		other[i] = move_above(other[i], 10);
	}
	/* the child's 3 and 4 are the parent's 4 and 3: swapped, each in the other's place */
	g_assert_cmpint(dup3(out_pipe[1], 4, O_CLOEXEC), ==, 4);
	g_assert_cmpint(dup3(other[1], 3, O_CLOEXEC), ==, 3);
	(void)close(out_pipe[1]);
	(void)close(other[1]);
	fds[3] = 4;
	fds[4] = 3;
	g_assert_cmpint(dup2(other[0], LEAKY_FD), ==, LEAKY_FD);
	g_assert_true(tender_scope_spawn_run(&spawn, &pid, &error));
	g_assert_no_error(error);
	g_assert_cmpint(pid, >, 0);
	(void)close(3);
	(void)close(4);
	(void)close(LEAKY_FD);
	while ((n = read(out_pipe[0], buf, sizeof(buf))) > 0)
		g_string_append_len(out, buf, n);
	(void)close(out_pipe[0]);
	g_assert_cmpint(waitpid(pid, wait_status, 0), ==, pid);
	/* open until now: "four" must not cost the child a SIGPIPE */
	(void)close(other[0]);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* the child has its descriptors and nothing else, every signal's default, its directory and
 * environment */
static void
test_spawn(void)
{
	const gchar *envp[] = {"TENDER_TEST=spawned", NULL};
	g_autofree gchar *out = NULL;
	g_auto(GStrv) lines = NULL;
	guint64 ignored;
	sigset_t block;
	gint wait_status = 0;

	/* tenderd ignores SIGPIPE; a thread may block signals */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	g_assert_cmpint(sigprocmask(SIG_BLOCK, &block, NULL), ==, 0);
	out = spawn_script("echo three >&3; echo four >&4; "
			   "[ -e /proc/self/fd/" G_STRINGIFY(
			       LEAKY_FD) " ] && echo leaked >&3; "
					 "pwd >&3; echo \"$TENDER_TEST\" >&3; "
					 "grep -E '^Sig(Ign|Blk):' /proc/self/status >&3; "
					 "readlink /proc/self/fd/0 >&3; exit 3",
			   "/usr",
			   envp,
			   &wait_status);
	g_assert_cmpint(sigprocmask(SIG_UNBLOCK, &block, NULL), ==, 0);
	signal(SIGPIPE, SIG_DFL);
	g_assert_true(WIFEXITED(wait_status));
	g_assert_cmpint(WEXITSTATUS(wait_status), ==, 3);
	/* "four" went into the parent's 3, the other pipe, which nobody reads */
	lines = g_strsplit(out, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 7);
	g_assert_cmpstr(lines[0], ==, "three");
	g_assert_cmpstr(lines[1], ==, "/usr");
	g_assert_cmpstr(lines[2], ==, "spawned");
	g_assert_cmpstr(lines[3], ==, "SigBlk:\t0000000000000000");
	/* none of the standard signals ignored (glibc keeps its own two above them) */
	g_assert_true(g_str_has_prefix(lines[4], "SigIgn:\t"));
	ignored = g_ascii_strtoull(lines[4] + strlen("SigIgn:\t"), NULL, 16);
	g_assert_cmphex(ignored & ((1ULL << 31) - 1), ==, 0);
	g_assert_cmpstr(lines[5], ==, "/dev/null");
	g_assert_cmpstr(lines[6], ==, "");
}

/* valgrind runs a child of posix_spawn() as a fork, without the memory it shares with its
 * parent: glibc's spawn then cannot report a failed chdir or exec, the child exits 127 */
static gboolean
running_on_valgrind(void)
{
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
	return RUNNING_ON_VALGRIND != 0;
#endif
#endif
	return FALSE;
}

/* a spawn that fails, and why */
static void
assert_spawn_fails(const gchar *path, const gchar *cwd, const gchar *message)
{
	const gchar *argv[] = {path, NULL};
	gint fds[3] = {-1, -1, -1};
	TenderScopeSpawn spawn = {
	    .path = path,
	    .argv = argv,
	    .cwd = cwd,
	    .fds = fds,
	    .n_fds = G_N_ELEMENTS(fds),
	};
	g_autoptr(GError) error = NULL;
	GPid pid = 0;

	if (running_on_valgrind()) {
		g_test_skip("valgrind cannot run posix_spawn()'s child as glibc does");
		return;
	}
	g_assert_false(tender_scope_spawn_run(&spawn, &pid, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, message);
	g_assert_cmpint(pid, ==, 0);
}

static void
test_no_directory(void)
{
	assert_spawn_fails("/bin/true",
			   "/nonexistent/dir",
			   "Failed to change to directory “/nonexistent/dir” (No such file or "
			   "directory)");
	assert_spawn_fails("/bin/true",
			   "/etc/passwd",
			   "Failed to change to directory “/etc/passwd” (Not a directory)");
}

static void
test_no_program(void)
{
	assert_spawn_fails("/nonexistent/program",
			   NULL,
			   "Cannot run /nonexistent/program: No such file or directory");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scope-spawn/descriptors-signals-directory", test_spawn);
	g_test_add_func("/scope-spawn/no-directory", test_no_directory);
	g_test_add_func("/scope-spawn/no-program", test_no_program);
	return g_test_run();
}
