/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: address prefixes (ADDR/LEN of IPv4 or IPv6): masking,
 * containment, and their netlink form (enum tcplimit_prefix_attr).
 */
#ifndef _TCPLIMIT_PREFIX_H
#define _TCPLIMIT_PREFIX_H

#include <linux/types.h>
#include <linux/netfilter.h>
#include <net/netlink.h>
#include <linux/tcplimit.h>

/* ADDR/LEN; the bits of @addr past @len are zero. */
struct tcplimit_prefix {
	union nf_inet_addr addr;
	u8 family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 len;
};

extern const struct nla_policy tcplimit_prefix_policy[TCPLIMIT_PREFIX_A_MAX + 1];

int tcplimit_validate_addr(const struct nlattr *attr, struct netlink_ext_ack *extack);
void tcplimit_prefix_mask(union nf_inet_addr *addr, u8 family, u8 len);
void tcplimit_prefix_set(struct tcplimit_prefix *p, u8 family, const union nf_inet_addr *addr,
			 u8 len);
bool tcplimit_prefix_contains(const struct tcplimit_prefix *p, u8 family,
			      const union nf_inet_addr *addr);
int tcplimit_prefix_parse(struct tcplimit_prefix *p, const struct nlattr *nest,
			  struct netlink_ext_ack *extack);
int tcplimit_prefix_put(struct sk_buff *msg, int attr, const struct tcplimit_prefix *p);

#endif /* _TCPLIMIT_PREFIX_H */
