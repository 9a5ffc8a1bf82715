// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_version.c: "version": this tool's version and netlink version, and
 * the loaded module's (TCPLIMIT_A_VERSION of a GET_CONFIG reply), or that
 * the module is not loaded (not an error: the answer to the question).
 */
#include <inttypes.h>
#include <stdbool.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "print.h"
#include "query.h"
#include "version.h"

int cmd_version(int argc, char *argv[])
{
	struct tl_config cfg;
	struct nl_ctx *ctx;
	bool missing;
	int ret = 0;

	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	ctx = nl_open_probe(&missing);
	if (!ctx && !missing)
		return EXIT_FAIL;
	if (ctx) {
		ret = query_config(ctx, &cfg);
		if (ret)
			nl_report(ctx, "version: reading the module's version", ret);
		nl_close(ctx);
		if (ret)
			return EXIT_FAIL;
	}

	pr_open_object(NULL);
	pr_string(PR_ANY, "tool_version", PROG_NAME " %s", TCPLIMIT_VERSION);
	pr_uint(PR_ANY, "netlink_version", " (netlink version %" PRIu64 ")\n",
		TCPLIMIT_GENL_VERSION);
	pr_on_off(PR_JSON, "module_loaded", NULL, !missing);
	if (missing)
		pr_text("kernel: tcplimit module not loaded\n");
	else
		pr_uint(PR_ANY, "module_netlink_version",
			"kernel: tcplimit module, netlink version %" PRIu64 "\n", cfg.version);
	pr_close_object();
	return EXIT_OK;
}
