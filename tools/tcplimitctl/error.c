// SPDX-License-Identifier: GPL-2.0
/* error.c: print one-line error messages prefixed with the program name. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static const char *where;

void err_set_where(const char *w)
{
	where = w;
}

const char *err_where(void)
{
	return where;
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG_NAME ": ", stderr);
	if (where)
		fprintf(stderr, "%s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
