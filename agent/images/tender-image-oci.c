/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-image-archive.h"
#include "tender-image-oci.h"
#include "tender-json.h"

/*
 * Images made of layers, once their archive is unpacked into a directory of its own (the
 * layout): an OCI image layout (index.json, then a manifest for this machine's architecture,
 * its config and its layers, every blob checked against its sha256 digest) or a `docker save`
 * archive (manifest.json: the first image's config and layer tars).  The layers are unpacked
 * one over the other, in order, with their whiteouts; the config's Env, Entrypoint, Cmd,
 * WorkingDir and User are kept.  Every path the documents name is opened below the layout
 * without following a link.
 */

/* the most an index, manifest or config may have */
#define TENDER_IMAGE_OCI_JSON_MAX (4 * 1024 * 1024)
/* how deep indexes may nest */
#define TENDER_IMAGE_OCI_INDEX_DEPTH 4

#if defined(__x86_64__)
#define TENDER_IMAGE_OCI_ARCH "amd64"
#elif defined(__aarch64__)
#define TENDER_IMAGE_OCI_ARCH "arm64"
#elif defined(__arm__)
#define TENDER_IMAGE_OCI_ARCH "arm"
#elif defined(__i386__)
#define TENDER_IMAGE_OCI_ARCH "386"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TENDER_IMAGE_OCI_ARCH "ppc64le"
#elif defined(__s390x__)
#define TENDER_IMAGE_OCI_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define TENDER_IMAGE_OCI_ARCH "riscv64"
#else
#define TENDER_IMAGE_OCI_ARCH "unknown"
#endif

static gboolean
tender_image_oci_is(gint dirfd, const gchar *name, mode_t type)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type;
}

/* "blobs/sha256/HEX" for "sha256:HEX": the only digests read, and never a path of their own */
static gchar *
tender_image_oci_blob_path(const gchar *digest, GError **error)
{
	const gchar *hex = digest != NULL && g_str_has_prefix(digest, "sha256:") ? digest + 7 : "";
	gboolean valid = strlen(hex) == 64;

	for (const gchar *p = hex; valid && *p != '\0'; p++)
		valid = g_ascii_isdigit(*p) || (*p >= 'a' && *p <= 'f');
	if (!valid) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The image names a blob by '%s', not by a sha256 digest",
			    digest != NULL ? digest : "(nothing)");
		return NULL;
	}
	return g_strdup_printf("blobs/sha256/%s", hex);
}

/* a JSON document of the layout; with @digest, checked against it */
static JsonNode *
tender_image_oci_read_json(gint dirfd, const gchar *path, const gchar *digest, GError **error)
{
	g_autofree gchar *data = NULL;
	gint fd = tender_image_fs_open_beneath(dirfd, path, O_RDONLY, error);
	struct stat st;
	gsize done = 0;
	JsonNode *node;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > TENDER_IMAGE_OCI_JSON_MAX) {
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The image's %s is not a file of at most %u bytes",
			    path,
			    (guint)TENDER_IMAGE_OCI_JSON_MAX);
		return NULL;
	}
	data = g_malloc((gsize)st.st_size + 1);
	while (done < (gsize)st.st_size) {
		gssize n = read(fd, data + done, (gsize)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (gsize)n;
	}
	(void)close(fd);
	data[done] = '\0';
	if (digest != NULL) {
		g_autofree gchar *sum =
		    g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, done);
		if (g_strcmp0(sum, digest + strlen("sha256:")) != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The image's %s does not match its digest %s",
				    path,
				    digest);
			return NULL;
		}
	}
	node = tender_json_parse(data, (gssize)done, TENDER_JSON_DEPTH_MAX, error);
	if (node == NULL)
		g_prefix_error(error, "The image's %s is not valid JSON: ", path);
	return node;
}

static JsonObject *
tender_image_oci_object(JsonNode *node, const gchar *what, GError **error)
{
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The image's %s is not a JSON object",
			    what);
		return NULL;
	}
	return json_node_get_object(node);
}

static const gchar *
tender_image_oci_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static JsonArray *
tender_image_oci_array(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	return node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
}

static JsonObject *
tender_image_oci_member_object(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

/**
 * tender_image_oci_detect:
 * @dirfd: an unpacked archive
 *
 * Tells the layouts apart by what the archive holds, not by its name.
 *
 * Returns: its layout, %TENDER_IMAGE_LAYOUT_NONE for a root file system
 */
TenderImageLayout
tender_image_oci_detect(gint dirfd)
{
	g_autoptr(JsonNode) manifest = NULL;
	JsonArray *images;
	JsonObject *first = NULL;

	if (tender_image_oci_is(dirfd, "oci-layout", S_IFREG) &&
	    tender_image_oci_is(dirfd, "index.json", S_IFREG) &&
	    tender_image_oci_is(dirfd, "blobs", S_IFDIR))
		return TENDER_IMAGE_LAYOUT_OCI;
	if (!tender_image_oci_is(dirfd, "manifest.json", S_IFREG))
		return TENDER_IMAGE_LAYOUT_NONE;
	manifest = tender_image_oci_read_json(dirfd, "manifest.json", NULL, NULL);
	images = manifest != NULL && JSON_NODE_HOLDS_ARRAY(manifest) ? json_node_get_array(manifest)
								     : NULL;
	if (images != NULL && json_array_get_length(images) > 0 &&
	    JSON_NODE_HOLDS_OBJECT(json_array_get_element(images, 0)))
		first = json_array_get_object_element(images, 0);
	if (tender_image_oci_string(first, "Config") != NULL &&
	    tender_image_oci_array(first, "Layers") != NULL)
		return TENDER_IMAGE_LAYOUT_DOCKER;
	return TENDER_IMAGE_LAYOUT_NONE;
}

/* the strings of @array as a{sv} member @key, if it is an array */
static void
tender_image_oci_add_strv(GVariantBuilder *builder,
			  JsonObject *config,
			  const gchar *member,
			  const gchar *key)
{
	JsonArray *array = tender_image_oci_array(config, member);
	g_autoptr(GStrvBuilder) strv = g_strv_builder_new();
	g_auto(GStrv) values = NULL;

	if (array == NULL)
		return;
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *node = json_array_get_element(array, i);
		if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
			g_strv_builder_add(strv, json_node_get_string(node));
	}
	values = g_strv_builder_end(strv);
	g_variant_builder_add(builder,
			      "{sv}",
			      key,
			      g_variant_new_strv((const gchar *const *)values, -1));
}

/* what the workloads of the image start with, unless their spec says otherwise */
static GVariant *
tender_image_oci_config(JsonNode *root)
{
	JsonObject *config =
	    root != NULL && JSON_NODE_HOLDS_OBJECT(root)
		? tender_image_oci_member_object(json_node_get_object(root), "config")
		: NULL;
	GVariantBuilder builder;
	const gchar *text;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	tender_image_oci_add_strv(&builder, config, "Env", "env");
	tender_image_oci_add_strv(&builder, config, "Entrypoint", "entrypoint");
	tender_image_oci_add_strv(&builder, config, "Cmd", "cmd");
	text = tender_image_oci_string(config, "WorkingDir");
	if (text != NULL && text[0] != '\0')
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(text));
	text = tender_image_oci_string(config, "User");
	if (text != NULL && text[0] != '\0')
		g_variant_builder_add(&builder, "{sv}", "user", g_variant_new_string(text));
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/* unpacks the layer at @path over @rootfd; with @digest, checks the blob against it */
static gboolean
tender_image_oci_layer(gint layoutfd,
		       const gchar *path,
		       const gchar *digest,
		       gint rootfd,
		       TenderImageLimits *limits,
		       GError **error)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	gint fd = tender_image_fs_open_beneath(layoutfd, path, O_RDONLY, error);
	gboolean ok;

	if (fd < 0)
		return FALSE;
	ok = tender_image_archive_unpack(fd,
					 rootfd,
					 TENDER_IMAGE_ARCHIVE_LAYER,
					 limits,
					 checksum,
					 error);
	(void)close(fd);
	if (!ok) {
		g_prefix_error(error, "The layer %s: ", path);
		return FALSE;
	}
	if (digest != NULL &&
	    g_strcmp0(g_checksum_get_string(checksum), digest + strlen("sha256:")) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The layer %s does not match its digest %s",
			    path,
			    digest);
		return FALSE;
	}
	return TRUE;
}

/* a descriptor for this machine: no platform, or linux on its architecture */
static JsonObject *
tender_image_oci_pick(JsonArray *manifests, GError **error)
{
	for (guint i = 0; manifests != NULL && i < json_array_get_length(manifests); i++) {
		JsonNode *node = json_array_get_element(manifests, i);
		JsonObject *platform;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		platform = tender_image_oci_member_object(json_node_get_object(node), "platform");
		if (platform == NULL ||
		    (g_strcmp0(tender_image_oci_string(platform, "os"), "linux") == 0 &&
		     g_strcmp0(tender_image_oci_string(platform, "architecture"),
			       TENDER_IMAGE_OCI_ARCH) == 0))
			return json_node_get_object(node);
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_NOT_SUPPORTED,
		    "The image's index has no image for linux/%s",
		    TENDER_IMAGE_OCI_ARCH);
	return NULL;
}

/* the image manifest @index leads to, through nested indexes */
static JsonNode *
tender_image_oci_resolve(gint layoutfd, JsonObject *index, guint depth, GError **error)
{
	JsonObject *descriptor =
	    tender_image_oci_pick(tender_image_oci_array(index, "manifests"), error);
	const gchar *digest = tender_image_oci_string(descriptor, "digest");
	g_autofree gchar *path = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *obj;

	if (descriptor == NULL)
		return NULL;
	path = tender_image_oci_blob_path(digest, error);
	if (path == NULL)
		return NULL;
	node = tender_image_oci_read_json(layoutfd, path, digest, error);
	obj = node != NULL ? tender_image_oci_object(node, path, error) : NULL;
	if (obj == NULL)
		return NULL;
	if (tender_image_oci_array(obj, "manifests") == NULL)
		return g_steal_pointer(&node);
	if (depth >= TENDER_IMAGE_OCI_INDEX_DEPTH) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The image's indexes nest more than %u deep",
			    (guint)TENDER_IMAGE_OCI_INDEX_DEPTH);
		return NULL;
	}
	return tender_image_oci_resolve(layoutfd, obj, depth + 1, error);
}

static gboolean
tender_image_oci_apply_oci(gint layoutfd,
			   gint rootfd,
			   TenderImageLimits *limits,
			   GVariant **config,
			   GError **error)
{
	g_autoptr(JsonNode) index_node =
	    tender_image_oci_read_json(layoutfd, "index.json", NULL, error);
	g_autoptr(JsonNode) manifest = NULL;
	g_autoptr(JsonNode) config_node = NULL;
	g_autofree gchar *config_path = NULL;
	JsonObject *index =
	    index_node != NULL ? tender_image_oci_object(index_node, "index.json", error) : NULL;
	JsonObject *obj;
	JsonArray *layers;
	const gchar *digest;

	if (index == NULL)
		return FALSE;
	manifest = tender_image_oci_resolve(layoutfd, index, 0, error);
	if (manifest == NULL)
		return FALSE;
	obj = json_node_get_object(manifest);
	digest = tender_image_oci_string(tender_image_oci_member_object(obj, "config"), "digest");
	config_path = tender_image_oci_blob_path(digest, error);
	if (config_path == NULL)
		return FALSE;
	config_node = tender_image_oci_read_json(layoutfd, config_path, digest, error);
	if (config_node == NULL)
		return FALSE;
	layers = tender_image_oci_array(obj, "layers");
	for (guint i = 0; layers != NULL && i < json_array_get_length(layers); i++) {
		JsonNode *node = json_array_get_element(layers, i);
		g_autofree gchar *path = NULL;

		digest = JSON_NODE_HOLDS_OBJECT(node)
			     ? tender_image_oci_string(json_node_get_object(node), "digest")
			     : NULL;
		path = tender_image_oci_blob_path(digest, error);
		if (path == NULL ||
		    !tender_image_oci_layer(layoutfd, path, digest, rootfd, limits, error))
			return FALSE;
	}
	*config = tender_image_oci_config(config_node);
	return TRUE;
}

/* a path manifest.json names: relative, without "..", opened below the layout */
static gchar *
tender_image_oci_docker_path(const gchar *path, GError **error)
{
	g_autofree gchar *normal = tender_image_fs_normalize(path, error);

	if (normal == NULL) {
		g_prefix_error(error, "manifest.json: ");
		return NULL;
	}
	if (normal[0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "manifest.json names the archive's root as a file");
		return NULL;
	}
	return g_steal_pointer(&normal);
}

static gboolean
tender_image_oci_apply_docker(gint layoutfd,
			      gint rootfd,
			      TenderImageLimits *limits,
			      GVariant **config,
			      GError **error)
{
	g_autoptr(JsonNode) manifest =
	    tender_image_oci_read_json(layoutfd, "manifest.json", NULL, error);
	g_autoptr(JsonNode) config_node = NULL;
	g_autofree gchar *config_path = NULL;
	JsonObject *image;
	JsonArray *layers;

	if (manifest == NULL)
		return FALSE;
	image = json_array_get_object_element(json_node_get_array(manifest), 0);
	config_path = tender_image_oci_docker_path(tender_image_oci_string(image, "Config"), error);
	if (config_path == NULL)
		return FALSE;
	config_node = tender_image_oci_read_json(layoutfd, config_path, NULL, error);
	if (config_node == NULL)
		return FALSE;
	layers = tender_image_oci_array(image, "Layers");
	for (guint i = 0; i < json_array_get_length(layers); i++) {
		JsonNode *node = json_array_get_element(layers, i);
		g_autofree gchar *path =
		    tender_image_oci_docker_path(JSON_NODE_HOLDS_VALUE(node) &&
							 json_node_get_value_type(node) ==
							     G_TYPE_STRING
						     ? json_node_get_string(node)
						     : NULL,
						 error);
		if (path == NULL ||
		    !tender_image_oci_layer(layoutfd, path, NULL, rootfd, limits, error))
			return FALSE;
	}
	*config = tender_image_oci_config(config_node);
	return TRUE;
}

/**
 * tender_image_oci_apply:
 * @layoutfd: the unpacked archive
 * @layout: what tender_image_oci_detect() found in it, not %TENDER_IMAGE_LAYOUT_NONE
 * @rootfd: an empty directory, which gets the layers
 * @limits: the import's limits
 * @config: (out): the image's config, an a{sv} of env, entrypoint, cmd (as),
 *   working_directory and user (s), each where the image has it
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
tender_image_oci_apply(gint layoutfd,
		       TenderImageLayout layout,
		       gint rootfd,
		       TenderImageLimits *limits,
		       GVariant **config,
		       GError **error)
{
	g_return_val_if_fail(layout != TENDER_IMAGE_LAYOUT_NONE, FALSE);
	if (layout == TENDER_IMAGE_LAYOUT_OCI)
		return tender_image_oci_apply_oci(layoutfd, rootfd, limits, config, error);
	return tender_image_oci_apply_docker(layoutfd, rootfd, limits, config, error);
}
