// SPDX-License-Identifier: GPL-2.0
/*
 * query.c: GET_CONFIG (its policies too), GET_STATS, the GET_SOURCES dump
 * (with its TCPLIMIT_A_FILTER) and FLUSH, their replies validated and
 * copied out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "netlink.h"
#include "query.h"
#include "settings.h"

/*
 * The reply attributes: the settings' own from the settings table (a u8
 * or a u32 each, as their kind says), then the others.
 */
static enum mnl_attr_data_type top_policy[TCPLIMIT_A_MAX + 1];

static void top_policy_init(void)
{
	const struct setting *s;
	size_t i;

	if (top_policy[TCPLIMIT_A_VERSION])
		return;
	for (i = 0; i < n_settings; i++) {
		s = &settings[i];
		top_policy[s->attr] = setting_attr_size(s) == 1 ? MNL_TYPE_U8 : MNL_TYPE_U32;
		if (s->attr2)
			top_policy[s->attr2] = top_policy[s->attr];
		if (s->attr3)
			top_policy[s->attr3] = top_policy[s->attr];
	}
	top_policy[TCPLIMIT_A_VERSION] = MNL_TYPE_U32;
	top_policy[TCPLIMIT_A_STATS] = MNL_TYPE_NESTED;
	top_policy[TCPLIMIT_A_SOURCE] = MNL_TYPE_NESTED;
	top_policy[TCPLIMIT_A_FILTER] = MNL_TYPE_NESTED;
	top_policy[TCPLIMIT_A_FLUSHED] = MNL_TYPE_U32;
	top_policy[TCPLIMIT_A_POLICIES] = MNL_TYPE_NESTED;
}

static const enum mnl_attr_data_type stats_policy[TCPLIMIT_STATS_A_MAX + 1] = {
	[TCPLIMIT_STATS_A_SOURCES]		= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_CONNS]		= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_ADMITTED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_LIMITED_CONN]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_TABLE_FULL]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_LIMITED_RATE]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_LIMITED_HALFOPEN]	= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_LIMITED_DST]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_EXPIRED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_HALFOPEN]		= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_REJECTED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_UNPROVEN]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_ABORTED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_ALLOWED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_ALLOWLIST]		= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_BANNED]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_BANS]			= MNL_TYPE_U32,
	[TCPLIMIT_STATS_A_BAN_FULL]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_SLOW_FOUND]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_SLOW_RESET]		= MNL_TYPE_U64,
	[TCPLIMIT_STATS_A_EVENTS_SUPPRESSED]	= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type source_policy[TCPLIMIT_SOURCE_A_MAX + 1] = {
	[TCPLIMIT_SOURCE_A_FAMILY]	= MNL_TYPE_U16,
	[TCPLIMIT_SOURCE_A_ADDR]	= MNL_TYPE_BINARY,
	[TCPLIMIT_SOURCE_A_PREFIX_LEN]	= MNL_TYPE_U8,
	[TCPLIMIT_SOURCE_A_CONNS]	= MNL_TYPE_U32,
	[TCPLIMIT_SOURCE_A_HALFOPEN]	= MNL_TYPE_U32,
	[TCPLIMIT_SOURCE_A_RATE_AVAIL]	= MNL_TYPE_U32,
	[TCPLIMIT_SOURCE_A_LIMITED]	= MNL_TYPE_U64,
	[TCPLIMIT_SOURCE_A_SLOW]	= MNL_TYPE_U32,
	[TCPLIMIT_SOURCE_A_PORT_FIRST]	= MNL_TYPE_U16,
	[TCPLIMIT_SOURCE_A_PORT_LAST]	= MNL_TYPE_U16,
};

/* Fail a reply callback: the kernel sent something we cannot use. */
static int malformed(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

/*
 * Copy the integer attributes of @tb (validated against @policy) to @v and
 * mark them in *@have: the reply buffer is reused by the next request.
 */
static void copy_ints(const struct nlattr **tb, unsigned int max,
		      const enum mnl_attr_data_type *policy, uint64_t *v, uint64_t *have)
{
	unsigned int type;

	for (type = 0; type <= max; type++) {
		if (!tb[type])
			continue;
		switch (policy[type]) {
		case MNL_TYPE_U8:
			v[type] = mnl_attr_get_u8(tb[type]);
			break;
		case MNL_TYPE_U16:
			v[type] = mnl_attr_get_u16(tb[type]);
			break;
		case MNL_TYPE_U32:
			v[type] = mnl_attr_get_u32(tb[type]);
			break;
		case MNL_TYPE_U64:
			v[type] = mnl_attr_get_u64(tb[type]);
			break;
		default:
			continue;
		}
		*have |= 1ULL << type;
	}
}

struct config_reply {
	struct tl_config *cfg;
	bool got;
};

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	struct config_reply *r = data;
	struct tl_config *cfg = r->cfg;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0)
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	cfg->version = tb[TCPLIMIT_A_VERSION] ? mnl_attr_get_u32(tb[TCPLIMIT_A_VERSION])
					      : TCPLIMIT_GENL_VERSION;
	copy_ints(tb, TCPLIMIT_A_MAX, top_policy, cfg->v, &cfg->have);
	/* Not configuration: only GET_CONFIG's own attributes are kept. */
	cfg->have &= ~(1ULL << TCPLIMIT_A_VERSION | 1ULL << TCPLIMIT_A_FLUSHED);
	if (tb[TCPLIMIT_A_POLICIES]) {
		if (policies_get(tb[TCPLIMIT_A_POLICIES], &cfg->policies))
			return malformed();
		cfg->have |= 1ULL << TCPLIMIT_A_POLICIES;
	}
	r->got = true;
	return MNL_CB_OK;
}

int query_config(struct nl_ctx *ctx, struct tl_config *cfg)
{
	struct config_reply r = { .cfg = cfg };
	int ret;

	top_policy_init();
	memset(cfg, 0, sizeof(*cfg));
	ret = nl_do(ctx, nl_request(ctx, TCPLIMIT_CMD_GET_CONFIG), config_cb, &r);
	if (!ret && !r.got)
		ret = -ENODATA;
	return ret;
}

struct stats_reply {
	struct tl_stats *stats;
	bool got;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	const struct nlattr *st[TCPLIMIT_STATS_A_MAX + 1];
	struct stats_reply *r = data;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_STATS])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	if (nl_parse_nested(tb[TCPLIMIT_A_STATS], st, TCPLIMIT_STATS_A_MAX, stats_policy) < 0)
		return malformed();
	copy_ints(st, TCPLIMIT_STATS_A_MAX, stats_policy, r->stats->v, &r->stats->have);
	r->got = true;
	return MNL_CB_OK;
}

int query_stats(struct nl_ctx *ctx, struct tl_stats *stats)
{
	struct stats_reply r = { .stats = stats };
	int ret;

	top_policy_init();
	memset(stats, 0, sizeof(*stats));
	ret = nl_do(ctx, nl_request(ctx, TCPLIMIT_CMD_GET_STATS), stats_cb, &r);
	if (!ret && !r.got)
		ret = -ENODATA;
	return ret;
}

static int source_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	const struct nlattr *sa[TCPLIMIT_SOURCE_A_MAX + 1];
	struct tl_sources *list = data;
	struct tl_source src = { 0 };
	size_t addr_len;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_SOURCE])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	if (nl_parse_nested(tb[TCPLIMIT_A_SOURCE], sa, TCPLIMIT_SOURCE_A_MAX, source_policy) < 0 ||
	    !sa[TCPLIMIT_SOURCE_A_FAMILY] || !sa[TCPLIMIT_SOURCE_A_ADDR] ||
	    !sa[TCPLIMIT_SOURCE_A_PREFIX_LEN])
		return malformed();

	src.family = mnl_attr_get_u16(sa[TCPLIMIT_SOURCE_A_FAMILY]);
	src.prefix_len = mnl_attr_get_u8(sa[TCPLIMIT_SOURCE_A_PREFIX_LEN]);
	addr_len = prefix_addr_len(src.family);
	if (!addr_len || mnl_attr_get_payload_len(sa[TCPLIMIT_SOURCE_A_ADDR]) != addr_len ||
	    src.prefix_len > addr_len * 8)
		return malformed();
	memcpy(src.addr, mnl_attr_get_payload(sa[TCPLIMIT_SOURCE_A_ADDR]), addr_len);
	copy_ints(sa, TCPLIMIT_SOURCE_A_MAX, source_policy, src.v, &src.have);
	/* A policy's last port defaults to its first, as in TCPLIMIT_A_POLICY. */
	if (TL_HAS(&src, TCPLIMIT_SOURCE_A_PORT_FIRST) && !TL_HAS(&src, TCPLIMIT_SOURCE_A_PORT_LAST)) {
		src.v[TCPLIMIT_SOURCE_A_PORT_LAST] = src.v[TCPLIMIT_SOURCE_A_PORT_FIRST];
		src.have |= 1ULL << TCPLIMIT_SOURCE_A_PORT_LAST;
	}

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct tl_source *v = realloc(list->v, cap * sizeof(*v));

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
	struct tl_sources *list = data;

	list->n = 0;
}

/* TCPLIMIT_A_FILTER from @f; false if it does not fit (cannot happen). */
static bool put_filter(struct nlmsghdr *nlh, const struct tl_filter *f)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, NL_REQ_SIZE, TCPLIMIT_A_FILTER);
	size_t addr_len = prefix_addr_len(f->prefix.family);

	if (!nest)
		return false;
	if (addr_len &&
	    (!mnl_attr_put_check(nlh, NL_REQ_SIZE, TCPLIMIT_FILTER_A_ADDR, addr_len,
				 f->prefix.addr) ||
	     !mnl_attr_put_u8_check(nlh, NL_REQ_SIZE, TCPLIMIT_FILTER_A_PREFIX_LEN,
				    f->prefix.len)))
		return false;
	if (f->limited && !mnl_attr_put_check(nlh, NL_REQ_SIZE, TCPLIMIT_FILTER_A_LIMITED, 0, NULL))
		return false;
	if (f->top &&
	    (!mnl_attr_put_u32_check(nlh, NL_REQ_SIZE, TCPLIMIT_FILTER_A_TOP, f->top) ||
	     !mnl_attr_put_u8_check(nlh, NL_REQ_SIZE, TCPLIMIT_FILTER_A_SORT, f->sort)))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int query_sources(struct nl_ctx *ctx, const struct tl_filter *f, struct tl_sources *list)
{
	struct nlmsghdr *nlh = nl_dump_request(ctx, TCPLIMIT_CMD_GET_SOURCES);

	top_policy_init();
	list->n = 0;
	if (f && !put_filter(nlh, f))
		return -EMSGSIZE;
	return nl_dump(ctx, nlh, source_cb, sources_restart, list);
}

static int source_cmp(const void *a, const void *b)
{
	const struct tl_source *x = a, *y = b;
	int d;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	d = memcmp(x->addr, y->addr, sizeof(x->addr));
	if (d)
		return d;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len < y->prefix_len ? -1 : 1;
	/* The same source under several policies: the default one (no port) first. */
	if (TL_HAS(x, TCPLIMIT_SOURCE_A_PORT_FIRST) != TL_HAS(y, TCPLIMIT_SOURCE_A_PORT_FIRST))
		return TL_HAS(x, TCPLIMIT_SOURCE_A_PORT_FIRST) ? 1 : -1;
	if (x->v[TCPLIMIT_SOURCE_A_PORT_FIRST] != y->v[TCPLIMIT_SOURCE_A_PORT_FIRST])
		return x->v[TCPLIMIT_SOURCE_A_PORT_FIRST] < y->v[TCPLIMIT_SOURCE_A_PORT_FIRST] ? -1 : 1;
	return 0;
}

void sources_sort(struct tl_sources *list)
{
	if (list->n)
		qsort(list->v, list->n, sizeof(*list->v), source_cmp);
}

void sources_free(struct tl_sources *list)
{
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}

void source_name(const struct tl_source *src, char *buf, size_t size)
{
	prefix_format(src->family, src->addr, src->prefix_len, buf, size);
}

bool source_ports(const struct tl_source *src, char *buf, size_t size)
{
	uint16_t first = (uint16_t)src->v[TCPLIMIT_SOURCE_A_PORT_FIRST];

	if (!TL_HAS(src, TCPLIMIT_SOURCE_A_PORT_FIRST))
		return false;
	/* No last port: a policy removed since, its connections not ended yet. */
	if (!TL_HAS(src, TCPLIMIT_SOURCE_A_PORT_LAST))
		snprintf(buf, size, "%u(removed)", first);
	else
		ports_format(buf, size, first, (uint16_t)src->v[TCPLIMIT_SOURCE_A_PORT_LAST]);
	return true;
}

struct flush_reply {
	uint32_t *flushed;
	bool got;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	struct flush_reply *r = data;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, top_policy) < 0 || !tb[TCPLIMIT_A_FLUSHED])
		return malformed();
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	*r->flushed = mnl_attr_get_u32(tb[TCPLIMIT_A_FLUSHED]);
	r->got = true;
	return MNL_CB_OK;
}

int query_flush(struct nl_ctx *ctx, uint32_t *flushed)
{
	struct flush_reply r = { .flushed = flushed };
	int ret;

	top_policy_init();
	ret = nl_do(ctx, nl_request(ctx, TCPLIMIT_CMD_FLUSH), flush_cb, &r);
	if (!ret && !r.got)
		ret = -ENODATA;
	return ret;
}
