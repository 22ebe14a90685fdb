/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim: what is left in the scope once the command has ended: the OOM kills, the leftovers
 */

#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim-private.h"

/*
 * Our own cgroup path in the v1 hierarchy whose /proc/self/cgroup tag is @v1_tag (e.g.
 * ":name=systemd:" or ":memory:"), else in the v2 one.  Returns 1 for v1, 2 for v2, -1 if
 * neither is there.
 */
static int
tender_shim_own_cgroup(const char *v1_tag, char *out, size_t len)
{
	char buf[8192];
	const char *v2 = NULL;
	const char *v1 = NULL;
	const char *hit;
	char *line;
	char *save = NULL;

	if (tender_shim_read_small_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "0::", 3) == 0)
			v2 = line + 3;
		else if ((hit = strstr(line, v1_tag)) != NULL)
			v1 = hit + strlen(v1_tag);
	}
	if (v1 != NULL) {
		snprintf(out, len, "%s", v1);
		return 1;
	}
	if (v2 != NULL) {
		snprintf(out, len, "%s", v2);
		return 2;
	}
	return -1;
}

/* the file listing the processes of our own cgroup, in the hierarchy that tracks processes */
static int
tender_shim_find_procs_file(char *out, size_t len)
{
	char cg[PATH_MAX];
	struct stat st;

	switch (tender_shim_own_cgroup(":name=systemd:", cg, sizeof(cg))) {
	case 1:
		snprintf(out, len, "/sys/fs/cgroup/systemd%s/cgroup.procs", cg);
		return 0;
	case 2:
		/* hybrid layouts mount v2 at /sys/fs/cgroup/unified */
		snprintf(out, len, "/sys/fs/cgroup/unified%s/cgroup.procs", cg);
		if (stat(out, &st) == 0)
			return 0;
		snprintf(out, len, "/sys/fs/cgroup%s/cgroup.procs", cg);
		return 0;
	default:
		return -1;
	}
}

/* SIGKILL everything left in the scope but ourselves; returns how many were signalled */
static int
tender_shim_kill_leftovers(const char *procs_file)
{
	char buf[65536];
	char *line;
	char *save = NULL;
	int n = 0;

	if (tender_shim_read_small_file(procs_file, buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		pid_t pid = (pid_t)strtol(line, NULL, 10);
		if (pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, SIGKILL) == 0)
			n++;
	}
	return n;
}

/* how often the kernel's OOM killer has struck in our memory cgroup (v1 or v2), or -1 */
long long
tender_shim_read_oom_kills(void)
{
	char buf[8192];
	char cg[PATH_MAX];
	char path[PATH_MAX + 64];
	char *line;
	char *save = NULL;

	switch (tender_shim_own_cgroup(":memory:", cg, sizeof(cg))) {
	case 1:
		snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/memory.oom_control", cg);
		break;
	case 2:
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.events", cg);
		break;
	default:
		return -1;
	}
	if (tender_shim_read_small_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "oom_kill ", 9) == 0)
			return strtoll(line + 9, NULL, 10);
	}
	return -1;
}

static void
tender_shim_reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

void
tender_shim_cleanup_scope(void)
{
	char procs[PATH_MAX + 64];
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};

	if (tender_shim_find_procs_file(procs, sizeof(procs)) < 0)
		return;
	for (int i = 0; i < 500; i++) {
		tender_shim_reap_all();
		if (tender_shim_kill_leftovers(procs) == 0)
			break;
		nanosleep(&pause, NULL);
	}
	tender_shim_reap_all();
}
