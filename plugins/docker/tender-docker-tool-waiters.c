/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-tool-waiters.h"

/*
 * The calls that wait for a tool run (execute, cancel): each a GTask, answered once its run
 * has started or ended.  A task's cancellable stops its waiting (G_IO_ERROR_CANCELLED), not
 * the run.  The owner of the waiters must live as long as they do: their tasks' source
 * object does.
 */

typedef struct {
	TenderDockerToolWaiters *owner;
	GTask *task;
	TenderDockerTool *tool;
	TenderDockerToolWait kind;
	GCancellable *cancellable;
	gulong cancelled_id;
} TenderDockerToolWaiter;

struct _TenderDockerToolWaiters {
	GPtrArray *waiters; /* of TenderDockerToolWaiter */
};

static void
tender_docker_tool_waiter_free(TenderDockerToolWaiter *waiter)
{
	if (waiter->cancelled_id != 0)
		g_cancellable_disconnect(waiter->cancellable, waiter->cancelled_id);
	g_clear_object(&waiter->cancellable);
	g_clear_object(&waiter->task);
	g_object_unref(waiter->tool);
	g_free(waiter);
}

TenderDockerToolWaiters *
tender_docker_tool_waiters_new(void)
{
	TenderDockerToolWaiters *self = g_new0(TenderDockerToolWaiters, 1);

	self->waiters =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_tool_waiter_free);
	return self;
}

void
tender_docker_tool_waiters_free(TenderDockerToolWaiters *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->waiters);
	g_free(self);
}

static void
tender_docker_tool_waiter_answer(TenderDockerToolWaiter *waiter)
{
	TenderDockerToolStatus status = tender_docker_tool_get_status(waiter->tool);

	if (waiter->kind != TENDER_DOCKER_TOOL_WAIT_CANCEL) {
		g_task_return_pointer(waiter->task, g_object_ref(waiter->tool), g_object_unref);
	} else if (status == TENDER_DOCKER_TOOL_STATUS_CANCELLED) {
		g_task_return_boolean(waiter->task, TRUE);
	} else {
		g_task_return_new_error(waiter->task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Tool run %s ended (%s) before it could be cancelled",
					tender_docker_tool_get_id(waiter->tool),
					tender_docker_tool_status_to_string(status));
	}
}

/**
 * tender_docker_tool_waiters_answer:
 * @self: the waiters
 * @tool: a run
 * @ended: whether it has ended (else it has started)
 *
 * Answers the calls that wait for @tool: those waiting for its start, or all once it has
 * ended.
 */
void
tender_docker_tool_waiters_answer(TenderDockerToolWaiters *self,
				  TenderDockerTool *tool,
				  gboolean ended)
{
	g_autoptr(GPtrArray) answered =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_tool_waiter_free);

	for (guint i = 0; i < self->waiters->len;) {
		TenderDockerToolWaiter *waiter = g_ptr_array_index(self->waiters, i);
		if (waiter->tool == tool &&
		    (ended || waiter->kind == TENDER_DOCKER_TOOL_WAIT_STARTED)) {
			g_ptr_array_add(answered, g_ptr_array_steal_index(self->waiters, i));
			continue;
		}
		i++;
	}
	/* the callbacks may ask for more: the waiters are out of the list first */
	for (guint i = 0; i < answered->len; i++)
		tender_docker_tool_waiter_answer(g_ptr_array_index(answered, i));
}

typedef struct {
	TenderDockerToolWaiters *self;
	GTask *task; /* keeps its source object, the owner of the waiters, alive */
} TenderDockerToolWaiterCancel;

static gboolean
tender_docker_tool_waiter_cancelled_idle(gpointer user_data)
{
	g_autofree TenderDockerToolWaiterCancel *cancel = user_data;
	g_autoptr(GTask) task = cancel->task;
	GPtrArray *waiters = cancel->self->waiters;

	for (guint i = 0; i < waiters->len; i++) {
		TenderDockerToolWaiter *waiter = g_ptr_array_index(waiters, i);
		if (waiter->task == task) {
			g_ptr_array_remove_index(waiters, i);
			(void)g_task_return_error_if_cancelled(task);
			break;
		}
	}
	return G_SOURCE_REMOVE;
}

static void
tender_docker_tool_waiter_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	TenderDockerToolWaiter *waiter = user_data;
	TenderDockerToolWaiterCancel *cancel = g_new0(TenderDockerToolWaiterCancel, 1);

	/* not here: the handler cannot be disconnected from within */
	cancel->self = waiter->owner;
	cancel->task = g_object_ref(waiter->task);
	g_idle_add(tender_docker_tool_waiter_cancelled_idle, cancel);
}

/**
 * tender_docker_tool_waiters_add:
 * @self: the waiters
 * @task: a call's task, whose source object owns @self
 * @tool: the run it waits for
 * @kind: what for
 */
void
tender_docker_tool_waiters_add(TenderDockerToolWaiters *self,
			       GTask *task,
			       TenderDockerTool *tool,
			       TenderDockerToolWait kind)
{
	TenderDockerToolWaiter *waiter = g_new0(TenderDockerToolWaiter, 1);
	GCancellable *cancellable = g_task_get_cancellable(task);

	waiter->owner = self;
	waiter->task = g_object_ref(task);
	waiter->tool = g_object_ref(tool);
	waiter->kind = kind;
	g_ptr_array_add(self->waiters, waiter);
	if (cancellable != NULL) {
		waiter->cancellable = g_object_ref(cancellable);
		waiter->cancelled_id =
		    g_cancellable_connect(cancellable,
					  G_CALLBACK(tender_docker_tool_waiter_cancelled_cb),
					  waiter,
					  NULL);
	}
}
