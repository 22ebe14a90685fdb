/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "tender-spec.h"
#include "tender-workload-view.h"
#include "tender-workload.h"

/* the view's table is org.tender.Agent1.Workload, property for property, in its order */
static void
test_view_is_the_interface(void)
{
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST,
						       "..",
						       "dbus-interfaces",
						       "org.tender.Agent1.xml",
						       NULL);
	g_autofree gchar *xml = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;
	GDBusInterfaceInfo *iface;
	guint n = 0;

	g_assert_true(g_file_get_contents(path, &xml, NULL, &error));
	g_assert_no_error(error);
	node = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	iface = g_dbus_node_info_lookup_interface(node, "org.tender.Agent1.Workload");
	g_assert_nonnull(iface);
	for (; iface->properties[n] != NULL; n++) {
		const TenderWorkloadPropInfo *info = tender_workload_prop_get_info(n);
		TenderWorkloadProp prop;
		g_assert_nonnull(info);
		g_assert_cmpstr(info->name, ==, iface->properties[n]->name);
		g_assert_cmpstr(info->type, ==, iface->properties[n]->signature);
		g_assert_true(tender_workload_prop_lookup(info->name, &prop));
		g_assert_cmpint(prop, ==, n);
	}
	g_assert_cmpint(n, ==, TENDER_WORKLOAD_PROP_LAST);
}

static void
changed_cb(TenderWorkload *w, const gchar *property, gpointer user_data)
{
	g_ptr_array_add(user_data, g_strdup(property));
}

/* every change a workload announces names a property of the view */
static void
test_changes_name_properties(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) value =
	    g_variant_parse(G_VARIANT_TYPE_VARDICT, "{'argv': <['true']>}", NULL, NULL, &error);
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(value, &error);
	g_autoptr(TenderWorkload) w = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

	g_assert_no_error(error);
	w = tender_workload_new("viewed", g_steal_pointer(&spec));
	g_signal_connect(w, "changed", G_CALLBACK(changed_cb), names);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_STARTING, NULL));
	tender_workload_set_control_group(w, "/tender.slice/tender-viewed.scope");
	tender_workload_set_main_pid(w, 42);
	tender_workload_set_started_at(w, "2026-12-05T00:00:00Z");
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_RUNNING, NULL));
	tender_workload_set_health(w, "healthy");
	tender_workload_set_oom_killed(w, TRUE);
	tender_workload_set_exit(w, 3, 9);
	tender_workload_set_stopped_at(w, "2026-12-05T00:00:01Z");
	tender_workload_set_restart_count(w, 1);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_FAILED, "exit-code: 3"));
	g_assert_cmpuint(names->len, >=, 11);
	for (guint i = 0; i < names->len; i++) {
		TenderWorkloadProp prop;
		g_assert_true(tender_workload_prop_lookup(g_ptr_array_index(names, i), &prop));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/workload-view/interface", test_view_is_the_interface);
	g_test_add_func("/workload-view/changes", test_changes_name_properties);
	return g_test_run();
}
