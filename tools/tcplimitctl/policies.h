/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policies.h: port-range policies, the per-source limits of connections to
 * some ports instead of the default ones (the set-* settings): their
 * commands (policy add, policy del, policies; commands.h), their
 * TCPLIMIT_A_POLICIES in GET_CONFIG and SET_CONFIG, and their lines in a
 * restore file, which are applied in order to the policies the kernel has,
 * and the result sent whole with the file's settings.
 */
#ifndef TCPLIMITCTL_POLICIES_H
#define TCPLIMITCTL_POLICIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcplimit.h>

struct nl_ctx;
struct nlattr;
struct nlmsghdr;

/* Ports @first..@last; @v: the limits by TCPLIMIT_POLICY_A_* type, 0 = off (or not said). */
struct tl_policy {
	uint16_t first, last;
	uint32_t v[TCPLIMIT_POLICY_A_MAX + 1];
};

/* Sorted by port, none overlapping another, as the kernel keeps them. */
struct tl_policies {
	struct tl_policy v[TCPLIMIT_MAX_POLICIES];
	size_t n;
};

enum policy_op {
	POLICY_ADD,	/* policy add PORTS [LIMITS] */
	POLICY_DEL,	/* policy del PORTS */
	POLICY_CLEAR,	/* policy del all */
};

struct policy_line {
	enum policy_op op;
	struct tl_policy p;
	unsigned int line;	/* in the restore file */
};

/* "8000-8100", or "65535(removed)", and its NUL. */
#define PORTS_LEN	16
/* Any policy as policy_format() writes it. */
#define POLICY_LEN	512

/* "22" (@first = @last) or "8000-8100" into @buf (PORTS_LEN bytes). */
void ports_format(char *buf, size_t size, uint16_t first, uint16_t last);

/*
 * @p as "policy add" takes it, "22 max 3 rate 10/1m burst 5" (the limits
 * that are off left out), into @buf (POLICY_LEN bytes).
 */
void policy_format(const struct tl_policy *p, char *buf, size_t size);

/* A TCPLIMIT_A_POLICIES nest into @list: 0, or -1 if it is malformed. */
int policies_get(const struct nlattr *nest, struct tl_policies *list);

/* TCPLIMIT_A_POLICIES holding the @n policies at @v; false if it does not fit. */
bool policies_put(struct nlmsghdr *nlh, size_t size, const struct tl_policy *v, size_t n);

/*
 * Print @list: as text, a line per policy, @indent then policy_format();
 * as JSON, an array @key of objects (every limit, 0 when off).
 */
void policies_print(const struct tl_policies *list, const char *key, const char *indent);

/* Whether @name is the policy command, whose lines a restore file may hold. */
int policy_line_command(const char *name);

/*
 * "policy add PORTS [LIMITS]", "policy del PORTS|all" (argv[0] "policy")
 * into @l: 0, or -1 after printing why.
 */
int policy_line_parse(int argc, char *argv[], struct policy_line *l);

/*
 * The policies after @lines, in order, from the kernel's (read on @ctx
 * unless the first line clears them) into @out. Returns 0 or a negative
 * errno, printing nothing: -ENOENT, -EBUSY or -ENOSPC with *@bad the line
 * in error and @out the policies before it (policy_line_error() says
 * why), else *@bad is NULL.
 */
int policy_lines_apply(struct nl_ctx *ctx, const struct policy_line *lines, size_t n,
		       struct tl_policies *out, const struct policy_line **bad);
void policy_line_error(const struct policy_line *l, const struct tl_policies *list, int err);

#endif /* TCPLIMITCTL_POLICIES_H */
