/* SPDX-License-Identifier: GPL-2.0 */
/*
 * allowlist.h: the allowlist, sources never limited: its commands (allow,
 * disallow, allowlist; commands.h) and its lines in a restore file, which
 * are applied in order to the allowlist the kernel has, and the result sent
 * whole with the file's settings.
 */
#ifndef TCPLIMITCTL_ALLOWLIST_H
#define TCPLIMITCTL_ALLOWLIST_H

#include <stddef.h>

#include "prefix.h"

struct nl_ctx;

enum allow_op {
	ALLOW_ADD,	/* allow P */
	ALLOW_DEL,	/* disallow P */
	ALLOW_CLEAR,	/* disallow all */
};

struct allow_line {
	enum allow_op op;
	struct tl_prefix p;
	unsigned int line;	/* in the restore file */
};

struct tl_prefixes {
	struct tl_prefix *v;
	size_t n;
	size_t cap;
};

/* The kernel's allowlist into @list, sorted: 0 or a negative errno (nothing printed). */
int query_allowlist(struct nl_ctx *ctx, struct tl_prefixes *list);

/* Whether @name is an allowlist command a restore file may hold. */
int allow_line_command(const char *name);

/* "allow P", "disallow P|all" (argv[0] the command) into @l: 0, or -1 after printing why. */
int allow_line_parse(int argc, char *argv[], struct allow_line *l);

/*
 * The allowlist after @lines, in order, from the kernel's (read on @ctx
 * unless the first line clears it) into @out, sorted. Returns 0 or a
 * negative errno, printing nothing: -ENOENT or -ENOSPC with *@bad the line
 * in error (allow_line_error() says why), else *@bad is NULL.
 */
int allow_lines_apply(struct nl_ctx *ctx, const struct allow_line *lines, size_t n,
		      struct tl_prefixes *out, const struct allow_line **bad);
void allow_line_error(const struct allow_line *l, int err);

void prefixes_free(struct tl_prefixes *list);

#endif /* TCPLIMITCTL_ALLOWLIST_H */
