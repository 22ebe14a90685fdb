/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-image.h"
#include "tender-json.h"
#include "tender-util.h"

/*
 * TenderImage: one image of the store, DIR/NAME/: its root file system (rootfs/, the
 * read-only lower layer of its workloads' overlays) and what image.json keeps of it, the
 * format "tender-image/1":
 *   {"format": "tender-image/1", "name": s, "size": bytes, "digest": "sha256:HEX",
 *    "source": "tar" | "oci" | "docker-archive" | "directory", "created_at": ISO-8601 UTC,
 *    "config": {"env": [s], "entrypoint": [s], "cmd": [s], "working_directory": s,
 *               "user": s}}
 * An image never changes once imported: it is replaced or removed as a whole.
 */

#define TENDER_IMAGE_FORMAT "tender-image/1"
/* the most image.json may have */
#define TENDER_IMAGE_FILE_MAX (1024 * 1024)

struct _TenderImage {
	GObject parent_instance;
	gchar *name;
	gchar *rootfs;
	gchar *object_path;
	guint64 size;
	gchar *digest;
	gchar *source;
	gint64 created;
	GVariant *config;
};

G_DEFINE_TYPE(TenderImage, tender_image, G_TYPE_OBJECT)

/* the keys of the config and their types */
static const struct {
	const gchar *key;
	const gchar *type;
} tender_image_config_keys[] = {
    {"env", "as"},
    {"entrypoint", "as"},
    {"cmd", "as"},
    {"working_directory", "s"},
    {"user", "s"},
};

/**
 * tender_image_new:
 * @dir: the store's directory
 * @name: the image's name
 * @size: the bytes of its root file system
 * @digest: "sha256:HEX" of what was imported
 * @source: "tar", "oci", "docker-archive" or "directory"
 * @created: when it was imported, microseconds since the epoch (UTC)
 * @config: (nullable) (transfer none): its config, a{sv}; a floating one is taken
 *
 * Returns: (transfer full): an image, whose root file system is DIR/NAME/rootfs
 */
TenderImage *
tender_image_new(const gchar *dir,
		 const gchar *name,
		 guint64 size,
		 const gchar *digest,
		 const gchar *source,
		 gint64 created,
		 GVariant *config)
{
	TenderImage *self = g_object_new(TENDER_TYPE_IMAGE, NULL);

	self->name = g_strdup(name);
	self->rootfs = g_build_filename(dir, name, "rootfs", NULL);
	self->object_path = tender_util_object_path_escape(TENDER_IMAGE_PATH_PREFIX, name);
	self->size = size;
	self->digest = g_strdup(digest);
	self->source = g_strdup(source);
	self->created = created;
	self->config = config != NULL ? g_variant_ref_sink(config)
				      : g_variant_ref_sink(g_variant_new("a{sv}", NULL));
	return self;
}

static JsonNode *
tender_image_config_to_json(GVariant *config)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	for (guint i = 0; i < G_N_ELEMENTS(tender_image_config_keys); i++) {
		g_autoptr(GVariant) value =
		    g_variant_lookup_value(config,
					   tender_image_config_keys[i].key,
					   G_VARIANT_TYPE(tender_image_config_keys[i].type));
		if (value == NULL)
			continue;
		json_builder_set_member_name(b, tender_image_config_keys[i].key);
		json_builder_add_value(b, json_gvariant_serialize(value));
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static GVariant *
tender_image_config_from_json(JsonObject *obj, GError **error)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; obj != NULL && i < G_N_ELEMENTS(tender_image_config_keys); i++) {
		JsonNode *node = json_object_get_member(obj, tender_image_config_keys[i].key);
		GVariant *value;

		if (node == NULL)
			continue;
		value = json_gvariant_deserialize(node, tender_image_config_keys[i].type, error);
		if (value == NULL) {
			g_variant_builder_clear(&builder);
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", tender_image_config_keys[i].key, value);
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/**
 * tender_image_save:
 * @self: a #TenderImage
 * @path: where its image.json goes
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE once the file is written and synced
 */
gboolean
tender_image_save(TenderImage *self, const gchar *path, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *created = tender_util_timestamp_format(self->created);
	g_autofree gchar *text = NULL;

	g_return_val_if_fail(TENDER_IS_IMAGE(self), FALSE);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_string_value(b, TENDER_IMAGE_FORMAT);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, self->name);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)self->size);
	json_builder_set_member_name(b, "digest");
	json_builder_add_string_value(b, self->digest);
	json_builder_set_member_name(b, "source");
	json_builder_add_string_value(b, self->source);
	json_builder_set_member_name(b, "created_at");
	json_builder_add_string_value(b, created);
	json_builder_set_member_name(b, "config");
	json_builder_add_value(b, tender_image_config_to_json(self->config));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, TRUE);
	return tender_util_write_file_atomic(path, text, -1, 0600, error);
}

static gboolean
tender_image_parse_created(const gchar *text, gint64 *usec)
{
	g_autoptr(GDateTime) dt = text != NULL ? g_date_time_new_from_iso8601(text, NULL) : NULL;

	if (dt == NULL)
		return FALSE;
	*usec = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
	return TRUE;
}

/**
 * tender_image_new_from_file:
 * @dir: the store's directory
 * @name: an image's name: DIR/NAME/image.json is read
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the image, or %NULL with
 *   %TENDER_ERROR_INVALID_ARGUMENT if its file is malformed or names another image
 */
TenderImage *
tender_image_new_from_file(const gchar *dir, const gchar *name, GError **error)
{
	g_autofree gchar *path = g_build_filename(dir, name, "image.json", NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GVariant) config = NULL;
	JsonObject *obj;
	JsonNode *config_node;
	gsize len = 0;
	gint64 created = 0;
	gint64 size;

	if (!g_file_get_contents(path, &text, &len, error))
		return NULL;
	if (len > TENDER_IMAGE_FILE_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s is larger than %u bytes",
			    path,
			    (guint)TENDER_IMAGE_FILE_MAX);
		return NULL;
	}
	root = tender_json_parse(text, (gssize)len, TENDER_JSON_DEPTH_MAX, error);
	if (root == NULL)
		return NULL;
	obj = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	if (obj == NULL ||
	    g_strcmp0(json_object_get_string_member_with_default(obj, "format", NULL),
		      TENDER_IMAGE_FORMAT) != 0 ||
	    g_strcmp0(json_object_get_string_member_with_default(obj, "name", NULL), name) != 0 ||
	    !tender_image_parse_created(json_object_get_string_member_with_default(obj,
										   "created_at",
										   NULL),
					&created)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s is not a " TENDER_IMAGE_FORMAT " file of the image %s",
			    path,
			    name);
		return NULL;
	}
	size = json_object_get_int_member_with_default(obj, "size", 0);
	config_node = json_object_get_member(obj, "config");
	config =
	    tender_image_config_from_json(config_node != NULL && JSON_NODE_HOLDS_OBJECT(config_node)
					      ? json_node_get_object(config_node)
					      : NULL,
					  error);
	if (config == NULL) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	return tender_image_new(dir,
				name,
				size > 0 ? (guint64)size : 0,
				json_object_get_string_member_with_default(obj, "digest", ""),
				json_object_get_string_member_with_default(obj, "source", ""),
				created,
				config);
}

/**
 * tender_image_get_name:
 * @self: a #TenderImage
 *
 * Returns: its name, [a-z0-9][a-z0-9._-]{0,127}
 */
const gchar *
tender_image_get_name(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->name;
}

/**
 * tender_image_get_rootfs:
 * @self: a #TenderImage
 *
 * Returns: its root file system, DIR/NAME/rootfs: the read-only lower layer of its workloads
 */
const gchar *
tender_image_get_rootfs(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->rootfs;
}

/**
 * tender_image_get_size:
 * @self: a #TenderImage
 *
 * Returns: the bytes of its root file system's files and links (hard-linked files once)
 */
guint64
tender_image_get_size(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), 0);
	return self->size;
}

/**
 * tender_image_get_digest:
 * @self: a #TenderImage
 *
 * Returns: "sha256:HEX" of the archive imported, as read (of a directory: of its names,
 *   modes, link targets and data, in order)
 */
const gchar *
tender_image_get_digest(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->digest;
}

/**
 * tender_image_get_source:
 * @self: a #TenderImage
 *
 * Returns: what it was imported from: "tar", "oci", "docker-archive" or "directory"
 */
const gchar *
tender_image_get_source(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->source;
}

/**
 * tender_image_get_created:
 * @self: a #TenderImage
 *
 * Returns: when it was imported, microseconds since the epoch (UTC)
 */
gint64
tender_image_get_created(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), 0);
	return self->created;
}

/**
 * tender_image_get_config:
 * @self: a #TenderImage
 *
 * Returns: (transfer none): an a{sv}: env, entrypoint, cmd (as), working_directory and user
 *   (s), each where the image has it; what its workloads start with unless their spec says
 *   otherwise
 */
GVariant *
tender_image_get_config(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->config;
}

/**
 * tender_image_get_object_path:
 * @self: a #TenderImage
 *
 * Returns: its D-Bus object path, /org/tender/Agent1/image/ and the escaped name
 */
const gchar *
tender_image_get_object_path(TenderImage *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	return self->object_path;
}

/**
 * tender_image_get_property:
 * @self: a #TenderImage
 * @property: a property of org.tender.Agent1.Image
 *
 * Returns: (transfer floating) (nullable): its value: Name s, Size t, Digest s, Source s,
 *   CreatedAt s (ISO-8601 UTC with microseconds), Config a{sv}; %NULL for another name
 */
GVariant *
tender_image_get_property(TenderImage *self, const gchar *property)
{
	g_return_val_if_fail(TENDER_IS_IMAGE(self), NULL);
	if (g_strcmp0(property, "Name") == 0)
		return g_variant_new_string(self->name);
	if (g_strcmp0(property, "Size") == 0)
		return g_variant_new_uint64(self->size);
	if (g_strcmp0(property, "Digest") == 0)
		return g_variant_new_string(self->digest);
	if (g_strcmp0(property, "Source") == 0)
		return g_variant_new_string(self->source);
	if (g_strcmp0(property, "CreatedAt") == 0)
		return g_variant_new_take_string(tender_util_timestamp_format(self->created));
	if (g_strcmp0(property, "Config") == 0) {
		/* a floating copy, as the other values are */
		g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes(self->config);
		return g_variant_new_from_bytes(G_VARIANT_TYPE_VARDICT, bytes, TRUE);
	}
	return NULL;
}

static void
tender_image_finalize(GObject *object)
{
	TenderImage *self = TENDER_IMAGE(object);
	g_free(self->name);
	g_free(self->rootfs);
	g_free(self->object_path);
	g_free(self->digest);
	g_free(self->source);
	g_variant_unref(self->config);
	G_OBJECT_CLASS(tender_image_parent_class)->finalize(object);
}

static void
tender_image_class_init(TenderImageClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_image_finalize;
}

static void
tender_image_init(TenderImage *self)
{
}
