/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include "tender-docker-api.h"
#include "tender-docker-exec.h"
#include "tender-docker-inspect.h"
#include "tender-docker-runtime.h"
#include "tender-docker-spec.h"

/*
 * The runtime "docker": a workload whose spec says runtime docker is one container of
 * dockerd's, tender-NAME, labelled as the plugin's.  It is made at the workload's first
 * start, started again at each later one (what it changed in its root is kept), and removed
 * with the workload.  The run's ID is the container's id, so that a restarted tenderd takes
 * the run over by it.
 *
 * The vtable's functions must not block, and dockerd answers later: each sends its request
 * and returns, and what becomes of the run is reported when dockerd has answered.  Ends come
 * from the client's events (die, oom, destroy of a container with a run), each checked with
 * an inspect, which says how the run ended; when the event stream opens again after dockerd
 * was away, every run is inspected again, as an end may have gone unseen.  While the stream
 * is down, what cannot wait fails with NotSupported naming dockerd.
 *
 * A run's state (TenderDockerRun) is reference counted: every request holds a reference, and
 * its callback does nothing once tenderd is done with the run (or the run has ended).
 */

struct _TenderDockerRuntime {
	TenderDockerClient *client;
	GCancellable *cancellable; /* of every request, cancelled when the runtime goes */
	GHashTable *runs;     /* container id → TenderDockerRun, not owned: each removes itself */
	GHashTable *deleting; /* workload → GPtrArray of TenderDockerRun: starts that wait until
			       * its old container is removed */
	gboolean available;   /* FALSE while the event stream is down */
	gulong event_id;
	gulong connected_id;
};

/* the counters of a container, at once (not over a second) */
#define TENDER_DOCKER_STATS_SUFFIX "/stats?stream=false&one-shot=true"

typedef struct {
	TenderDockerRuntime *runtime; /* valid while run is not NULL */
	TenderRun *run;		      /* NULL once tenderd is done with it */
	gchar *workload;
	gchar *container;      /* tender-NAME, escaped for a path */
	gchar *id;	       /* the container's id, once known */
	JsonNode *create;      /* the body of its create, for a start */
	gboolean running;      /* reported running, or taken over */
	guint32 pid;	       /* its first process, as the host sees it */
	gboolean stop_asked;   /* a stop to send: once it runs, or once dockerd is back */
	gboolean kill_refused; /* the stop's SIGKILL came while dockerd was away */
	guint64 signals_sent;  /* TENDER_DOCKER_SIGNAL_BIT of each signal sent in this run */
	gboolean inspecting;
	gboolean inspect_again;
	GVariant *limits; /* what its HostConfig holds, once inspected */
	TenderRunMetrics metrics;
	gint64 metrics_time; /* when they were read, 0 before */
	gboolean stats_pending;
} TenderDockerRun;

static void
tender_docker_run_clear(TenderDockerRun *dr)
{
	g_free(dr->workload);
	g_free(dr->container);
	g_free(dr->id);
	g_clear_pointer(&dr->create, json_node_unref);
	g_clear_pointer(&dr->limits, g_variant_unref);
}

static TenderDockerRun *
tender_docker_run_ref(TenderDockerRun *dr)
{
	return g_rc_box_acquire(dr);
}

static void
tender_docker_run_unref(TenderDockerRun *dr)
{
	g_rc_box_release_full(dr, (GDestroyNotify)tender_docker_run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerRun, tender_docker_run_unref)

/* tenderd is done with the run (the destroy of tender_run_set_data()) */
static void
tender_docker_run_forget(gpointer data)
{
	TenderDockerRun *dr = data;

	if (dr->id != NULL && g_hash_table_lookup(dr->runtime->runs, dr->id) == dr)
		g_hash_table_remove(dr->runtime->runs, dr->id);
	dr->run = NULL;
	tender_docker_run_unref(dr);
}

static TenderDockerRun *
tender_docker_run_new(TenderDockerRuntime *runtime, TenderRun *run)
{
	TenderDockerRun *dr = g_rc_box_new0(TenderDockerRun);
	g_autofree gchar *name = NULL;

	dr->runtime = runtime;
	dr->run = run;
	dr->workload = g_strdup(tender_run_get_workload_name(run));
	name = tender_docker_spec_container_name(dr->workload);
	dr->container = tender_docker_api_escape(name);
	tender_run_set_data(run, dr, tender_docker_run_forget);
	return dr;
}

/* the run is tenderd's still, and has not ended */
static gboolean
tender_docker_run_alive(TenderDockerRun *dr)
{
	return dr->run != NULL && !tender_run_has_ended(dr->run);
}

/* the run's container is @id: events of it are the run's */
static void
tender_docker_run_set_container(TenderDockerRun *dr, const gchar *id)
{
	if (dr->id != NULL && g_hash_table_lookup(dr->runtime->runs, dr->id) == dr)
		g_hash_table_remove(dr->runtime->runs, dr->id);
	g_free(dr->id);
	dr->id = g_strdup(id);
	g_hash_table_replace(dr->runtime->runs, dr->id, dr);
}

/* what is done with dockerd's answer to a request of a run's (%NULL, and @error, if it
 * failed), if the run has not ended by then */
typedef void (*TenderDockerRunDone)(TenderDockerRun *dr, JsonNode *answer, const GError *error);

typedef struct {
	TenderDockerRun *dr;
	TenderDockerRunDone done;
} TenderDockerRunRequest;

static void
tender_docker_run_answered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerRunRequest *request = user_data;
	g_autoptr(TenderDockerRun) dr = request->dr;
	TenderDockerRunDone done = request->done;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);

	g_free(request);
	if (dr->run != NULL && !tender_run_has_ended(dr->run))
		done(dr, answer, error);
}

/* @method @path for the run */
static void
tender_docker_run_send(TenderDockerRun *dr,
		       const gchar *method,
		       const gchar *path,
		       JsonNode *body,
		       TenderDockerRunDone done)
{
	TenderDockerRunRequest *request = g_new0(TenderDockerRunRequest, 1);

	request->dr = tender_docker_run_ref(dr);
	request->done = done;
	tender_docker_client_request_async(dr->runtime->client,
					   method,
					   path,
					   body,
					   dr->runtime->cancellable,
					   tender_docker_run_answered_cb,
					   request);
}

/* @method /containers/ID@suffix, or /containers/tender-NAME@suffix before the id is known */
static void
tender_docker_run_request(TenderDockerRun *dr,
			  const gchar *method,
			  const gchar *suffix,
			  TenderDockerRunDone done)
{
	g_autofree gchar *path =
	    g_strdup_printf("/containers/%s%s", dr->id != NULL ? dr->id : dr->container, suffix);

	tender_docker_run_send(dr, method, path, NULL, done);
}

/* the answer as an object; else %NULL with @error_out set: to the request's @error, or for
 * an answer that is no object */
static JsonObject *
tender_docker_run_object(JsonNode *answer,
			 const GError *error,
			 const gchar *what,
			 GError **error_out)
{
	if (error != NULL) {
		g_propagate_error(error_out, g_error_copy(error));
		return NULL;
	}
	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer))
		return json_node_get_object(answer);
	g_set_error(error_out,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "dockerd's %s is no object",
		    what);
	return NULL;
}

static gboolean
tender_docker_runtime_check_available(TenderDockerRuntime *self, GError **error)
{
	if (self->available)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_UNAVAILABLE,
		    "dockerd is not answering at %s: its event stream is closed",
		    tender_docker_client_get_socket_path(self->client));
	return FALSE;
}

/* --- the end of a run --- */

static void
tender_docker_run_report_end(TenderDockerRun *dr, JsonObject *inspect)
{
	TenderDockerEnd end = {0};

	if (!tender_docker_inspect_get_end(inspect, dr->signals_sent, &end))
		return;
	g_debug("container %s of workload %s ended: exit code %d, signal %d",
		dr->id,
		dr->workload,
		end.exit_code,
		end.exit_signal);
	if (g_hash_table_lookup(dr->runtime->runs, dr->id) == dr)
		g_hash_table_remove(dr->runtime->runs, dr->id);
	tender_run_report_ended(dr->run, end.exit_code, end.exit_signal, end.reason);
}

/* what an inspect says of a running container: its limits */
static void
tender_docker_run_take_inspect(TenderDockerRun *dr, JsonObject *inspect)
{
	g_clear_pointer(&dr->limits, g_variant_unref);
	dr->limits = g_variant_ref_sink(tender_docker_inspect_get_limits(inspect));
}

static void
tender_docker_run_stats_read(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *stats = NULL;
	TenderRunMetrics metrics = {0};

	dr->stats_pending = FALSE;
	stats = tender_docker_run_object(answer, error, "stats", &error_local);
	if (stats == NULL) {
		g_debug("no stats of workload %s: %s", dr->workload, error_local->message);
		return;
	}
	if (!tender_docker_inspect_read_stats(stats, &metrics))
		return;
	dr->metrics = metrics;
	dr->metrics_time = g_get_monotonic_time();
}

/* reads the run's counters for the next GetMetrics */
static void
tender_docker_run_read_stats(TenderDockerRun *dr)
{
	if (dr->stats_pending || dr->id == NULL)
		return;
	dr->stats_pending = TRUE;
	tender_docker_run_request(dr,
				  "GET",
				  TENDER_DOCKER_STATS_SUFFIX,
				  tender_docker_run_stats_read);
}

static void
tender_docker_run_check_end(TenderDockerRun *dr);

static void
tender_docker_run_checked(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *inspect = NULL;

	dr->inspecting = FALSE;
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		g_autofree gchar *reason =
		    g_strdup_printf("lost: its container " TENDER_DOCKER_NAME_PREFIX "%s is gone",
				    dr->workload);
		tender_run_report_ended(dr->run, -1, 0, reason);
		return;
	}
	inspect = tender_docker_run_object(answer, error, "inspect", &error_local);
	if (inspect == NULL) {
		/* dockerd went away: the stream's reopening inspects it again */
		g_debug("cannot inspect the container of workload %s: %s",
			dr->workload,
			error_local->message);
		return;
	}
	tender_docker_run_take_inspect(dr, inspect);
	tender_docker_run_report_end(dr, inspect);
	/* one taken over has no figures yet */
	if (dr->metrics_time == 0 && tender_docker_run_alive(dr))
		tender_docker_run_read_stats(dr);
	if (dr->inspect_again) {
		dr->inspect_again = FALSE;
		tender_docker_run_check_end(dr);
	}
}

/* inspects the run's container, and reports the run's end if it has ended */
static void
tender_docker_run_check_end(TenderDockerRun *dr)
{
	if (!tender_docker_run_alive(dr) || dr->id == NULL)
		return;
	/* not running yet: checked once it is */
	if (dr->inspecting || !dr->running) {
		dr->inspect_again = TRUE;
		return;
	}
	dr->inspecting = TRUE;
	tender_docker_run_request(dr, "GET", "/json", tender_docker_run_checked);
}

/* --- start --- */

static void
tender_docker_run_send_stop(TenderDockerRun *dr);
static void
tender_docker_run_find(TenderDockerRun *dr);

/* the start failed: the run ends, with dockerd's word for why */
static void
tender_docker_run_fail_start(TenderDockerRun *dr, const GError *error)
{
	g_autofree gchar *reason = g_strdup_printf("start: %s", error->message);

	g_debug("workload %s: %s", dr->workload, reason);
	tender_run_report_ended(dr->run, -1, 0, reason);
}

static void
tender_docker_run_first_stats_read(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	tender_docker_run_stats_read(dr, answer, error);
	dr->running = TRUE;
	tender_run_report_running(dr->run, dr->pid);
	/* an end while its figures were read (an event, or a stop) is seen to now */
	if (dr->inspect_again) {
		dr->inspect_again = FALSE;
		tender_docker_run_check_end(dr);
	}
	if (dr->stop_asked)
		tender_docker_run_send_stop(dr);
}

static void
tender_docker_run_started(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *inspect = tender_docker_run_object(answer, error, "inspect", &error_local);

	if (inspect == NULL) {
		tender_docker_run_fail_start(dr, error_local);
		return;
	}
	tender_docker_run_take_inspect(dr, inspect);
	/* a container that ended already ran, and its end is reported at once */
	if (!tender_docker_inspect_get_running(inspect)) {
		dr->running = TRUE;
		tender_run_report_running(dr->run, 0);
		tender_docker_run_report_end(dr, inspect);
		return;
	}
	/* it runs once its first figures are in, for the GetMetrics that may follow at once */
	dr->pid = tender_docker_inspect_get_pid(inspect);
	dr->stats_pending = TRUE;
	tender_docker_run_request(dr,
				  "GET",
				  TENDER_DOCKER_STATS_SUFFIX,
				  tender_docker_run_first_stats_read);
}

static void
tender_docker_run_start_sent(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	if (answer == NULL) {
		tender_docker_run_fail_start(dr, error);
		return;
	}
	tender_docker_run_request(dr, "GET", "/json", tender_docker_run_started);
}

/* the container is @id: it is the run's, and started */
static void
tender_docker_run_start_container(TenderDockerRun *dr, const gchar *id)
{
	tender_docker_run_set_container(dr, id);
	tender_run_set_id(dr->run, id);
	tender_docker_run_request(dr, "POST", "/start", tender_docker_run_start_sent);
}

static void
tender_docker_run_created(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *created = NULL;
	const gchar *id = NULL;

	created = tender_docker_run_object(answer, error, "answer to create", &error_local);
	if (created != NULL)
		id = tender_docker_inspect_get_id(created);
	if (id == NULL) {
		if (error_local == NULL)
			g_set_error_literal(&error_local,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "dockerd made the container without saying its id");
		tender_docker_run_fail_start(dr, error_local);
		return;
	}
	g_info("workload %s: container " TENDER_DOCKER_NAME_PREFIX "%s made, %.12s",
	       dr->workload,
	       dr->workload,
	       id);
	tender_docker_run_start_container(dr, id);
}

static void
tender_docker_run_create(TenderDockerRun *dr)
{
	g_autofree gchar *path = g_strdup_printf("/containers/create?name=%s", dr->container);

	tender_docker_run_send(dr, "POST", path, dr->create, tender_docker_run_created);
}

static GPtrArray *
tender_docker_runtime_delete(TenderDockerRuntime *self, const gchar *workload);

static void
tender_docker_run_found(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *inspect = NULL;
	const gchar *id = NULL;
	const gchar *digest = NULL;

	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		tender_docker_run_create(dr);
		return;
	}
	inspect = tender_docker_run_object(answer, error, "inspect", &error_local);
	if (inspect != NULL &&
	    tender_docker_inspect_check_owner(inspect, dr->workload, &error_local))
		id = tender_docker_inspect_get_id(inspect);
	if (id == NULL) {
		if (error_local == NULL)
			g_set_error_literal(&error_local,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "dockerd gave a container without an id");
		tender_docker_run_fail_start(dr, error_local);
		return;
	}
	/* one that another spec made (of a workload of this name whose removal failed) is
	 * removed, and made anew */
	digest = tender_docker_spec_get_digest(dr->create);
	if (g_strcmp0(tender_docker_inspect_get_label(inspect, TENDER_DOCKER_LABEL_DIGEST),
		      digest) != 0) {
		g_info("workload %s: its container %.12s was made for another spec; making it anew",
		       dr->workload,
		       id);
		g_ptr_array_add(tender_docker_runtime_delete(dr->runtime, dr->workload),
				tender_docker_run_ref(dr));
		return;
	}
	tender_docker_run_start_container(dr, id);
}

/* looks for the workload's container: started if there, else made */
static void
tender_docker_run_find(TenderDockerRun *dr)
{
	tender_docker_run_request(dr, "GET", "/json", tender_docker_run_found);
}

static gboolean
tender_docker_runtime_start(TenderRun *run, gpointer user_data, GError **error)
{
	TenderDockerRuntime *self = user_data;
	g_autoptr(GVariant) spec = tender_run_get_spec(run);
	const gchar *workload = tender_run_get_workload_name(run);
	g_autoptr(TenderDockerSpec) dspec = NULL;
	TenderDockerRun *dr;
	GPtrArray *waiting;

	if (!tender_docker_runtime_check_available(self, error))
		return FALSE;
	dspec = tender_docker_spec_new(workload, spec, error);
	if (dspec == NULL)
		return FALSE;
	dr = tender_docker_run_new(self, run);
	dr->create = tender_docker_spec_build_create(dspec, workload);
	/* its old container is being removed: the start waits for that */
	waiting = g_hash_table_lookup(self->deleting, workload);
	if (waiting != NULL) {
		g_ptr_array_add(waiting, tender_docker_run_ref(dr));
		return TRUE;
	}
	tender_docker_run_find(dr);
	return TRUE;
}

/* --- stop, kill, pause --- */

static void
tender_docker_run_sent(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	/* 409: it does not run (any more), which its end says */
	if (answer == NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE))
		g_warning("workload %s: dockerd refused: %s", dr->workload, error->message);
	tender_docker_run_check_end(dr);
}

static void
tender_docker_run_stop_sent(TenderDockerRun *dr, JsonNode *answer, const GError *error)
{
	/* dockerd went away meanwhile: sent again once it is back */
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED)) {
		dr->stop_asked = TRUE;
		return;
	}
	tender_docker_run_sent(dr, answer, error);
}

/* /stop: SIGTERM, and dockerd's SIGKILL after the longest stop timeout of tenderd's (whose
 * SIGKILL comes first); at once if tenderd's came while dockerd was away */
static void
tender_docker_run_send_stop(TenderDockerRun *dr)
{
	g_autofree gchar *suffix =
	    g_strdup_printf("/stop?t=%d", dr->kill_refused ? 0 : TENDER_DOCKER_STOP_WAIT_SEC);

	dr->stop_asked = FALSE;
	tender_docker_run_request(dr, "POST", suffix, tender_docker_run_stop_sent);
}

/* the run's state, for stop, kill, pause and resume: %NULL with an error if it has no
 * container yet, or dockerd is away */
static TenderDockerRun *
tender_docker_runtime_get_run(TenderDockerRuntime *self, TenderRun *run, GError **error)
{
	TenderDockerRun *dr = tender_run_get_data(run);

	if (!tender_docker_runtime_check_available(self, error))
		return NULL;
	if (dr == NULL || dr->id == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "The container of workload '%s' is not made yet",
			    tender_run_get_workload_name(run));
		return NULL;
	}
	return dr;
}

/* POST /containers/ID@suffix for the run; its end is checked once dockerd has answered */
static gboolean
tender_docker_runtime_post(TenderRun *run, gpointer user_data, const gchar *suffix, GError **error)
{
	TenderDockerRun *dr = tender_docker_runtime_get_run(user_data, run, error);

	if (dr == NULL)
		return FALSE;
	tender_docker_run_request(dr, "POST", suffix, tender_docker_run_sent);
	return TRUE;
}

static gboolean
tender_docker_runtime_stop(TenderRun *run, gpointer user_data, GError **error)
{
	TenderDockerRuntime *self = user_data;
	TenderDockerRun *dr = tender_run_get_data(run);

	/* a stop while the container is being made is sent once it runs, one while dockerd is
	 * away once it is back: the workload is "stopping" meanwhile */
	if (dr != NULL && (!dr->running || !self->available)) {
		dr->stop_asked = TRUE;
		return TRUE;
	}
	dr = tender_docker_runtime_get_run(self, run, error);
	if (dr == NULL)
		return FALSE;
	tender_docker_run_send_stop(dr);
	return TRUE;
}

static gboolean
tender_docker_runtime_kill(TenderRun *run, gint signo, gpointer user_data, GError **error)
{
	TenderDockerRun *dr = tender_run_get_data(run);
	g_autofree gchar *suffix = NULL;

	if (signo <= 0 || signo >= 64) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Signal %d is none that dockerd sends",
			    signo);
		return FALSE;
	}
	suffix = g_strdup_printf("/kill?signal=%d", signo);
	if (!tender_docker_runtime_post(run, user_data, suffix, error)) {
		/* the SIGKILL of a stop: the stop that goes out once dockerd is back kills */
		if (dr != NULL && signo == SIGKILL && tender_run_get_stop_requested(run))
			dr->kill_refused = TRUE;
		return FALSE;
	}
	/* its exit status 128 + signo is that signal's doing */
	dr->signals_sent |= TENDER_DOCKER_SIGNAL_BIT(signo);
	return TRUE;
}

static gboolean
tender_docker_runtime_pause(TenderRun *run, gpointer user_data, GError **error)
{
	return tender_docker_runtime_post(run, user_data, "/pause", error);
}

static gboolean
tender_docker_runtime_resume(TenderRun *run, gpointer user_data, GError **error)
{
	return tender_docker_runtime_post(run, user_data, "/unpause", error);
}

/* --- metrics and limits --- */

/* the counters read last (dockerd answers later: each GetMetrics reads them again for the
 * next, if they are older than TENDER_DOCKER_STATS_MAX_AGE_MS) */
static gboolean
tender_docker_runtime_get_metrics(TenderRun *run,
				  TenderRunMetrics *metrics,
				  gpointer user_data,
				  GError **error)
{
	TenderDockerRun *dr = tender_docker_runtime_get_run(user_data, run, error);

	if (dr == NULL)
		return FALSE;
	if (g_get_monotonic_time() - dr->metrics_time >
	    TENDER_DOCKER_STATS_MAX_AGE_MS * G_TIME_SPAN_MILLISECOND)
		tender_docker_run_read_stats(dr);
	if (dr->metrics_time == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_BUSY,
			    "dockerd has not given the figures of workload '%s' yet; ask again",
			    dr->workload);
		return FALSE;
	}
	*metrics = dr->metrics;
	return TRUE;
}

static GVariant *
tender_docker_runtime_get_limits(TenderRun *run, gpointer user_data, GError **error)
{
	TenderDockerRun *dr = tender_run_get_data(run);

	if (dr == NULL || dr->limits == NULL)
		return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return g_variant_ref(dr->limits);
}

/* --- a restart of tenderd --- */

static gboolean
tender_docker_runtime_adopt(TenderRun *run, gpointer user_data, GError **error)
{
	TenderDockerRuntime *self = user_data;
	const gchar *id = tender_run_get_id(run);
	TenderDockerRun *dr;

	/* a container id is 64 hex digits: anything else was never one of this runtime's */
	if (strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "its run %s is no container's",
			    id);
		return FALSE;
	}
	dr = tender_docker_run_new(self, run);
	dr->running = TRUE;
	tender_docker_run_set_container(dr, id);
	/* it runs on unless the inspect says it has ended meanwhile */
	tender_docker_run_check_end(dr);
	return TRUE;
}

/* --- removal --- */

typedef struct {
	TenderDockerRuntime *runtime; /* valid unless the request was cancelled */
	gchar *workload;
} TenderDockerDelete;

static void
tender_docker_delete_free(TenderDockerDelete *delete)
{
	g_free(delete->workload);
	g_free(delete);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerDelete, tender_docker_delete_free)

static void
tender_docker_runtime_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerDelete) delete = user_data;
	const gchar *workload = delete->workload;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	TenderDockerRuntime *self = delete->runtime;
	g_autoptr(GPtrArray) waiting = NULL;
	gpointer key = NULL;

	/* the runtime is gone: nothing waits */
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (answer == NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		g_warning("the container " TENDER_DOCKER_NAME_PREFIX "%s of a removed workload "
			  "is left: %s",
			  workload,
			  error->message);
	if (!g_hash_table_steal_extended(self->deleting, workload, &key, (gpointer *)&waiting))
		return;
	g_free(key);
	for (guint i = 0; i < waiting->len; i++) {
		TenderDockerRun *dr = g_ptr_array_index(waiting, i);
		if (tender_docker_run_alive(dr))
			tender_docker_run_find(dr);
	}
}

/* removes the workload's container (DELETE ?force=1), unless that is under way already
 *
 * Returns: (transfer none): the starts of the workload that wait until it is gone */
static GPtrArray *
tender_docker_runtime_delete(TenderDockerRuntime *self, const gchar *workload)
{
	g_autofree gchar *name = tender_docker_spec_container_name(workload);
	g_autofree gchar *escaped = tender_docker_api_escape(name);
	g_autofree gchar *path = g_strdup_printf("/containers/%s?force=1", escaped);
	GPtrArray *waiting = g_hash_table_lookup(self->deleting, workload);
	TenderDockerDelete *delete = NULL;

	if (waiting != NULL)
		return waiting;
	waiting = g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_run_unref);
	g_hash_table_insert(self->deleting, g_strdup(workload), waiting);
	delete = g_new0(TenderDockerDelete, 1);
	delete->runtime = self;
	delete->workload = g_strdup(workload);
	tender_docker_client_request_async(self->client,
					   "DELETE",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_runtime_deleted_cb,
					   delete);
	return waiting;
}

static void
tender_docker_runtime_forget_workload(const gchar *workload, gpointer user_data)
{
	(void)tender_docker_runtime_delete(user_data, workload);
}

static gboolean
tender_docker_runtime_check_spec(const gchar *workload,
				 GVariant *spec,
				 gpointer user_data,
				 GError **error)
{
	g_autoptr(TenderDockerSpec) dspec = tender_docker_spec_new(workload, spec, error);

	return dspec != NULL;
}

/* a command in the running container (tender-docker-exec.c), as its user */
static gboolean
tender_docker_runtime_exec(TenderRun *run, TenderRunExec *exec, gpointer user_data, GError **error)
{
	TenderDockerRuntime *self = user_data;
	TenderDockerRun *dr = tender_docker_runtime_get_run(self, run, error);
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(TenderDockerSpec) dspec = NULL;

	if (dr == NULL)
		return FALSE;
	if (!dr->running || !tender_docker_run_alive(dr)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "The container of workload '%s' is not running",
			    dr->workload);
		return FALSE;
	}
	spec = tender_run_get_spec(run);
	dspec = tender_docker_spec_new(dr->workload, spec, error);
	return dspec != NULL && tender_docker_exec_start(self->client,
							 dr->id,
							 dr->workload,
							 dspec->user,
							 exec,
							 self->cancellable,
							 error);
}

static const TenderRuntimeVTable tender_docker_runtime_vtable = {
    .struct_size = sizeof(TenderRuntimeVTable),
    .start = tender_docker_runtime_start,
    .stop = tender_docker_runtime_stop,
    .kill = tender_docker_runtime_kill,
    .pause = tender_docker_runtime_pause,
    .resume = tender_docker_runtime_resume,
    .get_metrics = tender_docker_runtime_get_metrics,
    .get_limits = tender_docker_runtime_get_limits,
    .adopt = tender_docker_runtime_adopt,
    .forget_workload = tender_docker_runtime_forget_workload,
    .check_spec = tender_docker_runtime_check_spec,
    .exec = tender_docker_runtime_exec,
};

/* --- the events --- */

static void
tender_docker_runtime_event_cb(TenderDockerClient *client, JsonObject *event, gpointer user_data)
{
	TenderDockerRuntime *self = user_data;
	const gchar *action = json_object_get_string_member_with_default(event, "Action", "");
	JsonNode *actor = json_object_get_member(event, "Actor");
	const gchar *id = NULL;
	TenderDockerRun *dr;

	if (g_strcmp0(action, "die") != 0 && g_strcmp0(action, "oom") != 0 &&
	    g_strcmp0(action, "destroy") != 0)
		return;
	if (actor != NULL && JSON_NODE_HOLDS_OBJECT(actor))
		id = json_object_get_string_member_with_default(json_node_get_object(actor),
								"ID",
								NULL);
	dr = id != NULL ? g_hash_table_lookup(self->runs, id) : NULL;
	if (dr != NULL)
		tender_docker_run_check_end(dr);
}

static void
tender_docker_runtime_connected_cb(TenderDockerClient *client,
				   gboolean connected,
				   gpointer user_data)
{
	TenderDockerRuntime *self = user_data;
	g_autoptr(GList) runs = NULL;

	self->available = connected;
	if (!connected) {
		g_message("dockerd at %s went away; its workloads wait for it",
			  tender_docker_client_get_socket_path(client));
		return;
	}
	/* an end may have gone unseen while the stream was down; a stop may wait */
	runs = g_hash_table_get_values(self->runs);
	for (GList *l = runs; l != NULL; l = l->next) {
		TenderDockerRun *dr = l->data;
		tender_docker_run_check_end(dr);
		if (dr->stop_asked && dr->running && tender_docker_run_alive(dr))
			tender_docker_run_send_stop(dr);
	}
}

static void
tender_docker_runtime_free(gpointer data)
{
	TenderDockerRuntime *self = data;

	g_cancellable_cancel(self->cancellable);
	g_object_unref(self->cancellable);
	g_signal_handler_disconnect(self->client, self->event_id);
	g_signal_handler_disconnect(self->client, self->connected_id);
	g_hash_table_unref(self->runs);
	g_hash_table_unref(self->deleting);
	g_object_unref(self->client);
	g_free(self);
}

/**
 * tender_docker_runtime_reopen:
 * @self: the runtime
 *
 * dockerd's socket appeared again (dockerd started again): it is taken to be there, and its
 * event stream is opened again at once, rather than when its backoff says.
 */
void
tender_docker_runtime_reopen(TenderDockerRuntime *self)
{
	tender_docker_client_stop_events(self->client);
	tender_docker_client_start_events(self->client);
	self->available = TRUE;
}

/**
 * tender_docker_runtime_register:
 * @plugin: the Docker plugin, being probed
 * @client: a client connected to dockerd
 * @error: (nullable): a #GError
 *
 * Registers the runtime "docker", whose containers @client makes and follows.
 *
 * Returns: (transfer none): the runtime, which is the plugin's registration's (it goes with
 *	it), or %NULL
 */
TenderDockerRuntime *
tender_docker_runtime_register(TenderPlugin *plugin, TenderDockerClient *client, GError **error)
{
	TenderDockerRuntime *self = g_new0(TenderDockerRuntime, 1);

	self->client = g_object_ref(client);
	self->cancellable = g_cancellable_new();
	self->runs = g_hash_table_new(g_str_hash, g_str_equal);
	self->deleting = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       g_free,
					       (GDestroyNotify)g_ptr_array_unref);
	self->available = TRUE;
	self->event_id =
	    g_signal_connect(client, "event", G_CALLBACK(tender_docker_runtime_event_cb), self);
	self->connected_id = g_signal_connect(client,
					      "connected",
					      G_CALLBACK(tender_docker_runtime_connected_cb),
					      self);
	if (!tender_plugin_register_runtime(plugin,
					    TENDER_DOCKER_RUNTIME,
					    &tender_docker_runtime_vtable,
					    self,
					    tender_docker_runtime_free,
					    error))
		return NULL;
	return self;
}
