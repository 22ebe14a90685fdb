/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tender-authority.h"
#include "tender-caller.h"
#include "tender-error.h"

/*
 * TenderAuthority decides whether a subject may do what it asks, for every front-end alike:
 * the D-Bus API and the HTTP mirror ask it with the same action for the same method.  root
 * (and the user tenderd runs as) is always allowed without asking anyone; everyone else is
 * allowed if polkit says so (org.freedesktop.PolicyKit1.Authority.CheckAuthorization on the
 * system bus, asynchronously), and refused when polkit refuses, cannot be reached or does not
 * answer in time.  Nothing is cached, so that a change of polkit rules applies to the next
 * call; polkit itself remembers an auth_admin_keep authentication for a few minutes.
 */

/* how long polkitd may take: it answers at once unless it asks a person for a password */
#define TENDER_AUTHORITY_TIMEOUT_MS		25000
#define TENDER_AUTHORITY_INTERACTIVE_TIMEOUT_MS (5 * 60 * 1000)

/* CheckAuthorization's flag: polkit may ask the subject's authentication agent */
#define TENDER_AUTHORITY_POLKIT_ALLOW_USER_INTERACTION 1u

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

/**
 * tender_authority_subject_copy:
 * @subject: a subject
 *
 * Returns: (transfer full): a copy of @subject
 */
TenderAuthoritySubject *
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

/**
 * tender_authority_subject_set_uid:
 * @subject: a subject
 * @uid: its uid, as the bus or the kernel says
 *
 * Records the uid of a subject known by bus name, for tender_caller_get_uid().
 */
void
tender_authority_subject_set_uid(TenderAuthoritySubject *subject, guint32 uid)
{
	subject->uid = uid;
}

/**
 * tender_caller_get_uid:
 * @caller: a caller
 *
 * Returns: the uid the caller runs as (a D-Bus client's, from the bus; an HTTP client's,
 *   from its socket or its token)
 *
 * Since: 0.1
 */
guint32
tender_caller_get_uid(const TenderCaller *caller)
{
	g_return_val_if_fail(caller != NULL, G_MAXUINT32);
	return caller->uid;
}

/**
 * tender_caller_to_string:
 * @caller: a caller
 *
 * Returns: (transfer full): a description for logs, e.g. "uid 1000 (pid 4242)"
 *
 * Since: 0.1
 */
gchar *
tender_caller_to_string(const TenderCaller *caller)
{
	g_return_val_if_fail(caller != NULL, NULL);
	if (caller->kind == TENDER_AUTHORITY_SUBJECT_BUS_NAME && caller->uid != G_MAXUINT32)
		return g_strdup_printf("uid %u (bus name %s)", caller->uid, caller->bus_name);
	return tender_authority_subject_to_string(caller);
}

struct _TenderAuthority {
	GObject parent_instance;
	GDBusConnection *bus;	     /* where callers by bus name are */
	GDBusConnection *polkit_bus; /* the system bus, where polkitd is; NULL: no polkit */
	/* unique bus name → its uid: a unique name is one connection's, with one set of
	 * credentials, and the bus never gives it to another, so what the bus said stays true */
	GHashTable *uids;
};

/* the unique names whose uid is kept; past it, the cache starts again */
#define TENDER_AUTHORITY_UIDS_MAX 1024

G_DEFINE_TYPE(TenderAuthority, tender_authority, G_TYPE_OBJECT)

typedef struct {
	TenderAuthoritySubject *subject;
	gchar *action_id;
	GHashTable *details; /* owned copy, or NULL */
	gboolean allow_interaction;
	guint32 uid;	       /* the subject's, once known */
	GSubprocess *stand_in; /* a uid subject's stand-in process, see below */
	GCancellable *cancellable;
} TenderAuthorityCheck;

static void
tender_authority_check_free(TenderAuthorityCheck *check)
{
	if (check->stand_in != NULL) {
		/* it has done its part: end it, and reap it without waiting here */
		g_subprocess_force_exit(check->stand_in);
		g_subprocess_wait_async(check->stand_in, NULL, NULL, NULL);
		g_object_unref(check->stand_in);
	}
	tender_authority_subject_free(check->subject);
	g_free(check->action_id);
	if (check->details != NULL)
		g_hash_table_unref(check->details);
	g_clear_object(&check->cancellable);
	g_free(check);
}

/* what the action lets one do: org.tender.OBJECT.read is "inspect", the others "manage" (and
 * exec "run commands in") */
static const gchar *
tender_authority_action_verb(const gchar *action_id)
{
	if (g_str_has_suffix(action_id, ".read"))
		return "inspect";
	return g_str_has_suffix(action_id, ".exec") ? "run commands in" : "manage";
}

/* what it is about: org.tender.OBJECT.VERB's OBJECT (the Docker plugin's are its containers) */
static gchar *
tender_authority_action_object(const gchar *action_id)
{
	const gchar *start = action_id;
	const gchar *end;

	if (g_str_has_prefix(action_id, "org.tender."))
		start += strlen("org.tender.");
	end = strrchr(start, '.');
	if (end == NULL || end == start)
		return g_strdup("tender");
	if (g_str_has_prefix(start, "docker."))
		return g_strdup("Docker containers");
	return g_strndup(start, (gsize)(end - start));
}

static void
tender_authority_deny(GTask *task, const gchar *why)
{
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	g_autofree gchar *object = tender_authority_action_object(check->action_id);

	g_task_return_new_error(task,
				TENDER_ERROR,
				TENDER_ERROR_ACCESS_DENIED,
				"Not authorized to %s %s (polkit action %s): %s",
				tender_authority_action_verb(check->action_id),
				object,
				check->action_id,
				why);
}

static void
tender_authority_check_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result_details = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *who = NULL;
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	gboolean authorized = FALSE;
	gboolean challenge = FALSE;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	who = tender_authority_subject_to_string(check->subject);
	if (reply == NULL) {
		g_autofree gchar *why = NULL;
		g_autofree gchar *remote = g_dbus_error_get_remote_error(error);
		g_dbus_error_strip_remote_error(error);
		if (g_str_has_prefix(remote, "org.freedesktop.PolicyKit1.Error.")) {
			/* polkitd answered, with an error: e.g. "No authentication agent found." */
			g_info("polkit refuses %s to %s: %s",
			       who,
			       check->action_id,
			       error->message);
			why = g_strdup_printf("polkit refused (%s)", error->message);
			tender_authority_deny(task, why);
			return;
		}
		g_warning("polkit did not decide on %s for %s, refusing: %s",
			  check->action_id,
			  who,
			  error->message);
		why = g_strdup_printf("polkit could not be asked (%s)", error->message);
		tender_authority_deny(task, why);
		return;
	}
	g_variant_get(reply, "((bb@a{ss}))", &authorized, &challenge, &result_details);
	if (authorized) {
		g_debug("polkit allows %s to %s", who, check->action_id);
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_info("polkit refuses %s to %s", who, check->action_id);
	if (challenge && !check->allow_interaction) {
		tender_authority_deny(task,
				      "authentication is required, and the call did not allow "
				      "interactive authorization (tenderctl does, in a session "
				      "with a polkit agent)");
		return;
	}
	tender_authority_deny(task, "polkit does not allow it");
}

/* asks polkitd; the subject is (sa{sv}) as CheckAuthorization takes it */
static void
tender_authority_ask_polkit(TenderAuthority *self, GTask *task, GVariant *subject)
{
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	GVariantBuilder details;
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_variant_builder_init(&details, G_VARIANT_TYPE("a{ss}"));
	if (check->details != NULL) {
		g_hash_table_iter_init(&iter, check->details);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_variant_builder_add(&details, "{ss}", key, value);
	}
	g_dbus_connection_call(self->polkit_bus,
			       "org.freedesktop.PolicyKit1",
			       "/org/freedesktop/PolicyKit1/Authority",
			       "org.freedesktop.PolicyKit1.Authority",
			       "CheckAuthorization",
			       g_variant_new("(@(sa{sv})sa{ss}us)",
					     subject,
					     check->action_id,
					     &details,
					     check->allow_interaction
						 ? TENDER_AUTHORITY_POLKIT_ALLOW_USER_INTERACTION
						 : 0u,
					     ""),
			       G_VARIANT_TYPE("((bba{ss}))"),
			       G_DBUS_CALL_FLAGS_NONE,
			       /* a person may take a while to type a password */
			       check->allow_interaction ? TENDER_AUTHORITY_INTERACTIVE_TIMEOUT_MS
							: TENDER_AUTHORITY_TIMEOUT_MS,
			       check->cancellable,
			       tender_authority_check_cb,
			       task);
}

/* field 22 of /proc/PID/stat: when the process started, in clock ticks since boot */
static gboolean
tender_authority_process_start_time(GPid pid, guint64 *start_time, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/stat", (gint)pid);
	g_autofree gchar *stat = NULL;
	g_auto(GStrv) fields = NULL;
	const gchar *after_comm;

	if (!g_file_get_contents(path, &stat, NULL, error))
		return FALSE;
	/* the command name (field 2) may hold spaces and parentheses: skip to its last ')' */
	after_comm = strrchr(stat, ')');
	if (after_comm == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s cannot be parsed", path);
		return FALSE;
	}
	/* after_comm + 2 is field 3, so field 22 is its 20th */
	fields = g_strsplit(after_comm + 2, " ", 21);
	if (g_strv_length(fields) < 21 ||
	    !g_ascii_string_to_unsigned(fields[19], 10, 0, G_MAXUINT64, start_time, NULL)) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s cannot be parsed", path);
		return FALSE;
	}
	return TRUE;
}

static void
tender_authority_ask_for_process(TenderAuthority *self, GTask *task, GPid pid, guint32 uid)
{
	GVariantBuilder subject;
	guint64 start_time = 0;
	g_autoptr(GError) error = NULL;

	if (!tender_authority_process_start_time(pid, &start_time, &error)) {
		g_autofree gchar *why =
		    g_strdup_printf("its process cannot be identified (%s)", error->message);
		tender_authority_deny(task, why);
		g_object_unref(task);
		return;
	}
	g_variant_builder_init(&subject, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&subject, "{sv}", "pid", g_variant_new_uint32((guint32)pid));
	g_variant_builder_add(&subject, "{sv}", "start-time", g_variant_new_uint64(start_time));
	g_variant_builder_add(&subject, "{sv}", "uid", g_variant_new_int32((gint32)uid));
	tender_authority_ask_polkit(self,
				    task,
				    g_variant_new("(s@a{sv})",
						  "unix-process",
						  g_variant_builder_end(&subject)));
}

/*
 * A user known only by uid (an HTTP client on TCP, by its bearer token) has no process polkit
 * could look at, and polkit has no subject for a bare uid: its subjects are a process, a
 * session or a bus name, all of them things that exist on this host.  Passing tenderd's own
 * process with a claimed uid would ask polkit to believe a uid its own checks of the process
 * contradict.  Instead tenderd starts a stand-in: a process that runs as that uid (setpriv
 * --reuid, no groups, so it holds nothing of the user's but the uid) and does nothing but wait
 * for its stdin to close.  polkit then sees what it expects, a unix-process of that uid, in no
 * login session: the allow_any defaults apply (a remote user is not at the console), and rules
 * decide on the user as they would for any process of theirs (subject.user, isInGroup: polkit
 * takes the groups from the user database, not from the process).  The stand-in reports
 * "ready" only after it has dropped to the uid, so polkit never sees it as root, and it ends as
 * soon as polkit has answered.
 */
static void
tender_authority_stand_in_ready_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	TenderAuthority *self = g_task_get_source_object(task);
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) line = NULL;
	const gchar *pid_text;

	line = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (line == NULL || g_bytes_get_size(line) < 6 ||
	    memcmp(g_bytes_get_data(line, NULL), "ready\n", 6) != 0) {
		g_autofree gchar *why =
		    g_strdup_printf("no process could be started as uid %u to stand in for it (%s)",
				    check->uid,
				    error != NULL ? error->message : "it did not get ready");
		tender_authority_deny(task, why);
		g_object_unref(task);
		return;
	}
	pid_text = g_subprocess_get_identifier(check->stand_in);
	tender_authority_ask_for_process(self, task, (GPid)atoi(pid_text), check->uid);
}

static void
tender_authority_ask_for_uid(TenderAuthority *self, GTask *task)
{
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *reuid = g_strdup_printf("--reuid=%u", check->uid);
	g_autofree gchar *why = NULL;

	check->stand_in =
	    g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
			     &error,
			     "setpriv",
			     reuid,
			     "--regid=65534",
			     "--clear-groups",
			     "--",
			     "/bin/sh",
			     "-c",
			     "echo ready && exec cat >/dev/null",
			     NULL);
	if (check->stand_in != NULL) {
		g_input_stream_read_bytes_async(g_subprocess_get_stdout_pipe(check->stand_in),
						6,
						G_PRIORITY_DEFAULT,
						check->cancellable,
						tender_authority_stand_in_ready_cb,
						task);
		return;
	}
	why = g_strdup_printf("no process could be started as uid %u to stand in for it (%s)",
			      check->uid,
			      error->message);
	tender_authority_deny(task, why);
	g_object_unref(task);
}

/* root and tenderd's own user are always allowed; the others are polkit's to decide */
static void
tender_authority_decide(GTask *task)
{
	TenderAuthority *self = g_task_get_source_object(task);
	TenderAuthorityCheck *check = g_task_get_task_data(task);

	if (check->uid == 0 || check->uid == (guint32)getuid()) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	if (self->polkit_bus == NULL ||
	    (check->subject->kind == TENDER_AUTHORITY_SUBJECT_BUS_NAME &&
	     self->bus != self->polkit_bus)) {
		tender_authority_deny(task,
				      "tenderd does not serve the system bus, so polkit cannot "
				      "vouch for the caller, and only root and tenderd's own user "
				      "are allowed");
		g_object_unref(task);
		return;
	}
	switch (check->subject->kind) {
	case TENDER_AUTHORITY_SUBJECT_BUS_NAME: {
		GVariantBuilder subject;
		g_variant_builder_init(&subject, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&subject,
				      "{sv}",
				      "name",
				      g_variant_new_string(check->subject->bus_name));
		tender_authority_ask_polkit(self,
					    task,
					    g_variant_new("(s@a{sv})",
							  "system-bus-name",
							  g_variant_builder_end(&subject)));
		return;
	}
	case TENDER_AUTHORITY_SUBJECT_PROCESS:
		tender_authority_ask_for_process(self, task, check->subject->pid, check->uid);
		return;
	case TENDER_AUTHORITY_SUBJECT_UID:
	default:
		tender_authority_ask_for_uid(self, task);
		return;
	}
}

static void
tender_authority_uid_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	TenderAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		g_autofree gchar *why = NULL;
		g_dbus_error_strip_remote_error(error);
		why = g_strdup_printf("the bus does not know the caller (%s)", error->message);
		tender_authority_deny(task, why);
		g_object_unref(task);
		return;
	}
	g_variant_get(reply, "(u)", &check->uid);
	if (check->subject->bus_name[0] == ':') {
		TenderAuthority *self = g_task_get_source_object(task);
		if (g_hash_table_size(self->uids) >= TENDER_AUTHORITY_UIDS_MAX)
			g_hash_table_remove_all(self->uids);
		g_hash_table_insert(self->uids,
				    g_strdup(check->subject->bus_name),
				    GUINT_TO_POINTER(check->uid + 1));
	}
	tender_authority_decide(task);
}

/**
 * tender_authority_check_async:
 * @self: a #TenderAuthority
 * @subject: who asks
 * @action_id: what for, e.g. %TENDER_AUTHORITY_ACTION_MANAGE
 * @details: (nullable): gchar* → gchar*, for rules to decide on (see
 *   tender_engine_get_call_details())
 * @allow_interaction: whether the subject may be asked to authenticate (only when the caller
 *   asked for it, e.g. with the D-Bus flag ALLOW_INTERACTIVE_AUTHORIZATION)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the decision
 * @user_data: for @callback
 *
 * Decides, without blocking, whether @subject may do @action_id: root and the user tenderd
 * runs as are always allowed; anyone else is allowed only if polkit says so, and denied when
 * polkit cannot be asked (fail closed).  No decision is cached: every call asks polkit again,
 * so a change of rules applies to the next call; only a unique bus name's uid is kept.
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
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	TenderAuthorityCheck *check = g_new0(TenderAuthorityCheck, 1);
	guint cached;

	g_return_if_fail(TENDER_IS_AUTHORITY(self));
	g_task_set_source_tag(task, tender_authority_check_async);
	check->subject = tender_authority_subject_copy(subject);
	check->action_id = g_strdup(action_id);
	if (details != NULL)
		check->details = g_hash_table_ref(details);
	check->allow_interaction = allow_interaction;
	check->uid = subject->uid;
	if (cancellable != NULL)
		check->cancellable = g_object_ref(cancellable);
	g_task_set_task_data(task, check, (GDestroyNotify)tender_authority_check_free);
	if (subject->kind != TENDER_AUTHORITY_SUBJECT_BUS_NAME) {
		tender_authority_decide(task);
		return;
	}
	cached = GPOINTER_TO_UINT(g_hash_table_lookup(self->uids, subject->bus_name));
	if (cached != 0) {
		check->uid = cached - 1;
		tender_authority_decide(task);
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
			       task);
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

/**
 * tender_authority_check_get_uid:
 * @self: a #TenderAuthority
 * @res: the result of a check
 *
 * Who asked, as the check found out (a bus name's uid is asked of the bus once, here, so that
 * front-ends need not ask again).
 *
 * Returns: the subject's uid, or %G_MAXUINT32 if it is not known
 */
guint32
tender_authority_check_get_uid(TenderAuthority *self, GAsyncResult *res)
{
	TenderAuthorityCheck *check;

	g_return_val_if_fail(g_task_is_valid(res, self), G_MAXUINT32);
	check = g_task_get_task_data(G_TASK(res));
	return check != NULL ? check->uid : G_MAXUINT32;
}

static void
tender_authority_finalize(GObject *object)
{
	TenderAuthority *self = TENDER_AUTHORITY(object);
	g_clear_object(&self->bus);
	g_clear_object(&self->polkit_bus);
	g_hash_table_unref(self->uids);
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
	self->uids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * tender_authority_new:
 * @bus: the bus callers by bus name are on (the one tenderd serves)
 * @polkit_bus: (nullable): the system bus, where polkitd is, or %NULL to ask no one (then
 *   only root and tenderd's own user are allowed)
 *
 * tenderd makes one authority and hands it to every front-end and plugin.  polkit is asked
 * about bus names only when @bus is @polkit_bus: a name on another bus (a session or private
 * bus, where anyone may own any name) means nothing to polkitd.  Processes (HTTP over the unix
 * socket) and users (HTTP with a token) are asked about on @polkit_bus whatever @bus is.
 *
 * Returns: (transfer full): a #TenderAuthority
 */
TenderAuthority *
tender_authority_new(GDBusConnection *bus, GDBusConnection *polkit_bus)
{
	TenderAuthority *self = g_object_new(TENDER_TYPE_AUTHORITY, NULL);
	self->bus = g_object_ref(bus);
	if (polkit_bus != NULL)
		self->polkit_bus = g_object_ref(polkit_bus);
	return self;
}
