/* SPDX-License-Identifier: GPL-2.0 */
/*
 * query.h: reading the limiter's state: configuration (GET_CONFIG), totals
 * (GET_STATS) and sources (GET_SOURCES dump, optionally filtered and ranked
 * by the kernel), and FLUSH's count. Integer attributes are copied out by type number: v[type]
 * is valid when bit type of have is set; absent ones are not printed.
 */
#ifndef TCPLIMITCTL_QUERY_H
#define TCPLIMITCTL_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcplimit.h>

#include "policies.h"
#include "prefix.h"

struct nl_ctx;

_Static_assert(TCPLIMIT_A_MAX < 64 && TCPLIMIT_STATS_A_MAX < 64 &&
	       TCPLIMIT_SOURCE_A_MAX < 64, "attribute types must fit a u64 bitmap");

#define TL_HAS(x, type)	(((x)->have >> (type)) & 1)

struct tl_config {
	uint32_t version;		/* the reply's TCPLIMIT_A_VERSION */
	uint64_t have;
	uint64_t v[TCPLIMIT_A_MAX + 1];
	struct tl_policies policies;	/* TCPLIMIT_A_POLICIES (none if the kernel has none) */
};

struct tl_stats {
	uint64_t have;
	uint64_t v[TCPLIMIT_STATS_A_MAX + 1];
};

struct tl_source {
	uint16_t family;		/* AF_INET or AF_INET6 */
	uint8_t prefix_len;
	uint8_t addr[16];		/* network order, zero-padded for IPv4 */
	uint64_t have;
	uint64_t v[TCPLIMIT_SOURCE_A_MAX + 1];
};

struct tl_sources {
	struct tl_source *v;
	size_t n;
	size_t cap;
};

/* Which sources a dump returns (TCPLIMIT_A_FILTER); all zero: every one. */
struct tl_filter {
	struct tl_prefix prefix;	/* family 0: any source */
	bool limited;			/* only sources with limited > 0 */
	uint32_t top;			/* 1..TCPLIMIT_MAX_TOP: the K largest, 0: all */
	uint8_t sort;			/* enum tcplimit_sort */
};

/*
 * Each returns 0 or a negative errno and prints nothing: the caller reports
 * with nl_report(). A missing reply is -ENODATA.
 */
int query_config(struct nl_ctx *ctx, struct tl_config *cfg);
int query_stats(struct nl_ctx *ctx, struct tl_stats *stats);
/* Sources in the kernel's order (ranked with a top-K filter); @f may be NULL. */
int query_sources(struct nl_ctx *ctx, const struct tl_filter *f, struct tl_sources *list);

/* FLUSH: the kernel forgets the idle sources; *@flushed gets how many. */
int query_flush(struct nl_ctx *ctx, uint32_t *flushed);

/* Sort by family, address, prefix length, then policy (the default one first). */
void sources_sort(struct tl_sources *list);
void sources_free(struct tl_sources *list);

/* "10.0.1.2/32", "fd00:1::/64" into @buf (at least SOURCE_NAME_LEN bytes). */
#define SOURCE_NAME_LEN	PREFIX_NAME_LEN
void source_name(const struct tl_source *src, char *buf, size_t size);

/*
 * The ports of the policy @src is counted under (its PORT_FIRST and
 * PORT_LAST), "22" or "8000-8100" ("8000(removed)": no PORT_LAST, a policy
 * removed since), into @buf (PORTS_LEN bytes); false, @buf untouched: the
 * default policy.
 */
bool source_ports(const struct tl_source *src, char *buf, size_t size);

#endif /* TCPLIMITCTL_QUERY_H */
