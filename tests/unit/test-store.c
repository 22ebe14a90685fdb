/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tender-error.h"
#include "tender-store.h"
#include "tender-util.h"

static TenderWorkload *
new_workload(const gchar *name)
{
	g_autoptr(GVariant) v = g_variant_parse(NULL,
						"{'argv': <['sleep', '1']>, 'restart': <'always'>,"
						" 'labels': <{'a': 'b'}>}",
						NULL,
						NULL,
						NULL);
	TenderSpec *spec = tender_spec_new_from_variant(v, NULL);
	g_assert_nonnull(spec);
	return tender_workload_new(name, spec);
}

static gchar *
workload_text(TenderWorkload *w)
{
	g_autoptr(JsonNode) node = tender_workload_to_json(w);
	return json_to_string(node, FALSE);
}

static void
rm_rf(const gchar *dir)
{
	g_autoptr(GFile) file = g_file_new_for_path(dir);
	g_autoptr(GFileEnumerator) e = g_file_enumerate_children(file,
								 G_FILE_ATTRIBUTE_STANDARD_NAME,
								 G_FILE_QUERY_INFO_NONE,
								 NULL,
								 NULL);
	GFileInfo *info;

	while (e != NULL && (info = g_file_enumerator_next_file(e, NULL, NULL)) != NULL) {
		g_autoptr(GFileInfo) owned = info;
		g_autofree gchar *path = g_build_filename(dir, g_file_info_get_name(info), NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			rm_rf(path);
		else
			g_assert_cmpint(g_unlink(path), ==, 0);
	}
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_store_round_trip(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-store-XXXXXX", NULL);
	g_autoptr(TenderStore) store = tender_store_new(dir);
	g_autoptr(TenderWorkload) w = new_workload("web");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = NULL;
	TenderStoreRun run = {.run_id = (gchar *)"0123abcd", .shim_pid = 4242};
	TenderStoreItem *item;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *path = NULL;
	GStatBuf st;

	g_assert_true(tender_store_setup(store, &error));
	g_assert_no_error(error);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_STARTING, NULL));
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_RUNNING, NULL));
	tender_workload_set_main_pid(w, 4243);
	tender_workload_set_control_group(w, "/tender.slice/tender-web.scope");
	tender_workload_set_started_at(w, "2026-11-25T10:00:00.000001Z");
	tender_workload_set_restart_count(w, 3);
	tender_workload_set_oom_killed(w, TRUE);
	g_assert_true(tender_store_save(store, w, &run, &error));
	g_assert_no_error(error);

	path = g_build_filename(dir, "workloads", "web.json", NULL);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);

	items = tender_store_load(store);
	g_assert_cmpuint(items->len, ==, 1);
	item = g_ptr_array_index(items, 0);
	g_assert_cmpstr(item->run.run_id, ==, "0123abcd");
	g_assert_cmpint(item->run.shim_pid, ==, 4242);
	g_assert_false(item->run.restart_pending);
	/* everything the workload says of itself comes back */
	before = workload_text(w);
	after = workload_text(item->workload);
	g_assert_cmpstr(before, ==, after);
	g_assert_cmpint(tender_workload_get_state(item->workload), ==, TENDER_STATE_RUNNING);
	g_assert_cmpuint(tender_workload_get_restart_count(item->workload), ==, 3);

	g_assert_true(tender_store_delete(store, "web", &error));
	g_assert_true(tender_store_delete(store, "web", &error));
	g_assert_no_error(error);
	g_clear_pointer(&items, g_ptr_array_unref);
	items = tender_store_load(store);
	g_assert_cmpuint(items->len, ==, 0);
	rm_rf(dir);
}

/* a state written without sync is read back at once, and synced once at the most */
static void
test_store_unsynced(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-store-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "workloads", "web.json", NULL);
	g_autofree gchar *aside = g_strdup_printf("%s.aside", path);
	g_autofree gchar *synced = g_strdup_printf("%s.synced", path);
	g_autofree gchar *orphan = g_build_filename(dir, "workloads", "gone.json.synced", NULL);
	g_autoptr(TenderStore) store = tender_store_new(dir);
	g_autoptr(TenderStore) again = tender_store_new(dir);
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(TenderWorkload) w = new_workload("web");
	g_autoptr(GError) error = NULL;
	TenderStoreItem *item;
	GStatBuf durable;
	GStatBuf kept;

	g_assert_true(tender_store_setup(store, NULL));
	g_assert_true(tender_store_save(store, w, NULL, NULL));
	/* saved durably: nothing to sync, even with the file gone */
	g_assert_cmpint(g_rename(path, aside), ==, 0);
	g_assert_true(tender_store_sync(store, "web", &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_rename(aside, path), ==, 0);

	g_assert_true(tender_workload_set_state(w, TENDER_STATE_STARTING, NULL));
	g_assert_true(tender_store_save_full(store, w, NULL, FALSE, &error));
	g_assert_no_error(error);
	items = tender_store_load(store);
	g_assert_cmpuint(items->len, ==, 1);
	item = g_ptr_array_index(items, 0);
	g_assert_cmpint(tender_workload_get_state(item->workload), ==, TENDER_STATE_STARTING);

	/* the sync of a file that is not there says which */
	g_assert_cmpint(g_rename(path, aside), ==, 0);
	g_assert_false(tender_store_sync(store, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, path));
	g_clear_error(&error);
	g_assert_cmpint(g_rename(aside, path), ==, 0);
	g_assert_true(tender_store_sync(store, "web", &error));
	g_assert_no_error(error);
	/* synced: the next sync has nothing to do */
	g_assert_cmpint(g_rename(path, aside), ==, 0);
	g_assert_true(tender_store_sync(store, "web", NULL));
	g_assert_cmpint(g_rename(aside, path), ==, 0);
	g_assert_false(g_file_test(synced, G_FILE_TEST_EXISTS));

	/* the first unsynced write keeps the durable file, which a crash of the machine that
	 * leaves an empty one brings back; what a removal left goes */
	g_assert_cmpint(g_stat(path, &durable), ==, 0);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_RUNNING, NULL));
	g_assert_true(tender_store_save_full(store, w, NULL, FALSE, NULL));
	g_assert_true(tender_store_save_full(store, w, NULL, FALSE, NULL));
	g_assert_cmpint(g_stat(synced, &kept), ==, 0);
	g_assert_cmpuint(kept.st_ino, ==, durable.st_ino);
	g_assert_true(g_file_set_contents(path, "", 0, NULL));
	g_assert_true(g_file_set_contents(orphan, "{}", -1, NULL));
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*cannot use*web.json*");
	g_test_expect_message("tender",
			      G_LOG_LEVEL_WARNING,
			      "*last durable state of workload web*");
	g_clear_pointer(&items, g_ptr_array_unref);
	items = tender_store_load(again);
	g_test_assert_expected_messages();
	g_assert_cmpuint(items->len, ==, 1);
	item = g_ptr_array_index(items, 0);
	g_assert_cmpint(tender_workload_get_state(item->workload), ==, TENDER_STATE_STARTING);
	g_assert_false(g_file_test(synced, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(orphan, G_FILE_TEST_EXISTS));

	/* a delete leaves nothing to sync */
	g_assert_true(tender_store_save_full(store, w, NULL, FALSE, NULL));
	g_assert_true(tender_store_delete(store, "web", &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_true(tender_store_sync(store, "web", &error));
	g_assert_no_error(error);
	rm_rf(dir);
}

static void
write_file(const gchar *dir, const gchar *name, const gchar *text)
{
	g_autofree gchar *path = g_build_filename(dir, "workloads", name, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void
test_store_broken_files(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-store-XXXXXX", NULL);
	g_autofree gchar *wdir = g_build_filename(dir, "workloads", NULL);
	g_autoptr(TenderStore) store = tender_store_new(dir);
	g_autoptr(TenderWorkload) w = new_workload("good");
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GDir) d = NULL;
	const gchar *entry;
	g_autoptr(GString) deep = g_string_new("{\"format\": \"tender-workload/1\", \"name\": "
					       "\"deep\", \"spec\": {\"argv\": ");
	guint aside = 0;

	/* 400,000 levels: more than json-glib's recursion survives */
	for (guint i = 0; i < 400000; i++)
		g_string_append_c(deep, '[');
	g_assert_true(tender_store_setup(store, NULL));
	g_assert_true(tender_store_save(store, w, NULL, NULL));
	write_file(dir, "garbage.json", "{ nope");
	write_file(dir,
		   "other.json",
		   "{\"format\": \"tender-workload/1\", \"name\": \"good\","
		   " \"spec\": {\"argv\": [\"true\"]}, \"state\": {\"state\": \"created\"}}");
	write_file(dir,
		   "badstate.json",
		   "{\"format\": \"tender-workload/1\", \"name\": \"badstate\","
		   " \"spec\": {\"argv\": [\"true\"]}, \"state\": {\"state\": \"dancing\"}}");
	write_file(dir, "-bad-name.json", "{}");
	write_file(dir, "good.json.tmp.XYZ123", "{ half");
	write_file(dir, "README", "not a state file");
	write_file(dir, "deep.json", deep->str);

	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*cannot use*-bad-name.json*");
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*cannot use*badstate.json*dancing*");
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*deep.json: it nests deeper than*");
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*cannot use*garbage.json*");
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*cannot use*other.json*'good'*");
	items = tender_store_load(store);
	g_test_assert_expected_messages();

	g_assert_cmpuint(items->len, ==, 1);
	g_assert_cmpstr(tender_workload_get_name(
			    ((TenderStoreItem *)g_ptr_array_index(items, 0))->workload),
			==,
			"good");
	/* moved aside, not deleted; the interrupted write is gone; the rest is left alone */
	d = g_dir_open(wdir, 0, NULL);
	while ((entry = g_dir_read_name(d)) != NULL) {
		g_assert_null(strstr(entry, ".tmp."));
		if (strstr(entry, ".json.broken-") != NULL)
			aside++;
	}
	g_assert_cmpuint(aside, ==, 5);
	g_assert_true(g_file_test(wdir, G_FILE_TEST_IS_DIR));
	rm_rf(dir);
}

static void
test_workload_json(void)
{
	g_autoptr(TenderWorkload) w = new_workload("src");
	g_autoptr(JsonNode) node = tender_workload_to_json(w);
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderWorkload) copy = NULL;
	g_autoptr(TenderWorkload) renamed = NULL;
	JsonObject *obj = json_node_get_object(node);

	g_assert_cmpstr(json_object_get_string_member(obj, "format"), ==, "tender-workload/1");
	tender_workload_set_restart_count(w, 2);
	/* an import is a new workload: the state stays behind */
	copy = tender_workload_new_from_json(node, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_workload_get_name(copy), ==, "src");
	g_assert_cmpint(tender_workload_get_state(copy), ==, TENDER_STATE_CREATED);
	renamed = tender_workload_new_from_json(node, "dst", FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_workload_get_name(renamed), ==, "dst");
	g_assert_cmpstr(tender_workload_get_object_path(renamed),
			==,
			"/org/tender/Agent1/workload/dst");

	g_assert_null(tender_workload_new_from_json(node, "bad/name", FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	json_object_set_string_member(obj, "format", "tender-workload/2");
	g_assert_null(tender_workload_new_from_json(node, NULL, FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "tender-workload/2"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/store/round-trip", test_store_round_trip);
	g_test_add_func("/store/unsynced", test_store_unsynced);
	g_test_add_func("/store/broken-files", test_store_broken_files);
	g_test_add_func("/store/workload-json", test_workload_json);
	return g_test_run();
}
