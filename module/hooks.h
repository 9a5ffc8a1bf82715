/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the netfilter hooks of host and gateway mode.
 */
#ifndef _TCPLIMIT_HOOKS_H
#define _TCPLIMIT_HOOKS_H

#include <linux/types.h>

struct net;

int tcplimit_hooks_register(struct net *net, u8 mode);
void tcplimit_hooks_unregister(struct net *net, u8 mode);

#endif /* _TCPLIMIT_HOOKS_H */
