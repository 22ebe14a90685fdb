/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include "tender-authority.h"
#include "tender-error.h"

/*
 * TenderAuthority decides whether a subject may do what it asks, for every front-end alike:
 * the D-Bus API and the HTTP mirror ask it with the same action for the same method.  root
 * (and the user tenderd runs as) is always allowed.
 */

typedef enum {
	TENDER_AUTHORITY_SUBJECT_BUS_NAME,
	TENDER_AUTHORITY_SUBJECT_PROCESS,
	TENDER_AUTHORITY_SUBJECT_UID,
} TenderAuthoritySubjectKind;

struct _TenderAuthoritySubject {
	TenderAuthoritySubjectKind kind;
	gchar *bus_name;
	GPid pid;
	guint32 uid;
};

/**
 * tender_authority_subject_new_bus_name:
 * @bus_name: the unique name of a caller on the system bus
 *
 * Returns: (transfer full): a subject
 */
TenderAuthoritySubject *
tender_authority_subject_new_bus_name(const gchar *bus_name)
{
	TenderAuthoritySubject *subject = g_new0(TenderAuthoritySubject, 1);
	subject->kind = TENDER_AUTHORITY_SUBJECT_BUS_NAME;
	subject->bus_name = g_strdup(bus_name);
	subject->uid = G_MAXUINT32;
	return subject;
}

/**
 * tender_authority_subject_new_process:
 * @pid: a local process
 * @uid: its uid, as the kernel said (SO_PEERCRED)
 *
 * Returns: (transfer full): a subject
 */
TenderAuthoritySubject *
tender_authority_subject_new_process(GPid pid, guint32 uid)
{
	TenderAuthoritySubject *subject = g_new0(TenderAuthoritySubject, 1);
	subject->kind = TENDER_AUTHORITY_SUBJECT_PROCESS;
	subject->pid = pid;
	subject->uid = uid;
	return subject;
}

/**
 * tender_authority_subject_new_uid:
 * @uid: a user, e.g. the one a bearer token stands for
 *
 * Returns: (transfer full): a subject
 */
TenderAuthoritySubject *
tender_authority_subject_new_uid(guint32 uid)
{
	TenderAuthoritySubject *subject = g_new0(TenderAuthoritySubject, 1);
	subject->kind = TENDER_AUTHORITY_SUBJECT_UID;
	subject->uid = uid;
	return subject;
}

/**
 * tender_authority_subject_free:
 * @subject: (nullable): a subject
 */
void
tender_authority_subject_free(TenderAuthoritySubject *subject)
{
	if (subject == NULL)
		return;
	g_free(subject->bus_name);
	g_free(subject);
}

static TenderAuthoritySubject *
tender_authority_subject_copy(const TenderAuthoritySubject *subject)
{
	TenderAuthoritySubject *copy = g_memdup2(subject, sizeof(*subject));
	copy->bus_name = g_strdup(subject->bus_name);
	return copy;
}

/**
 * tender_authority_subject_to_string:
 * @subject: a subject
 *
 * Returns: (transfer full): a description for the journal, e.g. "uid 1000 (pid 4242)"
 */
gchar *
tender_authority_subject_to_string(const TenderAuthoritySubject *subject)
{
	switch (subject->kind) {
	case TENDER_AUTHORITY_SUBJECT_BUS_NAME:
		return g_strdup_printf("bus name %s", subject->bus_name);
	case TENDER_AUTHORITY_SUBJECT_PROCESS:
		return g_strdup_printf("uid %u (pid %d)", subject->uid, (gint)subject->pid);
	case TENDER_AUTHORITY_SUBJECT_UID:
	default:
		return g_strdup_printf("uid %u", subject->uid);
	}
}

struct _TenderAuthority {
	GObject parent_instance;
	GDBusConnection *bus; /* where callers by bus name are */
};

G_DEFINE_TYPE(TenderAuthority, tender_authority, G_TYPE_OBJECT)

static const struct {
	const gchar *method;
	const gchar *action;
} tender_authority_methods[] = {
    {"ListWorkloads", TENDER_AUTHORITY_ACTION_READ},
    {"GetWorkload", TENDER_AUTHORITY_ACTION_READ},
    {"GetLogs", TENDER_AUTHORITY_ACTION_READ},
    {"FollowLogs", TENDER_AUTHORITY_ACTION_READ},
    {"GetMetrics", TENDER_AUTHORITY_ACTION_READ},
    {"ExportWorkload", TENDER_AUTHORITY_ACTION_READ},
    {"CreateWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"StartWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"StopWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"KillWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"RemoveWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"PauseWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"ResumeWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"ImportWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
};

/**
 * tender_authority_action_for_method:
 * @method: a Manager method name, e.g. "StartWorkload"
 *
 * The polkit action a method needs, the same whichever front-end it came through.
 *
 * Returns: the action id, or %NULL for a method that is not known (refuse it)
 */
const gchar *
tender_authority_action_for_method(const gchar *method)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_authority_methods); i++) {
		if (g_strcmp0(method, tender_authority_methods[i].method) == 0)
			return tender_authority_methods[i].action;
	}
	return NULL;
}

typedef struct {
	TenderAuthoritySubject *subject;
	gchar *action_id;
} TenderAuthorityCheck;

static void
tender_authority_check_free(TenderAuthorityCheck *check)
{
	tender_authority_subject_free(check->subject);
	g_free(check->action_id);
	g_free(check);
}

static void
tender_authority_decide(GTask *task, guint32 uid)
{
	TenderAuthorityCheck *check = g_task_get_task_data(task);

	if (uid == 0 || uid == (guint32)getuid()) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_task_return_new_error(task,
				TENDER_ERROR,
				TENDER_ERROR_ACCESS_DENIED,
				"Not authorized to %s workloads",
				g_strcmp0(check->action_id, TENDER_AUTHORITY_ACTION_READ) == 0
				    ? "inspect"
				    : "manage");
}

static void
tender_authority_uid_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GVariant) reply = NULL;
	guint32 uid = G_MAXUINT32;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(u)", &uid);
	tender_authority_decide(task, uid);
}

/**
 * tender_authority_check_async:
 * @self: a #TenderAuthority
 * @subject: who asks
 * @action_id: what for, e.g. %TENDER_AUTHORITY_ACTION_MANAGE
 * @details: (nullable): gchar* → gchar*, for rules to decide on (workload name, command line)
 * @allow_interaction: whether the subject may be asked to authenticate
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the decision
 * @user_data: for @callback
 *
 * Decides, without blocking, whether @subject may do @action_id.
 */
void
tender_authority_check_async(TenderAuthority *self,
			     const TenderAuthoritySubject *subject,
			     const gchar *action_id,
			     GHashTable *details,
			     gboolean allow_interaction,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderAuthorityCheck *check = g_new0(TenderAuthorityCheck, 1);

	g_return_if_fail(TENDER_IS_AUTHORITY(self));
	g_task_set_source_tag(task, tender_authority_check_async);
	check->subject = tender_authority_subject_copy(subject);
	check->action_id = g_strdup(action_id);
	g_task_set_task_data(task, check, (GDestroyNotify)tender_authority_check_free);
	if (subject->kind != TENDER_AUTHORITY_SUBJECT_BUS_NAME) {
		tender_authority_decide(task, subject->uid);
		return;
	}
	g_dbus_connection_call(self->bus,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "GetConnectionUnixUser",
			       g_variant_new("(s)", subject->bus_name),
			       G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       cancellable,
			       tender_authority_uid_cb,
			       g_steal_pointer(&task));
}

/**
 * tender_authority_check_finish:
 * @self: a #TenderAuthority
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if allowed; %FALSE with %TENDER_ERROR_ACCESS_DENIED if not
 */
gboolean
tender_authority_check_finish(TenderAuthority *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_authority_finalize(GObject *object)
{
	TenderAuthority *self = TENDER_AUTHORITY(object);
	g_clear_object(&self->bus);
	G_OBJECT_CLASS(tender_authority_parent_class)->finalize(object);
}

static void
tender_authority_class_init(TenderAuthorityClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_authority_finalize;
}

static void
tender_authority_init(TenderAuthority *self)
{
}

/**
 * tender_authority_new:
 * @bus: the bus callers by bus name are on
 *
 * Returns: (transfer full): a #TenderAuthority
 */
TenderAuthority *
tender_authority_new(GDBusConnection *bus)
{
	TenderAuthority *self = g_object_new(TENDER_TYPE_AUTHORITY, NULL);
	self->bus = g_object_ref(bus);
	return self;
}
