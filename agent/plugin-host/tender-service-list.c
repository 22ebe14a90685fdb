/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-service-list.h"

/*
 * TenderServiceList: the objects of one kind of built-in service, e.g. the adapter
 * instances: one TenderService each, named by its subpath, all of one method table.  The
 * front-ends follow it as they follow a plugin's services ("service-added",
 * "service-removed"); HTTP route aliases find an object by name, or by an alias a feature
 * gives one of them (the adapter instance with root_api=true is "root_api"), and authorize a
 * call for an object that is not there by the table.
 */

struct _TenderServiceList {
	GObject parent_instance;
	gchar *noun;			    /* e.g. "adapter instance", for messages */
	const TenderServiceMethod *methods; /* static */
	GPtrArray *services;		    /* of TenderService, in the order added */
	GHashTable *aliases;		    /* alias -> TenderService (unowned: in services) */
};

G_DEFINE_TYPE(TenderServiceList, tender_service_list, G_TYPE_OBJECT)

enum {
	SIGNAL_SERVICE_ADDED,
	SIGNAL_SERVICE_REMOVED,
	SIGNAL_LAST,
};
static guint signals[SIGNAL_LAST] = {0};

/**
 * tender_service_list_new:
 * @noun: how messages name one, e.g. "adapter instance"
 * @methods: (transfer none): the static method table of every object
 *
 * Returns: (transfer full): an empty list
 */
TenderServiceList *
tender_service_list_new(const gchar *noun, const TenderServiceMethod *methods)
{
	TenderServiceList *self = g_object_new(TENDER_TYPE_SERVICE_LIST, NULL);

	self->noun = g_strdup(noun);
	self->methods = methods;
	return self;
}

/**
 * tender_service_list_get_methods:
 * @self: a #TenderServiceList
 *
 * Returns: the method table of its objects, for tender_service_prepare_method()
 */
const TenderServiceMethod *
tender_service_list_get_methods(TenderServiceList *self)
{
	return self->methods;
}

/**
 * tender_service_list_add:
 * @self: a #TenderServiceList
 * @service: a built-in service, named by its subpath
 * @error: (nullable): a #GError
 *
 * Serves @service from now on.
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_ALREADY_EXISTS for a name in use
 */
gboolean
tender_service_list_add(TenderServiceList *self, TenderService *service, GError **error)
{
	g_return_val_if_fail(TENDER_IS_SERVICE_LIST(self), FALSE);
	if (tender_service_list_find(self, tender_service_get_subpath(service), NULL) != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "There is a %s '%s' already",
			    self->noun,
			    tender_service_get_subpath(service));
		return FALSE;
	}
	g_ptr_array_add(self->services, g_object_ref(service));
	g_signal_emit(self, signals[SIGNAL_SERVICE_ADDED], 0, service);
	return TRUE;
}

/**
 * tender_service_list_remove:
 * @self: a #TenderServiceList
 * @service: a service of the list
 *
 * Stops serving @service, under its name and its aliases.  Calls in progress can still be
 * completed.
 */
void
tender_service_list_remove(TenderServiceList *self, TenderService *service)
{
	g_autoptr(TenderService) removed = NULL;
	GHashTableIter iter;
	gpointer value;
	guint index = 0;

	g_return_if_fail(TENDER_IS_SERVICE_LIST(self));
	if (!g_ptr_array_find(self->services, service, &index))
		return;
	/* the array's reference, until the front-ends heard of it */
	removed = g_ptr_array_steal_index(self->services, index);
	g_hash_table_iter_init(&iter, self->aliases);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (value == service)
			g_hash_table_iter_remove(&iter);
	}
	g_signal_emit(self, signals[SIGNAL_SERVICE_REMOVED], 0, service);
}

/**
 * tender_service_list_get_services:
 * @self: a #TenderServiceList
 *
 * Returns: (transfer none) (element-type TenderService): the services, in the order added
 */
GPtrArray *
tender_service_list_get_services(TenderServiceList *self)
{
	return self->services;
}

/**
 * tender_service_list_find:
 * @self: a #TenderServiceList
 * @name: an object's name, its subpath
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none) (nullable): the service, or %NULL with %TENDER_ERROR_NOT_FOUND
 */
TenderService *
tender_service_list_find(TenderServiceList *self, const gchar *name, GError **error)
{
	for (guint i = 0; i < self->services->len; i++) {
		TenderService *service = g_ptr_array_index(self->services, i);
		if (g_strcmp0(tender_service_get_subpath(service), name) == 0)
			return service;
	}
	g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No %s '%s'", self->noun, name);
	return NULL;
}

/**
 * tender_service_list_set_alias:
 * @self: a #TenderServiceList
 * @alias: a name of the feature's, e.g. "root_api"
 * @service: (nullable): a service of the list, or %NULL for none
 *
 * Makes @service the object @alias stands for, until it is removed.
 */
void
tender_service_list_set_alias(TenderServiceList *self, const gchar *alias, TenderService *service)
{
	g_return_if_fail(TENDER_IS_SERVICE_LIST(self));
	if (service == NULL) {
		g_hash_table_remove(self->aliases, alias);
		return;
	}
	g_return_if_fail(g_ptr_array_find(self->services, service, NULL));
	g_hash_table_insert(self->aliases, g_strdup(alias), service);
}

/**
 * tender_service_list_get_alias:
 * @self: a #TenderServiceList
 * @alias: a name of the feature's
 *
 * Returns: (transfer none) (nullable): the service @alias stands for, if any
 */
TenderService *
tender_service_list_get_alias(TenderServiceList *self, const gchar *alias)
{
	return g_hash_table_lookup(self->aliases, alias);
}

static void
tender_service_list_dispose(GObject *object)
{
	TenderServiceList *self = TENDER_SERVICE_LIST(object);

	while (self->services->len > 0)
		tender_service_list_remove(self, g_ptr_array_index(self->services, 0));
	G_OBJECT_CLASS(tender_service_list_parent_class)->dispose(object);
}

static void
tender_service_list_finalize(GObject *object)
{
	TenderServiceList *self = TENDER_SERVICE_LIST(object);

	g_ptr_array_unref(self->services);
	g_hash_table_unref(self->aliases);
	g_free(self->noun);
	G_OBJECT_CLASS(tender_service_list_parent_class)->finalize(object);
}

static void
tender_service_list_class_init(TenderServiceListClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = tender_service_list_dispose;
	object_class->finalize = tender_service_list_finalize;

	/*
	 * TenderServiceList::service-added: (the #TenderService to serve)
	 * TenderServiceList::service-removed: (the #TenderService to stop serving, still valid)
	 * as a plugin's, which the front-ends follow alike
	 */
	for (guint i = 0; i < SIGNAL_LAST; i++)
		signals[i] =
		    g_signal_new(i == SIGNAL_SERVICE_ADDED ? "service-added" : "service-removed",
				 G_TYPE_FROM_CLASS(klass),
				 G_SIGNAL_RUN_LAST,
				 0,
				 NULL,
				 NULL,
				 NULL,
				 G_TYPE_NONE,
				 1,
				 TENDER_TYPE_SERVICE);
}

static void
tender_service_list_init(TenderServiceList *self)
{
	self->services = g_ptr_array_new_with_free_func(g_object_unref);
	self->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}
