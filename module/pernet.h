/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: making, reconfiguring and tearing down each namespace's limiter.
 */
#ifndef _TCPLIMIT_PERNET_H
#define _TCPLIMIT_PERNET_H

#include <net/netlink.h>

struct tcplimit_net;
struct tcplimit_prefix;

int tcplimit_pernet_init(void);
void tcplimit_pernet_exit(void);
int tcplimit_pernet_configure(struct tcplimit_net *tn, struct nlattr **tb, bool may_grow,
			      struct netlink_ext_ack *extack);
int tcplimit_pernet_ensure_started(struct tcplimit_net *tn, struct netlink_ext_ack *extack);
int tcplimit_pernet_allow(struct tcplimit_net *tn, const struct tcplimit_prefix *p, bool add,
			  struct netlink_ext_ack *extack);
int tcplimit_pernet_policy(struct tcplimit_net *tn, const struct nlattr *nest, bool add,
			   struct netlink_ext_ack *extack);

#endif /* _TCPLIMIT_PERNET_H */
