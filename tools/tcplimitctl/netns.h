/* SPDX-License-Identifier: GPL-2.0 */
/* netns.h: -n NAME, acting on a named network namespace like "ip -n". */
#ifndef TCPLIMITCTL_NETNS_H
#define TCPLIMITCTL_NETNS_H

/* Where "ip netns add NAME" keeps its namespaces. */
#define NETNS_RUN_DIR	"/run/netns"

/*
 * Join the network namespace NETNS_RUN_DIR/@name (before any netlink
 * socket is opened). On failure print why; return an exit code.
 */
int netns_enter(const char *name);

#endif /* TCPLIMITCTL_NETNS_H */
