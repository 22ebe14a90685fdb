/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-engine-private.h"
#include "tender-json.h"
#include "tender-workload-view.h"

/*
 * What the engine tells about a workload: its org.tender.Agent1.Workload properties, and the
 * details an authorization check is told about a call on it.
 */

/* --- what an authorization check is told about a call --- */

/* argv as one line for people and polkit rules: words with blanks or quotes shell-quoted */
static gchar *
tender_engine_command_line(const gchar *const *argv)
{
	GString *line = g_string_new(NULL);

	for (guint i = 0; argv != NULL && argv[i] != NULL; i++) {
		g_autofree gchar *quoted = NULL;
		if (i > 0)
			g_string_append_c(line, ' ');
		if (argv[i][0] != '\0' && strpbrk(argv[i], " \t\n'\"\\$`;&|<>()*?[]#~") == NULL) {
			g_string_append(line, argv[i]);
			continue;
		}
		quoted = g_shell_quote(argv[i]);
		g_string_append(line, quoted);
	}
	return g_string_free(line, FALSE);
}

static void
tender_engine_details_add_argv(GHashTable *details, const gchar *const *argv)
{
	if (argv == NULL || argv[0] == NULL)
		return;
	g_hash_table_insert(details, g_strdup("program"), g_strdup(argv[0]));
	g_hash_table_insert(details, g_strdup("command_line"), tender_engine_command_line(argv));
}

/**
 * tender_engine_get_workload_property:
 * @self: a #TenderEngine
 * @w: a workload
 * @property: the name of an org.tender.Agent1.Workload property, e.g. "State"
 *
 * Returns: (transfer floating) (nullable): its value, or %NULL for no such property
 */
GVariant *
tender_engine_get_workload_property(TenderEngine *self, TenderWorkload *w, const gchar *property)
{
	TenderWorkloadProp prop;

	if (!tender_workload_prop_lookup(property, &prop))
		return NULL;
	switch (prop) {
	case TENDER_WORKLOAD_PROP_NAME:
		return g_variant_new_string(tender_workload_get_name(w));
	case TENDER_WORKLOAD_PROP_STATE:
		return g_variant_new_string(tender_state_to_string(tender_workload_get_state(w)));
	case TENDER_WORKLOAD_PROP_REASON:
		return g_variant_new_string(tender_workload_get_reason(w));
	case TENDER_WORKLOAD_PROP_UNIT:
		return g_variant_new_string(tender_workload_get_unit(w));
	case TENDER_WORKLOAD_PROP_CONTROL_GROUP:
		return g_variant_new_string(tender_workload_get_control_group(w));
	case TENDER_WORKLOAD_PROP_MAIN_PID:
		return g_variant_new_uint32(tender_workload_get_main_pid(w));
	case TENDER_WORKLOAD_PROP_EXIT_CODE:
		return g_variant_new_int32(tender_workload_get_exit_code(w));
	case TENDER_WORKLOAD_PROP_EXIT_SIGNAL:
		return g_variant_new_int32(tender_workload_get_exit_signal(w));
	case TENDER_WORKLOAD_PROP_CREATED_AT:
		return g_variant_new_string(tender_workload_get_created_at(w));
	case TENDER_WORKLOAD_PROP_STARTED_AT:
		return g_variant_new_string(tender_workload_get_started_at(w));
	case TENDER_WORKLOAD_PROP_STOPPED_AT:
		return g_variant_new_string(tender_workload_get_stopped_at(w));
	case TENDER_WORKLOAD_PROP_COMMAND: {
		const gchar *const *command = tender_workload_get_command(w);
		return g_variant_new_strv(command, command != NULL ? -1 : 0);
	}
	case TENDER_WORKLOAD_PROP_SPEC:
		return tender_spec_to_variant(tender_workload_get_spec(w));
	case TENDER_WORKLOAD_PROP_RESTART_COUNT:
		return g_variant_new_uint32(tender_workload_get_restart_count(w));
	case TENDER_WORKLOAD_PROP_OOM_KILLED:
		return g_variant_new_boolean(tender_workload_get_oom_killed(w));
	case TENDER_WORKLOAD_PROP_HEALTH:
		return g_variant_new_string(tender_workload_get_health(w));
	case TENDER_WORKLOAD_PROP_LIMITS:
		return tender_engine_get_limits(self, w);
	case TENDER_WORKLOAD_PROP_OWNER:
		return g_variant_new_string(tender_workload_get_owner(w));
	case TENDER_WORKLOAD_PROP_ADDRESS:
		return g_variant_new_string(tender_workload_get_address(w));
	case TENDER_WORKLOAD_PROP_LAST:
	default:
		break;
	}
	return NULL;
}

/**
 * tender_engine_get_workload_properties:
 * @self: a #TenderEngine
 * @name: a workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv} of all the org.tender.Agent1.Workload properties
 */
GVariant *
tender_engine_get_workload_properties(TenderEngine *self, const gchar *name, GError **error)
{
	TenderWorkload *w = tender_engine_get_workload(self, name, error);
	GVariantBuilder builder;

	if (w == NULL)
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; i < TENDER_WORKLOAD_PROP_LAST; i++) {
		const gchar *property = tender_workload_prop_get_name((TenderWorkloadProp)i);
		g_variant_builder_add(&builder,
				      "{sv}",
				      property,
				      tender_engine_get_workload_property(self, w, property));
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/**
 * tender_engine_get_call_details:
 * @self: a #TenderEngine
 * @method: the Manager method called, e.g. "StartWorkload"
 * @name: (nullable): the workload it names (for ImportWorkload: the option "name", if given)
 * @spec: (nullable): the spec (a{sv}) of a CreateWorkload
 * @json: (nullable): the text of an ImportWorkload
 *
 * What polkit rules may decide on, the same for every front-end: "method" (the Manager method),
 * "workload" (its name), "program" (argv[0]) and "command_line" (argv, shell-quoted where
 * needed).  The command is the one the call brings for CreateWorkload and ImportWorkload, and
 * the workload's own (its Command, with what its image gives) for a method on an existing
 * workload.  Keys whose value is not known (a malformed spec, a spec that leaves the command to
 * its image, no such workload) are left out; the call itself refuses a malformed spec or an
 * unknown workload afterwards.
 *
 * Returns: (transfer full): gchar* → gchar*
 */
GHashTable *
tender_engine_get_call_details(TenderEngine *self,
			       const gchar *method,
			       const gchar *name,
			       GVariant *spec,
			       const gchar *json)
{
	GHashTable *details = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	TenderSupervisor *entry = NULL;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), details);
	g_hash_table_insert(details, g_strdup("method"), g_strdup(method));
	if (json != NULL && strlen(json) <= TENDER_ENGINE_IMPORT_MAX) {
		g_autoptr(JsonNode) root = tender_json_parse(json, -1, TENDER_JSON_DEPTH_MAX, NULL);
		g_autoptr(TenderWorkload) imported = NULL;
		if (root != NULL)
			imported = tender_workload_new_from_json(root, name, FALSE, NULL);
		if (imported != NULL) {
			g_hash_table_insert(details,
					    g_strdup("workload"),
					    g_strdup(tender_workload_get_name(imported)));
			tender_engine_details_add_argv(details,
						       (const gchar *const *)
							   tender_workload_get_spec(imported)
							       ->argv);
		}
		return details;
	}
	if (name == NULL)
		return details;
	g_hash_table_insert(details, g_strdup("workload"), g_strdup(name));
	if (spec != NULL) {
		g_autoptr(GVariant) argv =
		    g_variant_lookup_value(spec, "argv", G_VARIANT_TYPE_STRING_ARRAY);
		g_autofree const gchar **strv =
		    argv != NULL ? g_variant_get_strv(argv, NULL) : NULL;
		tender_engine_details_add_argv(details, strv);
		return details;
	}
	entry = g_hash_table_lookup(self->entries, name);
	if (entry != NULL)
		tender_engine_details_add_argv(details,
					       tender_workload_get_command(entry->workload));
	return details;
}
