// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: per-source limits and port-range policies: a rate's derived
 * values, and the policy list made from netlink attributes (a whole list,
 * or one policy added or removed), searched by the hooks.
 */
#include <linux/bits.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include "policy.h"

#define TCPLIMIT_POLICIES_FULL	"too many policies (" __stringify(TCPLIMIT_MAX_POLICIES) " at most)"
#define TCPLIMIT_DEFAULT_RATE_PERIOD_MS	1000
#define TCPLIMIT_DEFAULT_SLOW_PERIOD_MS	(10 * 1000)

/* Far enough ahead to mean "never", small enough that tat + interval cannot wrap. */
#define TCPLIMIT_TOLERANCE_CAP	BIT_ULL(62)

struct netlink_range_validation tcplimit_conn_range __ro_after_init = {
	.min = 0,
	.max = TCPLIMIT_MAX_CONN_LIMIT,
};

struct netlink_range_validation tcplimit_period_range __ro_after_init = {
	.min = TCPLIMIT_MIN_PERIOD_MS,
	.max = TCPLIMIT_MAX_PERIOD_MS,
};

const struct nla_policy tcplimit_policy_nla_policy[TCPLIMIT_POLICY_A_MAX + 1] = {
	[TCPLIMIT_POLICY_A_PORT_FIRST]		= NLA_POLICY_MIN(NLA_U16, 1),
	[TCPLIMIT_POLICY_A_PORT_LAST]		= NLA_POLICY_MIN(NLA_U16, 1),
	[TCPLIMIT_POLICY_A_MAX_CONN]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_POLICY_A_RATE]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_POLICY_A_RATE_PERIOD_MS]	= TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_POLICY_A_RATE_BURST]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_POLICY_A_HALFOPEN_MAX]	= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_POLICY_A_SLOW_BYTES]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_POLICY_A_SLOW_PERIOD_MS]	= TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_POLICY_A_ABNORMAL_MAX]	= TCPLIMIT_NLA_CONN,
};

void tcplimit_rate_set(struct tcplimit_rate *rate)
{
	u64 burst;

	if (!rate->conns) {
		rate->interval_ns = 0;
		rate->tolerance_ns = 0;
		return;
	}
	if (!rate->period_ms)
		rate->period_ms = TCPLIMIT_DEFAULT_RATE_PERIOD_MS;
	burst = rate->burst ?: rate->conns;
	rate->interval_ns = div_u64((u64)rate->period_ms * NSEC_PER_MSEC, rate->conns);
	/* (burst - 1) * interval can pass 2^64 (1/1h burst 1e7): cap, never wrap. */
	if (burst - 1 > div64_u64(TCPLIMIT_TOLERANCE_CAP, rate->interval_ns))
		rate->tolerance_ns = TCPLIMIT_TOLERANCE_CAP;
	else
		rate->tolerance_ns = (burst - 1) * rate->interval_ns;
}

/* The values @lim's settings imply. */
void tcplimit_limits_derive(struct tcplimit_limits *lim)
{
	if (!lim->rate.period_ms)
		lim->rate.period_ms = TCPLIMIT_DEFAULT_RATE_PERIOD_MS;
	tcplimit_rate_set(&lim->rate);
	if (!lim->slow_period_ms)
		lim->slow_period_ms = TCPLIMIT_DEFAULT_SLOW_PERIOD_MS;
	lim->slow_period = msecs_to_jiffies(lim->slow_period_ms);
}

/*
 * Does @lim limit anything, so that its connections must be tracked?
 * (abnormal-max counts only connections slow detection found.)
 */
bool tcplimit_limits_any(const struct tcplimit_limits *lim)
{
	return lim->max_conn || lim->halfopen_max || lim->rate.conns || lim->slow_bytes;
}

/* The policy of @port, or NULL. */
const struct tcplimit_policy *tcplimit_policy_find(const struct tcplimit_policies *ps, u16 port)
{
	u32 lo = 0, hi = ps->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (port < ps->p[mid].first)
			hi = mid;
		else if (port > ps->p[mid].last)
			lo = mid + 1;
		else
			return &ps->p[mid];
	}
	return NULL;
}

static struct tcplimit_policies *tcplimit_policies_alloc(u32 n)
{
	struct tcplimit_policies *ps = kzalloc(struct_size(ps, p, n), GFP_KERNEL);

	if (ps)
		ps->n = n;
	return ps;
}

/* A copy of @ps (NULL: none), or an error. */
struct tcplimit_policies *tcplimit_policies_dup(const struct tcplimit_policies *ps)
{
	struct tcplimit_policies *copy;

	if (!ps)
		return NULL;
	copy = kmemdup(ps, struct_size(ps, p, ps->n), GFP_KERNEL);
	return copy ?: ERR_PTR(-ENOMEM);
}

static void tcplimit_get(u32 *dst, const struct nlattr *attr)
{
	if (attr)
		*dst = nla_get_u32(attr);
}

/*
 * @nest, a TCPLIMIT_A_POLICY, into @p: with its limits unless @ports_only
 * (a removal names ports only). Errors are said in @extack.
 */
static int tcplimit_policy_parse(struct tcplimit_policy *p, const struct nlattr *nest,
				 bool ports_only, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPLIMIT_POLICY_A_MAX + 1];
	struct tcplimit_limits *lim = &p->limits;
	int err, i;

	err = nla_parse_nested(tb, TCPLIMIT_POLICY_A_MAX, nest, tcplimit_policy_nla_policy,
			       extack);
	if (err)
		return err;
	if (!tb[TCPLIMIT_POLICY_A_PORT_FIRST]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a policy needs its first port");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->first = nla_get_u16(tb[TCPLIMIT_POLICY_A_PORT_FIRST]);
	p->last = tb[TCPLIMIT_POLICY_A_PORT_LAST] ?
		  nla_get_u16(tb[TCPLIMIT_POLICY_A_PORT_LAST]) : p->first;
	if (p->last < p->first) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_POLICY_A_PORT_LAST],
				    "the last port is below the first");
		return -EINVAL;
	}
	for (i = TCPLIMIT_POLICY_A_MAX_CONN; ports_only && i <= TCPLIMIT_POLICY_A_MAX; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i], "a removal names ports only");
			return -EINVAL;
		}
	}
	tcplimit_get(&lim->max_conn, tb[TCPLIMIT_POLICY_A_MAX_CONN]);
	tcplimit_get(&lim->rate.conns, tb[TCPLIMIT_POLICY_A_RATE]);
	tcplimit_get(&lim->rate.period_ms, tb[TCPLIMIT_POLICY_A_RATE_PERIOD_MS]);
	tcplimit_get(&lim->rate.burst, tb[TCPLIMIT_POLICY_A_RATE_BURST]);
	tcplimit_get(&lim->halfopen_max, tb[TCPLIMIT_POLICY_A_HALFOPEN_MAX]);
	tcplimit_get(&lim->slow_bytes, tb[TCPLIMIT_POLICY_A_SLOW_BYTES]);
	tcplimit_get(&lim->slow_period_ms, tb[TCPLIMIT_POLICY_A_SLOW_PERIOD_MS]);
	tcplimit_get(&lim->abnormal_max, tb[TCPLIMIT_POLICY_A_ABNORMAL_MAX]);
	tcplimit_limits_derive(lim);
	return 0;
}

static int tcplimit_policy_cmp(const void *a, const void *b)
{
	const struct tcplimit_policy *x = a, *y = b;

	return (int)x->first - (int)y->first;
}

/*
 * Sort @ps and check that no two ranges overlap; @nest, the attribute to
 * blame. Returns @ps, or an error after freeing it.
 */
static struct tcplimit_policies *tcplimit_policies_index(struct tcplimit_policies *ps,
							 const struct nlattr *nest,
							 struct netlink_ext_ack *extack)
{
	u32 i;

	sort(ps->p, ps->n, sizeof(*ps->p), tcplimit_policy_cmp, NULL);
	for (i = 1; i < ps->n; i++) {
		if (ps->p[i].first <= ps->p[i - 1].last) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "its ports overlap another policy's");
			kfree(ps);
			return ERR_PTR(-EBUSY);
		}
	}
	return ps;
}

/* A TCPLIMIT_A_POLICIES list into policies (none: NULL), or an error. */
struct tcplimit_policies *tcplimit_policies_parse(const struct nlattr *list,
						  struct netlink_ext_ack *extack)
{
	struct tcplimit_policies *ps;
	const struct nlattr *a;
	u32 n = 0;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != TCPLIMIT_A_POLICY) {
			NL_SET_ERR_MSG_ATTR(extack, a, "a policy list holds policies only");
			return ERR_PTR(-EINVAL);
		}
		if (++n > TCPLIMIT_MAX_POLICIES) {
			NL_SET_ERR_MSG_ATTR(extack, a, TCPLIMIT_POLICIES_FULL);
			return ERR_PTR(-ENOSPC);
		}
	}
	if (!n)
		return NULL;
	ps = tcplimit_policies_alloc(n);
	if (!ps)
		return ERR_PTR(-ENOMEM);
	n = 0;
	nla_for_each_nested(a, list, rem) {
		err = tcplimit_policy_parse(&ps->p[n++], a, false, extack);
		if (err) {
			kfree(ps);
			return ERR_PTR(err);
		}
	}
	return tcplimit_policies_index(ps, list, extack);
}

/* The index in @ps of the policy of exactly @p's ports, or -1. */
static int tcplimit_policies_same(const struct tcplimit_policies *ps,
				  const struct tcplimit_policy *p)
{
	u32 i;

	for (i = 0; i < tcplimit_policies_len(ps); i++)
		if (ps->p[i].first == p->first && ps->p[i].last == p->last)
			return i;
	return -1;
}

/*
 * @old (NULL: none) with the policy of @nest added (@add: replacing one of
 * the same ports) or the one of its ports removed, or an error.
 */
struct tcplimit_policies *tcplimit_policies_edit(const struct tcplimit_policies *old,
						 const struct nlattr *nest, bool add,
						 struct netlink_ext_ack *extack)
{
	u32 n = tcplimit_policies_len(old);
	struct tcplimit_policies *ps;
	struct tcplimit_policy p;
	int err, same;

	err = tcplimit_policy_parse(&p, nest, !add, extack);
	if (err)
		return ERR_PTR(err);
	same = tcplimit_policies_same(old, &p);
	if (!add && same < 0) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no policy of these ports");
		return ERR_PTR(-ENOENT);
	}
	if (add && same < 0 && n >= TCPLIMIT_MAX_POLICIES) {
		NL_SET_ERR_MSG_ATTR(extack, nest, TCPLIMIT_POLICIES_FULL);
		return ERR_PTR(-ENOSPC);
	}
	if (!add && n == 1)
		return NULL;
	ps = tcplimit_policies_alloc(add && same < 0 ? n + 1 : add ? n : n - 1);
	if (!ps)
		return ERR_PTR(-ENOMEM);
	if (same >= 0) {
		/* Everything but the one of the same ports... */
		memcpy(ps->p, old->p, same * sizeof(p));
		memcpy(ps->p + same, old->p + same + 1, (n - same - 1) * sizeof(p));
	} else if (n) {
		memcpy(ps->p, old->p, n * sizeof(p));
	}
	/* ...and the new one. */
	if (add)
		ps->p[ps->n - 1] = p;
	return tcplimit_policies_index(ps, nest, extack);
}

/* The room TCPLIMIT_A_POLICIES takes in a message with @n policies. */
size_t tcplimit_policies_size(u32 n)
{
	size_t one = nla_total_size(0) + 2 * nla_total_size(sizeof(u16)) +
		     8 * nla_total_size(sizeof(u32));

	return nla_total_size(0) + n * one;
}

static int tcplimit_policy_put(struct sk_buff *msg, const struct tcplimit_policy *p)
{
	const struct tcplimit_limits *lim = &p->limits;
	struct nlattr *nest = nla_nest_start(msg, TCPLIMIT_A_POLICY);

	if (!nest ||
	    nla_put_u16(msg, TCPLIMIT_POLICY_A_PORT_FIRST, p->first) ||
	    nla_put_u16(msg, TCPLIMIT_POLICY_A_PORT_LAST, p->last) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_MAX_CONN, lim->max_conn) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_RATE, lim->rate.conns) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_RATE_PERIOD_MS, lim->rate.period_ms) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_RATE_BURST, lim->rate.burst) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_HALFOPEN_MAX, lim->halfopen_max) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_SLOW_BYTES, lim->slow_bytes) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_SLOW_PERIOD_MS, lim->slow_period_ms) ||
	    nla_put_u32(msg, TCPLIMIT_POLICY_A_ABNORMAL_MAX, lim->abnormal_max))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* TCPLIMIT_A_POLICIES: every policy of @ps, in port order. */
int tcplimit_policies_put(struct sk_buff *msg, const struct tcplimit_policies *ps)
{
	struct nlattr *nest = nla_nest_start(msg, TCPLIMIT_A_POLICIES);
	u32 i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < tcplimit_policies_len(ps); i++)
		if (tcplimit_policy_put(msg, &ps->p[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

#ifdef TCPLIMIT_SELFTEST
#include "entry.h"
#include "selftest.h"
#include "selftest/rate.c"
#include "selftest/policy.c"
#endif
