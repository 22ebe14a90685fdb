/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: one journal entry to journald, in its native protocol, without libsystemd (whose
 * relocations and dependencies cost every shim private pages).  The protocol is systemd's
 * "Native Journal Protocol": one datagram to /run/systemd/journal/socket holds the entry, each
 * field as `NAME=value\n`, or, for a value with a newline (or any binary data), as `NAME\n`, its
 * length as 64-bit little endian, the value and `\n`.  An entry too big for one datagram goes
 * into a sealed memfd whose descriptor is the datagram's only content (SCM_RIGHTS), as
 * sd_journal_sendv() does; entries over TENDER_SHIM_JOURNAL_ENTRY_MAX are refused.
 */

#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim-journal.h"

/* as sd-journal: room for a burst of entries before a send waits on journald */
#define TENDER_SHIM_JOURNAL_SNDBUF (8 * 1024 * 1024)

/* the socket, made at the first entry; unconnected, so that a restarted journald is found */
static int tender_shim_journal_fd = -1;

static int
tender_shim_journal_socket(void)
{
	int size = TENDER_SHIM_JOURNAL_SNDBUF;
	int fd;

	if (tender_shim_journal_fd >= 0)
		return tender_shim_journal_fd;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* beyond net.core.wmem_max only as root; otherwise the most it allows */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	tender_shim_journal_fd = fd;
	return fd;
}

/* a name journald takes from a client: A-Z, 0-9 and _, not first a digit or _ */
static int
tender_shim_journal_name_valid(const char *name, size_t len)
{
	if (len == 0 || len > TENDER_SHIM_JOURNAL_NAME_MAX || name[0] == '_' ||
	    (name[0] >= '0' && name[0] <= '9'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static int
tender_shim_journal_write_all(int fd, const struct iovec *iov, size_t n_iov)
{
	for (size_t i = 0; i < n_iov; i++) {
		const char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;
		while (left > 0) {
			ssize_t n = write(fd, p, left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
			p += n;
			left -= (size_t)n;
		}
	}
	return 0;
}

/* the entry of @msg's iovecs in a sealed memfd, whose descriptor is sent instead */
static int
tender_shim_journal_send_memfd(int sock, struct msghdr *msg)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct cmsghdr *cmsg;
	int fd = memfd_create("tender-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int rc;

	if (fd < 0)
		return -errno;
	rc = tender_shim_journal_write_all(fd, msg->msg_iov, msg->msg_iovlen);
	/* journald takes only a memfd that nobody can change any more */
	if (rc == 0 &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		rc = -errno;
	if (rc == 0) {
		memset(&control, 0, sizeof(control));
		msg->msg_iov = NULL;
		msg->msg_iovlen = 0;
		msg->msg_control = control.buf;
		msg->msg_controllen = sizeof(control.buf);
		cmsg = CMSG_FIRSTHDR(msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
		if (sendmsg(sock, msg, MSG_NOSIGNAL) < 0)
			rc = -errno;
	}
	close(fd);
	return rc;
}

/*
 * Sends one entry of @n_fields fields, each `NAME=value` (the value any bytes), to the journal
 * at @socket_path.  Returns 0, or a negative errno: -EINVAL for a field without `=` or with a
 * name journald would not take, -E2BIG for more than TENDER_SHIM_JOURNAL_FIELDS_MAX fields or an
 * entry over TENDER_SHIM_JOURNAL_ENTRY_MAX, -ENOENT or -ECONNREFUSED without a journald, -EINTR
 * if a signal interrupted a send that waited.  Not thread-safe (tender-shim has one thread).
 */
int
tender_shim_journal_sendv(const char *socket_path, const struct iovec *fields, size_t n_fields)
{
	struct iovec iov[TENDER_SHIM_JOURNAL_FIELDS_MAX * 5];
	uint64_t lengths[TENDER_SHIM_JOURNAL_FIELDS_MAX];
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct msghdr msg = {0};
	size_t path_len = strnlen(socket_path, sizeof(addr.sun_path));
	size_t total = 0;
	size_t n = 0;
	int sock;

	if (path_len == 0 || path_len >= sizeof(addr.sun_path))
		return -EINVAL;
	if (n_fields == 0)
		return -EINVAL;
	if (n_fields > TENDER_SHIM_JOURNAL_FIELDS_MAX)
		return -E2BIG;
	for (size_t i = 0; i < n_fields; i++) {
		char *field = fields[i].iov_base;
		size_t len = fields[i].iov_len;
		char *eq = memchr(field, '=', len);
		size_t name_len = eq != NULL ? (size_t)(eq - field) : 0;
		size_t value_len = len - name_len - 1;

		if (eq == NULL || !tender_shim_journal_name_valid(field, name_len))
			return -EINVAL;
		/* no newline: NAME=value\n as it is */
		if (memchr(eq + 1, '\n', value_len) == NULL) {
			iov[n++] = (struct iovec){.iov_base = field, .iov_len = len};
			iov[n++] = (struct iovec){.iov_base = (void *)"\n", .iov_len = 1};
			total += len + 1;
			continue;
		}
		/* NAME\n, the length, the value, \n */
		lengths[i] = htole64((uint64_t)value_len);
		iov[n++] = (struct iovec){.iov_base = field, .iov_len = name_len};
		iov[n++] = (struct iovec){.iov_base = (void *)"\n", .iov_len = 1};
		iov[n++] = (struct iovec){.iov_base = &lengths[i], .iov_len = sizeof(lengths[i])};
		iov[n++] = (struct iovec){.iov_base = eq + 1, .iov_len = value_len};
		iov[n++] = (struct iovec){.iov_base = (void *)"\n", .iov_len = 1};
		total += name_len + 1 + sizeof(lengths[i]) + value_len + 1;
	}
	if (total > TENDER_SHIM_JOURNAL_ENTRY_MAX)
		return -E2BIG;

	sock = tender_shim_journal_socket();
	if (sock < 0)
		return sock;
	memcpy(addr.sun_path, socket_path, path_len);
	msg.msg_name = &addr;
	msg.msg_namelen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len + 1);
	msg.msg_iov = iov;
	msg.msg_iovlen = n;
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) >= 0)
		return 0;
	/* too big for one datagram (or for the socket's buffer): the memfd */
	if (errno == EMSGSIZE || errno == ENOBUFS)
		return tender_shim_journal_send_memfd(sock, &msg);
	return -errno;
}
