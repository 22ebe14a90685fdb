/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <tender-error.h>
#include <unistd.h>

#include "tender-session-config.h"
#include "tender-session-files.h"

/*
 * Files in a sandbox, whatever runs it: through the root of its main process as the host sees
 * it, /proc/PID/root, opened while a pidfd of that process shows it is still the same one (no
 * pid reuse race), and every path resolved beneath it by the kernel with openat2(2)
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: ".." stops at the sandbox's root, symbolic links
 * (absolute ones too) are followed as the sandbox sees them, /proc's magic links are refused.
 * The sandbox's mount namespace is what the root shows, so /workspace and the volumes (read-only
 * ones refuse writes) are there.  No shell, no process in the sandbox.  Files and directories
 * made are the sandbox user's: the uid and gid of its main process as the host sees them
 * (mapped already, should the sandbox have a user namespace).  The operations block: they run
 * in a worker thread (tender_session_files_op_run_async()).
 */

/* how often openat2 is tried again when the kernel says EAGAIN (a rename raced it) */
#define TENDER_SESSION_OPENAT2_TRIES 16
/* how deep tender_session_files_remove_tree() goes */
#define TENDER_SESSION_TREE_DEPTH_MAX 256

/**
 * tender_session_files_resolve:
 * @path: a path in the sandbox: absolute, or relative to /workspace
 * @need_leaf: whether the path must name something below / (write, delete)
 * @error: (nullable): a #GError
 *
 * Makes @path absolute and plain ("." and empty components dropped, ".." taken back) without
 * looking at any file: a path whose ".." climbs above the root is refused, as is one of
 * more than 4096 bytes.  What is left to the kernel is the symbolic links.
 *
 * Returns: (transfer full): the path, or %NULL with InvalidArgument
 */
gchar *
tender_session_files_resolve(const gchar *path, gboolean need_leaf, GError **error)
{
	g_autofree gchar *full = NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_auto(GStrv) split = NULL;
	g_autofree gchar *joined = NULL;

	if (path == NULL || path[0] == '\0' || strlen(path) > TENDER_SESSION_PATH_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid path: give 1 to %d bytes",
			    TENDER_SESSION_PATH_MAX);
		return NULL;
	}
	full = g_path_is_absolute(path)
		   ? g_strdup(path)
		   : g_build_path("/", TENDER_SESSION_WORKSPACE_PATH, path, NULL);
	split = g_strsplit(full, "/", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		if (split[i][0] == '\0' || g_strcmp0(split[i], ".") == 0)
			continue;
		if (g_strcmp0(split[i], "..") != 0) {
			g_ptr_array_add(parts, split[i]);
			continue;
		}
		if (parts->len == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid path '%s': its '..' climbs out of the sandbox",
				    path);
			return NULL;
		}
		g_ptr_array_remove_index(parts, parts->len - 1);
	}
	if (need_leaf && parts->len == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid path '%s': it is the sandbox's root",
			    path);
		return NULL;
	}
	g_ptr_array_add(parts, NULL);
	joined = g_strjoinv("/", (gchar **)parts->pdata);
	return g_strconcat("/", joined, NULL);
}

TenderSessionFilesOp *
tender_session_files_op_new(TenderSessionFilesKind kind, const gchar *path)
{
	TenderSessionFilesOp *op = g_new0(TenderSessionFilesOp, 1);

	op->kind = kind;
	op->path = g_strdup(path);
	op->pidfd = -1;
	op->mode = -1;
	op->max_size = TENDER_SESSION_FILE_MAX_DEFAULT;
	return op;
}

void
tender_session_files_op_free(TenderSessionFilesOp *op)
{
	if (op->pidfd >= 0)
		close(op->pidfd);
	g_free(op->path);
	g_clear_pointer(&op->content, g_bytes_unref);
	g_clear_pointer(&op->entries, json_array_unref);
	g_free(op->resolved);
	g_free(op);
}

/* an errno of a path as tender's error */
static gboolean
tender_session_files_fail(GError **error, gint errsv, const gchar *path)
{
	TenderError code = TENDER_ERROR_FAILED;

	switch (errsv) {
	case ENOENT:
		code = TENDER_ERROR_NOT_FOUND;
		break;
	case EROFS:
	case EACCES:
	case EPERM:
		code = TENDER_ERROR_ACCESS_DENIED;
		break;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		code = TENDER_ERROR_LIMIT_REACHED;
		break;
	case EISDIR:
	case ENOTDIR:
	case ELOOP:
	case EXDEV:
	case ENOTEMPTY:
	case ENAMETOOLONG:
	case EEXIST:
		code = TENDER_ERROR_INVALID_ARGUMENT;
		break;
	case EBUSY:
		code = TENDER_ERROR_BUSY;
		break;
	default:
		break;
	}
	g_set_error(error, TENDER_ERROR, code, "%s: %s", path, g_strerror(errsv));
	return FALSE;
}

/* openat2(2) beneath @rootfd, as if it were / */
static gint
tender_session_openat2(gint rootfd, const gchar *path, guint64 flags, guint64 mode)
{
	struct open_how how = {
	    .flags = flags | O_CLOEXEC,
	    .mode = (flags & O_CREAT) != 0 ? mode : 0,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	gint fd = -1;

	for (guint i = 0; i < TENDER_SESSION_OPENAT2_TRIES; i++) {
		fd = (gint)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/**
 * tender_session_files_op_hold:
 * @op: an operation
 * @pid: the sandbox's main process, as the host sees it
 *
 * Takes a pidfd of @pid, in the main thread, right after @pid was read.
 *
 * Returns: %TRUE on success; InvalidState if the process is gone
 */
gboolean
tender_session_files_op_hold(TenderSessionFilesOp *op, guint32 pid, GError **error)
{
	op->pid = pid;
	op->pidfd = pid != 0 ? (gint)syscall(SYS_pidfd_open, (pid_t)pid, 0) : -1;
	if (op->pidfd >= 0)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_STATE,
		    "The sandbox's main process (%u) is gone: %s",
		    pid,
		    g_strerror(pid != 0 ? errno : ESRCH));
	return FALSE;
}

/* the real uid and gid of @pid as the host sees them, from /proc/PID/status */
static gboolean
tender_session_files_owner(guint32 pid, uid_t *uid, gid_t *gid, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%u/status", pid);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	gboolean have_uid = FALSE;
	gboolean have_gid = FALSE;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], "Uid:")) {
			*uid = (uid_t)g_ascii_strtoull(lines[i] + 4, NULL, 10);
			have_uid = TRUE;
		} else if (g_str_has_prefix(lines[i], "Gid:")) {
			*gid = (gid_t)g_ascii_strtoull(lines[i] + 4, NULL, 10);
			have_gid = TRUE;
		}
	}
	if (have_uid && have_gid)
		return TRUE;
	g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s has no Uid or Gid", path);
	return FALSE;
}

/* the sandbox's root, and its user; checked against the pidfd after both were read */
static gint
tender_session_files_open_root(TenderSessionFilesOp *op, uid_t *uid, gid_t *gid, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%u/root", op->pid);
	gint fd;

	if (!tender_session_files_owner(op->pid, uid, gid, error))
		return -1;
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		tender_session_files_fail(error, errno, path);
		return -1;
	}
	if (syscall(SYS_pidfd_send_signal, op->pidfd, 0, NULL, 0) != 0) {
		close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "The sandbox's main process (%u) ended",
			    op->pid);
		return -1;
	}
	return fd;
}

/* the directories of @path made as they are missing, as the sandbox's user */
static gboolean
tender_session_files_make_parents(gint rootfd,
				  const gchar *path,
				  uid_t uid,
				  gid_t gid,
				  GError **error)
{
	g_auto(GStrv) parts = g_strsplit(path + 1, "/", -1);
	g_autoptr(GString) prefix = g_string_new("/");

	for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i++) {
		g_autofree gchar *parent = g_strdup(prefix->str);
		gint fd;
		if (prefix->len > 1)
			g_string_append_c(prefix, '/');
		g_string_append(prefix, parts[i]);
		fd = tender_session_openat2(rootfd, prefix->str, O_PATH | O_DIRECTORY, 0);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (errno != ENOENT)
			return tender_session_files_fail(error, errno, prefix->str);
		fd = tender_session_openat2(rootfd, parent, O_PATH | O_DIRECTORY, 0);
		if (fd < 0)
			return tender_session_files_fail(error, errno, parent);
		if (mkdirat(fd, parts[i], 0755) != 0 && errno != EEXIST) {
			gint errsv = errno;
			close(fd);
			return tender_session_files_fail(error, errsv, prefix->str);
		}
		(void)fchownat(fd, parts[i], uid, gid, AT_SYMLINK_NOFOLLOW);
		close(fd);
	}
	return TRUE;
}

/* @fd is a regular file (not a fifo a read or write would wait on, nor a device) */
static gboolean
tender_session_files_check_regular(gint fd, const gchar *path, struct stat *st, GError **error)
{
	if (fstat(fd, st) != 0)
		return tender_session_files_fail(error, errno, path);
	if (S_ISREG(st->st_mode))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "%s is not a regular file",
		    path);
	return FALSE;
}

static gboolean
tender_session_files_too_big(TenderSessionFilesOp *op, guint64 size, GError **error)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_LIMIT_REACHED,
		    "%s: %" G_GUINT64_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT
		    " bytes per file ([plugin sessions] max-file-size)",
		    op->resolved,
		    size,
		    op->max_size);
	return FALSE;
}

static gboolean
tender_session_files_write_fd(gint fd,
			      const guint8 *data,
			      gsize len,
			      const gchar *path,
			      GError **error)
{
	while (len > 0) {
		gssize n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tender_session_files_fail(error, errno, path);
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

static gboolean
tender_session_files_write(TenderSessionFilesOp *op,
			   gint rootfd,
			   uid_t uid,
			   gid_t gid,
			   GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(op->content, &len);
	guint64 flags = O_WRONLY | O_NOCTTY | O_NONBLOCK | (op->append ? O_APPEND : 0);
	gboolean created = TRUE;
	struct stat st;
	gint fd;
	gboolean ok;

	if (len > op->max_size)
		return tender_session_files_too_big(op, len, error);
	if (!tender_session_files_make_parents(rootfd, op->resolved, uid, gid, error))
		return FALSE;
	fd = tender_session_openat2(rootfd, op->resolved, flags | O_CREAT | O_EXCL, 0600);
	if (fd < 0 && errno == EEXIST) {
		created = FALSE;
		fd = tender_session_openat2(rootfd, op->resolved, flags, 0);
	}
	if (fd < 0)
		return tender_session_files_fail(error, errno, op->resolved);
	ok = tender_session_files_check_regular(fd, op->resolved, &st, error);
	if (ok && op->append && (guint64)st.st_size + len > op->max_size)
		ok = tender_session_files_too_big(op, (guint64)st.st_size + len, error);
	if (ok && created && fchown(fd, uid, gid) != 0)
		ok = tender_session_files_fail(error, errno, op->resolved);
	if (ok && (created || op->mode >= 0) &&
	    fchmod(fd, op->mode >= 0 ? (mode_t)op->mode : 0644) != 0)
		ok = tender_session_files_fail(error, errno, op->resolved);
	if (ok && !op->append && ftruncate(fd, 0) != 0)
		ok = tender_session_files_fail(error, errno, op->resolved);
	if (ok)
		ok = tender_session_files_write_fd(fd, data, len, op->resolved, error);
	if (ok && fstat(fd, &st) == 0)
		op->size = (guint64)st.st_size;
	close(fd);
	return ok;
}

static gboolean
tender_session_files_read(TenderSessionFilesOp *op, gint rootfd, GError **error)
{
	g_autofree guint8 *data = NULL;
	gsize len = 0;
	gsize alloc;
	struct stat st;
	gint fd = tender_session_openat2(rootfd, op->resolved, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
	gboolean ok;

	if (fd < 0)
		return tender_session_files_fail(error, errno, op->resolved);
	ok = tender_session_files_check_regular(fd, op->resolved, &st, error);
	if (ok && (guint64)st.st_size > op->max_size)
		ok = tender_session_files_too_big(op, (guint64)st.st_size, error);
	/* at most max_size, however the file grows meanwhile */
	alloc = ok ? MIN((gsize)st.st_size, op->max_size) + 1 : 0;
	data = g_malloc(alloc + 1);
	while (ok && len <= op->max_size) {
		gssize n;
		if (len == alloc) {
			alloc = MIN(alloc * 2, op->max_size + 1);
			data = g_realloc(data, alloc + 1);
		}
		n = read(fd, data + len, alloc - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ok = tender_session_files_fail(error, errno, op->resolved);
		if (n <= 0)
			break;
		len += (gsize)n;
	}
	close(fd);
	if (ok && len > op->max_size)
		ok = tender_session_files_too_big(op, len, error);
	if (!ok)
		return FALSE;
	op->content = g_bytes_new_take(g_realloc(g_steal_pointer(&data), len), len);
	return TRUE;
}

static const gchar *
tender_session_files_type(mode_t mode)
{
	if (S_ISREG(mode))
		return "file";
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISLNK(mode))
		return "symlink";
	return "other";
}

static gint
tender_session_files_entry_cmp(gconstpointer a, gconstpointer b)
{
	JsonObject *x = json_node_get_object(*(JsonNode *const *)a);
	JsonObject *y = json_node_get_object(*(JsonNode *const *)b);
	return g_strcmp0(json_object_get_string_member(x, "name"),
			 json_object_get_string_member(y, "name"));
}

static gboolean
tender_session_files_list(TenderSessionFilesOp *op, gint rootfd, GError **error)
{
	g_autoptr(GPtrArray) nodes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
	gint fd = tender_session_openat2(rootfd, op->resolved, O_RDONLY | O_DIRECTORY, 0);
	struct dirent *entry;
	DIR *dir;

	if (fd < 0)
		return tender_session_files_fail(error, errno, op->resolved);
	dir = fdopendir(fd);
	if (dir == NULL) {
		gint errsv = errno;
		close(fd);
		return tender_session_files_fail(error, errsv, op->resolved);
	}
	while ((entry = readdir(dir)) != NULL) {
		JsonObject *obj;
		struct stat st;
		g_autofree gchar *name = NULL;
		if (g_strcmp0(entry->d_name, ".") == 0 || g_strcmp0(entry->d_name, "..") == 0)
			continue;
		if (nodes->len >= TENDER_SESSION_LIST_MAX) {
			op->truncated = TRUE;
			break;
		}
		if (fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		name = g_utf8_make_valid(entry->d_name, -1);
		obj = json_object_new();
		json_object_set_string_member(obj, "name", name);
		json_object_set_string_member(obj, "type", tender_session_files_type(st.st_mode));
		json_object_set_int_member(obj, "size", (gint64)st.st_size);
		json_object_set_int_member(obj, "mode", (gint64)(st.st_mode & 07777));
		json_object_set_int_member(obj, "uid", (gint64)st.st_uid);
		json_object_set_int_member(obj, "gid", (gint64)st.st_gid);
		json_object_set_int_member(obj, "mtime", (gint64)st.st_mtime);
		if (S_ISLNK(st.st_mode)) {
			gchar target[TENDER_SESSION_PATH_MAX + 1];
			gssize n =
			    readlinkat(dirfd(dir), entry->d_name, target, sizeof(target) - 1);
			if (n >= 0) {
				g_autofree gchar *valid = NULL;
				target[n] = '\0';
				valid = g_utf8_make_valid(target, -1);
				json_object_set_string_member(obj, "target", valid);
			}
		}
		g_ptr_array_add(nodes, json_node_init_object(json_node_alloc(), obj));
		json_object_unref(obj);
	}
	closedir(dir);
	g_ptr_array_sort(nodes, tender_session_files_entry_cmp);
	op->entries = json_array_sized_new(nodes->len);
	for (guint i = 0; i < nodes->len; i++)
		json_array_add_element(op->entries, json_node_ref(g_ptr_array_index(nodes, i)));
	return TRUE;
}

static gboolean
tender_session_files_delete(TenderSessionFilesOp *op, gint rootfd, GError **error)
{
	g_autofree gchar *parent = g_path_get_dirname(op->resolved);
	g_autofree gchar *leaf = g_path_get_basename(op->resolved);
	gint fd = tender_session_openat2(rootfd, parent, O_PATH | O_DIRECTORY, 0);
	gint rc;

	if (fd < 0)
		return tender_session_files_fail(error, errno, parent);
	rc = unlinkat(fd, leaf, 0);
	if (rc != 0 && errno == EISDIR)
		rc = unlinkat(fd, leaf, AT_REMOVEDIR);
	if (rc != 0) {
		gint errsv = errno;
		close(fd);
		return tender_session_files_fail(error, errsv, op->resolved);
	}
	close(fd);
	return TRUE;
}

/**
 * tender_session_files_op_run:
 * @op: an operation, held (tender_session_files_op_hold())
 *
 * Runs @op; blocks.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_session_files_op_run(TenderSessionFilesOp *op, GError **error)
{
	uid_t uid = 0;
	gid_t gid = 0;
	gint rootfd;
	gboolean ok = FALSE;

	op->resolved = tender_session_files_resolve(op->path,
						    op->kind == TENDER_SESSION_FILES_WRITE ||
							op->kind == TENDER_SESSION_FILES_DELETE,
						    error);
	if (op->resolved == NULL)
		return FALSE;
	rootfd = tender_session_files_open_root(op, &uid, &gid, error);
	if (rootfd < 0)
		return FALSE;
	switch (op->kind) {
	case TENDER_SESSION_FILES_WRITE:
		ok = tender_session_files_write(op, rootfd, uid, gid, error);
		break;
	case TENDER_SESSION_FILES_READ:
		ok = tender_session_files_read(op, rootfd, error);
		break;
	case TENDER_SESSION_FILES_LIST:
		ok = tender_session_files_list(op, rootfd, error);
		break;
	case TENDER_SESSION_FILES_DELETE:
		ok = tender_session_files_delete(op, rootfd, error);
		break;
	default:
		g_assert_not_reached();
	}
	close(rootfd);
	return ok;
}

static void
tender_session_files_op_thread(GTask *task,
			       gpointer source,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	GError *error = NULL;

	if (!tender_session_files_op_run(task_data, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* runs @op (taken) in a worker thread */
void
tender_session_files_op_run_async(TenderSessionFilesOp *op,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_session_files_op_run_async);
	g_task_set_task_data(task, op, (GDestroyNotify)tender_session_files_op_free);
	g_task_run_in_thread(task, tender_session_files_op_thread);
}

/* Returns: (transfer none): the operation, with what it found, or %NULL */
TenderSessionFilesOp *
tender_session_files_op_run_finish(GAsyncResult *res, GError **error)
{
	if (!g_task_propagate_boolean(G_TASK(res), error))
		return NULL;
	return g_task_get_task_data(G_TASK(res));
}

/**
 * tender_session_files_chown_workspace:
 * @workspace: the workspace, a directory tenderd made
 * @pid: the sandbox's main process
 *
 * Gives the workspace to the sandbox's user (its main process's uid and gid as the host sees
 * them), unless it is theirs already.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_session_files_chown_workspace(const gchar *workspace, guint32 pid, GError **error)
{
	uid_t uid = 0;
	gid_t gid = 0;
	struct stat st;
	gint fd;
	gboolean ok = TRUE;

	if (!tender_session_files_owner(pid, &uid, &gid, error))
		return FALSE;
	fd = open(workspace, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return tender_session_files_fail(error, errno, workspace);
	if (fstat(fd, &st) == 0 && (st.st_uid != uid || st.st_gid != gid) &&
	    fchown(fd, uid, gid) != 0)
		ok = tender_session_files_fail(error, errno, workspace);
	close(fd);
	return ok;
}

/* empties the directory @fd (taken), never following a symbolic link */
static gboolean
tender_session_files_empty_dir(gint fd, const gchar *path, guint depth, GError **error)
{
	DIR *dir = fdopendir(fd);
	struct dirent *entry;
	gboolean ok = TRUE;

	if (dir == NULL) {
		close(fd);
		return tender_session_files_fail(error, errno, path);
	}
	if (depth > TENDER_SESSION_TREE_DEPTH_MAX) {
		closedir(dir);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "%s: nested more than %d directories deep",
			    path,
			    TENDER_SESSION_TREE_DEPTH_MAX);
		return FALSE;
	}
	while (ok && (entry = readdir(dir)) != NULL) {
		gint child;
		if (g_strcmp0(entry->d_name, ".") == 0 || g_strcmp0(entry->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(dir), entry->d_name, 0) == 0)
			continue;
		if (errno != EISDIR) {
			ok = tender_session_files_fail(error, errno, entry->d_name);
			break;
		}
		child = openat(dirfd(dir),
			       entry->d_name,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			ok = tender_session_files_fail(error, errno, entry->d_name);
			break;
		}
		ok = tender_session_files_empty_dir(child, entry->d_name, depth + 1, error);
		if (ok && unlinkat(dirfd(dir), entry->d_name, AT_REMOVEDIR) != 0)
			ok = tender_session_files_fail(error, errno, entry->d_name);
	}
	closedir(dir);
	return ok;
}

/**
 * tender_session_files_remove_tree:
 * @path: a directory of the host (a workspace)
 *
 * Removes it and everything in it, never following a symbolic link; blocks.
 *
 * Returns: %TRUE on success, also if it was not there
 */
gboolean
tender_session_files_remove_tree(const gchar *path, GError **error)
{
	gint fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return TRUE;
	if (fd < 0)
		return tender_session_files_fail(error, errno, path);
	if (!tender_session_files_empty_dir(fd, path, 0, error))
		return FALSE;
	if (rmdir(path) != 0)
		return tender_session_files_fail(error, errno, path);
	return TRUE;
}
