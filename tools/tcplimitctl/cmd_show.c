// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_show.c: "show": configuration (GET_CONFIG), totals (GET_STATS) and
 * per-source counts (GET_SOURCES dump), printed as in
 * Documentation/tcplimit.rst.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "netlink.h"

static const enum mnl_attr_data_type top_policy[TCPLIMIT_A_MAX + 1] = {
	[TCPLIMIT_A_VERSION]	= MNL_TYPE_U32,
	[TCPLIMIT_A_MAX_CONN]	= MNL_TYPE_U32,
	[TCPLIMIT_A_STATS]	= MNL_TYPE_NESTED,
	[TCPLIMIT_A_SOURCE]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type stats_policy[TCPLIMIT_STATS_A_MAX + 1] = {
	[TCPLIMIT_STATS_A_SOURCES]	= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_CONNS]	= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_ADMITTED]	= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_LIMITED_CONN]	= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_TABLE_FULL]	= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type source_policy[TCPLIMIT_SOURCE_A_MAX + 1] = {
	[TCPLIMIT_SOURCE_A_FAMILY]	= MNL_TYPE_U16,
	[TCPLIMIT_SOURCE_A_ADDR]	= MNL_TYPE_BINARY,
	[TCPLIMIT_SOURCE_A_PREFIX_LEN]	= MNL_TYPE_U8,
	[TCPLIMIT_SOURCE_A_CONNS]	= MNL_TYPE_U32,
};

struct config {
	bool have;
	uint32_t version;
	uint32_t max_conn;
};

struct stats {
	bool have;
	uint32_t sources;
	uint32_t conns;
	uint64_t admitted;
	uint64_t limited_conn;
	uint64_t table_full;
};

struct source {
	uint16_t family;
	uint8_t prefix_len;
	uint8_t addr[16];	/* network order, zero-padded for IPv4 */
	uint32_t conns;
};

struct source_list {
	struct source *v;
	size_t n;
	size_t cap;
};

/* Fail a reply callback: the kernel sent something we cannot use. */
static int malformed(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	struct config *cfg = data;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_MAX_CONN])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	cfg->version = tb[TCPLIMIT_A_VERSION] ? mnl_attr_get_u32(tb[TCPLIMIT_A_VERSION])
					      : TCPLIMIT_GENL_VERSION;
	cfg->max_conn = mnl_attr_get_u32(tb[TCPLIMIT_A_MAX_CONN]);
	cfg->have = true;
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	const struct nlattr *st[TCPLIMIT_STATS_A_MAX + 1];
	struct stats *stats = data;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_STATS])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	if (nl_parse_nested(tb[TCPLIMIT_A_STATS], st, TCPLIMIT_STATS_A_MAX, stats_policy) < 0 ||
	    !st[TCPLIMIT_STATS_A_SOURCES] || !st[TCPLIMIT_STATS_A_CONNS] ||
	    !st[TCPLIMIT_STATS_A_ADMITTED] || !st[TCPLIMIT_STATS_A_LIMITED_CONN] ||
	    !st[TCPLIMIT_STATS_A_TABLE_FULL])
		return malformed();
	stats->sources = mnl_attr_get_u32(st[TCPLIMIT_STATS_A_SOURCES]);
	stats->conns = mnl_attr_get_u32(st[TCPLIMIT_STATS_A_CONNS]);
	stats->admitted = mnl_attr_get_u64(st[TCPLIMIT_STATS_A_ADMITTED]);
	stats->limited_conn = mnl_attr_get_u64(st[TCPLIMIT_STATS_A_LIMITED_CONN]);
	stats->table_full = mnl_attr_get_u64(st[TCPLIMIT_STATS_A_TABLE_FULL]);
	stats->have = true;
	return MNL_CB_OK;
}

static int source_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	const struct nlattr *sa[TCPLIMIT_SOURCE_A_MAX + 1];
	struct source_list *list = data;
	struct source src = { 0 };
	size_t addr_len;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_SOURCE])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	if (nl_parse_nested(tb[TCPLIMIT_A_SOURCE], sa, TCPLIMIT_SOURCE_A_MAX, source_policy) < 0 ||
	    !sa[TCPLIMIT_SOURCE_A_FAMILY] || !sa[TCPLIMIT_SOURCE_A_ADDR] ||
	    !sa[TCPLIMIT_SOURCE_A_PREFIX_LEN] || !sa[TCPLIMIT_SOURCE_A_CONNS])
		return malformed();

	src.family = mnl_attr_get_u16(sa[TCPLIMIT_SOURCE_A_FAMILY]);
	src.prefix_len = mnl_attr_get_u8(sa[TCPLIMIT_SOURCE_A_PREFIX_LEN]);
	src.conns = mnl_attr_get_u32(sa[TCPLIMIT_SOURCE_A_CONNS]);
	switch (src.family) {
	case AF_INET:
		addr_len = 4;
		break;
	case AF_INET6:
		addr_len = 16;
		break;
	default:
		return malformed();
	}
	if (mnl_attr_get_payload_len(sa[TCPLIMIT_SOURCE_A_ADDR]) != addr_len ||
	    src.prefix_len > addr_len * 8)
		return malformed();
	memcpy(src.addr, mnl_attr_get_payload(sa[TCPLIMIT_SOURCE_A_ADDR]), addr_len);

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct source *v = realloc(list->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = src;
	return MNL_CB_OK;
}

/* The dump starts over: forget what the interrupted one delivered. */
static void sources_restart(void *data)
{
	struct source_list *list = data;

	list->n = 0;
}

static int source_cmp(const void *a, const void *b)
{
	const struct source *x = a, *y = b;
	int d;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	d = memcmp(x->addr, y->addr, sizeof(x->addr));
	if (d)
		return d;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len < y->prefix_len ? -1 : 1;
	return 0;
}

static void print_show(const struct config *cfg, const struct stats *stats,
		       const struct source_list *list)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	printf("tcplimit version %" PRIu32 "\n", cfg->version);
	printf("  max: %" PRIu32 "\n", cfg->max_conn);
	printf("  sources: %" PRIu32 "\n", stats->sources);
	printf("  conns: %" PRIu32 "\n", stats->conns);
	printf("  admitted: %" PRIu64 "\n", stats->admitted);
	printf("  limited_conn: %" PRIu64 "\n", stats->limited_conn);
	printf("  table_full: %" PRIu64 "\n", stats->table_full);

	for (i = 0; list && i < list->n; i++) {
		const struct source *s = &list->v[i];

		if (!inet_ntop(s->family, s->addr, addr, sizeof(addr)))
			snprintf(addr, sizeof(addr), "?");
		printf("\nsource %s/%u\n", addr, s->prefix_len);
		printf("  conns: %" PRIu32 "\n", s->conns);
	}
}

int cmd_show(int argc, char *argv[])
{
	struct source_list list = { 0 };
	struct config cfg = { 0 };
	struct stats stats = { 0 };
	bool sources_ok = true;
	struct nlmsghdr *nlh;
	struct nl_ctx *ctx;
	int ret, exit_code = EXIT_FAIL;

	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}

	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;

	nlh = nl_request(ctx, TCPLIMIT_CMD_GET_CONFIG);
	ret = nl_do(ctx, nlh, config_cb, &cfg);
	if (!ret && !cfg.have)
		ret = -ENODATA;
	if (ret) {
		nl_report(ctx, "show: reading the configuration", ret);
		goto out;
	}

	nlh = nl_request(ctx, TCPLIMIT_CMD_GET_STATS);
	ret = nl_do(ctx, nlh, stats_cb, &stats);
	if (!ret && !stats.have)
		ret = -ENODATA;
	if (ret) {
		nl_report(ctx, "show: reading the totals", ret);
		goto out;
	}

	nlh = nl_dump_request(ctx, TCPLIMIT_CMD_GET_SOURCES);
	ret = nl_dump(ctx, nlh, source_cb, sources_restart, &list);
	if (ret == -EPERM) {
		sources_ok = false;
	} else if (ret) {
		nl_report(ctx, "show: reading the sources", ret);
		goto out;
	}

	if (sources_ok)
		qsort(list.v, list.n, sizeof(*list.v), source_cmp);
	print_show(&cfg, &stats, sources_ok ? &list : NULL);
	if (!sources_ok) {
		fflush(stdout);
		err_msg("per-source counts need CAP_NET_ADMIN");
	}
	exit_code = EXIT_OK;
out:
	free(list.v);
	nl_close(ctx);
	return exit_code;
}
