// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_sources.c: "sources [prefix ADDR[/LEN]] [limited] [top K [by COUNT]]":
 * one line per source. The conditions go to the kernel in TCPLIMIT_A_FILTER
 * and it filters and ranks; the tool prints what comes back, ranked sources
 * in the kernel's order, the others sorted by address.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "netlink.h"
#include "parse.h"
#include "prefix.h"
#include "print.h"
#include "show.h"

static const struct name_val sort_v[] = {
	{ "conns",	TCPLIMIT_SORT_CONNS },
	{ "halfopen",	TCPLIMIT_SORT_HALFOPEN },
	{ "limited",	TCPLIMIT_SORT_LIMITED },
	{ "slow",	TCPLIMIT_SORT_SLOW },
};

static const struct names sort_names = NAMES(sort_v);

static int parse_args(int argc, char *argv[], struct tl_filter *f)
{
	uint32_t val;
	int i;

	for (i = 1; i < argc; i++) {
		const char *word = argv[i];

		if (!strcmp(word, "limited")) {
			if (f->limited)
				goto twice;
			f->limited = true;
			continue;
		}
		if (strcmp(word, "prefix") && strcmp(word, "top") && strcmp(word, "by")) {
			err_msg("sources: unknown keyword '%s' (prefix, limited, top)", word);
			return -1;
		}
		if (i + 1 >= argc) {
			err_msg("sources: %s needs a value", word);
			return -1;
		}
		if (!strcmp(word, "prefix")) {
			if (f->prefix.family)
				goto twice;
			if (prefix_parse("sources prefix", argv[++i], true, &f->prefix))
				return -1;
		} else if (!strcmp(word, "top")) {
			if (f->top)
				goto twice;
			if (parse_u32("sources top", argv[++i], TCPLIMIT_MAX_TOP, &val))
				return -1;
			if (!val) {
				err_msg("sources top: K must be 1..%u", TCPLIMIT_MAX_TOP);
				return -1;
			}
			f->top = val;
			if (i + 1 < argc && !strcmp(argv[i + 1], "by")) {
				if (i + 2 >= argc) {
					err_msg("sources: by needs a value");
					return -1;
				}
				if (parse_name("sources top K by", argv[i + 2], &sort_names, &val))
					return -1;
				f->sort = (uint8_t)val;
				i += 2;
			}
		} else {
			err_msg("sources: 'by %s' goes after 'top K'", argv[i + 1]);
			return -1;
		}
	}
	return 0;
twice:
	err_msg("sources: %s given twice", argv[i]);
	return -1;
}

int cmd_sources(int argc, char *argv[])
{
	struct tl_sources list = { 0 };
	struct tl_filter f = { 0 };
	struct nl_ctx *ctx;
	bool filtered;
	int ret;

	if (parse_args(argc, argv, &f))
		return EXIT_USAGE;
	filtered = f.prefix.family || f.limited || f.top;

	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = query_sources(ctx, filtered ? &f : NULL, &list);
	if (ret) {
		nl_report(ctx, "sources", ret);
	} else {
		if (!f.top)
			sources_sort(&list);
		pr_open_array(NULL);
		show_print_source_table(&list);
		pr_close_array();
	}
	sources_free(&list);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
