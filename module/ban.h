/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: bans: sources (an address or a prefix) whose new connections
 * are all refused for a time, set by hand or by a trigger (a source
 * refused by its limits too often), longer for each repeated offence.
 */
#ifndef _TCPLIMIT_BAN_H
#define _TCPLIMIT_BAN_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/bitmap.h>
#include "prefix.h"

struct tcplimit_net;
struct tcplimit_config;

/* Ban lengths: an IPv4 length L at bit L, an IPv6 one at 33 + L. */
#define TCPLIMIT_BAN_LENS	(33 + 129)

/* A repeat offender's record is kept this long after its ban ended. */
#define TCPLIMIT_BAN_MEMORY	(24 * 3600 * HZ)

/*
 * A ban, or the memory of one (@until passed): its @offences double the
 * next one, until a quiet TCPLIMIT_BAN_MEMORY after @until forgets it.
 *
 * In the namespace's ban table (tcplimit_net.bans, hashed by @key), linked
 * and unlinked under its bucket lock, freed after a grace period; @until,
 * @offences and @reason are written under that lock and read under RCU
 * (READ_ONCE), @hits by the hooks (atomic).
 */
struct tcplimit_ban {
	struct hlist_node node;
	struct rcu_head rcu;
	struct tcplimit_prefix key;	/* memset, hashed whole */
	u32 hash;
	unsigned long since;		/* jiffies: the ban started */
	unsigned long until;		/* jiffies: refused before this */
	atomic64_t hits;		/* SYNs refused by it */
	u32 offences;			/* bans by a trigger while remembered */
	u8 reason;			/* enum tcplimit_ban_reason */
};

/*
 * Which prefix lengths the ban table holds (@count, under @lock; @present
 * read by the hooks without it): a SYN looks up only those.
 */
struct tcplimit_ban_lens {
	spinlock_t lock;		/* @count, and @present's writers */
	u32 count[TCPLIMIT_BAN_LENS];
	DECLARE_BITMAP(present, TCPLIMIT_BAN_LENS);
};

/* A ban in force as GET_BANS reports it. */
struct tcplimit_ban_snap {
	struct tcplimit_prefix key;
	u64 hits;
	u32 left_ms;
	u32 offences;
	u8 reason;
};

int tcplimit_ban_cache_init(void);
void tcplimit_ban_cache_exit(void);
void tcplimit_ban_lens_init(struct tcplimit_ban_lens *lens);
u32 tcplimit_ban_node_hash(const struct hlist_node *node);
bool tcplimit_ban_active(const struct tcplimit_ban *ban);
struct tcplimit_ban *tcplimit_banned(struct tcplimit_net *tn, u8 family,
				     const union nf_inet_addr *addr);
bool tcplimit_ban_source(struct tcplimit_net *tn, const struct tcplimit_config *cfg, u8 family,
			 const union nf_inet_addr *addr, u8 reason);
int tcplimit_ban_set(struct tcplimit_net *tn, const struct tcplimit_prefix *p, u32 ms,
		     struct netlink_ext_ack *extack);
int tcplimit_ban_lift(struct tcplimit_net *tn, const struct tcplimit_prefix *p,
		      struct netlink_ext_ack *extack);
unsigned int tcplimit_bans_in_force(struct tcplimit_net *tn);
unsigned int tcplimit_bans_snapshot(struct tcplimit_net *tn, struct tcplimit_ban_snap *snap,
				    unsigned int max);
unsigned int tcplimit_ban_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n,
			     bool all);

#endif /* _TCPLIMIT_BAN_H */
