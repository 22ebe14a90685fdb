/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-authority.h"
#include "tender-call-private.h"
#include "tender-error.h"

/*
 * TenderCall: one call of a declared method, the same whichever front-end it came by.  It
 * checks what the plugin answers (a value of the out-signature, or an error of
 * TENDER_ERROR) before the front-end turns it into a D-Bus reply or an HTTP response.
 */

struct _TenderCall {
	gchar *plugin_name;
	TenderAuthoritySubject *caller;
	gchar *subpath;
	gchar *method;
	GVariant *parameters;
	GVariantType *out_type;
	TenderCallReplyFunc func;
	gpointer user_data;
};

/**
 * tender_call_new:
 * @plugin_name: the plugin's name, for warnings
 * @caller: who called, authorized already; copied
 * @subpath: the service's subpath, "" for the plugin's own object
 * @method: the method's name
 * @parameters: the in-args, a tuple of the in-signature; sunk if floating
 * @out_type: the tuple type the plugin must return
 * @func: gets the outcome, once
 * @user_data: for @func
 *
 * Returns: (transfer full): a call to hand to the plugin, which completes it
 */
TenderCall *
tender_call_new(const gchar *plugin_name,
		const TenderCaller *caller,
		const gchar *subpath,
		const gchar *method,
		GVariant *parameters,
		const GVariantType *out_type,
		TenderCallReplyFunc func,
		gpointer user_data)
{
	TenderCall *self = g_new0(TenderCall, 1);

	self->plugin_name = g_strdup(plugin_name);
	self->caller = tender_authority_subject_copy(caller);
	self->subpath = g_strdup(subpath);
	self->method = g_strdup(method);
	self->parameters = g_variant_ref_sink(parameters);
	self->out_type = g_variant_type_copy(out_type);
	self->func = func;
	self->user_data = user_data;
	return self;
}

static void
tender_call_free(TenderCall *self)
{
	g_free(self->plugin_name);
	tender_authority_subject_free(self->caller);
	g_free(self->subpath);
	g_free(self->method);
	g_variant_unref(self->parameters);
	g_variant_type_free(self->out_type);
	g_free(self);
}

/**
 * tender_call_get_caller:
 * @self: a #TenderCall
 *
 * Returns: (transfer none): who called, with its uid (see tender_caller_get_uid())
 *
 * Since: 0.2
 */
const TenderCaller *
tender_call_get_caller(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->caller;
}

/**
 * tender_call_get_method:
 * @self: a #TenderCall
 *
 * Returns: the method's name, as the introspection XML has it
 *
 * Since: 0.2
 */
const gchar *
tender_call_get_method(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->method;
}

/**
 * tender_call_get_subpath:
 * @self: a #TenderCall
 *
 * Returns: the subpath the service was added at, "" for the plugin's own object
 *
 * Since: 0.2
 */
const gchar *
tender_call_get_subpath(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->subpath;
}

/**
 * tender_call_get_parameters:
 * @self: a #TenderCall
 *
 * Returns: (transfer none): the in-args, a tuple of the method's in-signature
 *
 * Since: 0.2
 */
GVariant *
tender_call_get_parameters(TenderCall *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->parameters;
}

/**
 * tender_call_return_value:
 * @self: (transfer full): a #TenderCall
 * @value: (nullable): the out-args, a tuple of the method's out-signature, sunk if floating;
 *   %NULL for a method without out-args
 *
 * Completes the call with a value, and frees it.  A value of another type than the
 * out-signature is never sent: the caller gets org.tender.Agent1.Error.Failed instead, and
 * the journal a warning.
 *
 * Since: 0.2
 */
void
tender_call_return_value(TenderCall *self, GVariant *value)
{
	g_autoptr(GVariant) reply = NULL;

	g_return_if_fail(self != NULL);
	if (value == NULL)
		value = g_variant_new_tuple(NULL, 0);
	reply = g_variant_ref_sink(value);
	if (!g_variant_is_of_type(reply, self->out_type)) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *want = g_variant_type_dup_string(self->out_type);
		g_warning("plugin %s: %s returned a %s, not the %s its XML declares",
			  self->plugin_name,
			  self->method,
			  g_variant_get_type_string(reply),
			  want);
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The plugin answered %s with a value of the wrong type",
			    self->method);
		self->func(NULL, error, self->user_data);
	} else {
		self->func(reply, NULL, self->user_data);
	}
	tender_call_free(self);
}

/**
 * tender_call_return_error:
 * @self: (transfer full): a #TenderCall
 * @error: the error; a #TENDER_ERROR code reaches the caller as its D-Bus error name and
 *   HTTP status, other domains as org.tender.Agent1.Error.Failed (or their nearest code)
 *
 * Completes the call with an error, and frees it.
 *
 * Since: 0.2
 */
void
tender_call_return_error(TenderCall *self, const GError *error)
{
	g_autoptr(GError) copy = NULL;

	g_return_if_fail(self != NULL);
	if (error != NULL)
		copy = g_error_copy(error);
	else
		copy = g_error_new(TENDER_ERROR,
				   TENDER_ERROR_FAILED,
				   "The plugin failed %s without saying why",
				   self->method);
	tender_error_convert(&copy);
	self->func(NULL, copy, self->user_data);
	tender_call_free(self);
}
