/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tender-cgroup.h"
#include "tender-error.h"
#include "tender-scope-containers.h"
#include "tender-scope-exec.h"
#include "tender-scope-run.h"
#include "tender-scope-runtime.h"
#include "tender-systemd.h"

/*
 * TenderScopeRuntime is the core's runtime, "scope": each run of a workload is a transient
 * systemd scope in tender.slice whose first process is tender-shim (see TenderScopeRun).  It
 * holds what its runs share: the connection to PID 1, the cgroup reader, the directory
 * of the exit records the shims write, and the container directories of the workloads with an
 * image (TenderScopeContainers), the private network (TenderNetworkManager), if tenderd
 * has one, and the one main-loop source that watches every run's shim (TenderScopeWatch).  It
 * runs every isolation level.
 */

struct _TenderScopeRuntime {
	TenderRuntime parent_instance;
	TenderCgroup *cgroup;
	TenderSystemd *systemd; /* NULL without a system bus */
	TenderScopeContainers *containers;
	gchar *shim;
	gchar *nsenter; /* ExecWorkload's helper, next to the shim */
	gchar *exit_dir;
	TenderImageStore *images;      /* NULL until set */
	TenderNetworkManager *network; /* NULL: no private network */
	TenderScopeWatch *watch;       /* the one main-loop source of every run */
};

G_DEFINE_TYPE(TenderScopeRuntime, tender_scope_runtime, TENDER_TYPE_RUNTIME)

/* where the shim of the workload's run writes its exit record */
static gchar *
tender_scope_runtime_record_path(TenderScopeRuntime *self, const gchar *name)
{
	return g_strdup_printf("%s/%s.json", self->exit_dir, name);
}

static gboolean
tender_scope_runtime_setup(TenderRuntime *runtime, GError **error)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);

	if (tender_cgroup_get_version(self->cgroup) == TENDER_CGROUP_VERSION_UNKNOWN)
		g_warning("no cgroup file system below %s: limits cannot be read back",
			  tender_cgroup_get_root(self->cgroup));
	if (g_mkdir_with_parents(self->exit_dir, 0700) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    self->exit_dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (!tender_scope_containers_setup(self->containers, error))
		return FALSE;
	if (!g_file_test(self->shim, G_FILE_TEST_IS_EXECUTABLE)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s is missing or not executable (set shim= in tenderd.conf)",
			    self->shim);
		return FALSE;
	}
	if (self->systemd == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "The scope runtime has no connection to systemd");
		return FALSE;
	}
	return tender_systemd_setup(self->systemd, NULL, error);
}

static TenderRuntimeRun *
tender_scope_runtime_new_run(TenderRuntime *runtime, TenderWorkload *workload)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);
	g_autofree gchar *record =
	    tender_scope_runtime_record_path(self, tender_workload_get_name(workload));

	TenderScopeRun *run = tender_scope_run_new(workload,
						   self->systemd,
						   self->cgroup,
						   self->containers,
						   self->watch,
						   self->shim,
						   record);

	tender_scope_run_set_network(run, self->network);
	return TENDER_RUNTIME_RUN(run);
}

/* the exit record of the workload's last run */
/* every character a workload name may hold is valid in a unit name: no escaping is needed */
static void
tender_scope_runtime_prepare_workload(TenderRuntime *runtime, TenderWorkload *workload)
{
	g_autofree gchar *unit =
	    g_strdup_printf("tender-%s.scope", tender_workload_get_name(workload));
	tender_workload_set_unit(workload, unit);
}

static void
tender_scope_runtime_forget_workload(TenderRuntime *runtime, TenderWorkload *workload)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);
	g_autofree gchar *record =
	    tender_scope_runtime_record_path(self, tender_workload_get_name(workload));

	if (g_unlink(record) < 0 && errno != ENOENT)
		g_warning("cannot remove %s: %s", record, g_strerror(errno));
	/* the changes of its image root go with it, and its address on the private network */
	tender_scope_containers_remove(self->containers, tender_workload_get_name(workload));
	if (self->network != NULL &&
	    tender_spec_get_network(tender_workload_get_spec(workload)) == TENDER_NETWORK_PRIVATE) {
		g_autoptr(GError) error = NULL;
		if (!tender_network_manager_release(self->network,
						    tender_workload_get_name(workload),
						    &error))
			g_warning("%s", error->message);
	}
}

/* what a volume or the rootfs key names must be there, at create and import */
static gboolean
tender_scope_runtime_check_path(const gchar *name,
				const gchar *key,
				const gchar *path,
				gboolean dir,
				GError **error)
{
	GStatBuf st;

	if (g_stat(path, &st) == 0 && (!dir || S_ISDIR(st.st_mode)))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Workload '%s': spec key '%s' names '%s', which %s",
		    name,
		    key,
		    path,
		    errno == ENOENT || !dir ? "does not exist" : "is not a directory");
	return FALSE;
}

/* every level; the paths and the image must exist, and the host ports be free */
static gboolean
tender_scope_runtime_check_spec(TenderRuntime *runtime,
				const gchar *name,
				const TenderSpec *spec,
				GError **error)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);
	g_autoptr(TenderScopeImage) image = NULL;

	if (tender_spec_get_network(spec) == TENDER_NETWORK_PRIVATE) {
		if (self->network == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "Workload '%s': this tenderd has no private network",
				    name);
			return FALSE;
		}
		if (!tender_network_manager_check_ports(self->network, name, spec->ports, error))
			return FALSE;
	}
	if (spec->isolation == TENDER_ISOLATION_MINIMAL)
		return TRUE;
	if (spec->rootfs != NULL &&
	    !tender_scope_runtime_check_path(name, "rootfs", spec->rootfs, TRUE, error))
		return FALSE;
	for (guint i = 0; spec->volumes != NULL && i < spec->volumes->len; i++) {
		const TenderSpecVolume *volume = g_ptr_array_index(spec->volumes, i);
		if (!tender_scope_runtime_check_path(name, "volumes", volume->source, FALSE, error))
			return FALSE;
	}
	if (spec->image == NULL)
		return TRUE;
	image = tender_scope_containers_lookup_image(self->containers, spec->image, error);
	return image != NULL;
}

/* the command: an image's Entrypoint and Cmd with the spec's argv */
static gchar **
tender_scope_runtime_resolve_command(TenderRuntime *runtime,
				     const gchar *name,
				     const TenderSpec *spec,
				     GError **error)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);
	return tender_scope_containers_build_command(self->containers, name, spec, error);
}

/* ExecWorkload and the health checks of isolated workloads: tender-nsenter runs the command
 * in the workload's cgroups and namespaces */
static void
tender_scope_runtime_exec_async(TenderRuntime *runtime,
				TenderRuntimeRun *run,
				TenderRuntimeExec *exec,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(runtime);
	TenderWorkload *workload = tender_runtime_run_get_workload(run);
	const TenderSpec *spec = tender_workload_get_spec(workload);
	g_autoptr(TenderScopeImage) image = NULL;
	GError *error = NULL;

	/* the command gets what the workload's own command gets of its image */
	if (spec->image != NULL && spec->isolation != TENDER_ISOLATION_MINIMAL) {
		image = tender_scope_containers_lookup_image(self->containers, spec->image, &error);
		if (image == NULL) {
			g_task_report_error(self,
					    callback,
					    user_data,
					    tender_scope_exec_start,
					    error);
			return;
		}
	}
	if (!tender_scope_exec_prepare(exec, spec, image, &error)) {
		g_task_report_error(self, callback, user_data, tender_scope_exec_start, error);
		return;
	}
	tender_scope_exec_start(self,
				self->nsenter,
				workload,
				exec,
				cancellable,
				callback,
				user_data);
}

static gboolean
tender_scope_runtime_exec_finish(TenderRuntime *runtime, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_scope_runtime_finalize(GObject *object)
{
	TenderScopeRuntime *self = TENDER_SCOPE_RUNTIME(object);
	g_object_unref(self->cgroup);
	g_object_unref(self->containers);
	g_clear_object(&self->systemd);
	g_clear_object(&self->images);
	g_clear_object(&self->network);
	g_object_unref(self->watch);
	g_free(self->shim);
	g_free(self->nsenter);
	g_free(self->exit_dir);
	G_OBJECT_CLASS(tender_scope_runtime_parent_class)->finalize(object);
}

static void
tender_scope_runtime_class_init(TenderScopeRuntimeClass *klass)
{
	TenderRuntimeClass *runtime_class = TENDER_RUNTIME_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = tender_scope_runtime_finalize;
	runtime_class->setup = tender_scope_runtime_setup;
	runtime_class->new_run = tender_scope_runtime_new_run;
	runtime_class->forget_workload = tender_scope_runtime_forget_workload;
	runtime_class->prepare_workload = tender_scope_runtime_prepare_workload;
	runtime_class->check_spec = tender_scope_runtime_check_spec;
	runtime_class->resolve_command = tender_scope_runtime_resolve_command;
	runtime_class->exec_async = tender_scope_runtime_exec_async;
	runtime_class->exec_finish = tender_scope_runtime_exec_finish;
}

static void
tender_scope_runtime_init(TenderScopeRuntime *self)
{
}

/**
 * tender_scope_runtime_set_image_store:
 * @self: a #TenderScopeRuntime
 * @images: the image store, whose images are the root file systems of the spec key "image"
 */
void
tender_scope_runtime_set_image_store(TenderScopeRuntime *self, TenderImageStore *images)
{
	g_return_if_fail(TENDER_IS_SCOPE_RUNTIME(self));
	g_set_object(&self->images, images);
	tender_scope_containers_set_image_store(self->containers, images);
}

/**
 * tender_scope_runtime_get_image_store:
 * @self: a #TenderScopeRuntime
 *
 * Returns: (transfer none) (nullable): the image store, once set
 */
TenderImageStore *
tender_scope_runtime_get_image_store(TenderScopeRuntime *self)
{
	g_return_val_if_fail(TENDER_IS_SCOPE_RUNTIME(self), NULL);
	return self->images;
}

/**
 * tender_scope_runtime_set_network_manager:
 * @self: a #TenderScopeRuntime
 * @network: the private network, which workloads with network "private" join
 */
void
tender_scope_runtime_set_network_manager(TenderScopeRuntime *self, TenderNetworkManager *network)
{
	g_return_if_fail(TENDER_IS_SCOPE_RUNTIME(self));
	g_set_object(&self->network, network);
}

/**
 * tender_scope_runtime_new:
 * @cgroup_root: (nullable): where the cgroup file systems are mounted, /sys/fs/cgroup if
 *	%NULL
 * @system_bus: (nullable): the bus PID 1 is on; without it no scope can be started (for
 *	tests that only read cgroup files)
 * @shim: where tender-shim is; tender-nsenter is installed next to it
 * @state_dir: tenderd's state directory; the shims' exit records go into its "exit", the
 *	container directories into its "containers"
 *
 * Returns: (transfer full): the scope runtime
 */
TenderScopeRuntime *
tender_scope_runtime_new(const gchar *cgroup_root,
			 GDBusConnection *system_bus,
			 const gchar *shim,
			 const gchar *state_dir)
{
	TenderScopeRuntime *self =
	    g_object_new(TENDER_TYPE_SCOPE_RUNTIME, "name", TENDER_RUNTIME_SCOPE, NULL);
	g_autofree gchar *containers = NULL;
	g_autofree gchar *dir = NULL;

	self->cgroup = tender_cgroup_new(cgroup_root);
	self->systemd = system_bus != NULL ? tender_systemd_new(system_bus) : NULL;
	self->shim = g_strdup(shim);
	dir = g_path_get_dirname(shim);
	self->nsenter = g_build_filename(dir, "tender-nsenter", NULL);
	self->exit_dir = g_build_filename(state_dir, "exit", NULL);
	containers = g_build_filename(state_dir, "containers", NULL);
	self->containers = tender_scope_containers_new(containers);
	self->watch = tender_scope_watch_new();
	return self;
}
