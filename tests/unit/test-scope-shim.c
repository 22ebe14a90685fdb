/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-containers.h"
#include "tender-scope-exec.h"
#include "tender-scope-shim.h"

/* tender-shim's arguments at each isolation level, and what an image gives a workload and the
 * commands run in it */

static TenderSpec *
parse(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
	TenderSpec *spec;

	g_assert_nonnull(v);
	spec = tender_spec_new_from_variant(v, &error);
	g_assert_no_error(error);
	return spec;
}

/* the shim's command line as one string, for comparisons */
static gchar *
build(const TenderSpec *spec, const TenderScopeImage *image, gchar ***envp, gchar **cwd)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) argv = NULL;
	TenderScopeShimTarget target = {
	    .shim = "shim",
	    .name = "web",
	    .record = "rec",
	    .run_id = "id",
	    .spec = spec,
	    .image = image,
	    .container_dir = image != NULL ? "/c/web" : NULL,
	};

	g_assert_true(tender_scope_shim_build(&target, &argv, envp, cwd, &error));
	g_assert_no_error(error);
	return g_strjoinv(" ", argv);
}

static void
test_minimal(void)
{
	g_autoptr(TenderSpec) spec =
	    parse("{'argv': <['sleep', '1']>, 'working_directory': <'/srv'>,"
		  " 'rlimits': <{'nofile': uint64 64}>}");
	g_auto(GStrv) envp = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *line = build(spec, NULL, &envp, &cwd);
	g_autofree gchar *expected =
	    g_strdup_printf("shim --name web --record rec --run-id id --rlimit %d 64 -- sleep 1",
			    RLIMIT_NOFILE);

	/* no namespaces: the shim runs where the command does */
	g_assert_cmpstr(line, ==, expected);
	g_assert_cmpstr(cwd, ==, "/srv");
}

static void
test_standard(void)
{
	g_autoptr(TenderSpec) spec =
	    parse("{'argv': <['sh']>, 'isolation': <'standard'>, 'rootfs': <'/srv/root'>,"
		  " 'volumes': <[('/srv/data', '/data', true), ('/srv/logs', '/log', false)]>,"
		  " 'working_directory': <'/data'>}");
	g_auto(GStrv) envp = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *line = build(spec, NULL, &envp, &cwd);

	/* the host's network, an init, the workload's name as the hostname by default; the
	 * working directory is the command's, inside */
	g_assert_cmpstr(line,
			==,
			"shim --name web --record rec --run-id id --isolation standard --root-dir "
			"/srv/root --volume /srv/data /data ro --volume /srv/logs /log rw "
			"--hostname web --network host --init --workdir /data -- sh");
	g_clear_pointer(&spec, tender_spec_free);
	g_clear_pointer(&line, g_free);
	g_clear_pointer(&envp, g_strfreev);
	g_clear_pointer(&cwd, g_free);

	/* the host's / read-only, without a root of its own; / as the working directory */
	spec = parse("{'argv': <['sh']>, 'isolation': <'standard'>, 'init': <false>,"
		     " 'network': <'none'>, 'read_only_rootfs': <true>}");
	line = build(spec, NULL, &envp, &cwd);
	g_assert_cmpstr(line,
			==,
			"shim --name web --record rec --run-id id --isolation standard "
			"--read-only-root --hostname web --network none --workdir / -- sh");
	g_assert_cmpstr(cwd, ==, "/");
}

static void
test_strict_image(void)
{
	g_autoptr(TenderSpec) spec =
	    parse("{'argv': <['run', '--fast']>, 'isolation': <'strict'>, 'image': <'app'>,"
		  " 'hostname': <'box'>, 'init': <false>, 'env': <['MODE=spec']>}");
	g_autoptr(GVariant) config =
	    g_variant_parse(G_VARIANT_TYPE_VARDICT,
			    "{'entrypoint': <['/bin/app']>, 'cmd': <['serve']>, 'env': "
			    "<['PATH=/app/bin', "
			    "'MODE=image', 'LANG=C.UTF-8']>, 'working_directory': <'/srv'>}",
			    NULL,
			    NULL,
			    NULL);
	g_autoptr(TenderScopeImage) image = tender_scope_image_new("app", "/images/app", config);
	g_auto(GStrv) envp = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *line = build(spec, image, &envp, &cwd);

	/* a read-only root and network none by default; the spec's argv replaces the Cmd, the
	 * Entrypoint stays */
	g_assert_cmpstr(line,
			==,
			"shim --name web --record rec --run-id id --isolation strict --root-image "
			"/images/app /c/web/upper /c/web/work --read-only-root --hostname box "
			"--network none --workdir /srv -- /bin/app run --fast");
	/* the image's Env over tenderd's PATH, under the spec's env */
	g_assert_cmpstr(g_environ_getenv(envp, "PATH"), ==, "/app/bin");
	g_assert_cmpstr(g_environ_getenv(envp, "MODE"), ==, "spec");
	g_assert_cmpstr(g_environ_getenv(envp, "LANG"), ==, "C.UTF-8");
}

static void
test_image_argv(void)
{
	g_autoptr(TenderSpec) spec = parse("{'argv': <['x']>, 'isolation': <'standard'>}");
	g_autoptr(GVariant) config =
	    g_variant_parse(G_VARIANT_TYPE_VARDICT,
			    "{'entrypoint': <['/init']>, 'cmd': <['a', 'b']>}",
			    NULL,
			    NULL,
			    NULL);
	g_autoptr(TenderScopeImage) image = tender_scope_image_new("i", "/i", config);
	g_autoptr(TenderScopeImage) bare = tender_scope_image_new("bare", "/b", NULL);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) argv = NULL;
	g_autofree gchar *line = NULL;

	/* no argv in the spec: Entrypoint and Cmd */
	g_clear_pointer(&spec->argv, g_strfreev);
	argv = tender_scope_image_build_argv(image, spec, "w", &error);
	g_assert_no_error(error);
	line = g_strjoinv(" ", argv);
	g_assert_cmpstr(line, ==, "/init a b");

	/* nothing at all */
	g_assert_null(tender_scope_image_build_argv(bare, spec, "w", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "image 'bare'"));
	g_assert_nonnull(strstr(error->message, "give a command (spec key 'argv')"));
}

static void
write_file(const gchar *dir, const gchar *name, const gchar *text)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, text, -1, &error));
	g_assert_no_error(error);
}

static void
test_image_user(void)
{
	g_autofree gchar *root = g_dir_make_tmp("tender-image-XXXXXX", NULL);
	g_autofree gchar *etc = g_build_filename(root, "etc", NULL);
	g_autofree gchar *passwd = g_build_filename(etc, "passwd", NULL);
	g_autofree gchar *group = g_build_filename(etc, "group", NULL);
	g_autoptr(TenderSpec) spec = parse("{'argv': <['x']>, 'isolation': <'standard'>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderIdentity) identity = NULL;
	TenderScopeImage image = {.name = (gchar *)"i", .rootfs = root};

	g_assert_cmpint(g_mkdir(etc, 0755), ==, 0);
	write_file(etc,
		   "passwd",
		   "root:x:0:0::/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/ash\n");
	write_file(etc, "group", "root:x:0:\ngrp:x:777:\n");

	/* a name of the image's own, with its primary group and home */
	image.user = (gchar *)"app";
	identity = tender_scope_image_new_identity(&image, spec, &error);
	g_assert_no_error(error);
	g_assert_true(identity->drop);
	g_assert_cmpuint(identity->uid, ==, 1234);
	g_assert_cmpuint(identity->gid, ==, 2345);
	g_assert_cmpstr(identity->home, ==, "/home/app");
	g_assert_cmpstr(identity->shell, ==, "/bin/ash");
	g_clear_pointer(&identity, tender_identity_free);

	/* user:group */
	image.user = (gchar *)"app:grp";
	identity = tender_scope_image_new_identity(&image, spec, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(identity->gid, ==, 777);
	g_clear_pointer(&identity, tender_identity_free);

	/* numeric ids need no entry */
	image.user = (gchar *)"4000:4001";
	identity = tender_scope_image_new_identity(&image, spec, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(identity->uid, ==, 4000);
	g_assert_cmpuint(identity->gid, ==, 4001);
	g_clear_pointer(&identity, tender_identity_free);

	/* a name the image does not have */
	image.user = (gchar *)"nobody";
	g_assert_null(tender_scope_image_new_identity(&image, spec, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* a link out of the image is followed inside it: the host's /etc/passwd is not read */
	g_assert_cmpint(g_unlink(passwd), ==, 0);
	g_assert_cmpint(symlink("/etc/passwd", passwd), ==, 0);
	image.user = (gchar *)"root";
	g_assert_null(tender_scope_image_new_identity(&image, spec, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);

	g_assert_cmpint(g_unlink(passwd), ==, 0);
	g_assert_cmpint(g_unlink(group), ==, 0);
	g_assert_cmpint(g_rmdir(etc), ==, 0);
	g_assert_cmpint(g_rmdir(root), ==, 0);
}

/* --- what ExecWorkload's commands (and health checks) get of a workload's image --- */

static TenderScopeImage *
exec_image_new(void)
{
	g_autoptr(GVariant) config =
	    g_variant_parse(G_VARIANT_TYPE_VARDICT,
			    "{'env': <['PATH=/app/bin', 'FOO=from-image', 'MODE=image']>, "
			    "'working_directory': <'/srv'>}",
			    NULL,
			    NULL,
			    NULL);
	return tender_scope_image_new("app", "/images/app", config);
}

/* a request as the engine makes it: the spec's, then the call's env */
static TenderRuntimeExec *
exec_new(const TenderSpec *spec, const gchar *const *env)
{
	g_autoptr(GError) error = NULL;
	TenderRuntimeExec *exec = tender_runtime_exec_new_for_spec(spec, &error);

	g_assert_no_error(error);
	g_assert_null(exec->working_directory);
	for (guint i = 0; env != NULL && env[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(env[i], "=", 2);
		exec->envp = g_environ_setenv(exec->envp, kv[0], kv[1], TRUE);
		exec->env = g_environ_setenv(exec->env, kv[0], kv[1], TRUE);
	}
	return exec;
}

static gint
compare_strings(gconstpointer a, gconstpointer b, gpointer user_data)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* @envp, sorted, as one string */
static gchar *
environ_string(gchar **envp)
{
	g_autofree gchar **sorted = g_memdup2(envp, sizeof(gchar *) * (g_strv_length(envp) + 1));

	g_qsort_with_data(sorted,
			  (gint)g_strv_length(envp),
			  sizeof(gchar *),
			  compare_strings,
			  NULL);
	return g_strjoinv(" ", sorted);
}

static void
test_exec_image_environment(void)
{
	g_autoptr(TenderSpec) spec =
	    parse("{'argv': <['sleep', '60']>, 'isolation': <'strict'>, 'image': <'app'>, "
		  "'env': <['MODE=spec']>}");
	g_autoptr(TenderScopeImage) image = exec_image_new();
	g_autoptr(TenderRuntimeExec) exec = exec_new(spec, NULL);
	g_auto(GStrv) envp = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *line = build(spec, image, &envp, &cwd);
	g_autofree gchar *command_env = NULL;
	g_autofree gchar *exec_env = NULL;

	g_assert_true(tender_scope_exec_prepare(exec, spec, image, NULL));
	/* the image's Env under the spec's; its WorkingDir */
	g_assert_cmpstr(g_environ_getenv(exec->envp, "FOO"), ==, "from-image");
	g_assert_cmpstr(g_environ_getenv(exec->envp, "MODE"), ==, "spec");
	g_assert_cmpstr(g_environ_getenv(exec->envp, "PATH"), ==, "/app/bin");
	g_assert_cmpstr(exec->working_directory, ==, "/srv");
	/* just what the workload's own command gets */
	g_assert_nonnull(strstr(line, " --workdir /srv "));
	command_env = environ_string(envp);
	exec_env = environ_string(exec->envp);
	g_assert_cmpstr(exec_env, ==, command_env);
}

static void
test_exec_call_wins(void)
{
	const gchar *const env[] = {"FOO=from-call", "MODE=call", "NEW=1", NULL};
	g_autoptr(TenderSpec) spec =
	    parse("{'argv': <['sleep', '60']>, 'isolation': <'standard'>, 'image': <'app'>, "
		  "'env': <['MODE=spec']>}");
	g_autoptr(TenderScopeImage) image = exec_image_new();
	g_autoptr(TenderRuntimeExec) exec = exec_new(spec, env);

	exec->working_directory = g_strdup("/");
	g_assert_true(tender_scope_exec_prepare(exec, spec, image, NULL));
	/* the call's env over the image's and the spec's; its working directory, even / */
	g_assert_cmpstr(g_environ_getenv(exec->envp, "FOO"), ==, "from-call");
	g_assert_cmpstr(g_environ_getenv(exec->envp, "MODE"), ==, "call");
	g_assert_cmpstr(g_environ_getenv(exec->envp, "NEW"), ==, "1");
	g_assert_cmpstr(g_environ_getenv(exec->envp, "PATH"), ==, "/app/bin");
	g_assert_cmpstr(exec->working_directory, ==, "/");
}

static void
test_exec_working_directory(void)
{
	g_autoptr(TenderSpec) with_dir =
	    parse("{'argv': <['true']>, 'isolation': <'standard'>, 'image': <'app'>, "
		  "'working_directory': <'/data'>}");
	g_autoptr(TenderSpec) plain = parse("{'argv': <['true']>, 'working_directory': <'/tmp'>}");
	g_autoptr(TenderSpec) bare = parse("{'argv': <['true']>}");
	g_autoptr(TenderScopeImage) image = exec_image_new();
	g_autoptr(TenderScopeImage) no_dir = tender_scope_image_new("bare", "/b", NULL);
	g_autoptr(TenderRuntimeExec) a = exec_new(with_dir, NULL);
	g_autoptr(TenderRuntimeExec) b = exec_new(plain, NULL);
	g_autoptr(TenderRuntimeExec) c = exec_new(bare, NULL);
	g_autoptr(TenderRuntimeExec) d = exec_new(with_dir, NULL);
	g_auto(GStrv) before = NULL;

	/* the spec's wins over the image's */
	g_assert_true(tender_scope_exec_prepare(a, with_dir, image, NULL));
	g_assert_cmpstr(a->working_directory, ==, "/data");
	/* without an image: the spec's, else /; the environment is the engine's */
	before = g_strdupv(b->envp);
	g_assert_true(tender_scope_exec_prepare(b, plain, NULL, NULL));
	g_assert_cmpstr(b->working_directory, ==, "/tmp");
	g_assert_cmpstrv(b->envp, before);
	g_assert_true(tender_scope_exec_prepare(c, bare, NULL, NULL));
	g_assert_cmpstr(c->working_directory, ==, "/");
	/* an image without a WorkingDir */
	g_assert_true(tender_scope_exec_prepare(d, with_dir, no_dir, NULL));
	g_assert_cmpstr(d->working_directory, ==, "/data");
}

static void
test_parse_failure(void)
{
	gchar with_why[] = "22 standard: mount overlay on /: Invalid argument";
	gchar bare[] = "2";
	gchar wrong[] = "x y";
	const gchar *why = NULL;
	guint64 value = 0;

	g_assert_true(tender_scope_shim_parse_failure(with_why, &value, &why));
	g_assert_cmpuint(value, ==, 22);
	g_assert_cmpstr(why, ==, "standard: mount overlay on /: Invalid argument");
	why = NULL;
	g_assert_true(tender_scope_shim_parse_failure(bare, &value, &why));
	g_assert_cmpuint(value, ==, 2);
	g_assert_null(why);
	g_assert_false(tender_scope_shim_parse_failure(wrong, &value, &why));
}

/* whether @path is an empty directory */
static gboolean
is_empty(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	return dir != NULL && g_dir_read_name(dir) == NULL;
}

/* container directories in @base/containers, a new temporary directory, and the path of an
 * image root in it */
static TenderScopeContainers *
containers_new_tmp(gchar **base, gchar **image_root)
{
	g_autofree gchar *dir = NULL;

	*base = g_dir_make_tmp("tender-containers-XXXXXX", NULL);
	g_assert_nonnull(*base);
	dir = g_build_filename(*base, "containers", NULL);
	*image_root = g_build_filename(*base, "image", NULL);
	return tender_scope_containers_new(dir);
}

static void
rm_rf(const gchar *path)
{
	g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", path);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_containers(void)
{
	g_autofree gchar *base = NULL;
	g_autofree gchar *image_root = NULL;
	g_autoptr(TenderScopeContainers) containers = containers_new_tmp(&base, &image_root);
	const gchar *dir = tender_scope_containers_get_dir(containers);
	g_autofree gchar *victim = g_build_filename(base, "victim", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cdir = NULL;
	g_autofree gchar *upper = NULL;
	g_autofree gchar *locked = NULL;
	g_autofree gchar *link = NULL;
	TenderScopeImage image = {.name = (gchar *)"i", .rootfs = image_root};
	GStatBuf st;
	gint64 deadline;

	if (getuid() != 0) {
		g_test_skip("the container directories are root's");
		return;
	}
	g_assert_true(tender_scope_containers_setup(containers, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_mkdir(image_root, 0750), ==, 0);
	g_assert_cmpint(g_mkdir(victim, 0755), ==, 0);
	write_file(victim, "keep", "the link must not be followed");

	/* NAME 0700, upper with the mode of the image's root (the container's /), work 0700 */
	cdir = tender_scope_containers_prepare(containers, "web", &image, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(cdir, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0700);
	upper = g_build_filename(cdir, "upper", NULL);
	g_assert_cmpint(g_stat(upper, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0750);
	/* kept as they are at the next start */
	write_file(upper, "changed", "x");
	g_clear_pointer(&cdir, g_free);
	cdir = tender_scope_containers_prepare(containers, "web", &image, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_test(upper, G_FILE_TEST_EXISTS));

	/* removed with what the overlay leaves (a directory without permissions), and a link
	 * out of it is not followed */
	locked = g_build_filename(cdir, "work", "work", NULL);
	g_assert_cmpint(g_mkdir(locked, 0), ==, 0);
	link = g_build_filename(upper, "escape", NULL);
	g_assert_cmpint(symlink(victim, link), ==, 0);
	tender_scope_containers_remove(containers, "web");
	g_assert_false(g_file_test(cdir, G_FILE_TEST_EXISTS));
	/* in a thread: the main loop's next turns see it gone */
	deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (!is_empty(dir) && g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	g_assert_true(is_empty(dir));
	g_assert_true(g_file_test(victim, G_FILE_TEST_IS_DIR));
	/* a workload that never had one */
	tender_scope_containers_remove(containers, "other");
	rm_rf(base);
}

/* the container directory @cdir records the digest @expected */
static void
assert_digest(const gchar *cdir, const gchar *expected)
{
	g_autofree gchar *path = g_build_filename(cdir, "image-digest", NULL);
	g_autofree gchar *text = NULL;
	GStatBuf st;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, expected);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);
}

/* a container directory records the digest of its image, and its upper layer never goes over
 * another image of that name */
static void
test_containers_digest(void)
{
	g_autofree gchar *base = NULL;
	g_autofree gchar *image_root = NULL;
	g_autoptr(TenderScopeContainers) containers = containers_new_tmp(&base, &image_root);
	g_autoptr(TenderSpec) spec = parse("{'isolation': <'standard'>, 'image': <'i'>}");
	TenderScopeImage image = {.name = (gchar *)"i", .rootfs = image_root};
	const gchar *words[] = {"Workload 'web'",
				"image 'i' sha256:aaaa",
				"is sha256:bbbb now",
				"/upper)",
				"remove the workload and create it again",
				NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cdir = NULL;
	g_autofree gchar *changed = NULL;
	g_autofree gchar *digest = NULL;

	if (getuid() != 0) {
		g_test_skip("the container directories are root's");
		return;
	}
	g_assert_cmpint(g_mkdir(image_root, 0755), ==, 0);

	/* recorded when the directory is made, and the same image finds it as it was */
	image.digest = (gchar *)"sha256:aaaa";
	for (guint i = 0; i < 2; i++) {
		g_free(cdir);
		cdir = tender_scope_containers_prepare(containers, "web", &image, &error);
		g_assert_no_error(error);
		assert_digest(cdir, "sha256:aaaa\n");
		if (i == 0)
			write_file(cdir, "upper/changed", "x");
	}

	/* another image of that name: refused, saying what to do, and nothing is deleted */
	image.digest = (gchar *)"sha256:bbbb";
	g_assert_null(tender_scope_containers_prepare(containers, "web", &image, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	for (guint i = 0; words[i] != NULL; i++) {
		if (strstr(error->message, words[i]) == NULL)
			g_error("'%s' does not say '%s'", error->message, words[i]);
	}
	g_clear_error(&error);
	assert_digest(cdir, "sha256:aaaa\n");
	changed = g_build_filename(cdir, "upper", "changed", NULL);
	g_assert_true(g_file_test(changed, G_FILE_TEST_IS_REGULAR));

	/* a directory from before the digests were kept takes the image's */
	digest = g_build_filename(cdir, "image-digest", NULL);
	g_assert_cmpint(g_unlink(digest), ==, 0);
	g_free(cdir);
	cdir = tender_scope_containers_prepare(containers, "web", &image, &error);
	g_assert_no_error(error);
	assert_digest(cdir, "sha256:bbbb\n");
	g_assert_true(g_file_test(changed, G_FILE_TEST_IS_REGULAR));

	/* the command of a spec with an image needs the image store */
	g_assert_null(tender_scope_containers_build_command(containers, "web", spec, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	rm_rf(base);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scope-shim/minimal", test_minimal);
	g_test_add_func("/scope-shim/standard", test_standard);
	g_test_add_func("/scope-shim/strict-image", test_strict_image);
	g_test_add_func("/scope-shim/image-argv", test_image_argv);
	g_test_add_func("/scope-shim/image-user", test_image_user);
	g_test_add_func("/scope-shim/exec-image-environment", test_exec_image_environment);
	g_test_add_func("/scope-shim/exec-call-wins", test_exec_call_wins);
	g_test_add_func("/scope-shim/exec-working-directory", test_exec_working_directory);
	g_test_add_func("/scope-shim/parse-failure", test_parse_failure);
	g_test_add_func("/scope-shim/containers", test_containers);
	g_test_add_func("/scope-shim/containers-digest", test_containers_digest);
	return g_test_run();
}
