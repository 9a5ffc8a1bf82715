// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the top-K selection, included by netlink_sources.c when
 * built with TCPLIMIT_SELFTEST=1: for every K, the bounded heap fed the
 * sources in a scrambled order keeps exactly the first K of the fully
 * sorted list, ties broken by family, then address.
 */

#define TCPLIMIT_SELFTEST_SOURCES	64

static void __init tcplimit_selftest_topk_fill(struct tcplimit_source_snap *all)
{
	unsigned int i;

	for (i = 0; i < TCPLIMIT_SELFTEST_SOURCES; i++) {
		struct tcplimit_source_snap *s = &all[i];

		memset(s, 0, sizeof(*s));
		/* Eleven ranks: many ties, across both families. */
		s->rank = (i * 37) % 11;
		s->family = i % 3 ? NFPROTO_IPV4 : NFPROTO_IPV6;
		s->prefix_len = s->family == NFPROTO_IPV4 ? 32 : 64;
		s->addr.ip6[0] = htonl(0x0a000000 + (i * 13) % 97);
	}
}

bool __init tcplimit_selftest_topk(void)
{
	struct tcplimit_selftest t = { .name = "topk" };
	struct tcplimit_source_snap *all, *sorted;
	struct tcplimit_sources_dump *d;
	unsigned int i, k, want, wrong;

	all = kcalloc(TCPLIMIT_SELFTEST_SOURCES, sizeof(*all), GFP_KERNEL);
	sorted = kcalloc(TCPLIMIT_SELFTEST_SOURCES, sizeof(*sorted), GFP_KERNEL);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!all || !sorted || !d)
		goto out;
	tcplimit_selftest_topk_fill(all);
	memcpy(sorted, all, TCPLIMIT_SELFTEST_SOURCES * sizeof(*all));
	sort(sorted, TCPLIMIT_SELFTEST_SOURCES, sizeof(*sorted), tcplimit_snap_cmp, NULL);
	/* The order itself: rank down, then IPv4 first, then address up. */
	for (wrong = 0, i = 1; i < TCPLIMIT_SELFTEST_SOURCES; i++) {
		const struct tcplimit_source_snap *a = &sorted[i - 1], *b = &sorted[i];

		if (a->rank != b->rank)
			wrong += a->rank < b->rank;
		else if (a->family != b->family)
			wrong += a->family > b->family;
		else
			wrong += ntohl(a->addr.ip6[0]) >= ntohl(b->addr.ip6[0]);
	}
	TCPLIMIT_CHECK(&t, !wrong, "%u neighbours out of order", wrong);

	for (k = 1; k <= TCPLIMIT_SELFTEST_SOURCES + 2; k++) {
		d->filter.top = k;
		d->top_n = 0;
		d->top = kcalloc(k, sizeof(*d->top), GFP_KERNEL);
		if (!d->top) {
			TCPLIMIT_CHECK(&t, false, "K=%u: no memory", k);
			break;
		}
		/* 29 is prime to 64: every source once, scrambled. */
		for (i = 0; i < TCPLIMIT_SELFTEST_SOURCES; i++)
			tcplimit_top_offer(d, &all[(i * 29) % TCPLIMIT_SELFTEST_SOURCES]);
		sort(d->top, d->top_n, sizeof(*d->top), tcplimit_snap_cmp, NULL);
		want = min_t(unsigned int, k, TCPLIMIT_SELFTEST_SOURCES);
		for (wrong = 0, i = 0; i < d->top_n && i < want; i++)
			wrong += tcplimit_snap_cmp(&d->top[i], &sorted[i]) != 0;
		TCPLIMIT_CHECK(&t, d->top_n == want && !wrong, "K=%u: kept %u, %u not the best",
			       k, d->top_n, wrong);
		kfree(d->top);
		d->top = NULL;
	}
out:
	TCPLIMIT_CHECK(&t, all && sorted && d, "no memory");
	kfree(d);
	kfree(sorted);
	kfree(all);
	return tcplimit_selftest_done(&t);
}
