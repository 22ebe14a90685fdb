/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-image-fs.h"
#include "tender-image-store.h"

/*
 * The image store, with archives made here by libarchive: rootfs tarballs in every
 * compression, an OCI layout and a `docker save` archive with layers and whiteouts, a
 * directory; and the archives it must refuse, each with the error it gets and nothing left
 * behind in the store's directory.
 */

#define MIB (1024 * 1024)

/* one entry of a test archive: f file, d directory, l symbolic link, h hard link, c device,
 * p FIFO */
typedef struct {
	gchar type;
	const gchar *path;
	const gchar *data; /* a file's contents; a link's target */
	gsize len;	   /* of data, if not a string */
} Entry;

typedef struct {
	gchar *tmp;
	gchar *dir; /* the store's */
	TenderImageStore *store;
	gboolean in_use;
	gboolean running;
} Fixture;

static la_ssize_t
archive_bytes_write_cb(struct archive *a, void *user_data, const void *buf, size_t len)
{
	g_byte_array_append(user_data, buf, (guint)len);
	return (la_ssize_t)len;
}

/* a tar archive of @entries; @filter: NULL, "gzip", "xz" or "zstd" */
static GBytes *
make_tar(const gchar *filter, const Entry *entries, guint n)
{
	struct archive *a = archive_write_new();
	GByteArray *out = g_byte_array_new();

	g_assert_cmpint(archive_write_set_format_pax_restricted(a), ==, ARCHIVE_OK);
	/* no padding after a compressed stream, as zstd(1) writes it */
	g_assert_cmpint(archive_write_set_bytes_in_last_block(a, 1), ==, ARCHIVE_OK);
	if (filter != NULL)
		g_assert_cmpint(archive_write_add_filter_by_name(a, filter), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_open(a, out, NULL, archive_bytes_write_cb, NULL),
			==,
			ARCHIVE_OK);
	for (guint i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		gsize len = entries[i].len > 0	      ? entries[i].len
			    : entries[i].data != NULL ? strlen(entries[i].data)
						      : 0;

		archive_entry_set_pathname(e, entries[i].path);
		archive_entry_set_mtime(e, 1700000000, 0);
		switch (entries[i].type) {
		case 'f':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)len);
			break;
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, entries[i].data);
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_hardlink(e, entries[i].data);
			break;
		case 'c':
			archive_entry_set_filetype(e, AE_IFCHR);
			archive_entry_set_perm(e, 0666);
			archive_entry_set_rdev(e, makedev(1, 3));
			break;
		default:
			archive_entry_set_filetype(e, AE_IFIFO);
			archive_entry_set_perm(e, 0600);
		}
		g_assert_cmpint(archive_write_header(a, e), ==, ARCHIVE_OK);
		if (entries[i].type == 'f' && len > 0)
			g_assert_cmpint(archive_write_data(a, entries[i].data, len),
					==,
					(gssize)len);
		archive_entry_free(e);
	}
	g_assert_cmpint(archive_write_close(a), ==, ARCHIVE_OK);
	archive_write_free(a);
	return g_byte_array_free_to_bytes(out);
}

static gchar *
write_file(Fixture *f, const gchar *name, GBytes *bytes)
{
	gchar *path = g_build_filename(f->tmp, name, NULL);
	gsize len = 0;
	gconstpointer data = g_bytes_get_data(bytes, &len);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, data, (gssize)len, &error));
	g_assert_no_error(error);
	return path;
}

static gboolean
fixture_in_use(const gchar *name, gboolean *running, gpointer data)
{
	Fixture *f = data;
	*running = f->running;
	return f->in_use;
}

static void
fixture_set_up(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	guint64 max = user_data != NULL ? GPOINTER_TO_UINT(user_data) : 64 * MIB;

	f->tmp = g_dir_make_tmp("tender-images-XXXXXX", &error);
	g_assert_no_error(error);
	f->dir = g_build_filename(f->tmp, "images", NULL);
	f->store = tender_image_store_new(f->dir, max, &error);
	g_assert_no_error(error);
	tender_image_store_set_in_use_func(f->store, fixture_in_use, f);
}

static void
fixture_tear_down(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_clear_object(&f->store);
	g_assert_true(tender_image_fs_remove_at(AT_FDCWD, f->tmp, &error));
	g_assert_no_error(error);
	g_free(f->dir);
	g_free(f->tmp);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the names in the store's directory, sorted, joined by spaces */
static gchar *
store_listing(Fixture *f)
{
	g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	const gchar *name;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, (gpointer)name);
	g_ptr_array_sort(names, compare_names);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(" ", (gchar **)names->pdata);
}

/* waits for the removals in threads to get the listing to @expected */
static void
wait_listing(Fixture *f, const gchar *expected)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	for (;;) {
		g_autofree gchar *listing = store_listing(f);
		if (g_strcmp0(listing, expected) == 0)
			return;
		if (g_get_monotonic_time() > deadline)
			g_error("the store holds '%s', not '%s'", listing, expected);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void
import_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;
	*out = g_object_ref(res);
}

/* imports the descriptor @fd, waiting for the end */
static TenderImage *
import_fd(Fixture *f,
	  const gchar *name,
	  gint fd,
	  GVariant *options,
	  GCancellable *cancellable,
	  GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	tender_image_store_import_async(f->store, name, fd, options, cancellable, import_cb, &res);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	return tender_image_store_import_finish(f->store, res, error);
}

static TenderImage *
import_bytes(Fixture *f, const gchar *name, GBytes *bytes, GVariant *options, GError **error)
{
	g_autofree gchar *path = write_file(f, "archive", bytes);
	gint fd = open(path, O_RDONLY | O_CLOEXEC);
	TenderImage *image;

	g_assert_cmpint(fd, >=, 0);
	image = import_fd(f, name, fd, options, NULL, error);
	g_assert_cmpint(close(fd), ==, 0);
	return image;
}

static gchar *
rootfs_path(TenderImage *image, const gchar *rel)
{
	return g_build_filename(tender_image_get_rootfs(image), rel, NULL);
}

static void
assert_file(TenderImage *image, const gchar *rel, const gchar *contents)
{
	g_autofree gchar *path = rootfs_path(image, rel);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(text, ==, contents);
}

static void
assert_missing(TenderImage *image, const gchar *rel)
{
	g_autofree gchar *path = rootfs_path(image, rel);
	GStatBuf st;
	g_assert_cmpint(g_lstat(path, &st), !=, 0);
}

static const Entry rootfs_entries[] = {
    {'d', "./bin", NULL, 0},
    {'f', "./bin/busybox", "#!busybox", 0},
    {'l', "./bin/sh", "busybox", 0},
    {'l', "./bin/ash", "/bin/busybox", 0},
    {'h', "./bin/ls", "./bin/busybox", 0},
    {'d', "./etc", NULL, 0},
    {'f', "etc/hostname", "box\n", 0},
    {'f', "etc//os-release", "NAME=test\n", 0},
    {'p', "run/initctl", NULL, 0},
};

/* a rootfs tarball, in each compression, read and kept as it should be */
static void
test_images_tar(Fixture *f, gconstpointer user_data)
{
	const gchar *filters[] = {NULL, "gzip", "xz", "zstd"};

	for (guint i = 0; i < G_N_ELEMENTS(filters); i++) {
		g_autoptr(GBytes) tar =
		    make_tar(filters[i], rootfs_entries, G_N_ELEMENTS(rootfs_entries));
		g_autofree gchar *name = g_strdup_printf("box%u", i);
		g_autofree gchar *sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, tar);
		g_autofree gchar *digest = g_strdup_printf("sha256:%s", sum);
		g_autoptr(TenderImage) image = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *link = NULL;
		g_autofree gchar *target = NULL;
		g_autofree gchar *busybox = NULL;
		g_autofree gchar *ls = NULL;
		g_autofree gchar *fifo = NULL;
		GStatBuf a;
		GStatBuf b;

		image = import_bytes(f, name, tar, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(tender_image_get_name(image), ==, name);
		g_assert_cmpstr(tender_image_get_source(image), ==, "tar");
		g_assert_cmpstr(tender_image_get_digest(image), ==, digest);
		/* busybox once (ls is the same file), and the two links' targets */
		g_assert_cmpuint(tender_image_get_size(image),
				 ==,
				 strlen("#!busybox") + strlen("box\n") + strlen("NAME=test\n") +
				     strlen("busybox") + strlen("/bin/busybox"));
		g_assert_cmpuint(g_variant_n_children(tender_image_get_config(image)), ==, 0);
		assert_file(image, "bin/busybox", "#!busybox");
		assert_file(image, "etc/hostname", "box\n");
		assert_file(image, "etc/os-release", "NAME=test\n");
		link = rootfs_path(image, "bin/sh");
		target = g_file_read_link(link, NULL);
		g_assert_cmpstr(target, ==, "busybox");
		busybox = rootfs_path(image, "bin/busybox");
		ls = rootfs_path(image, "bin/ls");
		g_assert_cmpint(g_lstat(busybox, &a), ==, 0);
		g_assert_cmpint(g_lstat(ls, &b), ==, 0);
		g_assert_cmpuint(a.st_ino, ==, b.st_ino);
		fifo = rootfs_path(image, "run/initctl");
		g_assert_cmpint(g_lstat(fifo, &a), ==, 0);
		g_assert_true(S_ISFIFO(a.st_mode));
		g_assert_true(tender_image_store_lookup(f->store, name, NULL) == image);
	}
	{
		g_autofree gchar *listing = store_listing(f);
		g_assert_cmpstr(listing, ==, "box0 box1 box2 box3");
	}
}

/* what an OCI layout or a docker save archive has: two layers, the second with a whiteout,
 * an opaque directory and a file in it again */
static GBytes *
make_layer(gboolean upper, const gchar *filter)
{
	const Entry lower[] = {
	    {'d', "bin", NULL, 0},
	    {'f', "bin/busybox", "#!busybox", 0},
	    {'f', "etc/gone", "gone", 0},
	    {'f', "etc/kept", "kept", 0},
	    {'f', "opq/old1", "1", 0},
	    {'d', "opq/olddir", NULL, 0},
	    {'f', "opq/olddir/f", "2", 0},
	    {'f', "dir-to-file/x", "x", 0},
	};
	const Entry higher[] = {
	    {'f', "etc/.wh.gone", "", 0},
	    {'f', "opq/new", "new", 0},
	    {'f', "opq/.wh..wh..opq", "", 0},
	    {'f', "dir-to-file", "now a file", 0},
	    {'f', "etc/added", "added", 0},
	};
	return upper ? make_tar(filter, higher, G_N_ELEMENTS(higher))
		     : make_tar(filter, lower, G_N_ELEMENTS(lower));
}

static const gchar *image_config =
    "{\"architecture\": \"amd64\", \"os\": \"linux\", \"config\": {\"Env\": "
    "[\"PATH=/bin\", \"A=1\"], \"Entrypoint\": [\"/bin/sh\", \"-c\"], \"Cmd\": [\"echo hi\"], "
    "\"WorkingDir\": \"/srv\", \"User\": \"1000:1000\"}}";

static void
assert_layers(TenderImage *image, const gchar *source)
{
	GVariant *config = tender_image_get_config(image);
	g_autofree const gchar **env = NULL;
	g_autofree const gchar **cmd = NULL;
	g_autofree const gchar **entrypoint = NULL;
	const gchar *text = NULL;

	g_assert_cmpstr(tender_image_get_source(image), ==, source);
	assert_file(image, "bin/busybox", "#!busybox");
	assert_file(image, "etc/kept", "kept");
	assert_file(image, "etc/added", "added");
	assert_missing(image, "etc/gone");
	assert_missing(image, "etc/.wh.gone");
	assert_missing(image, "opq/old1");
	assert_missing(image, "opq/olddir");
	assert_missing(image, "opq/.wh..wh..opq");
	assert_file(image, "opq/new", "new");
	assert_file(image, "dir-to-file", "now a file");
	g_assert_true(g_variant_lookup(config, "env", "^a&s", &env));
	g_assert_cmpstr(env[0], ==, "PATH=/bin");
	g_assert_cmpstr(env[1], ==, "A=1");
	g_assert_true(g_variant_lookup(config, "cmd", "^a&s", &cmd));
	g_assert_cmpstr(cmd[0], ==, "echo hi");
	g_assert_true(g_variant_lookup(config, "working_directory", "&s", &text));
	g_assert_cmpstr(text, ==, "/srv");
	g_assert_true(g_variant_lookup(config, "user", "&s", &text));
	g_assert_cmpstr(text, ==, "1000:1000");
	g_assert_true(g_variant_lookup(config, "entrypoint", "^a&s", &entrypoint));
	g_assert_cmpstr(entrypoint[0], ==, "/bin/sh");
	g_assert_cmpstr(entrypoint[1], ==, "-c");
}

/* the blob path of @bytes, and its digest in @digest */
static gchar *
blob(GBytes *bytes, gchar **digest)
{
	g_autofree gchar *sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
	*digest = g_strdup_printf("sha256:%s", sum);
	return g_strdup_printf("blobs/sha256/%s", sum);
}

/* an OCI layout: index.json → manifest → config and two layers; @break_digest damages the
 * second layer */
static GBytes *
make_oci(gboolean break_digest)
{
	g_autoptr(GBytes) layer1 = make_layer(FALSE, "gzip");
	g_autoptr(GBytes) layer2 = make_layer(TRUE, NULL);
	g_autoptr(GBytes) config = g_bytes_new_static(image_config, strlen(image_config));
	g_autoptr(GBytes) manifest = NULL;
	g_autoptr(GBytes) index = NULL;
	g_autofree gchar *d1 = NULL, *d2 = NULL, *dc = NULL, *dm = NULL;
	g_autofree gchar *p1 = blob(layer1, &d1);
	g_autofree gchar *p2 = blob(layer2, &d2);
	g_autofree gchar *pc = blob(config, &dc);
	g_autofree gchar *pm = NULL;
	g_autofree gchar *manifest_text = NULL;
	g_autofree gchar *index_text = NULL;
	gsize l1 = 0, l2 = 0;
	const gchar *b1 = g_bytes_get_data(layer1, &l1);
	/* broken: a valid layer, but not the one the digest names */
	g_autoptr(GBytes) other = make_layer(FALSE, NULL);
	const gchar *b2 = g_bytes_get_data(break_digest ? other : layer2, &l2);

	manifest_text = g_strdup_printf(
	    "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
	    " \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\","
	    " \"digest\": \"%s\", \"size\": %zu}, \"layers\": ["
	    "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"digest\": \"%s\"},"
	    "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"digest\": \"%s\"}]}",
	    dc,
	    strlen(image_config),
	    d1,
	    d2);
	manifest = g_bytes_new(manifest_text, strlen(manifest_text));
	pm = blob(manifest, &dm);
	index_text = g_strdup_printf(
	    "{\"schemaVersion\": 2, \"manifests\": ["
	    "{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"digest\": "
	    "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\", "
	    "\"platform\": {\"architecture\": \"no-such-arch\", \"os\": \"linux\"}},"
	    "{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"digest\": \"%s\"}]}",
	    dm);
	{
		const Entry entries[] = {
		    {'f', "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}", 0},
		    {'f', "index.json", index_text, 0},
		    {'d', "blobs", NULL, 0},
		    {'d', "blobs/sha256", NULL, 0},
		    {'f', p1, b1, l1},
		    {'f', p2, b2, l2},
		    {'f', pc, image_config, 0},
		    {'f', pm, manifest_text, 0},
		};
		index = make_tar(NULL, entries, G_N_ELEMENTS(entries));
	}
	return g_steal_pointer(&index);
}

static void
test_images_oci(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) oci = make_oci(FALSE);
	g_autoptr(GBytes) broken = make_oci(TRUE);
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *listing = NULL;

	image = import_bytes(f, "oci", oci, NULL, &error);
	g_assert_no_error(error);
	assert_layers(image, "oci");
	g_clear_object(&image);
	image = import_bytes(f, "broken", broken, NULL, &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	if (strstr(error->message, "does not match its digest") == NULL)
		g_error("%s", error->message);
	listing = store_listing(f);
	g_assert_cmpstr(listing, ==, "oci");
}

static void
test_images_docker(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) layer1 = make_layer(FALSE, NULL);
	g_autoptr(GBytes) layer2 = make_layer(TRUE, NULL);
	g_autoptr(GBytes) archive = NULL;
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;
	gsize l1 = 0, l2 = 0;
	const gchar *b1 = g_bytes_get_data(layer1, &l1);
	const gchar *b2 = g_bytes_get_data(layer2, &l2);
	const Entry entries[] = {
	    {'f',
	     "manifest.json",
	     "[{\"Config\": \"0123.json\", \"RepoTags\": [\"box:latest\"], "
	     "\"Layers\": [\"aaaa/layer.tar\", \"./bbbb/layer.tar\"]}]",
	     0},
	    {'f', "0123.json", image_config, 0},
	    {'f', "aaaa/layer.tar", b1, l1},
	    {'f', "bbbb/layer.tar", b2, l2},
	    {'f', "repositories", "{}", 0},
	};
	const Entry evil[] = {
	    {'f',
	     "manifest.json",
	     "[{\"Config\": \"c.json\", \"Layers\": [\"../x/layer.tar\"]}]",
	     0},
	    {'f', "c.json", image_config, 0},
	};

	archive = make_tar("gzip", entries, G_N_ELEMENTS(entries));
	image = import_bytes(f, "docker", archive, NULL, &error);
	g_assert_no_error(error);
	assert_layers(image, "docker-archive");
	g_clear_object(&image);
	g_bytes_unref(archive);
	archive = make_tar(NULL, evil, G_N_ELEMENTS(evil));
	image = import_bytes(f, "evil", archive, NULL, &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'..'"));
}

/* an archive the store refuses with @code, whose message has @what; nothing is left */
static void
assert_refused(Fixture *f, GBytes *archive, gint code, const gchar *what)
{
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *listing = NULL;

	image = import_bytes(f, "bad", archive, NULL, &error);
	g_assert_null(image);
	g_assert_error(error, TENDER_ERROR, code);
	if (strstr(error->message, what) == NULL)
		g_error("'%s' does not say '%s'", error->message, what);
	listing = store_listing(f);
	g_assert_cmpstr(listing, ==, "");
	g_assert_null(tender_image_store_lookup(f->store, "bad", NULL));
}

static void
test_images_refused(Fixture *f, gconstpointer user_data)
{
	const Entry traversal[] = {{'f', "ok", "x", 0}, {'f', "a/../../x", "x", 0}};
	const Entry absolute[] = {{'f', "/etc/x", "x", 0}};
	const Entry up[] = {{'d', "d", NULL, 0}, {'l', "d/up", "../../..", 0}};
	const Entry through[] = {{'l', "link", "/etc", 0}, {'f', "link/x", "x", 0}};
	const Entry through_rel[] = {{'l', "link", ".", 0}, {'f', "link/x", "x", 0}};
	const Entry hard_up[] = {{'h', "h", "../../etc/passwd", 0}};
	const Entry hard_abs[] = {{'h', "h", "/etc/passwd", 0}};
	const Entry hard_through[] = {{'l', "link", "/etc", 0}, {'h', "h", "link/passwd", 0}};
	const Entry device[] = {{'d', "dev", NULL, 0}, {'c', "dev/null", NULL, 0}};
	const Entry dir_then_file[] = {{'f', "d/x", "x", 0}, {'f', "d", "file", 0}};
	const Entry whiteout_plain[] = {{'f', "etc/.wh.passwd", "", 0}};
	g_autoptr(GBytes) tar = NULL;

#define REFUSED(entries, code, what)                                                               \
	do {                                                                                       \
		g_autoptr(GBytes) bytes = make_tar(NULL, entries, G_N_ELEMENTS(entries));          \
		assert_refused(f, bytes, code, what);                                              \
	} while (0)
	REFUSED(traversal, TENDER_ERROR_INVALID_ARGUMENT, "path traversal");
	REFUSED(absolute, TENDER_ERROR_INVALID_ARGUMENT, "absolute path");
	REFUSED(up, TENDER_ERROR_INVALID_ARGUMENT, "outside the image");
	REFUSED(through, TENDER_ERROR_INVALID_ARGUMENT, "symbolic link");
	REFUSED(through_rel, TENDER_ERROR_INVALID_ARGUMENT, "symbolic link");
	REFUSED(hard_up, TENDER_ERROR_INVALID_ARGUMENT, "path traversal");
	REFUSED(hard_abs, TENDER_ERROR_INVALID_ARGUMENT, "absolute path");
	REFUSED(hard_through, TENDER_ERROR_INVALID_ARGUMENT, "symbolic link");
	REFUSED(device, TENDER_ERROR_INVALID_ARGUMENT, "device node");
	REFUSED(dir_then_file, TENDER_ERROR_INVALID_ARGUMENT, "both a directory and a file");
#undef REFUSED
	/* a whiteout means nothing in a plain root file system: it is a file there */
	tar = make_tar(NULL, whiteout_plain, G_N_ELEMENTS(whiteout_plain));
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderImage) image = import_bytes(f, "plain", tar, NULL, &error);
		g_assert_no_error(error);
		assert_file(image, "etc/.wh.passwd", "");
		g_assert_true(tender_image_store_remove(f->store, "plain", FALSE, &error));
	}
}

/* truncated, not an archive at all, and too large, packed or unpacked */
static void
test_images_broken(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) tgz = make_tar("gzip", rootfs_entries, G_N_ELEMENTS(rootfs_entries));
	g_autoptr(GBytes) cut = g_bytes_new_from_bytes(tgz, 0, g_bytes_get_size(tgz) / 2);
	g_autoptr(GBytes) text = g_bytes_new_static("hello, world\n", 13);
	g_autofree gchar *zeros = g_malloc0(2 * MIB);
	const Entry huge[] = {{'f', "huge", zeros, 2 * MIB}};
	g_autoptr(GBytes) bomb = make_tar("xz", huge, G_N_ELEMENTS(huge));
	g_autoptr(GBytes) big = make_tar(NULL, huge, G_N_ELEMENTS(huge));

	assert_refused(f, cut, TENDER_ERROR_INVALID_ARGUMENT, "Not a valid archive");
	assert_refused(f, text, TENDER_ERROR_INVALID_ARGUMENT, "Not a valid archive");
	/* the store of this test takes 1 MiB: a few KiB of xz that unpack to 2 MiB */
	g_assert_cmpuint(g_bytes_get_size(bomb), <, 64 * 1024);
	assert_refused(f, bomb, TENDER_ERROR_LIMIT_REACHED, "max-size (1M) unpacked");
	assert_refused(f, big, TENDER_ERROR_LIMIT_REACHED, "max-size (1M) unpacked");
	/* a small tar, then 2 MiB of blocks past its end: the digest is of all that is read, and
	 * max-size counts it */
	{
		g_autoptr(GBytes) small = make_tar(NULL, rootfs_entries, 1);
		g_autoptr(GByteArray) padded = g_byte_array_new();
		g_autoptr(GBytes) bytes = NULL;

		g_byte_array_append(padded, g_bytes_get_data(small, NULL), g_bytes_get_size(small));
		g_byte_array_append(padded, (const guint8 *)zeros, 2 * MIB);
		bytes = g_byte_array_free_to_bytes(g_steal_pointer(&padded));
		assert_refused(f, bytes, TENDER_ERROR_LIMIT_REACHED, "The archive is larger than");
	}
}

static void
test_images_names(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) tar = make_tar(NULL, rootfs_entries, G_N_ELEMENTS(rootfs_entries));
	const Entry other_entries[] = {{'f', "other", "other", 0}};
	g_autoptr(GBytes) other = make_tar(NULL, other_entries, 1);
	const gchar *bad[] = {"", "Upper", "-x", ".x", "a/b", "a b", "ä"};
	g_autofree gchar *long_name = g_strnfill(129, 'a');
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(TenderImage) replaced = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) replace =
	    g_variant_ref_sink(g_variant_new_parsed("{'replace': <true>}"));
	g_autoptr(GVariant) unknown =
	    g_variant_ref_sink(g_variant_new_parsed("{'colour': <true>}"));
	g_autoptr(GVariant) wrong =
	    g_variant_ref_sink(g_variant_new_parsed("{'replace': <'yes'>}"));

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		image = import_bytes(f, bad[i], tar, NULL, &error);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	image = import_bytes(f, long_name, tar, NULL, &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	long_name[128] = '\0';
	image = import_bytes(f, long_name, tar, NULL, &error);
	g_assert_no_error(error);
	g_clear_object(&image);
	image = import_bytes(f, "a0.b_c-d", tar, unknown, &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	image = import_bytes(f, "a0.b_c-d", tar, wrong, &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	image = import_bytes(f, "a0.b_c-d", tar, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_image_get_object_path(image),
			==,
			"/org/tender/Agent1/image/a0_2eb_5fc_2dd");
	/* the name is taken, unless replace; not while a workload uses it */
	g_assert_null(import_bytes(f, "a0.b_c-d", other, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	f->in_use = TRUE;
	g_assert_null(import_bytes(f, "a0.b_c-d", other, replace, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_BUSY);
	g_clear_error(&error);
	f->in_use = FALSE;
	replaced = import_bytes(f, "a0.b_c-d", other, replace, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_image_get_digest(replaced), !=, tender_image_get_digest(image));
	assert_file(replaced, "other", "other");
	g_assert_true(tender_image_store_lookup(f->store, "a0.b_c-d", NULL) == replaced);
	/* the old files go in a thread */
	{
		g_autofree gchar *expected = g_strdup_printf("a0.b_c-d %s", long_name);
		wait_listing(f, expected);
	}
}

static void
count_cb(TenderImageStore *store, TenderImage *image, gpointer user_data)
{
	(*(guint *)user_data)++;
}

static void
test_images_remove(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) tar = make_tar(NULL, rootfs_entries, G_N_ELEMENTS(rootfs_entries));
	g_autoptr(TenderImage) image = import_bytes(f, "web", tar, NULL, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) list = NULL;
	guint removed = 0;

	g_assert_nonnull(image);
	g_signal_connect(f->store, "image-removed", G_CALLBACK(count_cb), &removed);
	g_assert_false(tender_image_store_remove(f->store, "nope", FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	f->in_use = TRUE;
	g_assert_false(tender_image_store_remove(f->store, "web", FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_BUSY);
	g_clear_error(&error);
	f->running = TRUE;
	g_assert_false(tender_image_store_remove(f->store, "web", TRUE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_BUSY);
	g_assert_nonnull(strstr(error->message, "running"));
	g_clear_error(&error);
	g_assert_cmpuint(removed, ==, 0);
	f->running = FALSE;
	g_assert_true(tender_image_store_remove(f->store, "web", TRUE, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(removed, ==, 1);
	g_assert_null(tender_image_store_lookup(f->store, "web", NULL));
	list = tender_image_store_list(f->store);
	g_assert_cmpuint(list->len, ==, 0);
	wait_listing(f, "");
}

/* what a tenderd that restarts finds: the images, and no leftovers of unfinished imports */
static void
test_images_reload(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) oci = make_oci(FALSE);
	g_autoptr(TenderImage) image = import_bytes(f, "oci", oci, NULL, NULL);
	g_autoptr(TenderImageStore) again = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *stale = g_build_filename(f->dir, ".tmp-123456", "rootfs", "x", NULL);
	g_autofree gchar *stale_dir = g_path_get_dirname(stale);
	g_autofree gchar *junk = g_build_filename(f->dir, "Not-An-Image", NULL);
	g_autofree gchar *listing = NULL;
	TenderImage *loaded;

	g_assert_nonnull(image);
	g_assert_cmpint(g_mkdir_with_parents(stale_dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(stale, "x", -1, NULL));
	g_assert_cmpint(g_mkdir(junk, 0700), ==, 0);
	g_test_expect_message("tender", G_LOG_LEVEL_INFO, "removing */.tmp-123456, left by *");
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*Not-An-Image is not an image*");
	again = tender_image_store_new(f->dir, 64 * MIB, &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	list = tender_image_store_list(again);
	g_assert_cmpuint(list->len, ==, 1);
	loaded = g_ptr_array_index(list, 0);
	g_assert_cmpstr(tender_image_get_name(loaded), ==, "oci");
	g_assert_cmpstr(tender_image_get_digest(loaded), ==, tender_image_get_digest(image));
	g_assert_cmpstr(tender_image_get_source(loaded), ==, "oci");
	g_assert_cmpuint(tender_image_get_size(loaded), ==, tender_image_get_size(image));
	g_assert_cmpint(tender_image_get_created(loaded), ==, tender_image_get_created(image));
	g_assert_true(
	    g_variant_equal(tender_image_get_config(loaded), tender_image_get_config(image)));
	listing = store_listing(f);
	g_assert_cmpstr(listing, ==, "Not-An-Image oci");
}

/* a directory, with the option directory; the option must match the descriptor */
static void
test_images_directory(Fixture *f, gconstpointer user_data)
{
	g_autofree gchar *src = g_build_filename(f->tmp, "tree", NULL);
	g_autofree gchar *bin = g_build_filename(src, "bin", NULL);
	g_autofree gchar *busybox = g_build_filename(bin, "busybox", NULL);
	g_autofree gchar *ls = g_build_filename(bin, "ls", NULL);
	g_autofree gchar *sh = g_build_filename(bin, "sh", NULL);
	g_autofree gchar *archive = NULL;
	g_autoptr(GVariant) directory =
	    g_variant_ref_sink(g_variant_new_parsed("{'directory': <true>}"));
	g_autoptr(GBytes) tar = make_tar(NULL, rootfs_entries, 1);
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *copy_ls = NULL;
	g_autofree gchar *copy_busybox = NULL;
	GStatBuf a;
	GStatBuf b;
	gint fd;

	g_assert_cmpint(g_mkdir_with_parents(bin, 0755), ==, 0);
	g_assert_true(g_file_set_contents(busybox, "#!busybox", -1, NULL));
	g_assert_cmpint(link(busybox, ls), ==, 0);
	g_assert_cmpint(symlink("busybox", sh), ==, 0);
	fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_null(import_fd(f, "tree", fd, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	image = import_fd(f, "tree", fd, directory, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(close(fd), ==, 0);
	g_assert_cmpstr(tender_image_get_source(image), ==, "directory");
	g_assert_true(g_str_has_prefix(tender_image_get_digest(image), "sha256:"));
	assert_file(image, "bin/busybox", "#!busybox");
	copy_busybox = rootfs_path(image, "bin/busybox");
	copy_ls = rootfs_path(image, "bin/ls");
	g_assert_cmpint(g_lstat(copy_busybox, &a), ==, 0);
	g_assert_cmpint(g_lstat(copy_ls, &b), ==, 0);
	g_assert_cmpuint(a.st_ino, ==, b.st_ino);
	g_assert_cmpuint(tender_image_get_size(image), ==, strlen("#!busybox") + strlen("busybox"));
	/* a link out of the tree is refused as in an archive */
	g_assert_cmpint(g_unlink(sh), ==, 0);
	g_assert_cmpint(symlink("../../..", sh), ==, 0);
	fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_null(import_fd(f, "tree2", fd, directory, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_cmpint(close(fd), ==, 0);
	/* a file is not a directory */
	archive = write_file(f, "archive", tar);
	fd = open(archive, O_RDONLY | O_CLOEXEC);
	g_assert_null(import_fd(f, "tree3", fd, directory, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpint(close(fd), ==, 0);
}

typedef struct {
	gint fd;
	GBytes *bytes;
	gboolean close_it;
} Writer;

static gpointer
writer_thread(gpointer data)
{
	Writer *w = data;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(w->bytes, &len);

	while (len > 0) {
		gssize n = write(w->fd, p, MIN(len, 4096));
		if (n <= 0)
			break;
		p += n;
		len -= (gsize)n;
	}
	if (w->close_it)
		(void)close(w->fd);
	return NULL;
}

/* a pipe: read as it comes; a pipe that stalls until the import is cancelled leaves nothing;
 * and while one import of a name runs, another is refused */
static void
test_images_pipe(Fixture *f, gconstpointer user_data)
{
	g_autoptr(GBytes) tgz = make_tar("gzip", rootfs_entries, G_N_ELEMENTS(rootfs_entries));
	g_autoptr(GBytes) half = g_bytes_new_from_bytes(tgz, 0, g_bytes_get_size(tgz) / 2);
	g_autofree gchar *sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, tgz);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *listing = NULL;
	Writer w = {-1, tgz, TRUE};
	GThread *thread;
	gint fds[2];

	g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
	w.fd = fds[1];
	thread = g_thread_new("writer", writer_thread, &w);
	image = import_fd(f, "piped", fds[0], NULL, NULL, &error);
	g_thread_join(thread);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_image_get_digest(image) + strlen("sha256:"), ==, sum);
	g_assert_cmpint(close(fds[0]), ==, 0);

	/* half an archive, and the writer does not go away */
	g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
	w.fd = fds[1];
	w.bytes = half;
	w.close_it = FALSE;
	writer_thread(&w);
	tender_image_store_import_async(f->store,
					"stalled",
					fds[0],
					NULL,
					cancellable,
					import_cb,
					&res);
	g_assert_null(import_fd(f, "stalled", fds[0], NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_BUSY);
	g_clear_error(&error);
	g_cancellable_cancel(cancellable);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_null(tender_image_store_import_finish(f->store, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(close(fds[0]), ==, 0);
	g_assert_cmpint(close(fds[1]), ==, 0);
	listing = store_listing(f);
	g_assert_cmpstr(listing, ==, "piped");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	(void)tender_error_quark();
#define ADD(path, func, data)                                                                      \
	g_test_add(path, Fixture, data, fixture_set_up, func, fixture_tear_down)
	ADD("/images/tar", test_images_tar, NULL);
	ADD("/images/oci", test_images_oci, NULL);
	ADD("/images/docker", test_images_docker, NULL);
	ADD("/images/refused", test_images_refused, NULL);
	ADD("/images/broken", test_images_broken, GUINT_TO_POINTER(MIB));
	ADD("/images/names", test_images_names, NULL);
	ADD("/images/remove", test_images_remove, NULL);
	ADD("/images/reload", test_images_reload, NULL);
	ADD("/images/directory", test_images_directory, NULL);
	ADD("/images/pipe", test_images_pipe, NULL);
#undef ADD
	return g_test_run();
}
