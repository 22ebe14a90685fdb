/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-private.h"
#include "tender-authority.h"
#include "tender-error.h"
#include "tender-service.h"

/*
 * An adapter instance as a built-in service: org.tender.Agent1.Adapter on
 * /org/tender/Agent1/adapter/NAME, declared once here (its methods, their polkit actions and
 * the "method" detail rules see, "Adapter.X" for X and XJson alike, and its read-only
 * properties), and served by the front-ends' bridges like a plugin's service.  Polkit rules
 * also see the detail "adapter", the instance's name.
 */

static void
tender_adapter_service_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	TenderAdapter *adapter = TENDER_ADAPTER(source);
	const gchar *method = tender_call_get_method(call);
	TenderAdapterUpdateResult result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	g_autoptr(GError) error = NULL;

	if (g_str_has_prefix(method, "Update")) {
		if (!tender_adapter_update_finish(adapter, res, &result, &error)) {
			tender_call_return_error(call, error);
			return;
		}
		tender_call_return_value(call,
					 g_variant_new("(s)",
						       tender_adapter_update_result_to_string(
							   result)));
		return;
	}
	if (g_strcmp0(method, "GetPrometheus") == 0) {
		g_auto(GStrv) lines = NULL;
		g_autoptr(JsonObject) metrics =
		    tender_adapter_get_prometheus_finish(adapter, res, &lines, &error);
		g_autoptr(JsonNode) node = NULL;
		g_autofree gchar *text = NULL;

		if (metrics == NULL) {
			tender_call_return_error(call, error);
			return;
		}
		node = json_node_init_object(json_node_alloc(), metrics);
		text = json_to_string(node, FALSE);
		tender_call_return_value(call,
					 g_variant_new("(s^as)",
						       text,
						       (const gchar *const *)lines));
		return;
	}
	if (g_strcmp0(method, "GetMetrics") == 0) {
		g_autoptr(JsonObject) metrics =
		    tender_adapter_get_metrics_finish(adapter, res, &error);
		g_autoptr(JsonNode) node = NULL;
		g_autofree gchar *text = NULL;

		if (metrics == NULL) {
			tender_call_return_error(call, error);
			return;
		}
		node = json_node_init_object(json_node_alloc(), metrics);
		text = json_to_string(node, FALSE);
		tender_call_return_value(call, g_variant_new("(s)", text));
		return;
	}
	if (!(g_str_has_prefix(method, "Start")
		  ? tender_adapter_start_finish(adapter, res, &error)
		  : tender_adapter_stop_finish(adapter, res, &error))) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, NULL);
}

static void
tender_adapter_service_stop(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_adapter_stop_async(TENDER_ADAPTER(user_data),
				  NULL,
				  tender_adapter_service_done_cb,
				  call);
}

static void
tender_adapter_service_get_metrics(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	if (g_strcmp0(tender_call_get_method(call), "GetPrometheus") == 0)
		tender_adapter_get_prometheus_async(TENDER_ADAPTER(user_data),
						    NULL,
						    tender_adapter_service_done_cb,
						    call);
	else
		tender_adapter_get_metrics_async(TENDER_ADAPTER(user_data),
						 NULL,
						 tender_adapter_service_done_cb,
						 call);
}

/* Start, StartJson, Update and UpdateJson: a payload, as an a{sv} or as JSON text */
static void
tender_adapter_service_payload(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderAdapter *adapter = TENDER_ADAPTER(user_data);
	const gchar *method = tender_call_get_method(call);
	GVariant *parameters = tender_call_get_parameters(call);
	g_autoptr(JsonObject) payload = NULL;
	g_autoptr(GError) error = NULL;

	if (g_str_has_suffix(method, "Json")) {
		const gchar *text = NULL;
		g_variant_get(parameters, "(&s)", &text);
		payload = tender_adapter_payload_from_json(text, &error);
	} else {
		g_autoptr(GVariant) value = g_variant_get_child_value(parameters, 0);
		payload = tender_adapter_payload_from_variant(value, &error);
	}
	if (payload == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	if (g_str_has_prefix(method, "Start"))
		tender_adapter_start_async(adapter,
					   payload,
					   NULL,
					   tender_adapter_service_done_cb,
					   call);
	else
		tender_adapter_update_async(adapter,
					    payload,
					    NULL,
					    tender_adapter_service_done_cb,
					    call);
}

/* every method of org.tender.Agent1.Adapter: its action, and the method polkit rules see */
static const TenderServiceMethod tender_adapter_service_methods[] = {
    {"Start",
     TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE,
     "Adapter.Start",
     tender_adapter_service_payload},
    {"StartJson",
     TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE,
     "Adapter.Start",
     tender_adapter_service_payload},
    {"Update",
     TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE,
     "Adapter.Update",
     tender_adapter_service_payload},
    {"UpdateJson",
     TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE,
     "Adapter.Update",
     tender_adapter_service_payload},
    {"Stop", TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE, "Adapter.Stop", tender_adapter_service_stop},
    {"GetMetrics",
     TENDER_AUTHORITY_ACTION_ADAPTERS_READ,
     "Adapter.GetMetrics",
     tender_adapter_service_get_metrics},
    {"GetPrometheus",
     TENDER_AUTHORITY_ACTION_ADAPTERS_READ,
     "Adapter.GetMetrics",
     tender_adapter_service_get_metrics},
    {NULL},
};

static GVariant *
tender_adapter_service_property(gpointer user_data, const gchar *property)
{
	TenderAdapter *adapter = TENDER_ADAPTER(user_data);

	if (g_strcmp0(property, "Name") == 0)
		return g_variant_new_string(tender_adapter_get_name(adapter));
	if (g_strcmp0(property, "Type") == 0)
		return g_variant_new_string(tender_adapter_get_type_name(adapter));
	if (g_strcmp0(property, "Workload") == 0)
		return g_variant_new_string(tender_adapter_get_workload_name(adapter));
	if (g_strcmp0(property, "RunAsUser") == 0)
		return g_variant_new_string(tender_adapter_get_run_as_user(adapter));
	if (g_strcmp0(property, "RootApi") == 0)
		return g_variant_new_boolean(tender_adapter_get_root_api(adapter));
	if (g_strcmp0(property, "PrimaryPayloadKey") == 0)
		return g_variant_new_string(tender_adapter_get_primary_payload_key(adapter));
	return NULL;
}

/* the properties: all read with org.tender.adapters.read, as "Adapter.Get" for rules */
static const TenderServiceProperties tender_adapter_service_properties = {
    TENDER_AUTHORITY_ACTION_ADAPTERS_READ,
    "Adapter.Get",
    tender_adapter_service_property,
};

/**
 * tender_adapter_service_get_methods:
 *
 * Returns: the method table of every adapter instance
 */
const TenderServiceMethod *
tender_adapter_service_get_methods(void)
{
	return tender_adapter_service_methods;
}

/**
 * tender_adapter_service_new:
 * @adapter: an adapter instance
 * @iface: org.tender.Agent1.Adapter
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the instance's service, named after it
 */
TenderService *
tender_adapter_service_new(TenderAdapter *adapter, GDBusInterfaceInfo *iface, GError **error)
{
	TenderService *service = tender_service_new_builtin(tender_adapter_get_name(adapter),
							    tender_adapter_get_object_path(adapter),
							    iface,
							    tender_adapter_service_methods,
							    &tender_adapter_service_properties,
							    g_object_ref(adapter),
							    g_object_unref,
							    error);
	if (service == NULL) {
		g_object_unref(adapter);
		return NULL;
	}
	tender_service_add_detail(service, "adapter", tender_adapter_get_name(adapter));
	return service;
}
