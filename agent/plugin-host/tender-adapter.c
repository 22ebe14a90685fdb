/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-instance-private.h"
#include "tender-error.h"
#include "tender-state.h"
#include "tender-util.h"

/*
 * TenderAdapter is one configured instance of an adapter class: its instance file, its
 * workload "adapter-NAME" in the engine, and the operations of seed 000's contract (start,
 * update, stop, metrics, health).  Operations of one instance run one after the other, in
 * the order they were asked for; each calls the class and the engine asynchronously.  The
 * last start payload is kept in STATE_DIR/adapters/NAME.json, so that an instance knows it
 * after tenderd restarts (its workload, an engine workload, survives by itself).
 */

#define TENDER_ADAPTER_PATH_PREFIX "/org/tender/Agent1/adapter/"

/* the GObject class structure, the core's own; the adapter's is its TenderAdapterVTable */
typedef struct {
	GObjectClass parent_class;
} TenderAdapterObjectClass;
typedef TenderAdapter TenderAdapterObject;

G_DEFINE_TYPE(TenderAdapterObject, tender_adapter, G_TYPE_OBJECT)

/* --- the object --- */

static void
tender_adapter_finalize(GObject *object)
{
	TenderAdapter *self = TENDER_ADAPTER(object);

	if (self->data_destroy != NULL)
		self->data_destroy(self->data);
	g_clear_object(&self->engine);
	g_free(self->name);
	g_free(self->workload_name);
	g_free(self->object_path);
	g_free(self->path);
	g_free(self->state_path);
	if (self->keyfile != NULL)
		g_key_file_unref(self->keyfile);
	tender_adapter_config_free(self->config);
	if (self->payload != NULL)
		json_object_unref(self->payload);
	G_OBJECT_CLASS(tender_adapter_parent_class)->finalize(object);
}

static void
tender_adapter_class_init(TenderAdapterObjectClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = tender_adapter_finalize;
}

static void
tender_adapter_init(TenderAdapter *self)
{
	g_queue_init(&self->queue);
}

/* --- what adapter classes see --- */

/**
 * tender_adapter_get_name:
 * @self: a #TenderAdapter
 *
 * Returns: the instance's name, the name of its file without .conf
 *
 * Since: 0.1
 */
const gchar *
tender_adapter_get_name(TenderAdapter *self)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	return self->name;
}

/**
 * tender_adapter_get_workload_name:
 * @self: a #TenderAdapter
 *
 * Returns: the name of the instance's engine workload, adapter-NAME
 *
 * Since: 0.1
 */
const gchar *
tender_adapter_get_workload_name(TenderAdapter *self)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	return self->workload_name;
}

/**
 * tender_adapter_get_config_string:
 * @self: a #TenderAdapter
 * @key: a key of the adapter's own group, named after its type
 * @default_value: (nullable): what to return when the key is not there
 *
 * Returns: (transfer full) (nullable): the value, or a copy of @default_value
 *
 * Since: 0.1
 */
gchar *
tender_adapter_get_config_string(TenderAdapter *self, const gchar *key, const gchar *default_value)
{
	gchar *value;

	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	value = g_key_file_get_string(self->keyfile, self->config->type, key, NULL);
	return value != NULL ? value : g_strdup(default_value);
}

/**
 * tender_adapter_get_keyfile:
 * @self: a #TenderAdapter
 *
 * Returns: (transfer none): the whole instance file
 *
 * Since: 0.1
 */
GKeyFile *
tender_adapter_get_keyfile(TenderAdapter *self)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	return self->keyfile;
}

/**
 * tender_adapter_set_data:
 * @self: a #TenderAdapter
 * @data: (nullable): the adapter's state for this instance
 * @destroy: (nullable): frees @data with the instance
 *
 * Since: 0.1
 */
void
tender_adapter_set_data(TenderAdapter *self, gpointer data, GDestroyNotify destroy)
{
	g_return_if_fail(TENDER_IS_ADAPTER(self));
	if (self->data_destroy != NULL)
		self->data_destroy(self->data);
	self->data = data;
	self->data_destroy = destroy;
}

/**
 * tender_adapter_get_data:
 * @self: a #TenderAdapter
 *
 * Returns: (transfer none) (nullable): what tender_adapter_set_data() set
 *
 * Since: 0.1
 */
gpointer
tender_adapter_get_data(TenderAdapter *self)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	return self->data;
}

TenderWorkload *
tender_adapter_get_workload(TenderAdapter *self)
{
	return tender_engine_get_workload(self->engine, self->workload_name, NULL);
}

TenderState
tender_adapter_get_state(TenderAdapter *self)
{
	TenderWorkload *w = tender_adapter_get_workload(self);
	return w != NULL ? tender_workload_get_state(w) : TENDER_STATE_LAST;
}

/**
 * tender_adapter_get_main_pid:
 * @self: a #TenderAdapter
 *
 * Returns: the PID of the workload's command, or 0 when it does not run
 *
 * Since: 0.1
 */
guint32
tender_adapter_get_main_pid(TenderAdapter *self)
{
	TenderWorkload *w;

	g_return_val_if_fail(TENDER_IS_ADAPTER(self), 0);
	w = tender_adapter_get_workload(self);
	if (w == NULL || !tender_state_is_active(tender_workload_get_state(w)))
		return 0;
	return tender_workload_get_main_pid(w);
}

/**
 * tender_adapter_kill:
 * @self: a #TenderAdapter
 * @signo: a signal number
 * @error: (nullable): a #GError
 *
 * Sends @signo to every process of the instance's workload.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_adapter_kill(TenderAdapter *self, gint signo, GError **error)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), FALSE);
	return tender_engine_kill_workload(self->engine, self->workload_name, signo, error);
}

/**
 * tender_adapter_get_payload:
 * @self: a #TenderAdapter
 *
 * Returns: (transfer none) (nullable): the payload of the last successful start, kept
 *   across restarts of tenderd, or %NULL
 *
 * Since: 0.1
 */
JsonObject *
tender_adapter_get_payload(TenderAdapter *self)
{
	g_return_val_if_fail(TENDER_IS_ADAPTER(self), NULL);
	return self->payload;
}

/* --- what the core sees --- */

const TenderAdapterVTable *
tender_adapter_get_vtable(TenderAdapter *self)
{
	return self->klass;
}

const gchar *
tender_adapter_get_type_name(TenderAdapter *self)
{
	return self->config->type;
}

const gchar *
tender_adapter_get_object_path(TenderAdapter *self)
{
	return self->object_path;
}

const gchar *
tender_adapter_get_run_as_user(TenderAdapter *self)
{
	return self->config->run_as_user != NULL ? self->config->run_as_user : "";
}

const gchar *
tender_adapter_get_primary_payload_key(TenderAdapter *self)
{
	return self->config->primary_payload_key;
}

gboolean
tender_adapter_get_root_api(TenderAdapter *self)
{
	return self->config->root_api;
}

/**
 * tender_adapter_get_health:
 * @self: a #TenderAdapter
 *
 * Returns: (transfer full): the liveness answer: status, instance, running, app_status,
 *   timestamp
 */
JsonObject *
tender_adapter_get_health(TenderAdapter *self)
{
	JsonObject *obj = json_object_new();
	g_autofree gchar *timestamp = tender_util_timestamp_now();

	json_object_set_string_member(obj, "status", "ok");
	json_object_set_string_member(obj, "instance", self->name);
	json_object_set_boolean_member(obj,
				       "running",
				       tender_adapter_get_state(self) == TENDER_STATE_RUNNING);
	json_object_set_string_member(obj, "app_status", tender_adapter_get_app_status(self));
	json_object_set_string_member(obj, "timestamp", timestamp);
	return obj;
}

/**
 * tender_adapter_new:
 * @engine: the engine
 * @klass: the instance's adapter class
 * @name: the instance's name
 * @path: its file
 * @keyfile: its file's contents
 * @config: (transfer full): what tender_adapter_config_new_from_keyfile() made of them
 * @state_dir: tenderd's state directory
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the instance, set up by its class, or %NULL
 */
TenderAdapter *
tender_adapter_new(TenderEngine *engine,
		   const TenderAdapterVTable *klass,
		   const gchar *name,
		   const gchar *path,
		   GKeyFile *keyfile,
		   TenderAdapterConfig *config,
		   const gchar *state_dir,
		   GError **error)
{
	g_autoptr(TenderAdapter) self = g_object_new(TENDER_TYPE_ADAPTER, NULL);
	g_autoptr(GError) error_local = NULL;

	self->config = config;
	if (!tender_util_check_name(name, &error_local) ||
	    strlen(name) > TENDER_ADAPTER_INSTANCE_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: '%s' is not a valid instance name: %s",
			    path,
			    name,
			    error_local != NULL ? error_local->message : "it is too long");
		return NULL;
	}
	if (klass->start == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Adapter %s has no start function",
			    klass->name);
		return NULL;
	}
	self->engine = g_object_ref(engine);
	self->klass = klass;
	self->name = g_strdup(name);
	self->workload_name = g_strdup_printf("adapter-%s", name);
	self->object_path = tender_util_object_path_escape(TENDER_ADAPTER_PATH_PREFIX, name);
	self->path = g_strdup(path);
	self->state_path = g_strdup_printf("%s/adapters/%s.json", state_dir, name);
	self->keyfile = g_key_file_ref(keyfile);
	self->payload = tender_adapter_payload_load(self->name, self->state_path);
	if (klass->setup != NULL && !klass->setup(self, &error_local)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: %s",
			    path,
			    error_local != NULL ? error_local->message
						: "the adapter refused the instance");
		return NULL;
	}
	return g_steal_pointer(&self);
}
