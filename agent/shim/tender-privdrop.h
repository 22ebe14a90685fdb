/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* plain C, no GLib: tender-shim uses it as well as tenderd */

#include <sys/capability.h>
#include <sys/types.h>

#define TENDER_PRIVDROP_CAPS_MAX 64

/**
 * TenderPrivdrop:
 *
 * A drop to a user, prepared in full before a fork so that the child only makes system calls:
 * the ids to take and the capabilities to keep (as permitted, inheritable, effective and
 * ambient, and in the bounding set); every other capability goes, bounding set included, and
 * no_new_privs is set.
 */
typedef struct {
	uid_t uid;
	gid_t gid;
	int n_keep;
	cap_value_t keep[TENDER_PRIVDROP_CAPS_MAX];
	cap_t caps; /* the sets to hold after setuid(): exactly @keep */
} TenderPrivdrop;

int
tender_privdrop_init(TenderPrivdrop *self,
		     uid_t uid,
		     gid_t gid,
		     const cap_value_t *keep,
		     int n_keep);
int
tender_privdrop_parse_caps(const char *list, cap_value_t *out, int max);
int
tender_privdrop_apply(const TenderPrivdrop *self);
void
tender_privdrop_clear(TenderPrivdrop *self);
