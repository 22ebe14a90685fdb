/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: the container's root filesystem, built by its first process in its own mount
 * namespace, so that nothing is ever mounted on the host (every mount is private from the
 * start: none propagates back).
 *
 * Whatever comes from the host is taken first, as detached mounts (open_tree, fsmount): the
 * root (an overlay of the image, a bind of --root-dir, or a recursive read-only bind of the
 * host's /), the volumes and the device nodes.  Then a small tmpfs, the stage, covers /tmp (in
 * this namespace only) with /etc/hostname, /etc/hosts and /etc/resolv.conf as the shim writes
 * them and the directory the root is attached to.  Everything else is mounted into the root
 * through file descriptors resolved inside it (openat2 with RESOLVE_IN_ROOT), so a symbolic
 * link in an image cannot lead a mount out of it: /proc, a minimal /dev, a read-only /sys,
 * fresh tmpfs where they belong, the /etc files, the volumes and, for strict, the masks over
 * /proc.  A missing mount point is made in the root (in the overlay's upper layer for an
 * image); the read-only view of the host cannot take one.  Last, the root may become
 * read-only, pivot_root makes it the root, and the old root (the host's, with the stage) is
 * detached.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim-private.h"

/* where the stage is mounted, in the container's mount namespace only */
#define TENDER_SHIM_STAGE      "/tmp"
#define TENDER_SHIM_STAGE_ROOT TENDER_SHIM_STAGE "/root"

/* the device nodes of the minimal /dev, bind-mounted from the host's */
static const char *const tender_shim_mounts_devices[] = {
    "null",
    "zero",
    "full",
    "random",
    "urandom",
    "tty",
};
#define TENDER_SHIM_N_DEVICES (sizeof(tender_shim_mounts_devices) / sizeof(char *))

/* strict: /dev/null over these files, an empty read-only tmpfs over these directories */
static const char *const tender_shim_mounts_masked[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/sys/devices/virtual/powercap",
    "/sys/firmware",
};

/* strict: read-only */
static const char *const tender_shim_mounts_read_only[] = {
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
};

/* the host view: fresh tmpfs over these (when the host has them), and their modes */
static const struct {
	const char *path;
	const char *options;
} tender_shim_mounts_fresh[] = {
    {"/tmp", "mode=1777"},
    {"/var/tmp", "mode=1777"},
    {"/run", "mode=0755"},
    {"/home", "mode=0755"},
    {"/root", "mode=0700"},
};
#define TENDER_SHIM_N_FRESH (sizeof(tender_shim_mounts_fresh) / sizeof(tender_shim_mounts_fresh[0]))

/* the kernel's last word on a new file system that could not be made (its fs context's log) */
static char tender_shim_mounts_fs_log[256];

typedef struct {
	const TenderShimArgs *args;
	char *why;
	size_t why_len;
	int host_view; /* the root is the read-only view of the host's / */
	int root_tree; /* the root, detached, until it is attached */
	int root;      /* the root, attached at the stage, O_PATH */
	int devices[TENDER_SHIM_N_DEVICES];
	int *volumes; /* a detached tree per volume */
} TenderShimMounts;

/* sets why to "LEVEL: WHAT: strerror(errno)"; returns -1 with errno kept */
static int __attribute__((format(printf, 2, 3)))
tender_shim_mounts_fail(TenderShimMounts *m, const char *fmt, ...)
{
	int saved = errno;
	char what[TENDER_SHIM_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(m->why,
		 m->why_len,
		 "%s: %s: %s%s%s%s",
		 tender_shim_isolation_to_string(m->args->isolation),
		 what,
		 strerror(saved),
		 tender_shim_mounts_fs_log[0] != '\0' ? " (" : "",
		 tender_shim_mounts_fs_log,
		 tender_shim_mounts_fs_log[0] != '\0' ? ")" : "");
	tender_shim_mounts_fs_log[0] = '\0';
	errno = saved;
	return -1;
}

static void
tender_shim_mounts_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* @path in the root, every symbolic link resolved inside it; an O_PATH descriptor */
static int
tender_shim_mounts_resolve(int root, const char *path, int flags)
{
	struct open_how how = {
	    .flags = (unsigned long long)(O_PATH | O_CLOEXEC | flags),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/*
 * The mount point @path in the root, made if it is missing: a directory if @dir, else an empty
 * file, and its missing parents as directories.  A dangling symbolic link is followed (inside
 * the root) to where the mount point is made.  Returns an O_PATH descriptor, or -1 with errno.
 */
static int
tender_shim_mounts_target(int root, const char *path, int dir, int depth)
{
	char parent_path[PATH_MAX];
	char link[PATH_MAX];
	char *slash;
	const char *name;
	int fd = tender_shim_mounts_resolve(root, path, dir ? O_DIRECTORY : 0);
	int parent;
	int rc;

	if (fd >= 0 || errno != ENOENT || depth > 8)
		return fd;
	if (snprintf(parent_path, sizeof(parent_path), "%s", path) >= (int)sizeof(parent_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	while ((slash = strrchr(parent_path, '/')) != NULL && slash[1] == '\0' &&
	       slash != parent_path)
		*slash = '\0';
	slash = strrchr(parent_path, '/');
	if (slash == NULL) {
		name = parent_path;
		parent = tender_shim_mounts_resolve(root, ".", O_DIRECTORY);
	} else {
		*slash = '\0';
		name = slash + 1;
		parent =
		    tender_shim_mounts_target(root, parent_path[0] ? parent_path : "/", 1, depth);
	}
	if (parent < 0)
		return -1;
	if (dir) {
		rc = mkdirat(parent, name, 0755);
	} else {
		rc = openat(parent,
			    name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (rc >= 0)
			rc = close(rc);
	}
	if (rc < 0 && errno == EEXIST) {
		ssize_t n = readlinkat(parent, name, link, sizeof(link) - 1);
		close(parent);
		if (n <= 0)
			return tender_shim_mounts_resolve(root, path, dir ? O_DIRECTORY : 0);
		link[n] = '\0';
		/* relative to the link's directory, or to the root */
		if (link[0] != '/' && slash != NULL) {
			size_t len = strlen(parent_path);
			if (len + 1 + (size_t)n >= sizeof(parent_path)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			parent_path[len] = '/';
			memcpy(parent_path + len + 1, link, (size_t)n + 1);
			return tender_shim_mounts_target(root, parent_path, dir, depth + 1);
		}
		return tender_shim_mounts_target(root, link, dir, depth + 1);
	}
	close(parent);
	if (rc < 0)
		return -1;
	return tender_shim_mounts_resolve(root, path, dir ? O_DIRECTORY : 0);
}

/* attaches the detached @tree at @path in the root, made if missing; closes @tree */
static int
tender_shim_mounts_attach(TenderShimMounts *m, int *tree, const char *path, int dir)
{
	int target = tender_shim_mounts_target(m->root, path, dir, 0);
	int rc;

	struct stat from;
	struct stat to;

	if (target < 0)
		return -1;
	/* a directory goes on a directory, anything else on anything but one */
	if (fstat(*tree, &from) == 0 && fstat(target, &to) == 0 &&
	    S_ISDIR(from.st_mode) != S_ISDIR(to.st_mode)) {
		close(target);
		errno = S_ISDIR(from.st_mode) ? ENOTDIR : EISDIR;
		return -1;
	}
	rc = move_mount(*tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	close(target);
	if (rc == 0)
		tender_shim_mounts_close(tree);
	return rc;
}

/* sets mount attributes (MOUNT_ATTR_*) on the detached @tree, and on its submounts */
static int
tender_shim_mounts_set_attrs(int tree, unsigned long long attrs)
{
	struct mount_attr attr = {.attr_set = attrs};
	return mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr));
}

/* keeps the last error the kernel logged for the file system context @fs, "e MESSAGE" */
static void
tender_shim_mounts_read_fs_log(int fs)
{
	char line[sizeof(tender_shim_mounts_fs_log) + 2];
	ssize_t n;

	tender_shim_mounts_fs_log[0] = '\0';
	while ((n = read(fs, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "e ", 2) == 0)
			snprintf(tender_shim_mounts_fs_log,
				 sizeof(tender_shim_mounts_fs_log),
				 "%s",
				 line + 2);
	}
}

/* a new, detached file system of @type: @options are "key=value" or "flag", comma-separated */
static int
tender_shim_mounts_new_fs(const char *type, const char *options, unsigned int attrs)
{
	char opts[256];
	char *opt;
	char *save = NULL;
	int fs = fsopen(type, FSOPEN_CLOEXEC);
	int tree;
	int saved;

	if (fs < 0)
		return -1;
	snprintf(opts, sizeof(opts), "%s", options != NULL ? options : "");
	for (opt = strtok_r(opts, ",", &save); opt != NULL; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		int rc;
		if (eq != NULL) {
			*eq = '\0';
			rc = fsconfig(fs, FSCONFIG_SET_STRING, opt, eq + 1, 0);
		} else {
			rc = fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
		}
		if (rc < 0) {
			saved = errno;
			close(fs);
			errno = saved;
			return -1;
		}
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		saved = errno;
		tender_shim_mounts_read_fs_log(fs);
		close(fs);
		errno = saved;
		return -1;
	}
	tree = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	saved = errno;
	close(fs);
	errno = saved;
	return tree;
}

/* mounts a new file system of @type at @path in the root */
static int
tender_shim_mounts_fs_at(TenderShimMounts *m,
			 const char *type,
			 const char *options,
			 unsigned int attrs,
			 const char *path)
{
	int tree = tender_shim_mounts_new_fs(type, options, attrs);

	if (tree < 0)
		return tender_shim_mounts_fail(m, "mount %s on %s", type, path);
	if (tender_shim_mounts_attach(m, &tree, path, 1) < 0) {
		tender_shim_mounts_fail(m, "mount %s on %s", type, path);
		tender_shim_mounts_close(&tree);
		return -1;
	}
	return 0;
}

/* a detached copy of the host's @path (and what is mounted below it) */
static int
tender_shim_mounts_clone(const char *path)
{
	return open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
}

/* the root, detached: the image's overlay, a bind of --root-dir, or the host's / read-only */
static int
tender_shim_mounts_make_root(TenderShimMounts *m)
{
	const TenderShimArgs *args = m->args;
	char options[3 * PATH_MAX + 64];

	if (args->root_lower != NULL) {
		snprintf(options,
			 sizeof(options),
			 "lowerdir=%s,upperdir=%s,workdir=%s",
			 args->root_lower,
			 args->root_upper,
			 args->root_work);
		m->root_tree = tender_shim_mounts_new_fs("overlay", options, 0);
		if (m->root_tree < 0) {
			struct statfs fs;
			int saved = errno;
			/* the kernel says why only in its log */
			if (statfs(args->root_upper, &fs) == 0 &&
			    fs.f_type == OVERLAYFS_SUPER_MAGIC)
				snprintf(tender_shim_mounts_fs_log,
					 sizeof(tender_shim_mounts_fs_log),
					 "%s is on an overlay, which cannot hold an upper layer",
					 args->root_upper);
			errno = saved;
			return tender_shim_mounts_fail(m, "mount overlay on /");
		}
		return 0;
	}
	if (args->root_dir != NULL) {
		m->root_tree = tender_shim_mounts_clone(args->root_dir);
		if (m->root_tree < 0)
			return tender_shim_mounts_fail(m, "bind %s on /", args->root_dir);
		return 0;
	}
	m->host_view = 1;
	m->root_tree = tender_shim_mounts_clone("/");
	if (m->root_tree < 0 || tender_shim_mounts_set_attrs(m->root_tree, MOUNT_ATTR_RDONLY) < 0)
		return tender_shim_mounts_fail(m, "bind the host's / read-only on /");
	return 0;
}

/* what the container takes from the host, before the stage covers /tmp: the volumes and the
 * device nodes */
static int
tender_shim_mounts_take_host(TenderShimMounts *m)
{
	const TenderShimArgs *args = m->args;

	for (size_t i = 0; i < TENDER_SHIM_N_DEVICES; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/dev/%s", tender_shim_mounts_devices[i]);
		m->devices[i] = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (m->devices[i] < 0)
			return tender_shim_mounts_fail(m, "bind %s", path);
	}
	for (int i = 0; i < args->n_volumes; i++) {
		const TenderShimVolume *v = &args->volumes[i];
		m->volumes[i] = tender_shim_mounts_clone(v->source);
		if (m->volumes[i] < 0)
			return tender_shim_mounts_fail(m, "volume %s", v->source);
		if (v->read_only &&
		    tender_shim_mounts_set_attrs(m->volumes[i],
						 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
						     MOUNT_ATTR_NODEV) < 0)
			return tender_shim_mounts_fail(m, "volume %s read-only", v->source);
	}
	return 0;
}

/* a resolv.conf line naming a name server on the host's loopback, which a container with a
 * network of its own cannot reach */
static int
tender_shim_mounts_is_loopback_server(const char *line, size_t len)
{
	const char *const prefixes[] = {"nameserver 127.", "nameserver ::1"};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (len >= n && strncmp(line, prefixes[i], n) == 0)
			return 1;
	}
	return 0;
}

/* copies at most 64 KiB of the host's @path to @fd, without the lines of name servers on the
 * host's loopback if @own_network; nothing if it cannot be read */
static void
tender_shim_mounts_copy_host_file(const char *path, int fd, int own_network)
{
	static char buf[65536];
	int in = open(path, O_RDONLY | O_CLOEXEC);
	size_t start = 0;
	ssize_t n;

	if (in < 0)
		return;
	n = tender_shim_read_full(in, buf, sizeof(buf));
	close(in);
	while (n > 0 && start < (size_t)n) {
		char *newline = memchr(buf + start, '\n', (size_t)n - start);
		size_t len =
		    newline != NULL ? (size_t)(newline - buf) + 1 - start : (size_t)n - start;
		if (!own_network || !tender_shim_mounts_is_loopback_server(buf + start, len))
			(void)tender_shim_write_full(fd, buf + start, len);
		start += len;
	}
}

/* the stage's file @name, for /etc/@name */
static int
tender_shim_mounts_write_etc(TenderShimMounts *m, const char *name)
{
	const TenderShimArgs *args = m->args;
	const char *hostname = args->hostname != NULL ? args->hostname : args->name;
	int own_network = args->network != TENDER_SHIM_NETWORK_HOST;
	char path[64];
	char text[512];
	int fd;

	snprintf(path, sizeof(path), TENDER_SHIM_STAGE "/%s", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return tender_shim_mounts_fail(m, "write %s", path);
	if (strcmp(name, "hostname") == 0) {
		snprintf(text, sizeof(text), "%s\n", hostname);
	} else if (strcmp(name, "hosts") == 0) {
		/* the host's names with the host's network, else only the loopback's; the
		 * hostname is the private network's address, or the loopback's */
		if (own_network)
			snprintf(text,
				 sizeof(text),
				 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
				 "ip6-loopback\n");
		else
			tender_shim_mounts_copy_host_file("/etc/hosts", fd, 0);
		snprintf(text + (own_network ? strlen(text) : 0),
			 sizeof(text) - (own_network ? strlen(text) : 0),
			 "%s\t%s\n",
			 args->address != NULL ? args->address : "127.0.1.1",
			 hostname);
	} else if (args->network == TENDER_SHIM_NETWORK_NONE) {
		snprintf(text, sizeof(text), "# network none: no name servers\n");
	} else {
		tender_shim_mounts_copy_host_file("/etc/resolv.conf", fd, own_network);
		text[0] = '\0';
	}
	if (tender_shim_write_full(fd, text, strlen(text)) < 0) {
		tender_shim_mounts_fail(m, "write %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* the stage: a small tmpfs over /tmp with the /etc files and the root's mount point */
static int
tender_shim_mounts_make_stage(TenderShimMounts *m)
{
	const char *const etc[] = {"hostname", "hosts", "resolv.conf"};

	if (mount("tender-stage",
		  TENDER_SHIM_STAGE,
		  "tmpfs",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0700,size=1m") < 0)
		return tender_shim_mounts_fail(m, "mount the stage on " TENDER_SHIM_STAGE);
	for (size_t i = 0; i < sizeof(etc) / sizeof(etc[0]); i++) {
		if (tender_shim_mounts_write_etc(m, etc[i]) < 0)
			return -1;
	}
	if (mkdir(TENDER_SHIM_STAGE_ROOT, 0755) < 0)
		return tender_shim_mounts_fail(m, "mkdir " TENDER_SHIM_STAGE_ROOT);
	if (move_mount(m->root_tree,
		       "",
		       AT_FDCWD,
		       TENDER_SHIM_STAGE_ROOT,
		       MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return tender_shim_mounts_fail(m, "attach the root");
	tender_shim_mounts_close(&m->root_tree);
	m->root = open(TENDER_SHIM_STAGE_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->root < 0)
		return tender_shim_mounts_fail(m, "open the root");
	return 0;
}

/* the host view: the host's own mounts where the container gets fresh ones go first, so that
 * unmounting those would not reveal the host's */
static void
tender_shim_mounts_detach_host(TenderShimMounts *m)
{
	const char *const covered[] = {"/proc", "/sys", "/dev"};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(covered) / sizeof(covered[0]) + TENDER_SHIM_N_FRESH; i++) {
		const char *p = i < 3 ? covered[i] : tender_shim_mounts_fresh[i - 3].path;
		snprintf(path, sizeof(path), TENDER_SHIM_STAGE_ROOT "%s", p);
		(void)umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	}
}

/* /dev: a tmpfs with the host's null, zero, full, random, urandom and tty bound into it, a
 * devpts of its own, /dev/shm, and the usual links */
static int
tender_shim_mounts_dev(TenderShimMounts *m)
{
	const char *const links[][2] = {
	    {"ptmx", "pts/ptmx"},
	    {"fd", "/proc/self/fd"},
	    {"stdin", "/proc/self/fd/0"},
	    {"stdout", "/proc/self/fd/1"},
	    {"stderr", "/proc/self/fd/2"},
	};
	int dev = tender_shim_mounts_new_fs("tmpfs",
					    "mode=0755,size=65536k",
					    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	char path[64];

	if (dev < 0)
		return tender_shim_mounts_fail(m, "mount tmpfs on /dev");
	/* made in the detached tmpfs, before it is attached */
	for (size_t i = 0; i < TENDER_SHIM_N_DEVICES; i++) {
		int fd = openat(dev,
				tender_shim_mounts_devices[i],
				O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				0666);
		if (fd < 0) {
			tender_shim_mounts_close(&dev);
			return tender_shim_mounts_fail(m,
						       "create /dev/%s",
						       tender_shim_mounts_devices[i]);
		}
		close(fd);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (symlinkat(links[i][1], dev, links[i][0]) < 0) {
			tender_shim_mounts_close(&dev);
			return tender_shim_mounts_fail(m, "symlink /dev/%s", links[i][0]);
		}
	}
	if (tender_shim_mounts_attach(m, &dev, "/dev", 1) < 0) {
		tender_shim_mounts_close(&dev);
		return tender_shim_mounts_fail(m, "mount tmpfs on /dev");
	}
	for (size_t i = 0; i < TENDER_SHIM_N_DEVICES; i++) {
		snprintf(path, sizeof(path), "/dev/%s", tender_shim_mounts_devices[i]);
		if (tender_shim_mounts_attach(m, &m->devices[i], path, 0) < 0)
			return tender_shim_mounts_fail(m, "bind %s", path);
	}
	if (tender_shim_mounts_fs_at(m,
				     "devpts",
				     "newinstance,ptmxmode=0666,mode=0620,gid=5",
				     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
				     "/dev/pts") < 0)
		return -1;
	return tender_shim_mounts_fs_at(m,
					"tmpfs",
					"mode=1777,size=65536k",
					MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
					"/dev/shm");
}

/* the stage's /etc/@name bound over the root's; the host view has its own /etc files, unless
 * the host lacks one, where nothing can be made */
static int
tender_shim_mounts_etc(TenderShimMounts *m, const char *name)
{
	char stage[64];
	char path[64];
	int tree;

	snprintf(stage, sizeof(stage), TENDER_SHIM_STAGE "/%s", name);
	snprintf(path, sizeof(path), "/etc/%s", name);
	tree = open_tree(AT_FDCWD, stage, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return tender_shim_mounts_fail(m, "bind %s", path);
	if (m->args->read_only_root && tender_shim_mounts_set_attrs(tree, MOUNT_ATTR_RDONLY) < 0) {
		tender_shim_mounts_close(&tree);
		return tender_shim_mounts_fail(m, "bind %s", path);
	}
	if (tender_shim_mounts_attach(m, &tree, path, 0) < 0) {
		int saved = errno;
		tender_shim_mounts_close(&tree);
		errno = saved;
		if (m->host_view && (errno == EROFS || errno == ENOENT))
			return 0;
		return tender_shim_mounts_fail(m, "bind %s", path);
	}
	return 0;
}

/* the volumes, each at its destination (made if missing: a directory, or an empty file for a
 * file) */
static int
tender_shim_mounts_volumes(TenderShimMounts *m)
{
	for (int i = 0; i < m->args->n_volumes; i++) {
		const TenderShimVolume *v = &m->args->volumes[i];
		struct stat st;
		if (fstat(m->volumes[i], &st) < 0 ||
		    tender_shim_mounts_attach(m,
					      &m->volumes[i],
					      v->destination,
					      S_ISDIR(st.st_mode)) < 0)
			return tender_shim_mounts_fail(m,
						       "volume %s on %s",
						       v->source,
						       v->destination);
	}
	return 0;
}

/* strict: the masked /proc and /sys paths, and the read-only ones */
static int
tender_shim_mounts_masks(TenderShimMounts *m)
{
	struct stat st;
	int tree;

	for (size_t i = 0; i < sizeof(tender_shim_mounts_masked) / sizeof(char *); i++) {
		const char *path = tender_shim_mounts_masked[i];
		int fd = tender_shim_mounts_resolve(m->root, path, 0);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0)
			return tender_shim_mounts_fail(m, "mask %s", path);
		close(fd);
		if (S_ISDIR(st.st_mode))
			tree = tender_shim_mounts_new_fs("tmpfs",
							 "size=0,mode=0555",
							 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
							     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		else
			tree =
			    open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (tree < 0 ||
		    tender_shim_mounts_attach(m, &tree, path, S_ISDIR(st.st_mode)) < 0) {
			tender_shim_mounts_fail(m, "mask %s", path);
			tender_shim_mounts_close(&tree);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(tender_shim_mounts_read_only) / sizeof(char *); i++) {
		const char *path = tender_shim_mounts_read_only[i];
		int fd = tender_shim_mounts_resolve(m->root, path, 0);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			return tender_shim_mounts_fail(m, "read-only %s", path);
		tree =
		    open_tree(fd,
			      "",
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
		close(fd);
		if (tree < 0 ||
		    tender_shim_mounts_set_attrs(tree,
						 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
						     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC) < 0 ||
		    tender_shim_mounts_attach(m, &tree, path, 0) < 0) {
			tender_shim_mounts_fail(m, "read-only %s", path);
			tender_shim_mounts_close(&tree);
			return -1;
		}
	}
	return 0;
}

/* everything mounted into the attached root */
static int
tender_shim_mounts_fill(TenderShimMounts *m)
{
	const TenderShimArgs *args = m->args;
	const char *const etc[] = {"hostname", "hosts", "resolv.conf"};

	if (m->host_view)
		tender_shim_mounts_detach_host(m);
	if (tender_shim_mounts_fs_at(m,
				     "proc",
				     NULL,
				     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
				     "/proc") < 0)
		return -1;
	if (tender_shim_mounts_dev(m) < 0)
		return -1;
	if (tender_shim_mounts_fs_at(m,
				     "sysfs",
				     NULL,
				     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					 MOUNT_ATTR_NOEXEC,
				     "/sys") < 0)
		return -1;
	for (size_t i = 0; i < TENDER_SHIM_N_FRESH; i++) {
		const char *path = tender_shim_mounts_fresh[i].path;
		int fd;
		/* a read-only root keeps a writable /tmp; the host view gets them all, where the
		 * host has them */
		if (!m->host_view && !(args->read_only_root && i == 0))
			continue;
		fd = tender_shim_mounts_resolve(m->root, path, O_DIRECTORY);
		if (fd < 0 && m->host_view)
			continue;
		if (fd >= 0)
			close(fd);
		if (tender_shim_mounts_fs_at(m,
					     "tmpfs",
					     tender_shim_mounts_fresh[i].options,
					     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
					     path) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(etc) / sizeof(etc[0]); i++) {
		if (tender_shim_mounts_etc(m, etc[i]) < 0)
			return -1;
	}
	if (tender_shim_mounts_volumes(m) < 0)
		return -1;
	if (args->isolation == TENDER_SHIM_ISOLATION_STRICT && tender_shim_mounts_masks(m) < 0)
		return -1;
	if (args->read_only_root && !m->host_view) {
		struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
		if (mount_setattr(m->root, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			return tender_shim_mounts_fail(m, "make / read-only");
	}
	return 0;
}

/* the root becomes /, and the host's is detached */
static int
tender_shim_mounts_pivot(TenderShimMounts *m)
{
	if (fchdir(m->root) < 0)
		return tender_shim_mounts_fail(m, "chdir to the root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return tender_shim_mounts_fail(m, "pivot_root");
	/* the old root is stacked on the new one: detach it, and everything below it */
	if (umount2(".", MNT_DETACH) < 0)
		return tender_shim_mounts_fail(m, "detach the old root");
	if (chdir("/") < 0)
		return tender_shim_mounts_fail(m, "chdir /");
	return 0;
}

static void
tender_shim_mounts_clear(TenderShimMounts *m)
{
	tender_shim_mounts_close(&m->root_tree);
	tender_shim_mounts_close(&m->root);
	for (size_t i = 0; i < TENDER_SHIM_N_DEVICES; i++)
		tender_shim_mounts_close(&m->devices[i]);
	for (int i = 0; i < m->args->n_volumes; i++)
		tender_shim_mounts_close(&m->volumes[i]);
}

/**
 * tender_shim_mounts_setup:
 * @args: the shim's arguments: the root, the volumes, the level
 * @why: where to say why it failed
 * @why_len: its size
 *
 * Builds the container's root filesystem and makes it the root.  For the container's first
 * process, in a mount namespace of its own and, for its /proc, a PID namespace of its own.
 *
 * Returns: 0, or -1 with @why ("standard: mount overlay on /: Invalid argument") and errno
 */
int
tender_shim_mounts_setup(const TenderShimArgs *args, char *why, size_t why_len)
{
	TenderShimMounts m = {
	    .args = args,
	    .why = why,
	    .why_len = why_len,
	    .root_tree = -1,
	    .root = -1,
	};
	int rc = -1;

	for (size_t i = 0; i < TENDER_SHIM_N_DEVICES; i++)
		m.devices[i] = -1;
	m.volumes = calloc((size_t)args->n_volumes + 1, sizeof(int));
	if (m.volumes == NULL)
		return tender_shim_mounts_fail(&m, "volumes");
	for (int i = 0; i < args->n_volumes; i++)
		m.volumes[i] = -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		tender_shim_mounts_fail(&m, "make / private");
	else if (tender_shim_mounts_take_host(&m) == 0 && tender_shim_mounts_make_root(&m) == 0 &&
		 tender_shim_mounts_make_stage(&m) == 0 && tender_shim_mounts_fill(&m) == 0 &&
		 tender_shim_mounts_pivot(&m) == 0)
		rc = 0;
	{
		int saved = errno;
		tender_shim_mounts_clear(&m);
		free(m.volumes);
		errno = saved;
	}
	return rc;
}
