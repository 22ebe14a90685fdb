/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the isolation section.
 *
 *   launch  sequential launches of `true`, each until the command has exited, interleaved:
 *           tender at isolation minimal, standard and strict (both with --rootfs DIR, a
 *           busybox directory), until PropertiesChanged says State "exited";
 *           systemd-run --scope running bwrap with flags like standard's and like strict's;
 *           bwrap alone with strict's; /bin/true spawned; and, with --docker-image IMAGE,
 *           `docker run --rm IMAGE true` (in every few rounds, --docker-count times)
 *   exec    ExecWorkload of `true` into a running minimal and a running strict workload,
 *           vs `nsenter -t PID -a /bin/true` into the same workloads, and, with
 *           --docker-image IMAGE, `docker exec CONTAINER true` into a container of IMAGE
 *           running `sleep` (every few rounds, --docker-count times), interleaved
 */

#include "tender-bench.h"

#define TENDER_WORKLOAD_IFACE "org.tender.Agent1.Workload"

/* ---- tender launches until the command has exited ---- */

static void
bench_iso_changed_cb(GDBusConnection *connection,
		     const gchar *sender_name,
		     const gchar *object_path,
		     const gchar *interface_name,
		     const gchar *signal_name,
		     GVariant *parameters,
		     gpointer user_data)
{
	Bench *b = user_data;
	g_autoptr(GVariant) changed = NULL;
	const gchar *iface = NULL;
	const gchar *state = NULL;
	BenchLaunch *l = g_hash_table_lookup(b->exit_pending, object_path);

	if (l == NULL || !g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}as)", &iface, &changed, NULL);
	if (g_strcmp0(iface, TENDER_WORKLOAD_IFACE) != 0 ||
	    !g_variant_lookup(changed, "State", "&s", &state))
		return;
	if (g_strcmp0(state, "exited") != 0 && g_strcmp0(state, "failed") != 0 &&
	    g_strcmp0(state, "stopped") != 0)
		return;
	if (g_strcmp0(state, "exited") != 0) {
		g_autofree gchar *msg = g_strdup_printf("%s ended '%s'", l->name, state);
		bench_fail(b, "launch", msg);
	}
	g_hash_table_remove(b->exit_pending, object_path);
	l->exited = TRUE;
	if (l->ran)
		bench_tender_ran(l);
}

/* ---- ExecWorkload ---- */

static void
bench_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	g_autoptr(GVariant) reply = NULL;
	gboolean ok = bench_check_reply(l->bench, source, res, "ExecWorkload", &reply);

	if (ok) {
		gint code = 0;
		gint sig = 0;
		bench_mark(l);
		g_variant_get(reply, "(ii@ay@ayb)", &code, &sig, NULL, NULL, NULL);
		if (code != 0 || sig != 0) {
			g_autofree gchar *msg =
			    g_strdup_printf("`true` in %s: exit code %d, signal %d",
					    l->name,
					    code,
					    sig);
			bench_fail(l->bench, "ExecWorkload", msg);
			ok = FALSE;
		}
	}
	bench_done(l, ok);
	bench_launch_free(l);
}

void
bench_exec_start(Bench *b, BenchLaunch *l)
{
	const gchar *argv[] = {"true", NULL};

	l->name = g_strdup(b->exec_target);
	g_dbus_connection_call(b->bus,
			       TENDER_BUS_NAME,
			       TENDER_PATH,
			       TENDER_MANAGER,
			       "ExecWorkload",
			       g_variant_new("(s^asa{sv})", l->name, argv, NULL),
			       G_VARIANT_TYPE("(iiayayb)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       bench_exec_cb,
			       l);
}

/* ---- the commands ---- */

/* the stride of a Docker peer that runs @docker_count times in @count rounds */
guint
bench_docker_every(gint count, gint docker_count)
{
	if (docker_count <= 0 || docker_count >= count)
		return 1;
	return (guint)((count + docker_count - 1) / docker_count);
}

/* one run of each peer in turn, @count times, the order rotating so that noise hits all (a
 * peer with every > 1 only in each every-th round); appends "NAME": {stats} for each to @out */
void
bench_iso_rounds(Bench *b,
		 BenchPeer *peers,
		 guint n_peers,
		 gint count,
		 const gchar *rootfs,
		 GString *out)
{
	g_autoptr(GPtrArray) samples =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	g_autoptr(GPtrArray) creates =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);

	for (guint p = 0; p < n_peers; p++) {
		g_ptr_array_add(samples, g_array_new(FALSE, FALSE, sizeof(gdouble)));
		g_ptr_array_add(creates, g_array_new(FALSE, FALSE, sizeof(gdouble)));
		g_ptr_array_add(starts, g_array_new(FALSE, FALSE, sizeof(gdouble)));
	}
	for (gint i = 0; i < count; i++) {
		for (guint k = 0; k < n_peers; k++) {
			guint p = ((guint)i + k) % n_peers;
			BenchPeer *peer = &peers[p];
			if (peer->every > 1 && (guint)i % peer->every != 0)
				continue;
			b->samples = g_ptr_array_index(samples, p);
			b->create_samples = g_ptr_array_index(creates, p);
			b->start_samples = g_ptr_array_index(starts, p);
			b->isolation = peer->isolation;
			b->rootfs = peer->rootfs ? rootfs : NULL;
			b->spawn_argv = peer->argv;
			b->exec_target = peer->target;
			b->docker_image = peer->docker_image;
			bench_phase(b, peer->op, 1, 1);
		}
	}
	b->create_samples = NULL;
	b->start_samples = NULL;
	b->docker_image = NULL;
	for (guint p = 0; p < n_peers; p++) {
		g_string_append_printf(out, ", \"%s\": ", peers[p].name);
		bench_print_stats(out, g_ptr_array_index(samples, p));
		if (peers[p].op != OP_TENDER)
			continue;
		/* the parts of tender's launches: until CreateWorkload, StartWorkload returned */
		g_string_append_printf(out, ", \"%s/created\": ", peers[p].name);
		bench_print_stats(out, g_ptr_array_index(creates, p));
		g_string_append_printf(out, ", \"%s/started\": ", peers[p].name);
		bench_print_stats(out, g_ptr_array_index(starts, p));
	}
}

/* the flags of bwrap for @rootfs, like standard's (@strict FALSE) or strict's, then /bin/true */
static gchar **
bench_bwrap_argv(Bench *b, const gchar *rootfs, gboolean systemd_run, gboolean strict)
{
	GPtrArray *argv = g_ptr_array_new();
	const gchar *flags[] = {"bwrap",
				"--unshare-pid",
				"--unshare-ipc",
				"--unshare-uts",
				"--ro-bind",
				rootfs,
				"/",
				"--proc",
				"/proc",
				"--dev",
				"/dev",
				"--tmpfs",
				"/tmp",
				"--die-with-parent",
				NULL};

	if (systemd_run)
		bench_systemd_run_argv(b, argv);
	for (guint i = 0; flags[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(flags[i]));
	if (strict) {
		/* bwrap always sets no_new_privs; strict's network "none" is --unshare-net */
		g_ptr_array_add(argv, g_strdup("--unshare-net"));
		g_ptr_array_add(argv, g_strdup("--cap-drop"));
		g_ptr_array_add(argv, g_strdup("ALL"));
	}
	g_ptr_array_add(argv, g_strdup("/bin/true"));
	g_ptr_array_add(argv, NULL);
	return (gchar **)g_ptr_array_free(argv, FALSE);
}

guint
bench_iso_subscribe(Bench *b)
{
	return g_dbus_connection_signal_subscribe(b->bus,
						  TENDER_BUS_NAME,
						  "org.freedesktop.DBus.Properties",
						  "PropertiesChanged",
						  NULL,
						  TENDER_WORKLOAD_IFACE,
						  G_DBUS_SIGNAL_FLAGS_NONE,
						  bench_iso_changed_cb,
						  b,
						  NULL);
}

void
bench_iso_launch(Bench *b,
		 gint count,
		 const gchar *rootfs,
		 const gchar *docker_image,
		 gint docker_count,
		 GString *out)
{
	gchar *docker_argv[] = {(gchar *)BENCH_DOCKER,
				(gchar *)"run",
				(gchar *)"--rm",
				(gchar *)docker_image,
				(gchar *)"true",
				NULL};
	g_auto(GStrv) sd_bwrap = bench_bwrap_argv(b, rootfs, TRUE, FALSE);
	g_auto(GStrv) sd_bwrap_strict = bench_bwrap_argv(b, rootfs, TRUE, TRUE);
	g_auto(GStrv) bwrap_strict = bench_bwrap_argv(b, rootfs, FALSE, TRUE);
	gchar *true_argv[] = {(gchar *)"/bin/true", NULL};
	BenchPeer peers[] = {
	    {"tender-minimal", OP_TENDER, "minimal", FALSE, NULL, NULL, NULL, 1},
	    {"tender-standard", OP_TENDER, "standard", TRUE, NULL, NULL, NULL, 1},
	    {"tender-strict", OP_TENDER, "strict", TRUE, NULL, NULL, NULL, 1},
	    {"systemd-run-bwrap", OP_SPAWN, NULL, FALSE, sd_bwrap, NULL, NULL, 1},
	    {"systemd-run-bwrap-strict", OP_SPAWN, NULL, FALSE, sd_bwrap_strict, NULL, NULL, 1},
	    {"bwrap-strict", OP_SPAWN, NULL, FALSE, bwrap_strict, NULL, NULL, 1},
	    {"spawn-true", OP_SPAWN, NULL, FALSE, true_argv, NULL, NULL, 1},
	    /* `docker run --rm IMAGE true`, in every few rounds (the last peer: left out
	     * without an image) */
	    {"docker-run",
	     OP_SPAWN,
	     NULL,
	     FALSE,
	     docker_argv,
	     NULL,
	     NULL,
	     bench_docker_every(count, docker_count)},
	};
	guint n_peers = G_N_ELEMENTS(peers) - (docker_image == NULL ? 1 : 0);
	guint id = bench_iso_subscribe(b);

	b->remove_after = TRUE;
	b->wait_exit = TRUE;
	g_string_append_printf(out, "{\"command\": \"launch\", \"count\": %d", count);
	bench_iso_rounds(b, peers, n_peers, count, rootfs, out);
	b->wait_exit = FALSE;
	g_dbus_connection_signal_unsubscribe(b->bus, id);
}

/* creates and starts @name, `sleep` at @isolation; its MainPID in @pid */
static gboolean
bench_iso_sleeper(Bench *b,
		  const gchar *name,
		  const gchar *isolation,
		  const gchar *rootfs,
		  guint32 *pid,
		  GError **error)
{
	const gchar *argv[] = {"sleep", "1000000", NULL};
	g_autoptr(GVariant) created = NULL;
	g_autoptr(GVariant) started = NULL;
	g_autoptr(GVariant) prop = NULL;
	g_autoptr(GVariant) value = NULL;
	const gchar *path = NULL;
	GVariantBuilder spec;

	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&spec, "{sv}", "argv", g_variant_new_strv(argv, -1));
	g_variant_builder_add(&spec, "{sv}", "isolation", g_variant_new_string(isolation));
	if (rootfs != NULL)
		g_variant_builder_add(&spec, "{sv}", "rootfs", g_variant_new_string(rootfs));
	created = g_dbus_connection_call_sync(b->bus,
					      TENDER_BUS_NAME,
					      TENDER_PATH,
					      TENDER_MANAGER,
					      "CreateWorkload",
					      g_variant_new("(sa{sv}a{sv})", name, &spec, NULL),
					      G_VARIANT_TYPE("(o)"),
					      G_DBUS_CALL_FLAGS_NONE,
					      BENCH_CALL_TIMEOUT,
					      NULL,
					      error);
	if (created == NULL)
		return FALSE;
	g_variant_get(created, "(&o)", &path);
	started = g_dbus_connection_call_sync(b->bus,
					      TENDER_BUS_NAME,
					      TENDER_PATH,
					      TENDER_MANAGER,
					      "StartWorkload",
					      g_variant_new("(sa{sv})", name, NULL),
					      NULL,
					      G_DBUS_CALL_FLAGS_NONE,
					      BENCH_CALL_TIMEOUT,
					      NULL,
					      error);
	if (started == NULL)
		return FALSE;
	prop = g_dbus_connection_call_sync(b->bus,
					   TENDER_BUS_NAME,
					   path,
					   "org.freedesktop.DBus.Properties",
					   "Get",
					   g_variant_new("(ss)", TENDER_WORKLOAD_IFACE, "MainPID"),
					   G_VARIANT_TYPE("(v)"),
					   G_DBUS_CALL_FLAGS_NONE,
					   BENCH_CALL_TIMEOUT,
					   NULL,
					   error);
	if (prop == NULL)
		return FALSE;
	g_variant_get(prop, "(v)", &value);
	*pid = g_variant_get_uint32(value);
	if (*pid == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s has no MainPID", name);
		return FALSE;
	}
	return TRUE;
}

/* runs `docker ARGS...` to its end; its output to stderr */
static gboolean
bench_docker_sync(const gchar *const *args, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *err = NULL;
	gint status = 0;

	g_ptr_array_add(argv, (gpointer)BENCH_DOCKER);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL,
			  (gchar **)argv->pdata,
			  NULL,
			  G_SPAWN_STDOUT_TO_DEV_NULL,
			  NULL,
			  NULL,
			  NULL,
			  &err,
			  &status,
			  error))
		return FALSE;
	if (!g_spawn_check_wait_status(status, error)) {
		g_prefix_error(error, "docker %s: %s: ", args[0], g_strstrip(err));
		return FALSE;
	}
	return TRUE;
}

void
bench_iso_exec(Bench *b,
	       gint count,
	       const gchar *rootfs,
	       const gchar *docker_image,
	       gint docker_count,
	       GString *out)
{
	g_autofree gchar *minimal = g_strdup_printf("%s-exec-minimal", b->name_prefix);
	g_autofree gchar *strict = g_strdup_printf("%s-exec-strict", b->name_prefix);
	g_autofree gchar *container = g_strdup_printf("%s-docker-exec", b->name_prefix);
	const gchar *docker_run[] =
	    {"run", "-d", "--name", container, docker_image, "sleep", "1000000", NULL};
	const gchar *docker_rm[] = {"rm", "-f", container, NULL};
	gboolean with_docker = FALSE;
	g_autofree gchar *pid_minimal = NULL;
	g_autofree gchar *pid_strict = NULL;
	g_autoptr(GError) error = NULL;
	guint32 pid = 0;
	gboolean ok = TRUE;

	g_ptr_array_add(b->names, g_strdup(minimal));
	g_ptr_array_add(b->names, g_strdup(strict));
	if (!bench_iso_sleeper(b, minimal, "minimal", NULL, &pid, &error)) {
		bench_fail(b, minimal, error->message);
		ok = FALSE;
	} else {
		pid_minimal = g_strdup_printf("%u", pid);
	}
	if (ok && !bench_iso_sleeper(b, strict, "strict", rootfs, &pid, &error)) {
		bench_fail(b, strict, error->message);
		ok = FALSE;
	} else if (ok) {
		pid_strict = g_strdup_printf("%u", pid);
	}
	/* the container for docker exec starts after the sleepers (with dockerd's cgroupfs
	 * driver on a cgroup v1 host, systemd would take it out of its blkio cgroup when it
	 * starts their scopes; the lab's dockerd has the systemd driver) */
	if (ok && docker_image != NULL) {
		/* without it, the other peers are measured still */
		with_docker = bench_docker_sync(docker_run, &error);
		if (!with_docker)
			bench_fail(b, "docker run -d", error->message);
	}
	g_string_append_printf(out, "{\"command\": \"exec\", \"count\": %d", count);
	if (ok) {
		gchar *ns_minimal[] = {(gchar *)"nsenter",
				       (gchar *)"-t",
				       pid_minimal,
				       (gchar *)"-a",
				       (gchar *)"/bin/true",
				       NULL};
		gchar *ns_strict[] = {(gchar *)"nsenter",
				      (gchar *)"-t",
				      pid_strict,
				      (gchar *)"-a",
				      (gchar *)"/bin/true",
				      NULL};
		gchar *docker_exec[] = {(gchar *)BENCH_DOCKER,
					(gchar *)"exec",
					container,
					(gchar *)"true",
					NULL};
		BenchPeer peers[] = {
		    {"exec-minimal", OP_EXEC, NULL, FALSE, NULL, minimal, NULL, 1},
		    {"nsenter-minimal", OP_SPAWN, NULL, FALSE, ns_minimal, NULL, NULL, 1},
		    {"exec-strict", OP_EXEC, NULL, FALSE, NULL, strict, NULL, 1},
		    {"nsenter-strict", OP_SPAWN, NULL, FALSE, ns_strict, NULL, NULL, 1},
		    /* `docker exec CONTAINER true`, in every few rounds (the last peer: left
		     * out without an image) */
		    {"docker-exec",
		     OP_SPAWN,
		     NULL,
		     FALSE,
		     docker_exec,
		     NULL,
		     NULL,
		     bench_docker_every(count, docker_count)},
		};
		guint n_peers = G_N_ELEMENTS(peers) - (with_docker ? 0 : 1);
		bench_iso_rounds(b, peers, n_peers, count, rootfs, out);
	}
	/* the sleepers and the container go, whatever happened (untimed) */
	bench_cleanup_names(b, 2);
	if (with_docker && !bench_docker_sync(docker_rm, &error))
		bench_fail(b, "docker rm -f", error->message);
}
