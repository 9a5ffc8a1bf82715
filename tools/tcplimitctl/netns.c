// SPDX-License-Identifier: GPL-2.0
/*
 * netns.c: join a network namespace named by "ip netns add NAME". Only the
 * network namespace changes: sockets opened afterwards belong to it, file
 * names still mean what they meant (a restore file, for instance).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "netns.h"

int netns_enter(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, err;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strlen(name) > NAME_MAX) {
		err_msg("-n: '%s' is not a network namespace name", name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			err_msg("network namespace '%s' does not exist (no %s)", name, path);
		else
			err_msg("cannot open network namespace '%s' (%s): %s",
				name, path, strerror(errno));
		return EXIT_FAIL;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(fd);
		if (err == EPERM)
			err_msg("cannot enter network namespace '%s': permission denied (needs CAP_SYS_ADMIN)",
				name);
		else
			err_msg("cannot enter network namespace '%s': %s", name, strerror(err));
		return EXIT_FAIL;
	}
	close(fd);
	return EXIT_OK;
}
