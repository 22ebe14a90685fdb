/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-request.h"

/*
 * TenderRequest is one call, whatever front-end it came through: who asks (the subject, and
 * whether they may be asked to authenticate), what they ask for (a Manager method, or a
 * service's or a plugin's method with its action), and what polkit rules may decide on.  The D-Bus
 * daemon and the HTTP mirror both build one and authorize it here, so that a rule sees the same
 * action and the same details for the same call over either.
 */

struct _TenderRequest {
	GObject parent_instance;
	TenderAuthoritySubject *subject;
	gboolean interactive;
	gchar *method;
	const gchar *action; /* static: from the method table, or interned */
	gchar *workload;
	GVariant *spec;	   /* CreateWorkload's a{sv} */
	gchar *json;	   /* ImportWorkload's document */
	GHashTable *extra; /* gchar* → gchar*: details that are not the engine's */
};

G_DEFINE_TYPE(TenderRequest, tender_request, G_TYPE_OBJECT)

/* every method of the Manager and the polkit action it needs, whichever front-end it came
 * through; services declare their own (tender-service.c) */
static const struct {
	const gchar *method;
	const gchar *action;
} tender_request_methods[] = {
    {"ListWorkloads", TENDER_AUTHORITY_ACTION_READ},
    {"GetWorkload", TENDER_AUTHORITY_ACTION_READ},
    {"GetLogs", TENDER_AUTHORITY_ACTION_READ},
    {"FollowLogs", TENDER_AUTHORITY_ACTION_READ},
    {"GetMetrics", TENDER_AUTHORITY_ACTION_READ},
    {"ExportWorkload", TENDER_AUTHORITY_ACTION_READ},
    {"ListPlugins", TENDER_AUTHORITY_ACTION_READ},
    {"CreateWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"StartWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"StopWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"KillWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"RemoveWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"PauseWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"ResumeWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"ImportWorkload", TENDER_AUTHORITY_ACTION_MANAGE},
    {"ExecWorkload", TENDER_AUTHORITY_ACTION_EXEC},
    /* the adapter instances; their own methods are a service (tender-adapter-service.c) */
    {"ListAdapters", TENDER_AUTHORITY_ACTION_ADAPTERS_READ},
    /* the image store; the first argument of its calls is an image's name */
    {"ListImages", TENDER_AUTHORITY_ACTION_IMAGES_READ},
    {"ImportImage", TENDER_AUTHORITY_ACTION_IMAGES_MANAGE},
    {"RemoveImage", TENDER_AUTHORITY_ACTION_IMAGES_MANAGE},
};

/**
 * tender_request_action_for_method:
 * @method: a Manager method, e.g. "StartWorkload"
 *
 * The polkit action a method needs, the same whichever front-end it came through.
 *
 * Returns: the action id, or %NULL for a method that is not known (refuse it)
 */
const gchar *
tender_request_action_for_method(const gchar *method)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_request_methods); i++) {
		if (g_strcmp0(method, tender_request_methods[i].method) == 0)
			return tender_request_methods[i].action;
	}
	return NULL;
}

/**
 * tender_request_set_method:
 * @self: a #TenderRequest
 * @method: a method of the method table, e.g. "StartWorkload"
 * @error: (nullable): a #GError
 *
 * Sets the method and the action it needs.  The details polkit sees name the method.
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_NOT_FOUND for a method the table lacks
 */
gboolean
tender_request_set_method(TenderRequest *self, const gchar *method, GError **error)
{
	const gchar *action;

	g_return_val_if_fail(TENDER_IS_REQUEST(self), FALSE);
	action = tender_request_action_for_method(method);
	if (action == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No method %s", method);
		return FALSE;
	}
	g_free(self->method);
	self->method = g_strdup(method);
	self->action = action;
	return TRUE;
}

/**
 * tender_request_set_method_action:
 * @self: a #TenderRequest
 * @method: the method called, for the details
 * @action: the polkit action it needs
 *
 * For calls the method table does not list: a plugin's methods, or Properties.Get on a
 * workload.
 */
void
tender_request_set_method_action(TenderRequest *self, const gchar *method, const gchar *action)
{
	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_free(self->method);
	self->method = g_strdup(method);
	self->action = g_intern_string(action);
}

/**
 * tender_request_set_workload:
 * @self: a #TenderRequest
 * @name: (nullable): the workload the call is about
 */
void
tender_request_set_workload(TenderRequest *self, const gchar *name)
{
	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_free(self->workload);
	self->workload = g_strdup(name);
}

/**
 * tender_request_set_spec:
 * @self: a #TenderRequest
 * @spec: (nullable): the spec (a{sv}) a CreateWorkload brings
 */
void
tender_request_set_spec(TenderRequest *self, GVariant *spec)
{
	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_clear_pointer(&self->spec, g_variant_unref);
	if (spec != NULL)
		self->spec = g_variant_ref_sink(spec);
}

/**
 * tender_request_set_import:
 * @self: a #TenderRequest
 * @json: (nullable): the document an ImportWorkload brings
 */
void
tender_request_set_import(TenderRequest *self, const gchar *json)
{
	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_free(self->json);
	self->json = g_strdup(json);
}

/**
 * tender_request_set_detail:
 * @self: a #TenderRequest
 * @key: a detail's name, e.g. "adapter"
 * @value: its value
 *
 * A detail for polkit rules besides those the engine gives (method, workload, program,
 * command_line), which it cannot override.
 */
void
tender_request_set_detail(TenderRequest *self, const gchar *key, const gchar *value)
{
	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_hash_table_insert(self->extra, g_strdup(key), g_strdup(value));
}

/**
 * tender_request_set_manager_call:
 * @self: a #TenderRequest
 * @method: a Manager method
 * @parameters: its arguments, of the signature org.tender.Agent1.Manager gives it
 * @error: (nullable): a #GError
 *
 * Sets the method and what the details come from: the first argument names the workload (an
 * image, "image", for the image store's methods); CreateWorkload's second is its spec;
 * ExecWorkload's second is the command it runs, which is the command of the details
 * ("program", "command_line"); ImportWorkload's first is its document, and its option
 * "name" the name it is imported as.
 *
 * Returns: %TRUE, or %FALSE for a method the table lacks
 */
gboolean
tender_request_set_manager_call(TenderRequest *self,
				const gchar *method,
				GVariant *parameters,
				GError **error)
{
	g_return_val_if_fail(TENDER_IS_REQUEST(self), FALSE);
	if (!tender_request_set_method(self, method, error))
		return FALSE;
	if (g_strcmp0(method, "ImportWorkload") == 0 &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv})"))) {
		const gchar *json = NULL;
		const gchar *name = NULL;
		g_autoptr(GVariant) options = NULL;
		g_variant_get(parameters, "(&s@a{sv})", &json, &options);
		tender_request_set_import(self, json);
		if (g_variant_lookup(options, "name", "&s", &name))
			tender_request_set_workload(self, name);
		return TRUE;
	}
	if (parameters != NULL && g_variant_n_children(parameters) > 0) {
		g_autoptr(GVariant) first = g_variant_get_child_value(parameters, 0);
		if (g_variant_is_of_type(first, G_VARIANT_TYPE_STRING) &&
		    g_str_has_prefix(self->action, "org.tender.images.")) {
			tender_request_set_detail(self, "image", g_variant_get_string(first, NULL));
			return TRUE;
		}
		if (g_variant_is_of_type(first, G_VARIANT_TYPE_STRING))
			tender_request_set_workload(self, g_variant_get_string(first, NULL));
		if (g_strcmp0(method, "CreateWorkload") == 0 &&
		    g_variant_n_children(parameters) > 1) {
			g_autoptr(GVariant) spec = g_variant_get_child_value(parameters, 1);
			if (g_variant_is_of_type(spec, G_VARIANT_TYPE_VARDICT))
				tender_request_set_spec(self, spec);
		}
		/* the details of a spec whose argv is the command the exec runs */
		if (g_strcmp0(method, "ExecWorkload") == 0 &&
		    g_variant_n_children(parameters) > 1) {
			g_autoptr(GVariant) argv = g_variant_get_child_value(parameters, 1);
			GVariantBuilder spec;
			g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
			if (g_variant_is_of_type(argv, G_VARIANT_TYPE_STRING_ARRAY))
				g_variant_builder_add(&spec, "{sv}", "argv", argv);
			tender_request_set_spec(self, g_variant_builder_end(&spec));
		}
	}
	return TRUE;
}

/**
 * tender_request_get_method:
 * @self: a #TenderRequest
 *
 * Returns: (nullable): the method, if one of the method table
 */
const gchar *
tender_request_get_method(TenderRequest *self)
{
	g_return_val_if_fail(TENDER_IS_REQUEST(self), NULL);
	return self->method;
}

/**
 * tender_request_get_action:
 * @self: a #TenderRequest
 *
 * Returns: (nullable): the polkit action the call needs
 */
const gchar *
tender_request_get_action(TenderRequest *self)
{
	g_return_val_if_fail(TENDER_IS_REQUEST(self), NULL);
	return self->action;
}

/**
 * tender_request_get_workload:
 * @self: a #TenderRequest
 *
 * Returns: (nullable): the workload the call names
 */
const gchar *
tender_request_get_workload(TenderRequest *self)
{
	g_return_val_if_fail(TENDER_IS_REQUEST(self), NULL);
	return self->workload;
}

/**
 * tender_request_get_subject:
 * @self: a #TenderRequest
 *
 * Returns: who asks; once the request is authorized, with their uid
 */
const TenderAuthoritySubject *
tender_request_get_subject(TenderRequest *self)
{
	g_return_val_if_fail(TENDER_IS_REQUEST(self), NULL);
	return self->subject;
}

/**
 * tender_request_get_details:
 * @self: a #TenderRequest
 * @engine: (nullable): the engine that knows the workloads, or %NULL for a call that is not
 *   about one
 *
 * What polkit rules may decide on: "method", and with @engine the engine's details of a
 * workload call (see tender_engine_get_call_details()), then those set with
 * tender_request_set_detail().
 *
 * Returns: (transfer full): gchar* → gchar*
 */
GHashTable *
tender_request_get_details(TenderRequest *self, TenderEngine *engine)
{
	GHashTable *details = NULL;
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_return_val_if_fail(TENDER_IS_REQUEST(self), NULL);
	if (self->method != NULL && engine != NULL)
		details = tender_engine_get_call_details(engine,
							 self->method,
							 self->workload,
							 self->spec,
							 self->json);
	else
		details = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (self->method != NULL && !g_hash_table_contains(details, "method"))
		g_hash_table_insert(details, g_strdup("method"), g_strdup(self->method));
	g_hash_table_iter_init(&iter, self->extra);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!g_hash_table_contains(details, key))
			g_hash_table_insert(details, g_strdup(key), g_strdup(value));
	}
	return details;
}

static void
tender_request_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderRequest *self = g_task_get_source_object(task);
	GError *error = NULL;

	if (!tender_authority_check_finish(TENDER_AUTHORITY(source), res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	/* the caller's uid, which handlers may key state on, as the check found it */
	tender_authority_subject_set_uid(self->subject,
					 tender_authority_check_get_uid(TENDER_AUTHORITY(source),
									res));
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_request_authorize_async:
 * @self: a #TenderRequest
 * @authority: the authority
 * @engine: (nullable): the engine, for the details of a workload call
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the decision
 * @user_data: for @callback
 *
 * Asks @authority whether the subject may do the request's action, with its details; the one
 * path by which every front-end authorizes a call.  A request without an action is refused:
 * a call nobody declared is nobody's to allow.
 */
void
tender_request_authorize_async(TenderRequest *self,
			       TenderAuthority *authority,
			       TenderEngine *engine,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GHashTable) details = NULL;

	g_return_if_fail(TENDER_IS_REQUEST(self));
	g_return_if_fail(TENDER_IS_AUTHORITY(authority));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, tender_request_authorize_async);
	if (self->action == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_ACCESS_DENIED,
					"The call %s needs no declared action and is refused",
					self->method != NULL ? self->method : "(unnamed)");
		return;
	}
	details = tender_request_get_details(self, engine);
	tender_authority_check_async(authority,
				     self->subject,
				     self->action,
				     details,
				     self->interactive,
				     cancellable,
				     tender_request_authorize_cb,
				     g_steal_pointer(&task));
}

/**
 * tender_request_authorize_finish:
 * @self: a #TenderRequest
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if allowed; %FALSE with %TENDER_ERROR_ACCESS_DENIED if not
 */
gboolean
tender_request_authorize_finish(TenderRequest *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_request_finalize(GObject *object)
{
	TenderRequest *self = TENDER_REQUEST(object);
	tender_authority_subject_free(self->subject);
	g_free(self->method);
	g_free(self->workload);
	g_clear_pointer(&self->spec, g_variant_unref);
	g_free(self->json);
	g_hash_table_unref(self->extra);
	G_OBJECT_CLASS(tender_request_parent_class)->finalize(object);
}

static void
tender_request_class_init(TenderRequestClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_request_finalize;
}

static void
tender_request_init(TenderRequest *self)
{
	self->extra = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * tender_request_new:
 * @subject: who asks
 * @interactive: whether they may be asked to authenticate (the D-Bus flag
 *   ALLOW_INTERACTIVE_AUTHORIZATION; never over HTTP)
 *
 * Returns: (transfer full): a #TenderRequest
 */
TenderRequest *
tender_request_new(const TenderAuthoritySubject *subject, gboolean interactive)
{
	TenderRequest *self = g_object_new(TENDER_TYPE_REQUEST, NULL);
	self->subject = tender_authority_subject_copy(subject);
	self->interactive = interactive;
	return self;
}
