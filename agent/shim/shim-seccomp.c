/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The strict level's system call filter (libseccomp).  Everything is allowed but what Docker's
 * default profile refuses to a container without capabilities, which fails with EPERM: mounts
 * and pivot_root, the kernel keyring, BPF, ptrace and reading or writing other processes'
 * memory, kexec, kernel modules, new user namespaces (clone and unshare with CLONE_NEWUSER) and
 * setns, swap, reboot, accounting, setting the clocks, file handles, perf events,
 * userfaultfd, quotas, port I/O, io_uring, and personalities other than Linux's own (and the
 * 32-bit and UNAME26 ones).  clone3() fails with ENOSYS: its flags are behind a pointer that a
 * filter cannot read, and the C library then falls back to clone(), whose flags it can.
 *
 * The filter covers the native ABI and, on x86-64, the i386 and x32 ones, so that a 32-bit
 * system call cannot go around it.  It is loaded last, just before exec: with no_new_privs,
 * which it needs, it holds for the command and everything it starts.
 */

#include "config.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "shim-seccomp.h"

/* refused with EPERM whatever their arguments */
static const char *const tender_shim_seccomp_refused[] = {
    "acct",
    "add_key",
    "adjtimex",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "create_module",
    "delete_module",
    "finit_module",
    "fsconfig",
    "fsmount",
    "fsopen",
    "fspick",
    "get_kernel_syms",
    "init_module",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "mount",
    "mount_setattr",
    "move_mount",
    "nfsservctl",
    "open_by_handle_at",
    "open_tree",
    "perf_event_open",
    "pivot_root",
    "process_vm_readv",
    "process_vm_writev",
    "ptrace",
    "query_module",
    "quotactl",
    "quotactl_fd",
    "reboot",
    "request_key",
    "setns",
    "settimeofday",
    "stime",
    "swapoff",
    "swapon",
    "_sysctl",
    "syslog",
    "umount",
    "umount2",
    "uselib",
    "userfaultfd",
    "ustat",
    "vm86",
    "vm86old",
};

/* the personalities a process may still take: PER_LINUX, PER_LINUX32, UNAME26 with either,
 * and 0xffffffff, which only asks for the current one */
#define TENDER_SHIM_PERSONA_BITS  0x20008UL
#define TENDER_SHIM_PERSONA_QUERY 0xffffffffUL

static int
tender_shim_seccomp_refuse(scmp_filter_ctx ctx,
			   const char *name,
			   unsigned int n_args,
			   const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	/* a system call this architecture (or this libseccomp) does not know needs no rule */
	if (nr == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), nr, n_args, args);
}

/*
 * personality(): EPERM unless the value is one of those allowed.  A rule may compare an
 * argument once only, so the values refused are covered by masked comparisons: with bit 0 as a
 * pivot, any value whose other bits (all but 3 and 17) are neither all clear nor all set has
 * either bit 0 clear and another set, or bit 0 set and another clear.  The values with them all
 * set but the query, and those over 32 bits, get rules of their own.
 */
static int
tender_shim_seccomp_personality(scmp_filter_ctx ctx)
{
	const unsigned long other = 0xffffffffUL & ~TENDER_SHIM_PERSONA_BITS;
	const unsigned long all_set[] = {other, other | 0x8UL, other | 0x20000UL};
	struct scmp_arg_cmp cmp;
	int rc;

	for (unsigned int bit = 1; bit < 32; bit++) {
		unsigned long b = 1UL << bit;
		if ((other & b) == 0)
			continue;
		cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, b | 1UL, b);
		if ((rc = tender_shim_seccomp_refuse(ctx, "personality", 1, &cmp)) < 0)
			return rc;
		cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, b | 1UL, 1UL);
		if ((rc = tender_shim_seccomp_refuse(ctx, "personality", 1, &cmp)) < 0)
			return rc;
	}
	for (size_t i = 0; i < sizeof(all_set) / sizeof(all_set[0]); i++) {
		cmp = SCMP_A0(SCMP_CMP_EQ, all_set[i]);
		if ((rc = tender_shim_seccomp_refuse(ctx, "personality", 1, &cmp)) < 0)
			return rc;
	}
	cmp = SCMP_A0(SCMP_CMP_GT, TENDER_SHIM_PERSONA_QUERY);
	return tender_shim_seccomp_refuse(ctx, "personality", 1, &cmp);
}

/* every rule of the filter; returns 0 or a negative errno, with @step what failed */
static int
tender_shim_seccomp_rules(scmp_filter_ctx ctx, const char **step)
{
	struct scmp_arg_cmp newuser = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);
	int rc;

	*step = "architectures";
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		if ((rc = seccomp_arch_add(ctx, SCMP_ARCH_X86)) < 0 && rc != -EEXIST)
			return rc;
		if ((rc = seccomp_arch_add(ctx, SCMP_ARCH_X32)) < 0 && rc != -EEXIST)
			return rc;
	}
	for (size_t i = 0;
	     i < sizeof(tender_shim_seccomp_refused) / sizeof(tender_shim_seccomp_refused[0]);
	     i++) {
		*step = tender_shim_seccomp_refused[i];
		if ((rc = tender_shim_seccomp_refuse(ctx, *step, 0, NULL)) < 0)
			return rc;
	}
	*step = "clone";
	if ((rc = tender_shim_seccomp_refuse(ctx, "clone", 1, &newuser)) < 0)
		return rc;
	*step = "unshare";
	if ((rc = tender_shim_seccomp_refuse(ctx, "unshare", 1, &newuser)) < 0)
		return rc;
	*step = "clone3";
	rc = seccomp_syscall_resolve_name("clone3");
	if (rc != __NR_SCMP_ERROR &&
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), rc, 0)) < 0)
		return rc;
	*step = "personality";
	return tender_shim_seccomp_personality(ctx);
}

/**
 * tender_shim_seccomp_load:
 * @why: where to say why it failed
 * @why_len: the size of @why
 *
 * Sets no_new_privs and loads the strict level's filter into the calling thread, for good.
 * Meant for a child between fork and exec, once its privileges are dropped.
 *
 * Returns: 0, or -1 with @why set and errno
 */
int
tender_shim_seccomp_load(char *why, size_t why_len)
{
	scmp_filter_ctx ctx;
	const char *step = "init";
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		rc = errno;
		snprintf(why, why_len, "no_new_privs: %s", strerror(rc));
		errno = rc;
		return -1;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL) {
		snprintf(why, why_len, "seccomp: init: %s", strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	rc = tender_shim_seccomp_rules(ctx, &step);
	if (rc == 0) {
		step = "load";
		rc = seccomp_load(ctx);
	}
	seccomp_release(ctx);
	if (rc < 0) {
		snprintf(why, why_len, "seccomp: %s: %s", step, strerror(-rc));
		errno = -rc;
		return -1;
	}
	return 0;
}
