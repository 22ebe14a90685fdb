/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "tender-privdrop.h"

/**
 * tender_privdrop_init:
 * @self: a #TenderPrivdrop to fill
 * @uid: the user to become
 * @gid: the group to become, and the only supplementary group
 * @keep: the capabilities to keep
 * @n_keep: how many
 *
 * Prepares the drop; call tender_privdrop_clear() once done.
 *
 * Returns: 0, or a negative errno
 */
int
tender_privdrop_init(TenderPrivdrop *self,
		     uid_t uid,
		     gid_t gid,
		     const cap_value_t *keep,
		     int n_keep)
{
	memset(self, 0, sizeof(*self));
	if (n_keep < 0 || n_keep > TENDER_PRIVDROP_CAPS_MAX)
		return -EINVAL;
	self->uid = uid;
	self->gid = gid;
	self->n_keep = n_keep;
	if (n_keep > 0)
		memcpy(self->keep, keep, sizeof(cap_value_t) * (size_t)n_keep);
	self->caps = cap_init();
	if (self->caps == NULL)
		return -ENOMEM;
	if (n_keep > 0 &&
	    (cap_set_flag(self->caps, CAP_PERMITTED, n_keep, self->keep, CAP_SET) < 0 ||
	     cap_set_flag(self->caps, CAP_INHERITABLE, n_keep, self->keep, CAP_SET) < 0 ||
	     cap_set_flag(self->caps, CAP_EFFECTIVE, n_keep, self->keep, CAP_SET) < 0)) {
		int saved = errno;
		tender_privdrop_clear(self);
		return -saved;
	}
	return 0;
}

/**
 * tender_privdrop_parse_caps:
 * @list: capability numbers separated by commas, e.g. "10,12"; "" for none
 * @out: where to put them
 * @max: room in @out
 *
 * Returns: how many, or -1 if @list is not such a list
 */
int
tender_privdrop_parse_caps(const char *list, cap_value_t *out, int max)
{
	int n = 0;
	const char *p = list;

	while (*p != '\0') {
		char *end = NULL;
		long v;
		errno = 0;
		v = strtol(p, &end, 10);
		if (errno != 0 || end == p || v < 0 || v >= (long)cap_max_bits() || n >= max)
			return -1;
		out[n++] = (cap_value_t)v;
		if (*end == ',')
			end++;
		else if (*end != '\0')
			return -1;
		p = end;
	}
	return n;
}

static int
tender_privdrop_keeps(const TenderPrivdrop *self, cap_value_t cap)
{
	for (int i = 0; i < self->n_keep; i++) {
		if (self->keep[i] == cap)
			return 1;
	}
	return 0;
}

/**
 * tender_privdrop_apply:
 * @self: a prepared #TenderPrivdrop
 *
 * Drops to the prepared user, as root with every capability: supplementary groups, gid, the
 * bounding set (which takes CAP_SETPCAP, so before the uid), uid, then the capability sets,
 * the ambient set and no_new_privs.  Meant for a child between fork and exec: it allocates
 * nothing.
 *
 * Returns: 0, or a negative errno
 */
int
tender_privdrop_apply(const TenderPrivdrop *self)
{
	int max = (int)cap_max_bits();

	if (setgroups(1, &self->gid) < 0)
		return -errno;
	if (setresgid(self->gid, self->gid, self->gid) < 0)
		return -errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	for (cap_value_t cap = 0; cap < max; cap++) {
		if (!tender_privdrop_keeps(self, cap) && cap_drop_bound(cap) < 0)
			return -errno;
	}
	/* the capabilities to keep must live through the setuid() */
	if (self->n_keep > 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	if (setresuid(self->uid, self->uid, self->uid) < 0)
		return -errno;
	if (cap_set_proc(self->caps) < 0)
		return -errno;
	for (int i = 0; i < self->n_keep; i++) {
		if (cap_set_ambient(self->keep[i], CAP_SET) < 0)
			return -errno;
	}
	if (self->n_keep > 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

/**
 * tender_privdrop_clear:
 * @self: a #TenderPrivdrop
 */
void
tender_privdrop_clear(TenderPrivdrop *self)
{
	if (self->caps != NULL)
		cap_free(self->caps);
	self->caps = NULL;
}
