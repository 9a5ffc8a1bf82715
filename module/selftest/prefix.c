// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of source keys, included by entry.c when built with
 * TCPLIMIT_SELFTEST=1: for every prefix length of IPv4 and IPv6, the key
 * keeps exactly the address's first prefix-length bits, bit by bit.
 */

static void __init tcplimit_selftest_prefix_family(struct tcplimit_selftest *t,
						   struct tcplimit_config *cfg, u8 family)
{
	unsigned int bits = family == NFPROTO_IPV4 ? 32 : 128, len, b, wrong;
	struct tcplimit_entry_key key;
	union nf_inet_addr addr;
	const u8 *in, *out;

	memset(&addr, 0xa5, sizeof(addr));
	for (len = 0; len <= bits; len++) {
		if (family == NFPROTO_IPV4)
			cfg->prefix4 = len;
		else
			cfg->prefix6 = len;
		tcplimit_source_key(&key, cfg, family, &addr, NULL);
		TCPLIMIT_CHECK(t, key.family == family && key.prefix_len == len && !key.port &&
			       !key.policy,
			       "family %u /%u: key says family %u /%u port %u", family, len,
			       key.family, key.prefix_len, ntohs(key.port));
		in = (const u8 *)&addr;
		out = (const u8 *)&key.addr;
		for (wrong = 0, b = 0; b < 128; b++) {
			u8 mask = 0x80 >> (b % 8);
			bool want = b < len && b < bits && (in[b / 8] & mask);

			wrong += !!(out[b / 8] & mask) != want;
		}
		TCPLIMIT_CHECK(t, !wrong, "family %u /%u: %u bits wrong in %*phN", family, len,
			       wrong, (int)sizeof(key.addr), &key.addr);
	}
}

bool __init tcplimit_selftest_prefix(void)
{
	struct tcplimit_selftest t = { .name = "prefix" };
	struct tcplimit_config *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return false;
	tcplimit_selftest_prefix_family(&t, cfg, NFPROTO_IPV4);
	tcplimit_selftest_prefix_family(&t, cfg, NFPROTO_IPV6);
	kfree(cfg);
	return tcplimit_selftest_done(&t);
}
