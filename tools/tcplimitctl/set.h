/* SPDX-License-Identifier: GPL-2.0 */
/*
 * set.h: one SET_CONFIG request. Each set-* command parses its arguments
 * into a caller-given struct set_req (commands.h); the request is sent
 * once everything is parsed: bad input never reaches the kernel, and what
 * is sent is applied all or nothing. "restore" parses every line of a file
 * into one request.
 */
#ifndef TCPLIMITCTL_SET_H
#define TCPLIMITCTL_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcplimit.h>

struct nl_ctx;
struct tl_policy;
struct tl_prefix;

struct set_req {
	unsigned int n;
	unsigned int line;	/* noted with each attribute added (restore) */
	struct {
		uint16_t type;
		uint8_t len;	/* 1 or 4 */
		uint32_t val;
		unsigned int line;
	} attr[TCPLIMIT_A_MAX];
	/* The allowlist, replaced whole when @allowlist_set (restore, disallow all). */
	bool allowlist_set;
	const struct tl_prefix *allowlist;
	size_t n_allowlist;
	/* The port policies, replaced whole when @policies_set (restore, policy del all). */
	bool policies_set;
	const struct tl_policy *policies;
	size_t n_policies;
};

/*
 * Add an attribute; one of the same type already there is replaced (a later
 * line of a restore file wins, as if the commands ran one after another).
 */
void set_add_u8(struct set_req *req, uint16_t type, uint8_t val);
void set_add_u32(struct set_req *req, uint16_t type, uint32_t val);

/*
 * Send @req as one SET_CONFIG on @ctx. Return 0 or a negative errno (report
 * it with nl_report()); *@bad gets the index in @req of the attribute the
 * kernel's error names, or -1.
 */
int set_apply(struct nl_ctx *ctx, const struct set_req *req, int *bad);

/* Open a socket, send @req; on failure print "<what>: <reason>". Return an exit code. */
int set_send(const char *what, const struct set_req *req);

#endif /* TCPLIMITCTL_SET_H */
