// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_show.c: "show": configuration (GET_CONFIG), totals (GET_STATS) and
 * per-source counts (GET_SOURCES dump), as in Documentation/tcplimit.rst.
 * Without CAP_NET_ADMIN the sources are left out, with a note on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "print.h"
#include "show.h"

int cmd_show(int argc, char *argv[])
{
	struct tl_sources list = { 0 };
	struct tl_config cfg;
	struct tl_stats stats;
	bool sources_ok = true;
	struct nl_ctx *ctx;
	int ret, exit_code = EXIT_FAIL;
	size_t i;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = query_config(ctx, &cfg);
	if (ret) {
		nl_report(ctx, "show: reading the configuration", ret);
		goto out;
	}
	ret = query_stats(ctx, &stats);
	if (ret) {
		nl_report(ctx, "show: reading the totals", ret);
		goto out;
	}
	ret = query_sources(ctx, NULL, &list);
	if (ret == -EPERM) {
		sources_ok = false;
	} else if (ret) {
		nl_report(ctx, "show: reading the sources", ret);
		goto out;
	}
	sources_sort(&list);

	pr_open_object(NULL);
	pr_uint(PR_ANY, "version", "tcplimit version %" PRIu64 "\n", cfg.version);
	pr_open_object("config");
	show_print_config(&cfg);
	pr_close_object();
	pr_open_object("stats");
	show_print_stats(&stats);
	pr_close_object();
	if (sources_ok) {
		pr_open_array("sources");
		for (i = 0; i < list.n; i++)
			show_print_source(&list.v[i]);
		pr_close_array();
	}
	pr_close_object();

	if (!sources_ok) {
		fflush(stdout);
		err_msg("per-source counts need CAP_NET_ADMIN");
	}
	exit_code = EXIT_OK;
out:
	sources_free(&list);
	nl_close(ctx);
	return exit_code;
}
