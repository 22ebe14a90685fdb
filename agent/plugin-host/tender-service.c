/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-private.h"
#include "tender-service.h"
#include "tender-util.h"

/*
 * TenderService: one interface declared once, for every front-end, on one object: a
 * plugin's (tender_plugin_add_service()), or a feature of tenderd's own, built in (an adapter
 * instance).  Its introspection XML is the single source of the method names and their in-
 * and out-args (with names, which HTTP maps JSON members to) and of its read-only
 * properties; the method table adds a polkit action and a handler to each method, and a
 * getter and a read action to the properties.  The D-Bus bridge (tender-dbus-service.c) and
 * the HTTP bridges (tender-http-service.c, and the route aliases of tender-http-alias.c)
 * only authorize and dispatch: what a method is, is here.
 */

/* what the method table says of one method */
typedef struct {
	gchar *action_id;
	gchar *detail;
	TenderPluginCallFunc func;
	GVariantType *out_type;
} TenderServiceMethodEntry;

struct _TenderService {
	GObject parent_instance;
	TenderPlugin *plugin; /* unowned: the plugin outlives its services; NULL: built in */
	gboolean feature;     /* the plugin's top-level one, tender_plugin_add_feature_service() */
	gchar *subpath;
	gchar *object_path;
	GDBusInterfaceInfo *iface;
	GHashTable *methods; /* name -> TenderServiceMethodEntry */
	TenderServiceProperties properties;
	TenderPluginPropertyFunc plugin_get; /* a feature object's getter, or NULL */
	GHashTable *details; /* what polkit rules see of every call: gchar* -> gchar* */
	gpointer user_data;
	GDestroyNotify destroy;
};

G_DEFINE_TYPE(TenderService, tender_service, G_TYPE_OBJECT)

static void
tender_service_method_entry_free(TenderServiceMethodEntry *entry)
{
	g_free(entry->action_id);
	g_free(entry->detail);
	g_variant_type_free(entry->out_type);
	g_free(entry);
}

/* the tuple type of the args of one direction */
static GVariantType *
tender_service_args_type(GDBusArgInfo **args)
{
	g_autoptr(GPtrArray) types = g_ptr_array_new();

	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add(types, (gpointer)G_VARIANT_TYPE(args[i]->signature));
	return g_variant_type_new_tuple((const GVariantType *const *)types->pdata, types->len);
}

/* HTTP maps JSON members to args by name: each arg needs one, unique in its direction */
static gboolean
tender_service_check_args(GDBusMethodInfo *method,
			  GDBusArgInfo **args,
			  const gchar *direction,
			  GError **error)
{
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; args != NULL && args[i] != NULL; i++) {
		const gchar *name = args[i]->name;
		/* GDBus names an arg without a name arg_N */
		g_autofree gchar *generated = g_strdup_printf("arg_%u", i);
		if (name == NULL || name[0] == '\0' || g_strcmp0(name, generated) == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s: %s-arg %u has no name, which HTTP needs",
				    method->name,
				    direction,
				    i);
			return FALSE;
		}
		if (!g_hash_table_add(names, (gpointer)name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s: two %s-args are named %s",
				    method->name,
				    direction,
				    name);
			return FALSE;
		}
	}
	return TRUE;
}

/* org.tender.SOMETHING, of lower-case letters, digits, '.' and '-' */
static gboolean
tender_service_check_action(const gchar *method, const gchar *action_id, GError **error)
{
	gboolean valid = action_id != NULL && g_str_has_prefix(action_id, "org.tender.") &&
			 action_id[strlen("org.tender.")] != '\0' &&
			 !g_str_has_suffix(action_id, ".");

	for (const gchar *p = action_id; valid && *p != '\0'; p++) {
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '.' && *p != '-')
			valid = FALSE;
	}
	if (!valid) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Method %s: '%s' is not a polkit action of tender (org.tender.*)",
			    method,
			    action_id != NULL ? action_id : "");
		return FALSE;
	}
	return TRUE;
}

/* the method table against the XML: each method once, each with an action and a handler */
static GHashTable *
tender_service_map_methods(GDBusInterfaceInfo *iface,
			   const TenderServiceMethod *methods,
			   GError **error)
{
	g_autoptr(GHashTable) map =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  g_free,
				  (GDestroyNotify)tender_service_method_entry_free);

	for (guint i = 0; methods != NULL && methods[i].method != NULL; i++) {
		GDBusMethodInfo *info =
		    g_dbus_interface_info_lookup_method(iface, methods[i].method);
		TenderServiceMethodEntry *entry;

		if (info == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Interface %s has no method %s",
				    iface->name,
				    methods[i].method);
			return NULL;
		}
		if (g_hash_table_contains(map, info->name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s is in the table twice",
				    info->name);
			return NULL;
		}
		if (!tender_service_check_action(info->name, methods[i].action_id, error))
			return NULL;
		if (methods[i].func == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s has no handler",
				    info->name);
			return NULL;
		}
		if (!tender_service_check_args(info, info->in_args, "in", error) ||
		    !tender_service_check_args(info, info->out_args, "out", error))
			return NULL;
		entry = g_new0(TenderServiceMethodEntry, 1);
		entry->action_id = g_strdup(methods[i].action_id);
		entry->detail =
		    g_strdup(methods[i].detail != NULL ? methods[i].detail : info->name);
		entry->func = methods[i].func;
		entry->out_type = tender_service_args_type(info->out_args);
		g_hash_table_insert(map, g_strdup(info->name), entry);
	}
	for (guint i = 0; iface->methods != NULL && iface->methods[i] != NULL; i++) {
		if (!g_hash_table_contains(map, iface->methods[i]->name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s.%s is not in the method table: every method needs "
				    "an "
				    "action and a handler",
				    iface->name,
				    iface->methods[i]->name);
			return NULL;
		}
	}
	return g_steal_pointer(&map);
}

/* a feature object's properties are read by its plugin_get: this only says they are read */
static GVariant *
tender_service_read_plugin_property(gpointer user_data, const gchar *property)
{
	g_return_val_if_reached(NULL);
}

/* the properties of @iface, read-only, and how to read them */
static gboolean
tender_service_check_properties(GDBusInterfaceInfo *iface,
				const TenderServiceProperties *properties,
				GError **error)
{
	gboolean any = iface->properties != NULL && iface->properties[0] != NULL;

	for (guint i = 0; any && iface->properties[i] != NULL; i++) {
		if (iface->properties[i]->flags != G_DBUS_PROPERTY_INFO_FLAGS_READABLE) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Property %s.%s is not read-only",
				    iface->name,
				    iface->properties[i]->name);
			return FALSE;
		}
	}
	if (any && (properties == NULL || properties->get == NULL || properties->detail == NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Interface %s has properties, but nothing reads them",
			    iface->name);
		return FALSE;
	}
	if (any && !tender_service_check_action("Get", properties->action_id, error))
		return FALSE;
	return TRUE;
}

/**
 * tender_service_new_builtin:
 * @subpath: the object's name among its kind, e.g. an adapter instance's
 * @object_path: where it is on the bus
 * @iface: its interface, whose every arg has a name; read-only properties are allowed
 * @methods: a handler and an org.tender.* polkit action for every method of @iface
 * @properties: (nullable): how the properties are read and authorized, if it has any
 * @user_data: for the handlers and the getter
 * @destroy: (nullable): frees @user_data when the service goes
 * @error: (nullable): a #GError
 *
 * A service of tenderd itself, owned by "core": one object of a feature built in.  The
 * details polkit rules see are the method's and those of tender_service_add_detail().
 * On failure @destroy is not called.
 *
 * Returns: (transfer full) (nullable): the service
 */
TenderService *
tender_service_new_builtin(const gchar *subpath,
			   const gchar *object_path,
			   GDBusInterfaceInfo *iface,
			   const TenderServiceMethod *methods,
			   const TenderServiceProperties *properties,
			   gpointer user_data,
			   GDestroyNotify destroy,
			   GError **error)
{
	g_autoptr(GHashTable) map = NULL;
	TenderService *self;

	if (!g_variant_is_object_path(object_path)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' is not an object path",
			    object_path);
		return NULL;
	}
	map = tender_service_map_methods(iface, methods, error);
	if (map == NULL)
		return NULL;
	if (!tender_service_check_properties(iface, properties, error))
		return NULL;
	self = g_object_new(TENDER_TYPE_SERVICE, NULL);
	self->subpath = g_strdup(subpath != NULL ? subpath : "");
	self->object_path = g_strdup(object_path);
	self->iface = g_dbus_interface_info_ref(iface);
	self->methods = g_steal_pointer(&map);
	if (properties != NULL)
		self->properties = *properties;
	self->user_data = user_data;
	self->destroy = destroy;
	return self;
}

/* a plugin's service at @object_path: its method table, whose entry of method
 * TENDER_PLUGIN_PROPERTIES_READ (a feature object's) is the properties' read action */
static TenderService *
tender_service_new_plugin(TenderPlugin *plugin,
			  const gchar *subpath,
			  const gchar *object_path,
			  GDBusNodeInfo *node,
			  const TenderPluginServiceMethod *methods,
			  TenderPluginPropertyFunc get_property,
			  gpointer user_data,
			  GDestroyNotify destroy,
			  GError **error)
{
	g_autoptr(GArray) table = g_array_new(TRUE, TRUE, sizeof(TenderServiceMethod));
	TenderServiceProperties properties = {.detail = TENDER_PLUGIN_PROPERTIES_READ};
	TenderService *self;

	for (guint i = 0; methods != NULL && methods[i].method != NULL; i++) {
		TenderServiceMethod method = {
		    .method = methods[i].method,
		    .action_id = methods[i].action_id,
		    .func = methods[i].func,
		};
		if (g_strcmp0(methods[i].method, TENDER_PLUGIN_PROPERTIES_READ) == 0) {
			properties.action_id = methods[i].action_id;
			continue;
		}
		g_array_append_val(table, method);
	}
	if (get_property != NULL)
		properties.get = tender_service_read_plugin_property;
	if (get_property != NULL && properties.action_id == NULL &&
	    node->interfaces[0]->properties != NULL && node->interfaces[0]->properties[0] != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Interface %s has properties: give the polkit action that reads them, "
			    "in an entry of method %s",
			    node->interfaces[0]->name,
			    TENDER_PLUGIN_PROPERTIES_READ);
		return NULL;
	}
	self = tender_service_new_builtin(subpath,
					  object_path,
					  node->interfaces[0],
					  (const TenderServiceMethod *)(gpointer)table->data,
					  get_property != NULL ? &properties : NULL,
					  user_data,
					  destroy,
					  error);
	if (self == NULL)
		return NULL;
	self->plugin = plugin;
	self->plugin_get = get_property;
	tender_service_add_detail(self, "plugin", tender_plugin_get_name(plugin));
	tender_service_add_detail(self, "object_path", self->object_path);
	return self;
}

/**
 * tender_service_new:
 * @plugin: the plugin that declares it
 * @subpath: (nullable): where, below the plugin's object path and /v1/plugins/NAME/
 * @introspection_xml: a <node> with exactly one <interface>, no properties, named args
 * @methods: a handler and an org.tender.* polkit action for every method of the interface,
 *   ending with an entry whose method is %NULL
 * @user_data: for the handlers
 * @destroy: (nullable): frees @user_data when the service goes
 * @error: (nullable): a #GError
 *
 * Checks a declaration.  Polkit rules see the details "method", "plugin" and
 * "object_path".  On failure @destroy is not called.
 *
 * Returns: (transfer full) (nullable): the service
 */
TenderService *
tender_service_new(TenderPlugin *plugin,
		   const gchar *subpath,
		   const gchar *introspection_xml,
		   const TenderPluginServiceMethod *methods,
		   gpointer user_data,
		   GDestroyNotify destroy,
		   GError **error)
{
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autofree gchar *object_path = NULL;

	if (subpath == NULL)
		subpath = "";
	if (!tender_plugin_check_subpath(subpath, error))
		return NULL;
	node = tender_plugin_parse_interface(introspection_xml, error);
	if (node == NULL)
		return NULL;
	object_path = tender_plugin_get_object_path(plugin, subpath);
	return tender_service_new_plugin(plugin,
					 subpath,
					 object_path,
					 node,
					 methods,
					 NULL,
					 user_data,
					 destroy,
					 error);
}

/**
 * tender_service_new_feature_object:
 * @plugin: the plugin that declares it
 * @subpath: where, below its feature service's object: "alice/s1"
 * @object_path: that object path
 * @introspection_xml: a <node> with exactly one <interface>, named args, read-only
 *   properties allowed
 * @methods: a handler and an org.tender.* polkit action for every method of the interface,
 *   and, when it has properties, an entry of method %TENDER_PLUGIN_PROPERTIES_READ with the
 *   action that reads them; ending with an entry whose method is %NULL
 * @get_property: (nullable): reads a property; needed when the interface has properties
 * @user_data: for the handlers and @get_property
 * @destroy: (nullable): frees @user_data when the service goes
 * @error: (nullable): a #GError
 *
 * Checks the declaration of a feature object (tender_plugin_add_feature_object()).  On
 * failure @destroy is not called.
 *
 * Returns: (transfer full) (nullable): the service
 */
TenderService *
tender_service_new_feature_object(TenderPlugin *plugin,
				  const gchar *subpath,
				  const gchar *object_path,
				  const gchar *introspection_xml,
				  const TenderPluginServiceMethod *methods,
				  TenderPluginPropertyFunc get_property,
				  gpointer user_data,
				  GDestroyNotify destroy,
				  GError **error)
{
	g_autoptr(GDBusNodeInfo) node = NULL;

	node = tender_plugin_parse_interface_full(introspection_xml, TRUE, error);
	if (node == NULL)
		return NULL;
	return tender_service_new_plugin(plugin,
					 subpath,
					 object_path,
					 node,
					 methods,
					 get_property,
					 user_data,
					 destroy,
					 error);
}

/**
 * tender_service_set_feature:
 * @self: a plugin's service, not served yet
 *
 * Makes it the plugin's feature service, its one top-level object: /org/tender/Agent1/NAME
 * (NAME escaped as in tender_plugin_get_object_path()), served over HTTP as /v1/NAME/METHOD.
 */
void
tender_service_set_feature(TenderService *self)
{
	g_return_if_fail(self->plugin != NULL);
	g_free(self->object_path);
	self->object_path = tender_util_object_path_escape("/org/tender/Agent1/",
							   tender_plugin_get_name(self->plugin));
	self->feature = TRUE;
	tender_service_add_detail(self, "object_path", self->object_path);
}

/**
 * tender_service_is_feature:
 * @self: a #TenderService
 *
 * Returns: whether it is a plugin's feature service (tender_service_set_feature())
 */
gboolean
tender_service_is_feature(TenderService *self)
{
	return self->feature;
}

/**
 * tender_service_add_detail:
 * @self: a #TenderService
 * @key: a detail's name, e.g. "adapter"
 * @value: its value
 *
 * A detail polkit rules see of every call of the service, besides "method".
 */
void
tender_service_add_detail(TenderService *self, const gchar *key, const gchar *value)
{
	g_hash_table_insert(self->details, g_strdup(key), g_strdup(value));
}

/**
 * tender_service_get_plugin:
 * @self: a #TenderService
 *
 * Returns: (transfer none) (nullable): the plugin that declared it, %NULL for a built-in one
 */
TenderPlugin *
tender_service_get_plugin(TenderService *self)
{
	return self->plugin;
}

/**
 * tender_service_get_owner:
 * @self: a #TenderService
 *
 * Returns: the name of the plugin that declared it, or "core"
 */
const gchar *
tender_service_get_owner(TenderService *self)
{
	return self->plugin != NULL ? tender_plugin_get_name(self->plugin)
				    : TENDER_SERVICE_OWNER_CORE;
}

gpointer
tender_service_get_user_data(TenderService *self)
{
	return self->user_data;
}

const gchar *
tender_service_get_subpath(TenderService *self)
{
	return self->subpath;
}

const gchar *
tender_service_get_object_path(TenderService *self)
{
	return self->object_path;
}

GDBusInterfaceInfo *
tender_service_get_interface(TenderService *self)
{
	return self->iface;
}

/**
 * tender_service_lookup_method:
 * @self: a #TenderService
 * @method: a method name
 *
 * Returns: (transfer none) (nullable): the method's args, from the XML
 */
GDBusMethodInfo *
tender_service_lookup_method(TenderService *self, const gchar *method)
{
	return g_dbus_interface_info_lookup_method(self->iface, method);
}

/**
 * tender_service_get_action:
 * @self: a #TenderService
 * @method: a method name
 *
 * Returns: (nullable): the polkit action of @method, %NULL if the service has no such method
 */
const gchar *
tender_service_get_action(TenderService *self, const gchar *method)
{
	TenderServiceMethodEntry *entry = g_hash_table_lookup(self->methods, method);
	return entry != NULL ? entry->action_id : NULL;
}

/**
 * tender_service_has_properties:
 * @self: a #TenderService
 *
 * Returns: whether its interface has properties
 */
gboolean
tender_service_has_properties(TenderService *self)
{
	return self->iface->properties != NULL && self->iface->properties[0] != NULL;
}

/**
 * tender_service_get_property:
 * @self: a #TenderService
 * @property: a property name
 *
 * Reads a property; the caller is authorized already (tender_service_prepare_read()).
 *
 * Returns: (transfer floating) (nullable): its value, %NULL for no such property
 */
GVariant *
tender_service_get_property(TenderService *self, const gchar *property)
{
	GDBusPropertyInfo *info = g_dbus_interface_info_lookup_property(self->iface, property);
	GVariant *value;

	if (self->properties.get == NULL || info == NULL)
		return NULL;
	if (self->plugin_get != NULL)
		value = self->plugin_get(self->plugin, self->subpath, property, self->user_data);
	else
		value = self->properties.get(self->user_data, property);
	/* a plugin's value is checked against its XML, as its methods' answers are */
	if (value != NULL && !g_variant_is_of_type(value, G_VARIANT_TYPE(info->signature))) {
		g_warning("%s: property %s of %s is of type %s, not %s as its XML says",
			  tender_service_get_owner(self),
			  property,
			  self->object_path,
			  g_variant_get_type_string(value),
			  info->signature);
		g_variant_unref(g_variant_ref_sink(value));
		return NULL;
	}
	return value;
}

/* the details of every call of the service */
static void
tender_service_add_details(TenderService *self, TenderRequest *request)
{
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_hash_table_iter_init(&iter, self->details);
	while (g_hash_table_iter_next(&iter, &key, &value))
		tender_request_set_detail(request, key, value);
}

/**
 * tender_service_prepare_request:
 * @self: a #TenderService
 * @request: the request a front-end made of a call
 * @method: a method of the service
 *
 * Gives @request the method's polkit action and the details polkit rules see, the same over
 * D-Bus and HTTP: "method" (the method's detail), and the service's (a plugin's: "plugin" and
 * "object_path").
 */
void
tender_service_prepare_request(TenderService *self, TenderRequest *request, const gchar *method)
{
	TenderServiceMethodEntry *entry = g_hash_table_lookup(self->methods, method);

	tender_request_set_method_action(request,
					 entry != NULL ? entry->detail : method,
					 entry != NULL ? entry->action_id : NULL);
	tender_service_add_details(self, request);
}

/**
 * tender_service_prepare_read:
 * @self: a #TenderService with properties
 * @request: the request a front-end made of Properties.Get or GetAll
 *
 * Gives @request the properties' read action, their "method" detail and the service's.
 */
void
tender_service_prepare_read(TenderService *self, TenderRequest *request)
{
	tender_request_set_method_action(request,
					 self->properties.detail,
					 self->properties.action_id);
	tender_service_add_details(self, request);
}

/**
 * tender_service_prepare_method:
 * @methods: a method table
 * @request: the request a front-end made of a call for an object that is not there
 * @method: a method of the table
 *
 * The action and "method" detail the call would need if the object were there: the caller
 * learns that it is not only once allowed to ask.
 */
void
tender_service_prepare_method(const TenderServiceMethod *methods,
			      TenderRequest *request,
			      const gchar *method)
{
	for (guint i = 0; methods[i].method != NULL; i++) {
		if (g_strcmp0(methods[i].method, method) != 0)
			continue;
		tender_request_set_method_action(request,
						 methods[i].detail != NULL ? methods[i].detail
									   : method,
						 methods[i].action_id);
		return;
	}
	tender_request_set_method_action(request, method, NULL);
}

/**
 * tender_service_call:
 * @self: a #TenderService
 * @caller: who calls, authorized already for the method's action, with its uid
 * @method: a method of the service
 * @parameters: the in-args, a tuple of the method's in-signature; sunk if floating
 * @channel: (nullable): what the front-end lends the call (descriptors, its caller's end,
 *   streaming); its @free is called once the call is completed, or at once if it never
 *   reaches the plugin
 * @func: gets the outcome, exactly once, now or later
 * @user_data: for @func
 *
 * Hands an authorized call to the plugin's handler.
 */
void
tender_service_call(TenderService *self,
		    const TenderCaller *caller,
		    const gchar *method,
		    GVariant *parameters,
		    const TenderCallChannel *channel,
		    TenderCallReplyFunc func,
		    gpointer user_data)
{
	TenderServiceMethodEntry *entry = g_hash_table_lookup(self->methods, method);
	TenderCall *call;

	if (entry == NULL) {
		g_autoptr(GError) error =
		    g_error_new(TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No method %s", method);
		g_variant_unref(g_variant_ref_sink(parameters));
		func(NULL, error, user_data);
		if (channel != NULL && channel->free != NULL)
			channel->free(channel->data);
		return;
	}
	call = tender_call_new(tender_service_get_owner(self),
			       caller,
			       self->subpath,
			       method,
			       parameters,
			       entry->out_type,
			       func,
			       user_data);
	if (channel != NULL)
		tender_call_set_channel(call, channel);
	entry->func(self->plugin, call, self->user_data);
}

static void
tender_service_finalize(GObject *object)
{
	TenderService *self = TENDER_SERVICE(object);

	if (self->destroy != NULL)
		self->destroy(self->user_data);
	g_free(self->subpath);
	g_free(self->object_path);
	if (self->iface != NULL)
		g_dbus_interface_info_unref(self->iface);
	if (self->methods != NULL)
		g_hash_table_unref(self->methods);
	g_hash_table_unref(self->details);
	G_OBJECT_CLASS(tender_service_parent_class)->finalize(object);
}

static void
tender_service_class_init(TenderServiceClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_service_finalize;
}

static void
tender_service_init(TenderService *self)
{
	self->details = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}
