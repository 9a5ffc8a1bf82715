// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: address prefixes: masking, containment, and the
 * TCPLIMIT_A_PREFIX nest that carries one (allowlist, bans).
 */
#include <linux/inetdevice.h>
#include <net/ipv6.h>
#include "prefix.h"

/* ADDR is an IPv4 or an IPv6 address: no other length. */
int tcplimit_validate_addr(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == sizeof(struct in_addr) || nla_len(attr) == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

const struct nla_policy tcplimit_prefix_policy[TCPLIMIT_PREFIX_A_MAX + 1] = {
	[TCPLIMIT_PREFIX_A_ADDR]	= NLA_POLICY_VALIDATE_FN(NLA_BINARY, tcplimit_validate_addr,
								 sizeof(struct in6_addr)),
	[TCPLIMIT_PREFIX_A_LEN]		= NLA_POLICY_MAX(NLA_U8, 128),
};

/* Clear the bits of @addr past the first @len. */
void tcplimit_prefix_mask(union nf_inet_addr *addr, u8 family, u8 len)
{
	unsigned int words = family == NFPROTO_IPV4 ? 1 : 4, i;

	for (i = 0; i < words; i++) {
		unsigned int bits = clamp_t(int, len - 32 * (int)i, 0, 32);

		addr->ip6[i] &= bits ? htonl(~0U << (32 - bits)) : 0;
	}
}

bool tcplimit_prefix_contains(const struct tcplimit_prefix *p, u8 family,
			      const union nf_inet_addr *addr)
{
	if (family != p->family)
		return false;
	if (family == NFPROTO_IPV4)
		return !((addr->ip ^ p->addr.ip) & inet_make_mask(p->len));
	return ipv6_prefix_equal(&addr->in6, &p->addr.in6, p->len);
}

/*
 * @nest, a TCPLIMIT_A_PREFIX validated by tcplimit_prefix_policy, as a
 * prefix: ADDR is required, LEN defaults to the whole address, and the
 * address may have no bit set past LEN (10.0.0.1/24 is a mistake, as for
 * "ip route").
 */
int tcplimit_prefix_parse(struct tcplimit_prefix *p, const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPLIMIT_PREFIX_A_MAX + 1];
	union nf_inet_addr masked;
	unsigned int bits;
	int err;

	err = nla_parse_nested(tb, TCPLIMIT_PREFIX_A_MAX, nest, tcplimit_prefix_policy, extack);
	if (err)
		return err;
	if (!tb[TCPLIMIT_PREFIX_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a prefix needs an address");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	bits = nla_len(tb[TCPLIMIT_PREFIX_A_ADDR]) * 8;
	p->family = bits == 32 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	nla_memcpy(&p->addr, tb[TCPLIMIT_PREFIX_A_ADDR], sizeof(p->addr));
	p->len = bits;
	if (tb[TCPLIMIT_PREFIX_A_LEN]) {
		p->len = nla_get_u8(tb[TCPLIMIT_PREFIX_A_LEN]);
		/* The policy caps it at 128: only an IPv4 one can be too long. */
		if (p->len > bits) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_PREFIX_A_LEN],
					    "IPv4 prefix length over 32");
			return -ERANGE;
		}
	}
	masked = p->addr;
	tcplimit_prefix_mask(&masked, p->family, p->len);
	if (memcmp(&masked, &p->addr, sizeof(masked))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_PREFIX_A_ADDR],
				    "address has bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

/* @p = @addr of @family masked to @len, padding zeroed (a hash key). */
void tcplimit_prefix_set(struct tcplimit_prefix *p, u8 family, const union nf_inet_addr *addr,
			 u8 len)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
	p->len = len;
	if (family == NFPROTO_IPV4)
		p->addr.ip = addr->ip;
	else
		p->addr.in6 = addr->in6;
	tcplimit_prefix_mask(&p->addr, family, len);
}

int tcplimit_prefix_put(struct sk_buff *msg, int attr, const struct tcplimit_prefix *p)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int alen = p->family == NFPROTO_IPV4 ? sizeof(struct in_addr) : sizeof(struct in6_addr);

	if (!nest || nla_put(msg, TCPLIMIT_PREFIX_A_ADDR, alen, &p->addr) ||
	    nla_put_u8(msg, TCPLIMIT_PREFIX_A_LEN, p->len))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}
