// SPDX-License-Identifier: GPL-2.0
/* set.c: build and send one SET_CONFIG request. */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "error.h"
#include "netlink.h"
#include "policies.h"
#include "prefix.h"
#include "set.h"

static void set_add(struct set_req *req, uint16_t type, uint8_t len, uint32_t val)
{
	unsigned int i;

	for (i = 0; i < req->n && req->attr[i].type != type; i++)
		;
	if (i == req->n) {
		/* At most one of each configuration attribute. */
		assert(req->n < TCPLIMIT_A_MAX);
		req->n++;
	}
	req->attr[i].type = type;
	req->attr[i].len = len;
	req->attr[i].val = val;
	req->attr[i].line = req->line;
}

void set_add_u8(struct set_req *req, uint16_t type, uint8_t val)
{
	set_add(req, type, 1, val);
}

void set_add_u32(struct set_req *req, uint16_t type, uint32_t val)
{
	set_add(req, type, 4, val);
}

/* TCPLIMIT_A_ALLOWLIST: every prefix of @req's allowlist (none: it is emptied). */
static bool put_allowlist(struct nlmsghdr *nlh, const struct set_req *req)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, NL_REQ_SIZE, TCPLIMIT_A_ALLOWLIST);
	size_t i;

	if (!nest)
		return false;
	for (i = 0; i < req->n_allowlist; i++)
		if (!prefix_put(nlh, NL_REQ_SIZE, TCPLIMIT_A_PREFIX, &req->allowlist[i]))
			return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int set_apply(struct nl_ctx *ctx, const struct set_req *req, int *bad)
{
	long off[TCPLIMIT_A_MAX], err_off;
	struct nlmsghdr *nlh;
	unsigned int i;
	bool ok = true;
	int ret;

	*bad = -1;
	nlh = nl_request(ctx, TCPLIMIT_CMD_SET_CONFIG);
	for (i = 0; i < req->n && ok; i++) {
		off[i] = (long)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nlh);
		if (req->attr[i].len == 1)
			ok = mnl_attr_put_u8_check(nlh, NL_REQ_SIZE, req->attr[i].type,
						   (uint8_t)req->attr[i].val);
		else
			ok = mnl_attr_put_u32_check(nlh, NL_REQ_SIZE, req->attr[i].type,
						    req->attr[i].val);
	}
	if (ok && req->allowlist_set)
		ok = put_allowlist(nlh, req);
	if (ok && req->policies_set)
		ok = policies_put(nlh, NL_REQ_SIZE, req->policies, req->n_policies);
	if (!ok)	/* NL_REQ_SIZE holds the largest lists: cannot happen */
		return -EMSGSIZE;
	ret = nl_do(ctx, nlh, NULL, NULL);
	err_off = ret ? nl_error_offset(ctx) : -1;
	for (i = 0; err_off >= 0 && i < req->n; i++)
		if (off[i] == err_off)
			*bad = (int)i;
	return ret;
}

int set_send(const char *what, const struct set_req *req)
{
	struct nl_ctx *ctx;
	int ret, bad;

	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = set_apply(ctx, req, &bad);
	if (ret)
		nl_report(ctx, what, ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
