/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: /proc/net/tcplimit.
 */
#ifndef _TCPLIMIT_PROC_H
#define _TCPLIMIT_PROC_H

struct net;

int tcplimit_proc_init(struct net *net);
void tcplimit_proc_exit(struct net *net);

#endif /* _TCPLIMIT_PROC_H */
