// SPDX-License-Identifier: GPL-2.0
/* cmd_set.c: "set-*" subcommands: change one configuration value (SET_CONFIG). */
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "parse.h"

/* "<name> N": send SET_CONFIG with the u32 attribute @attr = N (0..@max). */
static int set_u32(int argc, char *argv[], uint16_t attr, uint32_t max)
{
	struct nlmsghdr *nlh;
	struct nl_ctx *ctx;
	uint32_t val;
	int ret;

	if (argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_u32(argv[0], argv[1], max, &val))
		return EXIT_USAGE;

	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	nlh = nl_request(ctx, TCPLIMIT_CMD_SET_CONFIG);
	mnl_attr_put_u32(nlh, attr, val);
	ret = nl_do(ctx, nlh, NULL, NULL);
	if (ret)
		nl_report(ctx, argv[0], ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_set_max(int argc, char *argv[])
{
	return set_u32(argc, argv, TCPLIMIT_A_MAX_CONN, TCPLIMIT_MAX_CONN_LIMIT);
}
