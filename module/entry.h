/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: entries, what connections are counted against (sources and
 * destinations): their keys, counts and rate state.
 */
#ifndef _TCPLIMIT_ENTRY_H
#define _TCPLIMIT_ENTRY_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/siphash.h>
#include <linux/netfilter.h>
#include "table.h"
#include "config.h"

struct tcplimit_net;

/* Hashed keys are fully initialised (padding zeroed) and compared whole. */
struct tcplimit_entry_key {
	union nf_inet_addr addr;	/* masked to prefix_len */
	__be16 port;			/* destinations; sources: @policy's first port */
	u8 family;
	u8 prefix_len;
	u8 policy;			/* sources: counted under a port-range policy */
} __aligned(SIPHASH_ALIGNMENT);

/*
 * What connections are counted against: a source (a client address or
 * prefix) or a destination (a service's address and port).
 *
 * @conns, @halfopen and @tat are raised only under the entry's table bucket
 * lock, where the limits are checked (so check and reservation are one
 * step, and GC, which frees an entry only when both counts are zero under
 * the same lock, cannot race them); @tat is lowered (a refund) only there
 * too, @conns and @halfopen anywhere. Each tracked flow holds one unit of
 * @halfopen of its source and of its destination until its handshake
 * completes, and one unit of @conns (and its place in the rates) except
 * while it is unproven (TCPLIMIT_FLOW_UNPROVEN).
 *
 * @flows (sources only) lists the source's live flows, linked and unlinked
 * under the same bucket lock (of @hash): a SYN about to be refused
 * asks the socket table about some of them first (host mode), at most
 * once a jiffy (@rechecked, under the lock); those found alive go to the
 * tail, so the next recheck starts with the others. @proven (sources,
 * READ_ONCE/WRITE_ONCE): one of its handshakes completed, so it may take
 * the flow table's reserve (tcplimit_flow_room()). @strikes (sources, under
 * the lock): its refusals since @strikes_since, for the ban-after trigger.
 * @unanswered (sources, jiffies | 1, READ_ONCE/WRITE_ONCE): when one of
 * its handshakes last went unanswered or was reset by its client, a sign
 * that its address is forged (tcplimit_strike_owned()). @slow (sources,
 * under the lock): its connections found slow now; @slow_reset: those
 * reset since @slow_reset_since (slow.c). @announced (sources, jiffies | 1,
 * under the lock): its last refusal announced to the events group.
 */
struct tcplimit_entry {
	struct hlist_node node;
	struct rcu_head rcu;
	struct tcplimit_entry_key key;
	atomic_t conns;
	atomic_t halfopen;
	u64 tat;			/* GCRA theoretical arrival time, ns */
	u64 limited;			/* SYNs refused (or would be), under the lock */
	unsigned long last_active;	/* jiffies, READ_ONCE/WRITE_ONCE */
	struct list_head flows;
	u32 hash;
	unsigned long rechecked;	/* jiffies */
	unsigned long strikes_since;	/* jiffies, under the lock */
	unsigned long unanswered;	/* jiffies | 1, 0: never */
	u32 strikes;			/* refusals since then (ban-after) */
	u32 slow;			/* slow connections held */
	u32 slow_reset;			/* slow ones reset since then */
	unsigned long slow_reset_since;	/* jiffies */
	unsigned long announced;	/* jiffies | 1, 0: never */
	bool proven;
};

int tcplimit_entry_cache_init(void);
void tcplimit_entry_cache_exit(void);
void tcplimit_source_key(struct tcplimit_entry_key *key, const struct tcplimit_config *cfg,
			 u8 family, const union nf_inet_addr *addr,
			 const struct tcplimit_policy *policy);
void tcplimit_dst_key(struct tcplimit_entry_key *key, u8 family,
		      const union nf_inet_addr *addr, __be16 port);
const struct tcplimit_policy *tcplimit_entry_policy(const struct tcplimit_config *cfg,
						    const struct tcplimit_entry *e);
const struct tcplimit_limits *tcplimit_entry_limits(const struct tcplimit_config *cfg,
						    const struct tcplimit_entry *e);
u32 tcplimit_entry_hash(struct tcplimit_net *tn, const struct tcplimit_entry_key *key);
u32 tcplimit_entry_node_hash(const struct hlist_node *node);
struct tcplimit_entry *tcplimit_entry_find_or_add(struct tcplimit_net *tn,
						  struct tcplimit_table *t, u32 hash,
						  const struct tcplimit_entry_key *key,
						  bool proven);
u32 tcplimit_rate_check(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now);
u64 tcplimit_rate_take(struct tcplimit_entry *e, const struct tcplimit_rate *rate, u64 now);
u32 tcplimit_rate_avail(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now);
void tcplimit_rate_refund(struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			  u64 flow_tat, u64 now);
void tcplimit_entry_put(struct tcplimit_entry *e, bool conn, bool halfopen);
void tcplimit_entry_established(struct tcplimit_entry *e);
/* What the GC forgets of a source or destination table. */
enum tcplimit_gc_mode {
	TCPLIMIT_GC_IDLE,	/* no connection, no rate debt, 30 s idle */
	TCPLIMIT_GC_EAGER,	/* the same at once: the table was found full */
	TCPLIMIT_GC_ALL,	/* everything: namespace exit, no flow is left */
};

void tcplimit_entry_gc(struct tcplimit_net *tn, struct tcplimit_table *t, unsigned int first,
		       unsigned int n, enum tcplimit_gc_mode mode);
unsigned int tcplimit_entry_flush(struct tcplimit_net *tn, struct tcplimit_table *t);

#endif /* _TCPLIMIT_ENTRY_H */
