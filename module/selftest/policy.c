// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of port-range policies, included by policy.c when built with
 * TCPLIMIT_SELFTEST=1: policies added out of order, an overlapping one and
 * one too many refused with the list unchanged, one replaced in place,
 * then all removed one by one; after every change every port finds the
 * policy a plain scan of the list finds.
 */
#include <linux/skbuff.h>

/* Policy @i: ports 100 i + 1 .. 100 i + 1 + 10 (i % 7), so none overlap. */
static u16 __init tcplimit_selftest_first(unsigned int i)
{
	return 100 * i + 1;
}

static u16 __init tcplimit_selftest_last(unsigned int i)
{
	return 100 * i + 1 + 10 * (i % 7);
}

/* A TCPLIMIT_A_POLICY of ports @first..@last, max @max (0: none said), in @skb. */
static struct nlattr *__init tcplimit_selftest_policy_nest(struct sk_buff *skb, u16 first,
							   u16 last, u32 max)
{
	struct nlattr *nest = nla_nest_start(skb, TCPLIMIT_A_POLICY);

	if (!nest || nla_put_u16(skb, TCPLIMIT_POLICY_A_PORT_FIRST, first) ||
	    nla_put_u16(skb, TCPLIMIT_POLICY_A_PORT_LAST, last) ||
	    (max && nla_put_u32(skb, TCPLIMIT_POLICY_A_MAX_CONN, max)))
		return NULL;
	nla_nest_end(skb, nest);
	return nest;
}

/* Does every port find in @ps what a scan finds? */
static void __init tcplimit_selftest_policy_scan(struct tcplimit_selftest *t,
						 const struct tcplimit_policies *ps)
{
	const struct tcplimit_policy *want, *got;
	unsigned int port, i;

	for (i = 1; i < tcplimit_policies_len(ps); i++)
		TCPLIMIT_CHECK(t, ps->p[i - 1].last < ps->p[i].first, "policy %u out of order", i);
	for (port = 0; port <= 7000; port++) {
		want = NULL;
		for (i = 0; i < tcplimit_policies_len(ps); i++)
			if (port >= ps->p[i].first && port <= ps->p[i].last)
				want = &ps->p[i];
		got = ps ? tcplimit_policy_find(ps, port) : NULL;
		TCPLIMIT_CHECK(t, got == want, "port %u found the wrong policy", port);
	}
}

/* @ps, replaced by the result of an edit when it is no error. */
static int __init tcplimit_selftest_policy_edit(struct tcplimit_policies **ps, struct sk_buff *skb,
						u16 first, u16 last, u32 max, bool add)
{
	struct nlattr *nest = tcplimit_selftest_policy_nest(skb, first, last, max);
	struct tcplimit_policies *next;

	if (!nest)
		return -EMSGSIZE;
	next = tcplimit_policies_edit(*ps, nest, add, NULL);
	if (IS_ERR(next))
		return PTR_ERR(next);
	kfree(*ps);
	*ps = next;
	return 0;
}

bool __init tcplimit_selftest_policy(void)
{
	struct tcplimit_selftest t = { .name = "policy" };
	struct tcplimit_policies *ps = NULL;
	unsigned int i, k;
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(65536, GFP_KERNEL);
	if (!skb)
		return false;
	/* Added in a scrambled order: 37 is prime to 64. */
	for (k = 0; k < TCPLIMIT_MAX_POLICIES; k++) {
		i = (k * 37) % TCPLIMIT_MAX_POLICIES;
		err = tcplimit_selftest_policy_edit(&ps, skb, tcplimit_selftest_first(i),
						    tcplimit_selftest_last(i), i, true);
		TCPLIMIT_CHECK(&t, !err, "adding policy %u: %d", i, err);
		TCPLIMIT_CHECK(&t, tcplimit_policies_len(ps) == k + 1, "%u policies after %u",
			       tcplimit_policies_len(ps), k + 1);
	}
	tcplimit_selftest_policy_scan(&t, ps);
	err = tcplimit_selftest_policy_edit(&ps, skb, 6500, 6500, 1, true);
	TCPLIMIT_CHECK(&t, err == -ENOSPC, "a policy too many: %d", err);
	/* The same ports: replaced in place, even with the list full. */
	err = tcplimit_selftest_policy_edit(&ps, skb, tcplimit_selftest_first(5),
					    tcplimit_selftest_last(5), 555, true);
	TCPLIMIT_CHECK(&t, !err && tcplimit_policy_find(ps, 501)->limits.max_conn == 555,
		       "replacing policy 5: %d", err);
	err = tcplimit_selftest_policy_edit(&ps, skb, 1, 1, 0, false);
	TCPLIMIT_CHECK(&t, !err && tcplimit_policies_len(ps) == TCPLIMIT_MAX_POLICIES - 1,
		       "removing policy 0: %d", err);
	/* Overlapping policy 6 (601-661) by one port, at either end. */
	err = tcplimit_selftest_policy_edit(&ps, skb, 590, 601, 1, true);
	TCPLIMIT_CHECK(&t, err == -EBUSY, "590-601 overlaps: %d", err);
	err = tcplimit_selftest_policy_edit(&ps, skb, 661, 670, 1, true);
	TCPLIMIT_CHECK(&t, err == -EBUSY, "661-670 overlaps: %d", err);
	err = tcplimit_selftest_policy_edit(&ps, skb, 602, 602, 0, false);
	TCPLIMIT_CHECK(&t, err == -ENOENT, "no policy of port 602: %d", err);
	err = tcplimit_selftest_policy_edit(&ps, skb, 590, 600, 7, true);
	TCPLIMIT_CHECK(&t, !err, "590-600 between two: %d", err);
	tcplimit_selftest_policy_scan(&t, ps);
	err = tcplimit_selftest_policy_edit(&ps, skb, 590, 600, 0, false);
	TCPLIMIT_CHECK(&t, !err, "removing 590-600: %d", err);
	for (i = 1; i < TCPLIMIT_MAX_POLICIES; i++) {
		err = tcplimit_selftest_policy_edit(&ps, skb, tcplimit_selftest_first(i),
						    tcplimit_selftest_last(i), 0, false);
		TCPLIMIT_CHECK(&t, !err, "removing policy %u: %d", i, err);
		if (i % 16 == 0)
			tcplimit_selftest_policy_scan(&t, ps);
	}
	TCPLIMIT_CHECK(&t, !ps, "policies left after removing them all");
	kfree(ps);
	kfree_skb(skb);
	return tcplimit_selftest_done(&t);
}
