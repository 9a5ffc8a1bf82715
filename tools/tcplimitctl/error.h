/* SPDX-License-Identifier: GPL-2.0 */
/* error.h: one-line messages on stderr and the exit codes of tcplimitctl. */
#ifndef TCPLIMITCTL_ERROR_H
#define TCPLIMITCTL_ERROR_H

#define PROG_NAME	"tcplimitctl"

enum {
	EXIT_OK		= 0,	/* success */
	EXIT_FAIL	= 1,	/* the request failed: kernel refused it, no module, ... */
	EXIT_USAGE	= 2,	/* unknown command, bad argument */
};

/* "tcplimitctl: <message>\n" on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TCPLIMITCTL_ERROR_H */
