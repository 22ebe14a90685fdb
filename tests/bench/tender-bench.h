/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench's shared state and helpers (see tender-bench.c).
 */

#pragma once

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#define TENDER_BUS_NAME	   "org.tender.Agent1"
#define TENDER_PATH	   "/org/tender/Agent1"
#define TENDER_MANAGER	   "org.tender.Agent1.Manager"
#define SYSTEMD_BUS_NAME   "org.freedesktop.systemd1"
#define SYSTEMD_PATH	   "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER	   "org.freedesktop.systemd1.Manager"
#define BENCH_SLICE	   "tender.slice"
#define BENCH_CALL_TIMEOUT 120000
/* the Debian CLI (/usr/local/bin/docker may be another version) */
#define BENCH_DOCKER "/usr/bin/docker"

typedef enum {
	OP_TENDER,
	OP_FLOOR,
	OP_SYSTEMD_RUN,
	OP_REMOVE,
	OP_METRICS,
	OP_LIST,
	OP_SPAWN, /* b->spawn_argv, until it exits */
	OP_EXEC,  /* ExecWorkload of `true` into b->exec_target */
} BenchOp;

typedef struct {
	GDBusConnection *bus;
	GMainLoop *loop;
	GHashTable *floor_pending; /* unit name -> BenchLaunch (borrowed) */
	gchar *true_path;
	guint64 memory_max;
	guint64 tasks_max;
	gchar **workload_argv;
	gchar *name_prefix; /* of tender workloads */
	guint seq;
	/* the phase under way */
	BenchOp op;
	guint total;
	guint started;
	guint finished;
	guint jobs;
	guint children;		/* forked children of the floor not reaped yet */
	gboolean remove_after;	/* tender: remove each workload right after its launch, untimed */
	GArray *samples;	/* gdouble ms, of the phase's peer */
	GArray *create_samples; /* OP_TENDER: ms of CreateWorkload alone, if not NULL */
	GPtrArray *names;	/* OP_TENDER: created workloads; OP_REMOVE, OP_METRICS: input */
	guint failures;
	gchar *first_error;
	guint listed;	       /* OP_LIST: workloads in the last reply */
	gboolean list_systemd; /* OP_LIST: systemd's ListUnitsByPatterns instead */
	/* the isolation section (tender-bench-iso.c) */
	const gchar *isolation;	   /* OP_TENDER: the spec's "isolation", if not NULL */
	const gchar *rootfs;	   /* OP_TENDER: the spec's "rootfs", if not NULL */
	const gchar *docker_image; /* OP_TENDER: runtime docker, x-docker.image, if not NULL */
	gboolean wait_exit;	   /* OP_TENDER: the launch ends once the command has exited */
	GArray *start_samples;	   /* OP_TENDER: ms until StartWorkload returned, if not NULL */
	GHashTable *exit_pending;  /* OP_TENDER with wait_exit: object path -> BenchLaunch */
	gchar **spawn_argv;	   /* OP_SPAWN */
	const gchar *exec_target;  /* OP_EXEC */
} Bench;

typedef struct {
	Bench *bench;
	gchar *name;
	gint64 t0;
	gdouble ms;
	gboolean start_failed;
	/* the floor */
	GPid pid;
	gint go_fd;
	gint exec_fd;
	gboolean have_job;
	gchar *result;
	gboolean timed;
	gboolean reaped;
	/* tender with wait_exit */
	gchar *path;
	gboolean ran;
	gboolean exited;
} BenchLaunch;

void
bench_clear(Bench *b);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Bench, bench_clear)
BenchLaunch *
bench_launch_new(Bench *b);
void
bench_launch_free(BenchLaunch *l);
void
bench_fail(Bench *b, const gchar *what, const gchar *message);
void
bench_done(BenchLaunch *l, gboolean ok);
void
bench_mark(BenchLaunch *l);
gboolean
bench_check_reply(Bench *b, GObject *source, GAsyncResult *res, const gchar *what, GVariant **out);
gdouble
bench_phase(Bench *b, BenchOp op, guint total, guint jobs);
void
bench_next(Bench *b);
void
bench_print_stats(GString *out, GArray *samples);
void
bench_cleanup_names(Bench *b, guint jobs);
gboolean
bench_setup(Bench *b, GError **error);
gboolean
bench_list_prefix(Bench *b, const gchar *prefix, GError **error);
gchar *
bench_json_escape(const gchar *s);

/* tender-bench-tender.c: the tender peer, and calls on existing workloads */
void
bench_tender_start(Bench *b, BenchLaunch *l);
void
bench_tender_remove(BenchLaunch *l, GAsyncReadyCallback cb);
void
bench_call_start(Bench *b, BenchLaunch *l);

/* tender-bench-floor.c: the floor and systemd-run --scope */
void
bench_floor_start(Bench *b, BenchLaunch *l);
void
bench_floor_subscribe(Bench *b);
void
bench_spawn_start(Bench *b, BenchLaunch *l, const gchar *const *argv);
void
bench_systemd_run_argv(Bench *b, GPtrArray *argv);
void
bench_systemd_run_start(Bench *b, BenchLaunch *l);

/* tender-bench-tender.c, for tender-bench-iso.c */
void
bench_tender_ran(BenchLaunch *l);

/* one peer of an interleaved round (tender-bench-iso.c) */
typedef struct {
	const gchar *name;
	BenchOp op;
	const gchar *isolation;	   /* OP_TENDER */
	gboolean rootfs;	   /* OP_TENDER */
	gchar **argv;		   /* OP_SPAWN */
	const gchar *target;	   /* OP_EXEC */
	const gchar *docker_image; /* OP_TENDER: runtime docker */
	guint every;		   /* runs in every Nth round only (0 or 1: in each) */
} BenchPeer;

/* tender-bench-iso.c: the isolation section */
void
bench_iso_rounds(Bench *b,
		 BenchPeer *peers,
		 guint n_peers,
		 gint count,
		 const gchar *rootfs,
		 GString *out);
guint
bench_iso_subscribe(Bench *b);
guint
bench_docker_every(gint count, gint docker_count);
void
bench_exec_start(Bench *b, BenchLaunch *l);
void
bench_iso_launch(Bench *b,
		 gint count,
		 const gchar *rootfs,
		 const gchar *docker_image,
		 gint docker_count,
		 GString *out);
void
bench_iso_exec(Bench *b,
	       gint count,
	       const gchar *rootfs,
	       const gchar *docker_image,
	       gint docker_count,
	       GString *out);

/* tender-bench-docker.c: the Docker section's launches */
void
bench_docker_launch(Bench *b, gint count, const gchar *image, GString *out);

/* tender-bench-sessions.c: the sessions section */
void
bench_sessions(Bench *b,
	       gint count,
	       const gchar *image,
	       const gchar *docker_image,
	       gint docker_count,
	       GString *out);
