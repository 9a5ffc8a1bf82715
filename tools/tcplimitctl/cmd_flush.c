// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_flush.c: "flush": TCPLIMIT_CMD_FLUSH, the kernel forgets every source
 * holding no connection; prints how many (TCPLIMIT_A_FLUSHED).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "print.h"

static const enum mnl_attr_data_type flush_policy[TCPLIMIT_A_MAX + 1] = {
	[TCPLIMIT_A_VERSION]	= MNL_TYPE_U32,
	[TCPLIMIT_A_FLUSHED]	= MNL_TYPE_U32,
};

struct flush_reply {
	bool got;
	uint32_t flushed;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	struct flush_reply *r = data;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, flush_policy) < 0 || !tb[TCPLIMIT_A_FLUSHED]) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	r->flushed = mnl_attr_get_u32(tb[TCPLIMIT_A_FLUSHED]);
	r->got = true;
	return MNL_CB_OK;
}

int cmd_flush(int argc, char *argv[])
{
	struct flush_reply r = { 0 };
	struct nl_ctx *ctx;
	int ret;

	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = nl_do(ctx, nl_request(ctx, TCPLIMIT_CMD_FLUSH), flush_cb, &r);
	if (!ret && !r.got)
		ret = -ENODATA;
	if (ret) {
		nl_report(ctx, "flush", ret);
	} else {
		pr_open_object(NULL);
		pr_uint(PR_ANY, "flushed", "flushed %" PRIu64, r.flushed);
		pr_text(r.flushed == 1 ? " source\n" : " sources\n");
		pr_close_object();
	}
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
