// SPDX-License-Identifier: GPL-2.0
/*
 * bans.c: "ban ADDR[/LEN] [for DURATION]" (TCPLIMIT_CMD_BAN), "unban
 * ADDR[/LEN]" (UNBAN) and "bans" (the GET_BANS dump: one ban a line, -j an
 * array of objects); the ban lines of save and restore (bans.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "bans.h"
#include "commands.h"
#include "error.h"
#include "format.h"
#include "names.h"
#include "netlink.h"
#include "parse.h"
#include "prefix.h"
#include "print.h"

static const struct name_val reason_v[] = {
	{ "manual",	TCPLIMIT_BAN_MANUAL },
	{ "refusals",	TCPLIMIT_BAN_REFUSALS },
	{ "abnormal",	TCPLIMIT_BAN_ABNORMAL },
};

static const struct names reason_names = NAMES(reason_v);

const char *ban_reason_name(uint8_t reason)
{
	return names_name(&reason_names, reason) ?: "?";
}

int ban_line_parse(int argc, char *argv[], struct ban_line *l)
{
	memset(l, 0, sizeof(*l));
	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "for"))) {
		cmd_usage(argv[0]);
		return -1;
	}
	if (prefix_parse(argv[0], argv[1], false, &l->p) ||
	    (argc == 4 && parse_duration("ban for", argv[3], DUR_PLAIN_SECONDS,
					 TCPLIMIT_MIN_TIMEOUT_MS, TCPLIMIT_MAX_TIMEOUT_MS, &l->ms)))
		return -1;
	return 0;
}

/* BAN (@ban) of @p for @ms (0: the ban time), or UNBAN. */
static int ban_request(struct nl_ctx *ctx, bool ban, const struct tl_prefix *p, uint32_t ms)
{
	struct nlmsghdr *nlh = nl_request(ctx, ban ? TCPLIMIT_CMD_BAN : TCPLIMIT_CMD_UNBAN);

	if (!prefix_put(nlh, NL_REQ_SIZE, TCPLIMIT_A_PREFIX, p) ||
	    (ms && !mnl_attr_put_u32_check(nlh, NL_REQ_SIZE, TCPLIMIT_A_BAN_TIME_MS, ms)))
		return -EMSGSIZE;
	return nl_do(ctx, nlh, NULL, NULL);
}

int ban_line_apply(struct nl_ctx *ctx, const struct ban_line *l)
{
	return ban_request(ctx, true, &l->p, l->ms);
}

/* ban, unban: one request each (argv[0] says which). */
int cmd_ban(int argc, char *argv[])
{
	bool ban = !strcmp(argv[0], "ban");
	struct ban_line l;
	struct nl_ctx *ctx;
	int ret;

	if (!ban && argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (ban_line_parse(argc, argv, &l))
		return EXIT_USAGE;
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = ban_request(ctx, ban, &l.p, l.ms);
	if (ret)
		nl_report(ctx, argv[0], ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int ban_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[TCPLIMIT_BAN_A_MAX + 1] = {
		[TCPLIMIT_BAN_A_PREFIX] = MNL_TYPE_NESTED,
		[TCPLIMIT_BAN_A_LEFT_MS] = MNL_TYPE_U32,
		[TCPLIMIT_BAN_A_REASON] = MNL_TYPE_U8,
		[TCPLIMIT_BAN_A_HITS] = MNL_TYPE_U64,
		[TCPLIMIT_BAN_A_OFFENCES] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1], *ba[TCPLIMIT_BAN_A_MAX + 1];
	struct tl_bans *list = data;
	struct tl_ban b = { 0 };

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, NULL) < 0 || !tb[TCPLIMIT_A_BAN] ||
	    nl_parse_nested(tb[TCPLIMIT_A_BAN], ba, TCPLIMIT_BAN_A_MAX, policy) < 0 ||
	    !ba[TCPLIMIT_BAN_A_PREFIX] || prefix_get(ba[TCPLIMIT_BAN_A_PREFIX], &b.p) ||
	    !ba[TCPLIMIT_BAN_A_LEFT_MS] || !ba[TCPLIMIT_BAN_A_REASON] ||
	    !ba[TCPLIMIT_BAN_A_HITS] || !ba[TCPLIMIT_BAN_A_OFFENCES]) {
		err_msg("malformed reply from the kernel");
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	b.left_ms = mnl_attr_get_u32(ba[TCPLIMIT_BAN_A_LEFT_MS]);
	b.reason = mnl_attr_get_u8(ba[TCPLIMIT_BAN_A_REASON]);
	b.hits = mnl_attr_get_u64(ba[TCPLIMIT_BAN_A_HITS]);
	b.offences = mnl_attr_get_u32(ba[TCPLIMIT_BAN_A_OFFENCES]);
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct tl_ban *v = realloc(list->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = b;
	return MNL_CB_OK;
}

/* Longest time left first; ties by prefix. */
static int ban_cmp(const void *a, const void *b)
{
	const struct tl_ban *x = a, *y = b;

	if (x->left_ms != y->left_ms)
		return x->left_ms > y->left_ms ? -1 : 1;
	if (x->p.family != y->p.family)
		return x->p.family < y->p.family ? -1 : 1;
	return memcmp(x->p.addr, y->p.addr, sizeof(x->p.addr)) ?: (int)x->p.len - (int)y->p.len;
}

int query_bans(struct nl_ctx *ctx, struct tl_bans *list)
{
	int ret = nl_dump(ctx, nl_dump_request(ctx, TCPLIMIT_CMD_GET_BANS), ban_cb, NULL, list);

	if (!ret)
		qsort(list->v, list->n, sizeof(*list->v), ban_cmp);
	return ret;
}

int cmd_bans(int argc, char *argv[])
{
	struct tl_bans list = { 0 };
	char name[PREFIX_NAME_LEN];
	const char *reason;
	struct nl_ctx *ctx;
	size_t i;
	int ret;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = query_bans(ctx, &list);
	if (ret) {
		nl_report(ctx, "bans", ret);
	} else {
		pr_open_array(NULL);
		for (i = 0; i < list.n; i++) {
			const struct tl_ban *b = &list.v[i];

			prefix_format(b->p.family, b->p.addr, b->p.len, name, sizeof(name));
			reason = ban_reason_name(b->reason);
			pr_open_object(NULL);
			pr_string(PR_ANY, "prefix", "%s", name);
			pr_duration(PR_ANY, "left_ms", " left %s", b->left_ms);
			pr_string(PR_ANY, "reason", " reason %s", reason);
			pr_uint(PR_ANY, "hits", " hits %" PRIu64, b->hits);
			pr_uint(PR_ANY, "offences", " offences %" PRIu64 "\n", b->offences);
			pr_close_object();
		}
		pr_close_array();
	}
	free(list.v);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
