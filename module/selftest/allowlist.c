// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the allowlist, included by allowlist.c when built with
 * TCPLIMIT_SELFTEST=1: prefixes added one by one (nested, adjacent,
 * repeated, of both families) and then removed again, and after every
 * change each probe address, chosen at and beside every prefix's first and
 * last address, is allowlisted exactly when some prefix of the list holds
 * it.
 */

#define TCPLIMIT_SELFTEST_PREFIXES	48

/* Prefix @i: a few nested or adjacent ones in each family. */
static void __init tcplimit_selftest_allow_prefix(struct tcplimit_prefix *p, unsigned int i)
{
	memset(p, 0, sizeof(*p));
	if (i % 2) {
		p->family = NFPROTO_IPV4;
		p->len = (i * 7) % 33;
		p->addr.ip = htonl(0x0a000000 | (i % 5) << 22 | (i % 3) << 8);
	} else {
		p->family = NFPROTO_IPV6;
		p->len = (i * 29) % 129;
		p->addr.ip6[0] = htonl(0x20010db8);
		p->addr.ip6[1] = htonl((i % 4) << 30);
		p->addr.ip6[3] = htonl(i % 6);
	}
	tcplimit_prefix_mask(&p->addr, p->family, p->len);
}

/* @p's first address plus @delta, in its last 32 bits (wrapping there). */
static void __init tcplimit_selftest_allow_probe(union nf_inet_addr *a,
						 const struct tcplimit_prefix *p, bool last,
						 int delta)
{
	union nf_inet_addr ones = { .all = { ~0U, ~0U, ~0U, ~0U } };
	unsigned int w = p->family == NFPROTO_IPV4 ? 0 : 3, i;

	*a = p->addr;
	if (last) {
		/* The host bits set: the prefix's last address. */
		tcplimit_prefix_mask(&ones, p->family, p->len);
		for (i = 0; i <= w; i++)
			a->ip6[i] |= ~ones.ip6[i];
	}
	a->ip6[w] = htonl(ntohl(a->ip6[w]) + delta);
}

static void __init tcplimit_selftest_allow_check(struct tcplimit_selftest *t,
						 const struct tcplimit_allowlist *al,
						 const struct tcplimit_prefix *all, unsigned int n)
{
	unsigned int i, j, k;
	union nf_inet_addr a;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 6; k++) {
			const struct tcplimit_prefix *p = &all[i];
			bool want = false, got;

			tcplimit_selftest_allow_probe(&a, p, k >= 3, (int)(k % 3) - 1);
			for (j = 0; j < tcplimit_allowlist_len(al) && !want; j++)
				want = tcplimit_prefix_contains(&al->prefixes[j], p->family, &a);
			got = tcplimit_allowlisted(al, all[i].family, &a);
			TCPLIMIT_CHECK(t, got == want, "%u prefixes: %*phN (family %u) %s, want %s",
				       tcplimit_allowlist_len(al), 16, &a, all[i].family,
				       got ? "allowed" : "not", want ? "allowed" : "not");
		}
	}
}

bool __init tcplimit_selftest_allowlist(void)
{
	struct tcplimit_selftest t = { .name = "allowlist" };
	struct tcplimit_allowlist *al = NULL, *next;
	struct tcplimit_prefix *all;
	unsigned int i;

	all = kcalloc(TCPLIMIT_SELFTEST_PREFIXES, sizeof(*all), GFP_KERNEL);
	if (!all)
		return false;
	for (i = 0; i < TCPLIMIT_SELFTEST_PREFIXES; i++)
		tcplimit_selftest_allow_prefix(&all[i], i);
	/* Adding, each prefix twice (the second time changes nothing)... */
	for (i = 0; i < 2 * TCPLIMIT_SELFTEST_PREFIXES; i++) {
		next = tcplimit_allowlist_edit(al, &all[i % TCPLIMIT_SELFTEST_PREFIXES], true,
					       NULL);
		TCPLIMIT_CHECK(&t, !IS_ERR_OR_NULL(next), "add %u: %ld", i, PTR_ERR(next));
		if (IS_ERR_OR_NULL(next))
			goto out;
		tcplimit_allowlist_put(al);
		al = next;
		tcplimit_selftest_allow_check(&t, al, all, TCPLIMIT_SELFTEST_PREFIXES);
	}
	/* ...then removing them; a second removal is an error. */
	for (i = 0; i < TCPLIMIT_SELFTEST_PREFIXES; i++) {
		next = tcplimit_allowlist_edit(al, &all[i], false, NULL);
		if (IS_ERR(next)) {
			/* Only a repeated prefix is gone already. */
			TCPLIMIT_CHECK(&t, PTR_ERR(next) == -ENOENT, "del %u: %ld", i,
				       PTR_ERR(next));
			continue;
		}
		tcplimit_allowlist_put(al);
		al = next;
		tcplimit_selftest_allow_check(&t, al, all, TCPLIMIT_SELFTEST_PREFIXES);
	}
	TCPLIMIT_CHECK(&t, !al, "%u prefixes left", tcplimit_allowlist_len(al));
out:
	tcplimit_allowlist_put(al);
	kfree(all);
	return tcplimit_selftest_done(&t);
}
