// SPDX-License-Identifier: GPL-2.0
/*
 * policies.c: "policy add PORTS [LIMITS]" (TCPLIMIT_CMD_POLICY_ADD),
 * "policy del PORTS|all" (POLICY_DEL, or an empty TCPLIMIT_A_POLICIES) and
 * "policies" (GET_CONFIG's TCPLIMIT_A_POLICIES: a line each, -j an array
 * of objects), and the policy lines of a restore file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "format.h"
#include "names.h"
#include "netlink.h"
#include "parse.h"
#include "policies.h"
#include "print.h"
#include "query.h"
#include "set.h"
#include "settings.h"

/*
 * The limits a policy holds: the settings of these names, whose parser,
 * ranges, JSON keys and text form they share (settings.h). @attr: the
 * policy attributes of the setting's attr, attr2 and attr3; @period_ms: the
 * kernel's period of a rate that has none said.
 */
static const struct policy_limit {
	const char *name;
	uint16_t attr[3];
	uint32_t period_ms;
} limits[] = {
	{ .name = "max", .attr = { TCPLIMIT_POLICY_A_MAX_CONN } },
	{ .name = "rate", .attr = { TCPLIMIT_POLICY_A_RATE, TCPLIMIT_POLICY_A_RATE_PERIOD_MS,
				    TCPLIMIT_POLICY_A_RATE_BURST }, .period_ms = 1000 },
	{ .name = "halfopen-max", .attr = { TCPLIMIT_POLICY_A_HALFOPEN_MAX } },
	{ .name = "slow", .attr = { TCPLIMIT_POLICY_A_SLOW_BYTES, TCPLIMIT_POLICY_A_SLOW_PERIOD_MS },
	  .period_ms = 10000 },
	{ .name = "abnormal-max", .attr = { TCPLIMIT_POLICY_A_ABNORMAL_MAX } },
};

/* The setting of @lim, and its attributes and JSON keys in @lim->attr's order. */
static const struct setting *limit_setting(const struct policy_limit *lim, uint16_t attr[3],
					   const char *key[3])
{
	const struct setting *s = setting_find(lim->name);

	attr[0] = s->attr;
	attr[1] = s->attr2;
	attr[2] = s->attr3;
	key[0] = s->key;
	key[1] = s->key2;
	key[2] = s->key3;
	return s;
}

void ports_format(char *buf, size_t size, uint16_t first, uint16_t last)
{
	if (first == last)
		snprintf(buf, size, "%u", first);
	else
		snprintf(buf, size, "%u-%u", first, last);
}

void policy_format(const struct tl_policy *p, char *buf, size_t size)
{
	const struct policy_limit *lim;
	char val[RATE_LEN];
	size_t i, off;
	uint32_t n;

	ports_format(buf, size, p->first, p->last);
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		lim = &limits[i];
		n = p->v[lim->attr[0]];
		if (!n)
			continue;
		if (lim->attr[1])
			format_rate(val, sizeof(val), n, p->v[lim->attr[1]] ?: lim->period_ms,
				    lim->attr[2] ? p->v[lim->attr[2]] : 0);
		else
			snprintf(val, sizeof(val), "%" PRIu32, n);
		off = strlen(buf);
		snprintf(buf + off, size - off, " %s %s", lim->name, val);
	}
}

int policies_get(const struct nlattr *nest, struct tl_policies *list)
{
	static const enum mnl_attr_data_type policy[TCPLIMIT_POLICY_A_MAX + 1] = {
		[TCPLIMIT_POLICY_A_PORT_FIRST]		= MNL_TYPE_U16,
		[TCPLIMIT_POLICY_A_PORT_LAST]		= MNL_TYPE_U16,
		[TCPLIMIT_POLICY_A_MAX_CONN]		= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_RATE]		= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_RATE_PERIOD_MS]	= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_RATE_BURST]		= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_HALFOPEN_MAX]	= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_SLOW_BYTES]		= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_SLOW_PERIOD_MS]	= MNL_TYPE_U32,
		[TCPLIMIT_POLICY_A_ABNORMAL_MAX]	= MNL_TYPE_U32,
	};
	const struct nlattr *pos, *tb[TCPLIMIT_POLICY_A_MAX + 1];
	struct tl_policy *p;
	unsigned int type;

	list->n = 0;
	mnl_attr_for_each_nested(pos, nest) {
		if (mnl_attr_get_type(pos) != TCPLIMIT_A_POLICY)
			continue;
		if (list->n == TCPLIMIT_MAX_POLICIES ||
		    nl_parse_nested(pos, tb, TCPLIMIT_POLICY_A_MAX, policy) < 0 ||
		    !tb[TCPLIMIT_POLICY_A_PORT_FIRST])
			return -1;
		p = &list->v[list->n++];
		memset(p, 0, sizeof(*p));
		p->first = mnl_attr_get_u16(tb[TCPLIMIT_POLICY_A_PORT_FIRST]);
		p->last = tb[TCPLIMIT_POLICY_A_PORT_LAST] ?
			  mnl_attr_get_u16(tb[TCPLIMIT_POLICY_A_PORT_LAST]) : p->first;
		for (type = TCPLIMIT_POLICY_A_MAX_CONN; type <= TCPLIMIT_POLICY_A_MAX; type++)
			if (tb[type])
				p->v[type] = mnl_attr_get_u32(tb[type]);
	}
	return 0;
}

/*
 * @p as a TCPLIMIT_A_POLICY-like nest of type @type: its ports, and the
 * limits not 0 (those the kernel then takes as off, or its default period).
 */
static bool policy_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
		       const struct tl_policy *p)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, size, type);
	unsigned int t;

	if (!nest ||
	    !mnl_attr_put_u16_check(nlh, size, TCPLIMIT_POLICY_A_PORT_FIRST, p->first) ||
	    !mnl_attr_put_u16_check(nlh, size, TCPLIMIT_POLICY_A_PORT_LAST, p->last))
		return false;
	for (t = TCPLIMIT_POLICY_A_MAX_CONN; t <= TCPLIMIT_POLICY_A_MAX; t++)
		if (p->v[t] && !mnl_attr_put_u32_check(nlh, size, (uint16_t)t, p->v[t]))
			return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

bool policies_put(struct nlmsghdr *nlh, size_t size, const struct tl_policy *v, size_t n)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, size, TCPLIMIT_A_POLICIES);
	size_t i;

	if (!nest)
		return false;
	for (i = 0; i < n; i++)
		if (!policy_put(nlh, size, TCPLIMIT_A_POLICY, &v[i]))
			return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

static void print_policy(const struct tl_policy *p, const char *indent)
{
	char line[POLICY_LEN];
	const char *key[3];
	uint16_t attr[3];
	size_t i, j;

	policy_format(p, line, sizeof(line));
	pr_open_object(NULL);
	pr_text("%s%s\n", indent, line);
	pr_uint(PR_JSON, "port_first", NULL, p->first);
	pr_uint(PR_JSON, "port_last", NULL, p->last);
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		limit_setting(&limits[i], attr, key);
		for (j = 0; j < 3; j++)
			if (limits[i].attr[j])
				pr_uint(PR_JSON, key[j], NULL, p->v[limits[i].attr[j]]);
	}
	pr_close_object();
}

void policies_print(const struct tl_policies *list, const char *key, const char *indent)
{
	size_t i;

	pr_open_array(key);
	for (i = 0; i < list->n; i++)
		print_policy(&list->v[i], indent);
	pr_close_array();
}

int policy_line_command(const char *name)
{
	return !strcmp(name, "policy");
}

static const struct policy_limit *limit_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(limits); i++)
		if (!strcmp(limits[i].name, name))
			return &limits[i];
	return NULL;
}

/* "max, rate, halfopen-max, slow or abnormal-max" into @buf. */
static void limit_names_join(char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(limits) && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
					!i ? "" : i + 1 < ARRAY_SIZE(limits) ? ", " : " or ",
					limits[i].name);
}

/* The value @req sets attribute @type to, 0 if none. */
static uint32_t req_value(const struct set_req *req, uint16_t type)
{
	unsigned int i;

	for (i = 0; i < req->n; i++)
		if (req->attr[i].type == type)
			return req->attr[i].val;
	return 0;
}

/*
 * "[max N] [rate N/PERIOD [burst B]] ..." (@argc words) into @p: each
 * limit at most once, its words parsed by its setting's parser (the ranges
 * and messages of set-max, set-rate...) into a request they are taken from.
 */
static int parse_limits(const char *what, int argc, char *argv[], struct tl_policy *p)
{
	char name[64], expected[128], *sub[4];
	const struct policy_limit *lim;
	const struct setting *s;
	unsigned int seen = 0;
	const char *key[3];
	struct set_req req;
	uint16_t attr[3];
	int i, j, n;

	for (i = 0; i < argc; i += n) {
		lim = limit_find(argv[i]);
		if (!lim) {
			limit_names_join(expected, sizeof(expected));
			err_msg("%s: unknown keyword '%s' (expected %s)", what, argv[i], expected);
			return -1;
		}
		if (seen & (1U << (lim - limits))) {
			err_msg("%s: %s given twice", what, lim->name);
			return -1;
		}
		seen |= 1U << (lim - limits);
		s = limit_setting(lim, attr, key);
		/* The keyword, its value, and "burst B" after a rate that takes one. */
		n = s->attr3 && i + 2 < argc && !strcmp(argv[i + 2], "burst") ? 4 : 2;
		if (i + n > argc) {
			err_msg("%s: %s needs a value", what, n == 2 ? lim->name : "burst");
			return -1;
		}
		snprintf(name, sizeof(name), "%s %s", what, lim->name);
		sub[0] = name;
		for (j = 1; j < n; j++)
			sub[j] = argv[i + j];
		memset(&req, 0, sizeof(req));
		if (setting_parse(s, n, sub, &req))
			return -1;
		for (j = 0; j < 3; j++)
			if (lim->attr[j])
				p->v[lim->attr[j]] = req_value(&req, attr[j]);
	}
	return 0;
}

static const struct name_val op_v[] = {
	{ "add",	POLICY_ADD },
	{ "del",	POLICY_DEL },
};

static const struct names op_names = NAMES(op_v);

int policy_line_parse(int argc, char *argv[], struct policy_line *l)
{
	char what[32];
	uint32_t op;

	memset(l, 0, sizeof(*l));
	if (argc < 3) {
		cmd_usage(argv[0]);
		return -1;
	}
	if (parse_name(argv[0], argv[1], &op_names, &op))
		return -1;
	l->op = op;
	if (l->op == POLICY_DEL && argc != 3) {
		cmd_usage(argv[0]);
		return -1;
	}
	if (l->op == POLICY_DEL && !strcmp(argv[2], "all")) {
		l->op = POLICY_CLEAR;
		return 0;
	}
	snprintf(what, sizeof(what), "%s %s", argv[0], argv[1]);
	if (parse_ports(what, argv[2], &l->p.first, &l->p.last))
		return -1;
	return parse_limits(what, argc - 3, argv + 3, &l->p);
}

/* The index in @list of the policy of exactly @p's ports, or of one overlapping them; -1: none. */
static int policies_find(const struct tl_policies *list, const struct tl_policy *p, bool exact)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct tl_policy *q = &list->v[i];

		if (exact ? q->first == p->first && q->last == p->last :
			    q->first <= p->last && p->first <= q->last)
			return (int)i;
	}
	return -1;
}

/* @l applied to @list, kept sorted, as the kernel applies POLICY_ADD and POLICY_DEL. */
static int policies_edit(struct tl_policies *list, const struct policy_line *l)
{
	int same = policies_find(list, &l->p, true);
	size_t at;

	if (l->op == POLICY_CLEAR) {
		list->n = 0;
	} else if (l->op == POLICY_DEL) {
		if (same < 0)
			return -ENOENT;
		list->n--;
		memmove(&list->v[same], &list->v[same + 1],
			(list->n - (size_t)same) * sizeof(list->v[0]));
	} else if (same >= 0) {
		list->v[same] = l->p;
	} else {
		if (policies_find(list, &l->p, false) >= 0)
			return -EBUSY;
		if (list->n == TCPLIMIT_MAX_POLICIES)
			return -ENOSPC;
		for (at = 0; at < list->n && list->v[at].first < l->p.first; at++)
			;
		memmove(&list->v[at + 1], &list->v[at], (list->n - at) * sizeof(list->v[0]));
		list->v[at] = l->p;
		list->n++;
	}
	return 0;
}

int policy_lines_apply(struct nl_ctx *ctx, const struct policy_line *lines, size_t n,
		       struct tl_policies *out, const struct policy_line **bad)
{
	struct tl_config cfg;
	size_t i;
	int ret;

	*bad = NULL;
	out->n = 0;
	if (n && lines[0].op != POLICY_CLEAR) {
		ret = query_config(ctx, &cfg);
		if (ret)
			return ret;
		*out = cfg.policies;
	}
	for (i = 0; i < n; i++) {
		ret = policies_edit(out, &lines[i]);
		if (ret) {
			*bad = &lines[i];
			return ret;
		}
	}
	return 0;
}

void policy_line_error(const struct policy_line *l, const struct tl_policies *list, int err)
{
	char ports[PORTS_LEN], other[PORTS_LEN];
	int i;

	ports_format(ports, sizeof(ports), l->p.first, l->p.last);
	if (err == -ENOENT) {
		err_msg("policy del %s: no policy of these ports", ports);
	} else if (err == -EBUSY) {
		i = policies_find(list, &l->p, false);
		ports_format(other, sizeof(other), list->v[i].first, list->v[i].last);
		err_msg("policy add %s: its ports overlap the policy of ports %s", ports, other);
	} else {
		err_msg("policy add %s: too many policies (%u at most)", ports,
			TCPLIMIT_MAX_POLICIES);
	}
}

/*
 * policy add, policy del: one request; policy del all: the whole (empty)
 * list, if there is any (a SET_CONFIG would start a limiter not started).
 */
int cmd_policy(int argc, char *argv[])
{
	struct set_req req = { .policies_set = true };
	struct policy_line l;
	struct nlmsghdr *nlh;
	struct tl_config cfg;
	struct nl_ctx *ctx;
	char what[32];
	int ret;

	if (policy_line_parse(argc, argv, &l))
		return EXIT_USAGE;
	snprintf(what, sizeof(what), "%s %s", argv[0], argv[1]);
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	if (l.op == POLICY_CLEAR) {
		ret = query_config(ctx, &cfg);
		if (ret)
			nl_report(ctx, what, ret);
		nl_close(ctx);
		if (ret)
			return EXIT_FAIL;
		return cfg.policies.n ? set_send("policy del all", &req) : EXIT_OK;
	}
	nlh = nl_request(ctx, l.op == POLICY_ADD ? TCPLIMIT_CMD_POLICY_ADD : TCPLIMIT_CMD_POLICY_DEL);
	ret = policy_put(nlh, NL_REQ_SIZE, TCPLIMIT_A_POLICY, &l.p) ?
	      nl_do(ctx, nlh, NULL, NULL) : -EMSGSIZE;
	if (ret)
		nl_report(ctx, what, ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_policies(int argc, char *argv[])
{
	struct tl_config cfg;
	struct nl_ctx *ctx;
	int ret;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = query_config(ctx, &cfg);
	if (ret)
		nl_report(ctx, "policies", ret);
	else
		policies_print(&cfg.policies, NULL, "");
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
