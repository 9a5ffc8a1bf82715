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

/* "tcplimitctl: <message>\n" on stderr ("tcplimitctl: <where>: <message>"). */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Where the input being parsed comes from, like "conf:3" (restore), put in
 * front of every message until set back to NULL. @where is not copied.
 */
void err_set_where(const char *where);
const char *err_where(void);

#endif /* TCPLIMITCTL_ERROR_H */
