/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim: the exit record, which tenderd reads even after a restart */

#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim-private.h"

int
tender_shim_write_record(const char *path, const char *run_id, const TenderShimExit *end)
{
	char tmp[PATH_MAX];
	char text[1024];
	char *dir;
	char *slash;
	int fd;
	int dfd;
	int len;

	len = snprintf(text,
		       sizeof(text),
		       "{\"run_id\":\"%s\",\"shim_pid\":%d,\"main_pid\":%d,\"status\":\"%s\","
		       "\"exit_code\":%d,\"signal\":%d,\"errno\":%d,\"oom_kills\":%lld,"
		       "\"started_usec\":%lld,\"ended_usec\":%lld}\n",
		       run_id,
		       (int)getpid(),
		       (int)end->main_pid,
		       end->status,
		       end->exit_code,
		       end->signo,
		       end->err,
		       end->oom_kills,
		       (long long)end->started,
		       (long long)end->ended);
	if (len < 0 || (size_t)len >= sizeof(text))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (tender_shim_write_full(fd, text, (size_t)len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	dir = strdup(path);
	if (dir == NULL)
		return 0;
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir)
		*slash = '\0';
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	return 0;
}
