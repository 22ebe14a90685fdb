/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the sessions section (bench_sessions.py drives it).  Every call is made
 * synchronously on one connection to the system bus, and timed from before the call until
 * its reply (or the CLI's exit):
 *
 *   exec-native    Session.Exec(["true"]) into a native session (--image IMAGE of tender's
 *                  store), until its answer (the command has ended)
 *   exec-docker    the same into a session of the docker backend (--docker-image IMAGE)
 *   docker-exec    `docker exec CONTAINER true` into a container of IMAGE running sleep
 *   get-existing   Sessions.GetSession of the native session again (the same config)
 *   ping           org.freedesktop.DBus.Peer.Ping to tenderd: the bus's round trip
 *   new-native     GetSession of a new native session; Close(true) after, untimed
 *   new-docker     the same on the docker backend
 *   docker-run     `docker run -d IMAGE sleep 2147483647`; `docker rm -f` after, untimed
 *
 * One run of each peer per round, the order rotating; the Docker peers (the last four with
 * a Docker image) only in every few rounds (--docker-count runs).
 */

#include "tender-bench.h"

#define SESSIONS_PATH	   TENDER_PATH "/sessions"
#define SESSIONS_IFACE	   "org.tender.Agent1.Sessions"
#define SESSION_IFACE	   "org.tender.Agent1.Session"
#define SESSIONS_USER	   "bench"
#define SESSIONS_SLEEP_ARG "2147483647"

typedef struct {
	Bench *b;
	const gchar *image;
	const gchar *docker_image;
	gchar *exec_native; /* the object of the native session of exec-native, get-existing */
	gchar *exec_docker; /* the object of the docker backend's session of exec-docker */
	gchar *container;   /* of docker-exec */
	guint seq;	    /* of the new sessions' ids */
	gchar *close_path;  /* a session to close after the timed part */
	gchar *remove_ctr;  /* a container to remove after the timed part */
} BenchSessions;

typedef gboolean (*BenchSessionsFunc)(BenchSessions *s, GError **error);

typedef struct {
	const gchar *name;
	BenchSessionsFunc func;
	guint every;
} BenchSessionsPeer;

/* runs `docker ARGS...` to its end; its first line of output in @line if not NULL */
static gboolean
bench_sessions_docker(const gchar *const *args, gchar **line, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status = 0;

	g_ptr_array_add(argv, (gpointer)BENCH_DOCKER);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL,
			  (gchar **)argv->pdata,
			  NULL,
			  line == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : G_SPAWN_DEFAULT,
			  NULL,
			  NULL,
			  line == NULL ? NULL : &out,
			  &err,
			  &status,
			  error))
		return FALSE;
	if (!g_spawn_check_wait_status(status, error)) {
		g_prefix_error(error, "docker %s: %s: ", args[0], g_strstrip(err));
		return FALSE;
	}
	if (line != NULL)
		*line = g_strdup(g_strstrip(out));
	return TRUE;
}

static GVariant *
bench_sessions_call(BenchSessions *s,
		    const gchar *path,
		    const gchar *iface,
		    const gchar *method,
		    GVariant *params,
		    const gchar *reply_type,
		    GError **error)
{
	GVariant *reply = g_dbus_connection_call_sync(s->b->bus,
						      TENDER_BUS_NAME,
						      path,
						      iface,
						      method,
						      params,
						      G_VARIANT_TYPE(reply_type),
						      G_DBUS_CALL_FLAGS_NONE,
						      BENCH_CALL_TIMEOUT,
						      NULL,
						      error);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(*error);
		g_prefix_error(error, "%s: ", method);
	}
	return reply;
}

/* GetSession(SESSIONS_USER, @id, {backend, image}): its object in @path; fails unless
 * created is @want_created */
static gboolean
bench_sessions_get(BenchSessions *s,
		   const gchar *id,
		   gboolean docker,
		   gboolean want_created,
		   gchar **path,
		   GError **error)
{
	GVariantBuilder config;
	g_autoptr(GVariant) reply = NULL;
	gboolean created = FALSE;

	g_variant_builder_init(&config, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_add(&config,
			      "{sv}",
			      "backend",
			      g_variant_new_string(docker ? "docker" : "native"));
	g_variant_builder_add(&config,
			      "{sv}",
			      "image",
			      g_variant_new_string(docker ? s->docker_image : s->image));
	reply = bench_sessions_call(s,
				    SESSIONS_PATH,
				    SESSIONS_IFACE,
				    "GetSession",
				    g_variant_new("(ssa{sv})", SESSIONS_USER, id, &config),
				    "(ob)",
				    error);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(ob)", path, &created);
	if (created != want_created) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    "GetSession %s: created is %s",
			    id,
			    created ? "true" : "false");
		return FALSE;
	}
	return TRUE;
}

static gboolean
bench_sessions_exec(BenchSessions *s, const gchar *path, GError **error)
{
	const gchar *argv[] = {"true", NULL};
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	gint32 code = -1;

	reply = bench_sessions_call(s,
				    path,
				    SESSION_IFACE,
				    "Exec",
				    g_variant_new("(^asa{sv})", argv, NULL),
				    "(a{sv})",
				    error);
	if (reply == NULL)
		return FALSE;
	result = g_variant_get_child_value(reply, 0);
	if (!g_variant_lookup(result, "exit_code", "i", &code) || code != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "Exec true: exit code %d", code);
		return FALSE;
	}
	return TRUE;
}

static gboolean
bench_sessions_close(BenchSessions *s, const gchar *path, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	reply = bench_sessions_call(s,
				    path,
				    SESSION_IFACE,
				    "Close",
				    g_variant_new("(b)", TRUE),
				    "()",
				    error);
	return reply != NULL;
}

/* ---- the peers ---- */

static gboolean
bench_sessions_exec_native(BenchSessions *s, GError **error)
{
	return bench_sessions_exec(s, s->exec_native, error);
}

static gboolean
bench_sessions_exec_docker(BenchSessions *s, GError **error)
{
	return bench_sessions_exec(s, s->exec_docker, error);
}

static gboolean
bench_sessions_docker_exec(BenchSessions *s, GError **error)
{
	const gchar *args[] = {"exec", s->container, "true", NULL};
	return bench_sessions_docker(args, NULL, error);
}

static gboolean
bench_sessions_get_existing(BenchSessions *s, GError **error)
{
	g_autofree gchar *path = NULL;
	return bench_sessions_get(s, "exec-native", FALSE, FALSE, &path, error);
}

static gboolean
bench_sessions_ping(BenchSessions *s, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	reply = bench_sessions_call(s,
				    TENDER_PATH,
				    "org.freedesktop.DBus.Peer",
				    "Ping",
				    NULL,
				    "()",
				    error);
	return reply != NULL;
}

static gboolean
bench_sessions_new(BenchSessions *s, gboolean docker, GError **error)
{
	g_autofree gchar *id =
	    g_strdup_printf("new-%s-%d-%u", docker ? "docker" : "native", (gint)getpid(), s->seq++);
	return bench_sessions_get(s, id, docker, TRUE, &s->close_path, error);
}

static gboolean
bench_sessions_new_native(BenchSessions *s, GError **error)
{
	return bench_sessions_new(s, FALSE, error);
}

static gboolean
bench_sessions_new_docker(BenchSessions *s, GError **error)
{
	return bench_sessions_new(s, TRUE, error);
}

static gboolean
bench_sessions_docker_run(BenchSessions *s, GError **error)
{
	const gchar *args[] = {"run", "-d", s->docker_image, "sleep", SESSIONS_SLEEP_ARG, NULL};
	return bench_sessions_docker(args, &s->remove_ctr, error);
}

/* after a peer's timed part: what it made goes (the time of Close in @closes) */
static void
bench_sessions_cleanup(BenchSessions *s, GArray *closes)
{
	g_autoptr(GError) error = NULL;

	if (s->close_path != NULL) {
		gint64 t0 = g_get_monotonic_time();
		if (bench_sessions_close(s, s->close_path, &error)) {
			gdouble ms = (gdouble)(g_get_monotonic_time() - t0) / 1000.0;
			if (closes != NULL)
				g_array_append_val(closes, ms);
		} else {
			bench_fail(s->b, s->close_path, error->message);
		}
		g_clear_pointer(&s->close_path, g_free);
	}
	if (s->remove_ctr != NULL) {
		const gchar *args[] = {"rm", "-f", s->remove_ctr, NULL};
		g_clear_error(&error);
		if (!bench_sessions_docker(args, NULL, &error))
			bench_fail(s->b, "docker rm -f", error->message);
		g_clear_pointer(&s->remove_ctr, g_free);
	}
}

/* the sessions and the container the exec peers use, made before the timing; FALSE if the
 * native one failed (the Docker peers are left out if theirs failed) */
static gboolean
bench_sessions_prepare(BenchSessions *s, gboolean *with_docker)
{
	g_autoptr(GError) error = NULL;
	const gchar *run[] = {"run", "-d", s->docker_image, "sleep", SESSIONS_SLEEP_ARG, NULL};

	/* a session left by an earlier run that failed is reused, created or not */
	if (!bench_sessions_get(s, "exec-native", FALSE, TRUE, &s->exec_native, &error) &&
	    s->exec_native == NULL) {
		bench_fail(s->b, "GetSession exec-native", error->message);
		return FALSE;
	}
	*with_docker = FALSE;
	if (s->docker_image == NULL)
		return TRUE;
	g_clear_error(&error);
	if (!bench_sessions_get(s, "exec-docker", TRUE, TRUE, &s->exec_docker, &error) &&
	    s->exec_docker == NULL) {
		bench_fail(s->b, "GetSession exec-docker", error->message);
		return TRUE;
	}
	if (!bench_sessions_docker(run, &s->container, &error)) {
		bench_fail(s->b, "docker run -d", error->message);
		return TRUE;
	}
	*with_docker = TRUE;
	return TRUE;
}

void
bench_sessions(Bench *b,
	       gint count,
	       const gchar *image,
	       const gchar *docker_image,
	       gint docker_count,
	       GString *out)
{
	guint every = bench_docker_every(count, docker_count);
	BenchSessionsPeer peers[] = {
	    {"exec-native", bench_sessions_exec_native, 1},
	    {"get-existing", bench_sessions_get_existing, 1},
	    {"ping", bench_sessions_ping, 1},
	    {"new-native", bench_sessions_new_native, 1},
	    /* the Docker peers: left out without a Docker image */
	    {"exec-docker", bench_sessions_exec_docker, every},
	    {"docker-exec", bench_sessions_docker_exec, every},
	    {"new-docker", bench_sessions_new_docker, every},
	    {"docker-run", bench_sessions_docker_run, every},
	};
	g_autoptr(GPtrArray) samples =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	g_autoptr(GArray) close_native = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) close_docker = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GError) error = NULL;
	BenchSessions s = {b, image, docker_image};
	gboolean with_docker = FALSE;
	guint n_peers;

	g_string_append_printf(out,
			       "{\"command\": \"sessions\", \"count\": %d, \"docker_every\": %u",
			       count,
			       every);
	if (!bench_sessions_prepare(&s, &with_docker))
		return;
	n_peers = G_N_ELEMENTS(peers) - (with_docker ? 0 : 4);
	for (guint p = 0; p < n_peers; p++)
		g_ptr_array_add(samples, g_array_new(FALSE, FALSE, sizeof(gdouble)));
	/* one untimed run of each: the connections up, the image's files in the page cache */
	for (guint p = 0; p < n_peers; p++) {
		g_clear_error(&error);
		if (!peers[p].func(&s, &error))
			bench_fail(b, peers[p].name, error->message);
		bench_sessions_cleanup(&s, NULL);
	}
	for (gint i = 0; i < count && b->failures == 0; i++) {
		for (guint k = 0; k < n_peers; k++) {
			guint p = ((guint)i + k) % n_peers;
			gint64 t0;
			gdouble ms;
			if (peers[p].every > 1 && (guint)i % peers[p].every != 0)
				continue;
			g_clear_error(&error);
			t0 = g_get_monotonic_time();
			if (peers[p].func(&s, &error)) {
				ms = (gdouble)(g_get_monotonic_time() - t0) / 1000.0;
				g_array_append_val(g_ptr_array_index(samples, p), ms);
			} else {
				bench_fail(b, peers[p].name, error->message);
			}
			bench_sessions_cleanup(&s,
					       g_strcmp0(peers[p].name, "new-native") == 0
						   ? close_native
					       : g_strcmp0(peers[p].name, "new-docker") == 0
						   ? close_docker
						   : NULL);
		}
	}
	for (guint p = 0; p < n_peers; p++) {
		g_string_append_printf(out, ", \"%s\": ", peers[p].name);
		bench_print_stats(out, g_ptr_array_index(samples, p));
	}
	g_string_append(out, ", \"close-native\": ");
	bench_print_stats(out, close_native);
	g_string_append(out, ", \"close-docker\": ");
	bench_print_stats(out, close_docker);
	/* what the exec peers used goes, whatever happened (untimed) */
	s.close_path = g_steal_pointer(&s.exec_native);
	bench_sessions_cleanup(&s, NULL);
	if (s.exec_docker != NULL) {
		s.close_path = g_steal_pointer(&s.exec_docker);
		bench_sessions_cleanup(&s, NULL);
	}
	if (s.container != NULL) {
		s.remove_ctr = g_steal_pointer(&s.container);
		bench_sessions_cleanup(&s, NULL);
	}
}
