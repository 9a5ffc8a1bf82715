// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_flush.c: "flush": TCPLIMIT_CMD_FLUSH, the kernel forgets every source
 * holding no connection; prints how many (query_flush()).
 */
#include <inttypes.h>
#include <stdint.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "print.h"
#include "query.h"

int cmd_flush(int argc, char *argv[])
{
	struct nl_ctx *ctx;
	uint32_t flushed;
	int ret;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = query_flush(ctx, &flushed);
	if (ret) {
		nl_report(ctx, "flush", ret);
	} else {
		pr_open_object(NULL);
		pr_uint(PR_ANY, "flushed", "flushed %" PRIu64, flushed);
		pr_text(flushed == 1 ? " source\n" : " sources\n");
		pr_close_object();
	}
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
