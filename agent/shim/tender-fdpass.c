/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "tender-fdpass.h"

/* one byte, and one descriptor in its control message */
typedef union {
	struct cmsghdr header;
	char buf[CMSG_SPACE(sizeof(int))];
} TenderFdpassControl;

static void
tender_fdpass_init(struct msghdr *msg, struct iovec *iov, char *byte, TenderFdpassControl *control)
{
	memset(control, 0, sizeof(*control));
	memset(msg, 0, sizeof(*msg));
	iov->iov_base = byte;
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = control->buf;
	msg->msg_controllen = sizeof(control->buf);
}

/**
 * tender_fdpass_send:
 * @sock: a unix socket
 * @fd: the descriptor to pass
 *
 * Returns: 0, or -1 with errno
 */
int
tender_fdpass_send(int sock, int fd)
{
	char byte = 'F';
	struct iovec iov;
	struct msghdr msg;
	TenderFdpassControl control;
	struct cmsghdr *cmsg;

	tender_fdpass_init(&msg, &iov, &byte, &control);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/**
 * tender_fdpass_receive:
 * @sock: a unix socket
 * @flags: of recvmsg(), e.g. MSG_DONTWAIT; MSG_CMSG_CLOEXEC is added
 *
 * Returns: the descriptor that came (close-on-exec), or -1 with errno: EAGAIN when nothing
 *   is there yet, EBADMSG at the socket's end or for a message without one
 */
int
tender_fdpass_receive(int sock, int flags)
{
	char byte = 0;
	struct iovec iov;
	struct msghdr msg;
	TenderFdpassControl control;
	struct cmsghdr *cmsg;
	int fd = -1;
	ssize_t n;

	tender_fdpass_init(&msg, &iov, &byte, &control);
	n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -1;
	cmsg = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}
