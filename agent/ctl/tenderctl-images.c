/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* image import, list, inspect and remove */

#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-units.h"
#include "tenderctl-private.h"

#define TENDER_CTL_IMAGE_IFACE "org.tender.Agent1.Image"
/* the digest as list shows it: "sha256:" and 12 hex digits */
#define TENDER_CTL_IMAGE_DIGEST_SHORT (7 + 12)

/* what inspect shows, in order, before the Config */
static const gchar *const tender_ctl_image_keys[] = {"Name",
						     "Size",
						     "Digest",
						     "Source",
						     "CreatedAt"};

/* VERB [NAME...] [FILE]: the verb goes to image_verb, the rest stays in names */
gboolean
tender_ctl_images_check_args(TenderCtl *self, GError **error)
{
	guint n = g_strv_length(self->names);
	const gchar *verb = n > 0 ? self->names[0] : NULL;
	const gchar *usage = NULL;

	if (g_strcmp0(verb, "import") == 0 && n != 3)
		usage = "'image import' takes an image name and a file (- for standard input)";
	else if (g_strcmp0(verb, "list") == 0 && n != 1)
		usage = "'image list' takes no arguments";
	else if ((g_strcmp0(verb, "inspect") == 0 || g_strcmp0(verb, "remove") == 0) && n < 2)
		usage = "'image inspect' and 'image remove' need at least one image name";
	else if (self->force && g_strcmp0(verb, "remove") != 0)
		usage = "--force goes with 'image remove'";
	else if (self->replace && g_strcmp0(verb, "import") != 0)
		usage = "--replace goes with 'image import'";
	else if (verb == NULL || !g_strv_contains((const gchar *const[]){"import",
									 "list",
									 "inspect",
									 "remove",
									 NULL},
						  verb))
		usage = "'image' needs a verb: import, list, inspect or remove";
	if (usage != NULL) {
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, usage);
		return FALSE;
	}
	/* the verb goes, the names after it (and the NULL) move up */
	self->image_verb = self->names[0];
	memmove(self->names, self->names + 1, n * sizeof(gchar *));
	return TRUE;
}

/* ImportImage, with the descriptor of FILE (or of standard input) */
static gboolean
tender_ctl_image_import(TenderCtl *self, GError **error)
{
	const gchar *name = self->names[0];
	const gchar *path = self->names[1];
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) digest = NULL;
	const gchar *object_path = NULL;
	struct stat st;
	gint fd = g_strcmp0(path, "-") == 0 ? dup(STDIN_FILENO)
					    : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Cannot open %s: %s",
			    g_strcmp0(path, "-") == 0 ? "standard input" : path,
			    g_strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return FALSE;
	}
	/* a directory is imported as it is: tenderd allows that to root */
	if (S_ISDIR(st.st_mode))
		g_variant_builder_add(&options, "{sv}", "directory", g_variant_new_boolean(TRUE));
	if (self->replace)
		g_variant_builder_add(&options, "{sv}", "replace", g_variant_new_boolean(TRUE));
	(void)g_unix_fd_list_append(fds, fd, NULL);
	(void)close(fd);
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
	    self->connection,
	    TENDER_CTL_BUS_NAME,
	    TENDER_CTL_MANAGER_PATH,
	    TENDER_CTL_MANAGER_IFACE,
	    "ImportImage",
	    g_variant_new("(sha{sv})", name, 0, &options),
	    G_VARIANT_TYPE("(o)"),
	    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
	    TENDER_CTL_TIMEOUT_NONE,
	    fds,
	    NULL,
	    NULL,
	    &error_local);
	if (reply == NULL) {
		tender_ctl_bus_propagate_error(error, g_steal_pointer(&error_local));
		if (!tender_ctl_bus_error_is_not_running(*error))
			g_prefix_error(error, "Failed to import image '%s': ", name);
		return FALSE;
	}
	g_variant_get(reply, "(&o)", &object_path);
	digest = tender_ctl_bus_call(self,
				     object_path,
				     TENDER_CTL_PROPERTIES_IFACE,
				     "Get",
				     g_variant_new("(ss)", TENDER_CTL_IMAGE_IFACE, "Digest"),
				     G_VARIANT_TYPE("(v)"),
				     TENDER_CTL_TIMEOUT_DEFAULT,
				     NULL);
	if (digest != NULL) {
		g_autoptr(GVariant) value = NULL;
		g_variant_get(digest, "(v)", &value);
		g_print("%s\n", g_variant_get_string(value, NULL));
	}
	return TRUE;
}

static GVariant *
tender_ctl_image_list_all(TenderCtl *self, GError **error)
{
	return tender_ctl_bus_list(self, "ListImages", "(a(stssso))", "images", error);
}

static gboolean
tender_ctl_image_list(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) images = tender_ctl_image_list_all(self, error);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	GVariantIter iter;
	const gchar *name = NULL;
	const gchar *digest = NULL;
	const gchar *source = NULL;
	const gchar *created = NULL;
	const gchar *path = NULL;
	guint64 size = 0;
	gint width = strlen("NAME");

	if (images == NULL)
		return FALSE;
	g_variant_iter_init(&iter, images);
	while (g_variant_iter_next(&iter, "(&st&s&s&s&o)", &name, NULL, NULL, NULL, NULL, NULL))
		width = MAX(width, (gint)strlen(name));
	if (!self->json)
		g_print("%-*s  %8s  %-14s  %-27s  %s\n",
			width,
			"NAME",
			"SIZE",
			"SOURCE",
			"CREATED",
			"DIGEST");
	json_builder_begin_array(builder);
	g_variant_iter_init(&iter, images);
	while (g_variant_iter_next(&iter,
				   "(&st&s&s&s&o)",
				   &name,
				   &size,
				   &digest,
				   &source,
				   &created,
				   &path)) {
		g_autofree gchar *human = tender_units_format_size(size);
		g_autofree gchar *short_digest = g_strndup(digest, TENDER_CTL_IMAGE_DIGEST_SHORT);

		if (!self->json) {
			g_print("%-*s  %8s  %-14s  %-27s  %s\n",
				width,
				name,
				human,
				source,
				created,
				short_digest);
			continue;
		}
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "Name");
		json_builder_add_string_value(builder, name);
		json_builder_set_member_name(builder, "Size");
		json_builder_add_int_value(builder, (gint64)size);
		json_builder_set_member_name(builder, "Digest");
		json_builder_add_string_value(builder, digest);
		json_builder_set_member_name(builder, "Source");
		json_builder_add_string_value(builder, source);
		json_builder_set_member_name(builder, "CreatedAt");
		json_builder_add_string_value(builder, created);
		json_builder_set_member_name(builder, "ObjectPath");
		json_builder_add_string_value(builder, path);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	if (self->json) {
		g_autoptr(JsonNode) root = json_builder_get_root(builder);
		tender_ctl_print_json(root);
	}
	return TRUE;
}

static gboolean
tender_ctl_image_inspect_one(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) images = tender_ctl_image_list_all(self, error);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) props = NULL;
	g_autoptr(GVariant) config = NULL;
	g_autofree gchar *path = NULL;
	GVariantIter iter;
	const gchar *n = NULL;
	const gchar *p = NULL;

	if (images == NULL)
		return FALSE;
	g_variant_iter_init(&iter, images);
	while (path == NULL &&
	       g_variant_iter_next(&iter, "(&st&s&s&s&o)", &n, NULL, NULL, NULL, NULL, &p)) {
		if (g_strcmp0(n, name) == 0)
			path = g_strdup(p);
	}
	if (path == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No image %s", name);
		return FALSE;
	}
	reply = tender_ctl_bus_call(self,
				    path,
				    TENDER_CTL_PROPERTIES_IFACE,
				    "GetAll",
				    g_variant_new("(s)", TENDER_CTL_IMAGE_IFACE),
				    G_VARIANT_TYPE("(a{sv})"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    error);
	if (reply == NULL) {
		g_prefix_error(error, "Failed to inspect image '%s': ", name);
		return FALSE;
	}
	props = g_variant_get_child_value(reply, 0);
	if (self->json) {
		json_array_add_element(self->json_results, json_gvariant_serialize(props));
		return TRUE;
	}
	if (self->n_shown++ > 0)
		g_print("\n");
	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_image_keys); i++) {
		const gchar *key = tender_ctl_image_keys[i];
		g_autoptr(GVariant) value = g_variant_lookup_value(props, key, NULL);

		if (value != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
			g_autofree gchar *human =
			    tender_units_format_size(g_variant_get_uint64(value));
			g_autofree gchar *size = g_strdup_printf("%s (%" G_GUINT64_FORMAT " bytes)",
								 human,
								 g_variant_get_uint64(value));
			tender_ctl_print_key(key, size);
		} else if (value != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			tender_ctl_print_key(key, g_variant_get_string(value, NULL));
		}
	}
	config = g_variant_lookup_value(props, "Config", G_VARIANT_TYPE_VARDICT);
	if (config != NULL && g_variant_n_children(config) > 0)
		tender_ctl_print_dict("Config", config);
	else
		tender_ctl_print_key("Config", NULL);
	return TRUE;
}

static gboolean
tender_ctl_image_remove_one(TenderCtl *self, const gchar *name, GError **error)
{
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GVariant) reply = NULL;

	if (self->force)
		g_variant_builder_add(&options, "{sv}", "force", g_variant_new_boolean(TRUE));
	reply = tender_ctl_bus_call(self,
				    TENDER_CTL_MANAGER_PATH,
				    TENDER_CTL_MANAGER_IFACE,
				    "RemoveImage",
				    g_variant_new("(sa{sv})", name, &options),
				    NULL,
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    error);
	if (reply == NULL && !tender_ctl_bus_error_is_not_running(*error))
		g_prefix_error(error, "Failed to remove image '%s': ", name);
	return reply != NULL;
}

gboolean
tender_ctl_cmd_image(TenderCtl *self, GError **error)
{
	gboolean ret;

	if (g_strcmp0(self->image_verb, "import") == 0)
		return tender_ctl_image_import(self, error);
	if (g_strcmp0(self->image_verb, "list") == 0)
		return tender_ctl_image_list(self, error);
	if (g_strcmp0(self->image_verb, "remove") == 0)
		return tender_ctl_foreach_name(self, tender_ctl_image_remove_one, error);
	self->json_results = json_array_new();
	ret = tender_ctl_foreach_name(self, tender_ctl_image_inspect_one, error);
	if (self->json && (ret || json_array_get_length(self->json_results) > 0)) {
		g_autoptr(JsonNode) root =
		    json_node_init_array(json_node_alloc(), self->json_results);
		tender_ctl_print_json(root);
	}
	return ret;
}
