// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the allowlist: made from prefixes (a whole list, or one added
 * to or removed from the last one), searched by the hooks. Changes are
 * rare (an administrator's) and rebuild the list, so a lookup on the SYN
 * path is one binary search over sorted, disjoint ranges.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include "allowlist.h"

#define TCPLIMIT_ALLOWLIST_FULL	"allowlist full (" __stringify(TCPLIMIT_MAX_ALLOW) " prefixes)"

/* A mask of the @n low bits, 0 <= @n <= 64. */
static u64 tcplimit_low_bits(unsigned int n)
{
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* @a against @b as 128-bit numbers: negative, 0 or positive. */
static int tcplimit_u128_cmp(u64 a_hi, u64 a_lo, u64 b_hi, u64 b_lo)
{
	if (a_hi != b_hi)
		return a_hi < b_hi ? -1 : 1;
	if (a_lo != b_lo)
		return a_lo < b_lo ? -1 : 1;
	return 0;
}

/* @addr of @family as a 128-bit number (IPv4 in *@lo). */
static void tcplimit_addr_u128(u8 family, const union nf_inet_addr *addr, u64 *hi, u64 *lo)
{
	if (family == NFPROTO_IPV4) {
		*hi = 0;
		*lo = ntohl(addr->ip);
	} else {
		*hi = (u64)ntohl(addr->ip6[0]) << 32 | ntohl(addr->ip6[1]);
		*lo = (u64)ntohl(addr->ip6[2]) << 32 | ntohl(addr->ip6[3]);
	}
}

static void tcplimit_span_of(struct tcplimit_span *s, const struct tcplimit_prefix *p)
{
	unsigned int host = (p->family == NFPROTO_IPV4 ? 32 : 128) - p->len;

	tcplimit_addr_u128(p->family, &p->addr, &s->first_hi, &s->first_lo);
	s->last_lo = s->first_lo | tcplimit_low_bits(min(host, 64U));
	s->last_hi = s->first_hi | tcplimit_low_bits(host > 64 ? host - 64 : 0);
}

/* The allowlist order: family (IPv4 first), address, length. */
static int tcplimit_prefix_cmp(const void *a, const void *b)
{
	const struct tcplimit_prefix *x = a, *y = b;
	int r;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	r = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	return r ?: (int)x->len - (int)y->len;
}

bool tcplimit_allowlisted(const struct tcplimit_allowlist *al, u8 family,
			  const union nf_inet_addr *addr)
{
	const struct tcplimit_span *s;
	u32 lo = 0, hi;
	u64 x_hi, x_lo;

	if (!al)
		return false;
	if (family == NFPROTO_IPV4) {
		s = al->spans;
		hi = al->n4;
	} else {
		s = al->spans + al->n4;
		hi = al->n6;
	}
	tcplimit_addr_u128(family, addr, &x_hi, &x_lo);
	/* lo: the number of spans that start at or before x. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (tcplimit_u128_cmp(s[mid].first_hi, s[mid].first_lo, x_hi, x_lo) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && tcplimit_u128_cmp(x_hi, x_lo, s[lo - 1].last_hi, s[lo - 1].last_lo) <= 0;
}

/* Room for @n prefixes and as many spans, charged to the caller's cgroup. */
static struct tcplimit_allowlist *tcplimit_allowlist_alloc(u32 n)
{
	struct tcplimit_allowlist *al;
	size_t spans = ALIGN(struct_size(al, prefixes, n), __alignof__(struct tcplimit_span));

	al = kvmalloc(size_add(spans, array_size(n, sizeof(struct tcplimit_span))),
		      GFP_KERNEL_ACCOUNT);
	if (!al)
		return NULL;
	refcount_set(&al->ref, 1);
	al->n = n;
	al->spans = (struct tcplimit_span *)((char *)al + spans);
	return al;
}

/*
 * Make @al's spans from its sorted, distinct prefixes. Two prefixes either
 * nest or are disjoint, so one that starts inside the last span kept lies
 * inside it. An empty list is no list (NULL).
 */
static struct tcplimit_allowlist *tcplimit_allowlist_index(struct tcplimit_allowlist *al)
{
	struct tcplimit_span *last = NULL;
	u32 i, k = 0;

	al->n4 = 0;
	al->n6 = 0;
	for (i = 0; i < al->n; i++) {
		const struct tcplimit_prefix *p = &al->prefixes[i];
		struct tcplimit_span s;

		tcplimit_span_of(&s, p);
		if (last && p->family == al->prefixes[i - 1].family &&
		    tcplimit_u128_cmp(s.first_hi, s.first_lo, last->last_hi, last->last_lo) <= 0)
			continue;
		last = &al->spans[k++];
		*last = s;
		if (p->family == NFPROTO_IPV4)
			al->n4++;
		else
			al->n6++;
	}
	if (!al->n) {
		tcplimit_allowlist_put(al);
		return NULL;
	}
	return al;
}

/*
 * @old (NULL: empty) with @p added or removed: a new allowlist (NULL when
 * empty), @old itself with a reference when nothing changes, or an error.
 */
struct tcplimit_allowlist *tcplimit_allowlist_edit(const struct tcplimit_allowlist *old,
						   const struct tcplimit_prefix *p, bool add,
						   struct netlink_ext_ack *extack)
{
	u32 n = tcplimit_allowlist_len(old), pos = 0, hi = n;
	struct tcplimit_allowlist *al;
	bool found;

	while (pos < hi) {
		u32 mid = pos + (hi - pos) / 2;

		if (tcplimit_prefix_cmp(&old->prefixes[mid], p) < 0)
			pos = mid + 1;
		else
			hi = mid;
	}
	found = pos < n && !tcplimit_prefix_cmp(&old->prefixes[pos], p);
	if (add && found)
		return tcplimit_allowlist_get((struct tcplimit_allowlist *)old);
	if (!add && !found) {
		NL_SET_ERR_MSG(extack, "prefix is not in the allowlist");
		return ERR_PTR(-ENOENT);
	}
	if (add && n >= TCPLIMIT_MAX_ALLOW) {
		NL_SET_ERR_MSG(extack, TCPLIMIT_ALLOWLIST_FULL);
		return ERR_PTR(-ENOSPC);
	}
	al = tcplimit_allowlist_alloc(add ? n + 1 : n - 1);
	if (!al)
		return ERR_PTR(-ENOMEM);
	if (pos)
		memcpy(al->prefixes, old->prefixes, pos * sizeof(*p));
	if (add) {
		al->prefixes[pos] = *p;
		if (n > pos)
			memcpy(&al->prefixes[pos + 1], &old->prefixes[pos], (n - pos) * sizeof(*p));
	} else if (n > pos + 1) {
		memcpy(&al->prefixes[pos], &old->prefixes[pos + 1], (n - pos - 1) * sizeof(*p));
	}
	return tcplimit_allowlist_index(al);
}

/*
 * The allowlist of @list, a TCPLIMIT_A_ALLOWLIST whose elements the policy
 * validated (NULL when empty; a prefix given twice counts once), or an
 * error naming the bad element.
 */
struct tcplimit_allowlist *tcplimit_allowlist_parse(const struct nlattr *list,
						    struct netlink_ext_ack *extack)
{
	struct tcplimit_allowlist *al;
	const struct nlattr *a;
	u32 n = 0, i, k;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != TCPLIMIT_A_PREFIX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "an allowlist holds prefixes only");
			return ERR_PTR(-EINVAL);
		}
		if (++n > TCPLIMIT_MAX_ALLOW) {
			NL_SET_ERR_MSG_ATTR(extack, a, TCPLIMIT_ALLOWLIST_FULL);
			return ERR_PTR(-ENOSPC);
		}
	}
	al = tcplimit_allowlist_alloc(n);
	if (!al)
		return ERR_PTR(-ENOMEM);
	i = 0;
	nla_for_each_nested(a, list, rem) {
		err = tcplimit_prefix_parse(&al->prefixes[i++], a, extack);
		if (err) {
			tcplimit_allowlist_put(al);
			return ERR_PTR(err);
		}
	}
	sort(al->prefixes, n, sizeof(*al->prefixes), tcplimit_prefix_cmp, NULL);
	for (i = 0, k = 0; i < n; i++)
		if (!k || tcplimit_prefix_cmp(&al->prefixes[k - 1], &al->prefixes[i]))
			al->prefixes[k++] = al->prefixes[i];
	al->n = k;
	return tcplimit_allowlist_index(al);
}

/* The last reference: from an RCU callback too (kvfree defers a vfree). */
void tcplimit_allowlist_put(struct tcplimit_allowlist *al)
{
	if (al && refcount_dec_and_test(&al->ref))
		kvfree(al);
}

#ifdef TCPLIMIT_SELFTEST
#include "selftest.h"
#include "selftest/allowlist.c"
#endif
