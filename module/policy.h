/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: per-source limits, and the port-range policies that give a
 * service limits of its own instead of the default ones.
 */
#ifndef _TCPLIMIT_POLICY_H
#define _TCPLIMIT_POLICY_H

#include <linux/types.h>
#include <net/netlink.h>
#include <linux/tcplimit.h>

/* A rate limit as GCRA: one connection per @interval_ns, @tolerance_ns ahead. */
struct tcplimit_rate {
	u32 conns;		/* per period, 0 = no limit */
	u32 period_ms;
	u32 burst;		/* as configured, 0 = @conns */
	u64 interval_ns;	/* period / conns */
	u64 tolerance_ns;	/* (burst - 1) * interval */
};

/* What one source may do under one policy (0: no such limit). */
struct tcplimit_limits {
	u32 max_conn;
	u32 halfopen_max;
	struct tcplimit_rate rate;
	u32 slow_bytes;		/* per slow period: less is slow, 0 = off */
	u32 slow_period_ms;
	unsigned long slow_period;	/* jiffies */
	u32 abnormal_max;	/* slow connections that ban a source, 0 = never */
};

/* Connections to ports @first..@last are held to @limits. */
struct tcplimit_policy {
	u16 first;
	u16 last;
	struct tcplimit_limits limits;
};

/*
 * The port-range policies of one configuration, sorted and disjoint, so a
 * SYN finds its own by binary search. Owned by that configuration and
 * immutable once published (a change makes a new list), read under the
 * same RCU read section.
 */
struct tcplimit_policies {
	u32 n;
	struct tcplimit_policy p[];
};

/* The ranges of a limit and of a period, for every netlink policy. */
extern struct netlink_range_validation tcplimit_conn_range;
extern struct netlink_range_validation tcplimit_period_range;
#define TCPLIMIT_NLA_CONN	NLA_POLICY_FULL_RANGE(NLA_U32, &tcplimit_conn_range)
#define TCPLIMIT_NLA_PERIOD	NLA_POLICY_FULL_RANGE(NLA_U32, &tcplimit_period_range)
extern const struct nla_policy tcplimit_policy_nla_policy[TCPLIMIT_POLICY_A_MAX + 1];

void tcplimit_rate_set(struct tcplimit_rate *rate);
void tcplimit_limits_derive(struct tcplimit_limits *lim);
bool tcplimit_limits_any(const struct tcplimit_limits *lim);
const struct tcplimit_policy *tcplimit_policy_find(const struct tcplimit_policies *ps, u16 port);
struct tcplimit_policies *tcplimit_policies_dup(const struct tcplimit_policies *ps);
struct tcplimit_policies *tcplimit_policies_parse(const struct nlattr *list,
						  struct netlink_ext_ack *extack);
struct tcplimit_policies *tcplimit_policies_edit(const struct tcplimit_policies *old,
						 const struct nlattr *nest, bool add,
						 struct netlink_ext_ack *extack);
int tcplimit_policies_put(struct sk_buff *msg, const struct tcplimit_policies *ps);
size_t tcplimit_policies_size(u32 n);

static inline u32 tcplimit_policies_len(const struct tcplimit_policies *ps)
{
	return ps ? ps->n : 0;
}

#endif /* _TCPLIMIT_POLICY_H */
