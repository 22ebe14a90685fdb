/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include "tender-runtime-exec.h"

/**
 * tender_runtime_exec_new:
 *
 * Returns: (transfer full): a request without a command, no descriptors, the default
 *   max_output, and no answer yet
 */
TenderRuntimeExec *
tender_runtime_exec_new(void)
{
	TenderRuntimeExec *self = g_new0(TenderRuntimeExec, 1);
	self->max_output = TENDER_RUNTIME_EXEC_OUTPUT_DEFAULT;
	self->stdin_fd = -1;
	self->stdout_fd = -1;
	self->stderr_fd = -1;
	self->exit_code = -1;
	self->out = g_byte_array_new();
	self->err = g_byte_array_new();
	return self;
}

/**
 * tender_runtime_exec_new_for_spec:
 * @spec: the spec of the workload the command is to run in
 * @error: (nullable): a #GError
 *
 * A command in a workload gets what the workload's own processes get of its spec: its user,
 * group and capabilities, its environment, its seccomp filter if it is strict, and its working
 * directory (left to the runtime).  ExecWorkload and the health checks of isolated workloads
 * start from this.
 *
 * Returns: (transfer full): a request without a command, or %NULL if the spec's user or group
 *   cannot be resolved
 */
TenderRuntimeExec *
tender_runtime_exec_new_for_spec(const TenderSpec *spec, GError **error)
{
	g_autoptr(TenderRuntimeExec) self = tender_runtime_exec_new();

	self->strict = spec->isolation == TENDER_ISOLATION_STRICT;
	self->identity = tender_identity_new_from_spec(spec, error);
	if (self->identity == NULL)
		return NULL;
	self->envp = tender_identity_build_environ(self->identity, spec);
	return g_steal_pointer(&self);
}

/**
 * tender_runtime_exec_report_started:
 * @self: a #TenderRuntimeExec
 * @pid: the command's process, as the host sees it
 *
 * The runtime says the command runs: the answer gets @pid, and the request's started is
 * told, once; later reports are ignored.
 */
void
tender_runtime_exec_report_started(TenderRuntimeExec *self, guint32 pid)
{
	g_return_if_fail(pid > 0);
	if (self->pid != 0)
		return;
	self->pid = pid;
	if (self->started != NULL)
		self->started(pid, self->started_data);
}

static void
tender_runtime_exec_close(gint *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/**
 * tender_runtime_exec_free:
 * @self: (nullable): a #TenderRuntimeExec
 *
 * Frees it, and closes the caller's descriptors it still holds.
 */
void
tender_runtime_exec_free(TenderRuntimeExec *self)
{
	if (self == NULL)
		return;
	g_strfreev(self->argv);
	g_strfreev(self->envp);
	g_strfreev(self->env);
	g_free(self->working_directory);
	tender_identity_free(self->identity);
	g_clear_pointer(&self->stdin_data, g_bytes_unref);
	tender_runtime_exec_close(&self->stdin_fd);
	tender_runtime_exec_close(&self->stdout_fd);
	tender_runtime_exec_close(&self->stderr_fd);
	g_byte_array_unref(self->out);
	g_byte_array_unref(self->err);
	g_free(self);
}
