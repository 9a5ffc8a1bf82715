/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the generic netlink family.
 */
#ifndef _TCPLIMIT_NETLINK_H
#define _TCPLIMIT_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family tcplimit_genl_family;
int tcplimit_genl_init(void);
void tcplimit_genl_exit(void);

#endif /* _TCPLIMIT_NETLINK_H */
