/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the GET_SOURCES dump (filters, top-K).
 */
#ifndef _TCPLIMIT_NETLINK_SOURCES_H
#define _TCPLIMIT_NETLINK_SOURCES_H

#include <net/netlink.h>
#include <linux/tcplimit.h>

extern const struct nla_policy tcplimit_sources_policy[TCPLIMIT_A_FILTER + 1];
int tcplimit_nl_sources_start(struct netlink_callback *cb);
int tcplimit_nl_sources_dump(struct sk_buff *skb, struct netlink_callback *cb);
int tcplimit_nl_sources_done(struct netlink_callback *cb);

#endif /* _TCPLIMIT_NETLINK_SOURCES_H */
