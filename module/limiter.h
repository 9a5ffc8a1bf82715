/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the limiter of one network namespace, the state the hooks,
 * the GC, netlink and /proc share, and how to find it.
 */
#ifndef _TCPLIMIT_LIMITER_H
#define _TCPLIMIT_LIMITER_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "table.h"
#include "config.h"
#include "stats.h"
#include "ban.h"
#include "events.h"

#define TCPLIMIT_GC_INTERVAL		(HZ / 10)

/*
 * The limiter of one network namespace.
 *
 * @cfg is read under RCU by the hooks and replaced under @config_lock,
 * which also serialises hook (re)registration and @started: the first
 * configuration gave the tables their first buckets and registered the
 * hooks (READ_ONCE outside the lock). @memcg: the memory cgroup charged
 * for what the packet path allocates (NULL: none). @gc_cursor, @gc_runs
 * and @entry_cursor belong to the GC work, which alone resizes the
 * tables. @cookies_sent is the GC's last reading of the namespace's SYN
 * cookies sent, @cookies_at when it last saw it grow and @cookies_checked
 * when it last read it (jiffies, READ_ONCE: the hooks read them). @proof
 * is written by the GC alone (and the namespace's exit), @proof_wanted by
 * the hooks (READ_ONCE).
 */
struct tcplimit_net {
	struct net *net;
	struct mutex config_lock;	/* serialises writers of @cfg and the hooks */
	struct tcplimit_config __rcu *cfg;
	bool started;
	u8 hooks_mode;			/* registered hooks, under config_lock */
	struct mem_cgroup *memcg;
	siphash_key_t hash_key;
	struct tcplimit_table sources;
	struct tcplimit_table dsts;
	struct tcplimit_table flows;
	struct tcplimit_table bans;	/* struct tcplimit_ban, ban.c */
	struct tcplimit_ban_lens ban_lens;
	struct tcplimit_events events;
	atomic_t sources_gen;		/* bumped on source insert/unlink (dumps, flush) */
	int __percpu *halfopen;		/* half-open flows (a gauge) */
	atomic64_t expired;		/* flows forgotten by a timeout (GC) */
	atomic64_t unproven;		/* handshakes left unanswered (GC) */
	atomic64_t aborted;		/* unproven ones reset at completion (GC) */
	unsigned long cookies_sent;
	unsigned long cookies_at;
	unsigned long cookies_checked;
	unsigned long gp_asked;		/* jiffies: tcplimit_syn_gp() */
	unsigned long proof_wanted;	/* jiffies | 1 of a SYN that found no room */
	bool proof;			/* counting at the proof (proof.c) */
	struct tcplimit_pcpu_stats __percpu *stats;
	struct delayed_work gc_work;
	unsigned int gc_cursor;		/* the slice of flows and bans next */
	unsigned int gc_runs;
	unsigned int entry_cursor;	/* the slice of sources and destinations next */
};

extern unsigned int tcplimit_net_id;

static inline struct tcplimit_net *tcplimit_pernet(const struct net *net)
{
	return net_generic(net, tcplimit_net_id);
}

/* The configuration, under rcu_read_lock() (the hooks) or config_lock. */
static inline const struct tcplimit_config *tcplimit_cfg(struct tcplimit_net *tn)
{
	return rcu_dereference_check(tn->cfg, lockdep_is_held(&tn->config_lock));
}

/*
 * An object for the tables, from the packet path (softirq), charged to
 * @tn's memory cgroup. GFP_NOWAIT, not GFP_ATOMIC: a flood must not drain
 * the reserves of allocations that cannot fail, and the cgroup refuses a
 * charge past its limit (it forces a __GFP_HIGH one): then a table is full.
 */
static inline void *tcplimit_alloc(struct tcplimit_net *tn, struct kmem_cache *cache, gfp_t gfp)
{
	struct mem_cgroup *old = set_active_memcg(tn->memcg);
	void *obj = kmem_cache_alloc(cache, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN | gfp);

	set_active_memcg(old);
	return obj;
}

/* Make sure the GC runs: something was added to a table. */
static inline void tcplimit_gc_kick(struct tcplimit_net *tn)
{
	if (!delayed_work_pending(&tn->gc_work))
		queue_delayed_work(system_power_efficient_wq, &tn->gc_work,
				   TCPLIMIT_GC_INTERVAL);
}

#endif /* _TCPLIMIT_LIMITER_H */
