/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the configuration of one limiter, as data: its defaults, a
 * copy updated from a SET_CONFIG request's attributes, and a reply's.
 */
#ifndef _TCPLIMIT_CONFIG_H
#define _TCPLIMIT_CONFIG_H

#include <linux/types.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <linux/tcplimit.h>
#include "allowlist.h"
#include "policy.h"

/* Defaults of struct tcplimit_config. */
#define TCPLIMIT_DEFAULT_TABLE_SIZE	65536
#define TCPLIMIT_DEFAULT_FLOW_TABLE_SIZE	262144
/*
 * A namespace of another user namespace (unshare -Urn: anyone may make
 * one) starts small: its kernel memory is the host administrator's to give.
 */
#define TCPLIMIT_USERNS_TABLE_SIZE	1024
#define TCPLIMIT_USERNS_FLOW_TABLE_SIZE	4096
#define TCPLIMIT_DEFAULT_PREFIX4	32
#define TCPLIMIT_DEFAULT_PREFIX6	64
/* The kernel's SYN-ACK retries (tcp_synack_retries 5) give up after 63 s. */
#define TCPLIMIT_DEFAULT_SYN_TIMEOUT_MS	(75 * 1000)
/* Keepalive time (2 h) plus its probes (9 x 75 s), as conntrack does. */
#define TCPLIMIT_DEFAULT_IDLE_TIMEOUT_MS	((7200 + 9 * 75) * 1000)
/* Bans: 15 minutes, as cloud anti-DDoS policies do; a day at most. */
#define TCPLIMIT_DEFAULT_BAN_AFTER_WINDOW_MS	(60 * 1000)
#define TCPLIMIT_DEFAULT_BAN_TIME_MS		(15 * 60 * 1000)
#define TCPLIMIT_DEFAULT_BAN_TIME_MAX_MS	(24 * 3600 * 1000)
#define TCPLIMIT_DEFAULT_BAN_TABLE_SIZE		65536
#define TCPLIMIT_USERNS_BAN_TABLE_SIZE		1024

/*
 * The configuration of one limiter. Immutable once published: writers copy
 * it under tcplimit_net.config_lock, change the copy and swap the RCU
 * pointer, so the hooks always see one whole configuration, allowlist
 * and policies included (@allow: shared by the copies, each holding a
 * reference; @policies: each copy's own; NULL when empty). Freed by
 * tcplimit_config_free(), or after a grace period by
 * tcplimit_config_free_rcu() once readers may hold it.
 *
 * @limits: the default policy's, for ports no policy has. Derived:
 * @untracked, ports no policy has are not tracked (there are policies,
 * and the default one limits nothing); @slow_any, some policy looks for
 * slow connections.
 */
struct tcplimit_config {
	struct rcu_head rcu;
	struct tcplimit_limits limits;
	u32 dst_max;
	struct tcplimit_rate dst_rate;
	u32 reject;		/* enum tcplimit_limit_bit */
	u32 syn_timeout_ms;
	u32 idle_timeout_ms;
	unsigned long syn_timeout;	/* jiffies */
	unsigned long idle_timeout;	/* jiffies */
	u32 table_size;		/* as configured, 0 = default */
	u32 flow_table_size;
	u8 prefix4;
	u8 prefix6;
	u8 mode;		/* enum tcplimit_mode */
	u8 full_policy;		/* enum tcplimit_full_policy */
	u8 dry_run;
	u32 ban_after;		/* refusals that ban a source, 0 = never */
	u32 ban_after_window_ms;
	unsigned long ban_after_window;	/* jiffies */
	u32 ban_time_ms;
	u32 ban_time_max_ms;
	u8 slow_action;		/* enum tcplimit_slow_action */
	bool untracked;
	bool slow_any;
	struct tcplimit_allowlist *allow;
	struct tcplimit_policies *policies;
};

/* The policy of connections to @port: a port range's, or NULL (the default). */
static inline const struct tcplimit_policy *
tcplimit_cfg_policy(const struct tcplimit_config *cfg, u16 port)
{
	return unlikely(cfg->policies) ? tcplimit_policy_find(cfg->policies, port) : NULL;
}

/* Are connections to @dport tracked (@cfg->untracked)? */
static inline bool tcplimit_cfg_tracks(const struct tcplimit_config *cfg, __be16 dport)
{
	return !cfg->untracked || tcplimit_cfg_policy(cfg, ntohs(dport));
}

/* The limits of policy @p of @cfg (NULL: the default policy). */
static inline const struct tcplimit_limits *
tcplimit_cfg_limits(const struct tcplimit_config *cfg, const struct tcplimit_policy *p)
{
	return p ? &p->limits : &cfg->limits;
}

struct tcplimit_config *tcplimit_config_default(const struct net *net);
u32 tcplimit_default_table_size(const struct net *net, bool flows);
struct tcplimit_config *tcplimit_config_update(const struct tcplimit_config *old,
					       struct nlattr **tb, const struct net *net,
					       struct netlink_ext_ack *extack);
struct tcplimit_config *tcplimit_config_allow(const struct tcplimit_config *old,
					      const struct tcplimit_prefix *p, bool add,
					      struct netlink_ext_ack *extack);
struct tcplimit_config *tcplimit_config_policy(const struct tcplimit_config *old,
					       const struct nlattr *nest, bool add,
					       struct netlink_ext_ack *extack);
void tcplimit_config_free(struct tcplimit_config *cfg);
void tcplimit_config_free_rcu(struct tcplimit_config *cfg);
int tcplimit_config_put(struct sk_buff *msg, const struct tcplimit_config *cfg);
size_t tcplimit_config_size(void);

#endif /* _TCPLIMIT_CONFIG_H */
