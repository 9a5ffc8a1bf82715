/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: per-source caps on the TCP connections to local services.
 * Declarations shared by the module's files.
 */
#ifndef _TCPLIMIT_H
#define _TCPLIMIT_H

#include <linux/types.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/tcplimit.h>

/* Forget sources that held no connection for this long. */
#define TCPLIMIT_SOURCE_IDLE		(30 * HZ)
/* Verify flows against the socket table once they are this old: it covers
 * the kernel's SYN-ACK retries (63 s), so a handshake still in progress
 * without a request socket (SYN cookies, full backlog) is not forgotten.
 */
#define TCPLIMIT_FLOW_VERIFY_AGE	(75 * HZ)
#define TCPLIMIT_GC_INTERVAL		HZ
/* Each GC run visits 1/TCPLIMIT_GC_SLICES of each table. */
#define TCPLIMIT_GC_SLICES		16

#define TCPLIMIT_SOURCE_BUCKETS		1024
#define TCPLIMIT_SOURCE_LIMIT		65536
#define TCPLIMIT_FLOW_BUCKETS		4096
#define TCPLIMIT_FLOW_LIMIT		262144
#define TCPLIMIT_TABLE_LOCKS		64

/*
 * A hash table of RCU hlists with sharded locks.
 *
 * Locking: readers walk a bucket under rcu_read_lock(). Writers (insert,
 * unlink) hold locks[bucket % TCPLIMIT_TABLE_LOCKS] with BH disabled.
 * Entries are freed after a grace period. @count is the number of linked
 * entries, changed only under a lock; @limit caps it.
 */
struct tcplimit_table {
	struct hlist_head *buckets;
	unsigned int mask;
	unsigned int limit;
	atomic_t count;
	spinlock_t locks[TCPLIMIT_TABLE_LOCKS];	/* bucket b: locks[b % N] */
};

/* Hashed keys are fully initialised (padding zeroed) and compared whole. */
struct tcplimit_source_key {
	union nf_inet_addr addr;	/* masked to prefix_len */
	u8 family;
	u8 prefix_len;
	u8 pad[2];
} __aligned(SIPHASH_ALIGNMENT);

struct tcplimit_flow_key {
	union nf_inet_addr saddr;	/* the client (the source) */
	union nf_inet_addr daddr;	/* the local service */
	__be16 sport;
	__be16 dport;
	u8 family;
	u8 pad[3];
} __aligned(SIPHASH_ALIGNMENT);

/*
 * One source (a host or prefix) and the connections it holds.
 *
 * @conns is raised only under the source table's bucket lock (so the cap
 * check and the increment are one step, and GC, which frees a source only at
 * zero under the same lock, cannot race it) and lowered anywhere. Each
 * tracked flow holds one unit of @conns and its pointer to the source.
 */
struct tcplimit_source {
	struct hlist_node node;
	struct rcu_head rcu;
	struct tcplimit_source_key key;
	atomic_t conns;
	unsigned long last_active;	/* jiffies, READ_ONCE/WRITE_ONCE */
};

enum {
	TCPLIMIT_FLOW_FIN_CLIENT,	/* FIN seen from the client */
	TCPLIMIT_FLOW_FIN_SERVER,	/* FIN seen from the local side */
	TCPLIMIT_FLOW_DEAD,		/* unlinked; its count was given back */
};

/*
 * A connection counted against its source, from its first SYN to its close.
 * @flags (bit ops, above) are set locklessly; whoever sets
 * TCPLIMIT_FLOW_DEAD first unlinks the flow and puts the source.
 */
struct tcplimit_flow {
	struct hlist_node node;
	struct rcu_head rcu;
	struct tcplimit_flow_key key;
	struct tcplimit_source *source;
	unsigned long created;		/* jiffies */
	unsigned long flags;
};

enum tcplimit_stat {
	TCPLIMIT_STAT_ADMITTED,
	TCPLIMIT_STAT_LIMITED_CONN,
	TCPLIMIT_STAT_TABLE_FULL,
	TCPLIMIT_STAT_COUNT
};

/* Written only from the LOCAL_IN hook (softirq), read by summing all CPUs. */
struct tcplimit_pcpu_stats {
	u64_stats_t cnt[TCPLIMIT_STAT_COUNT];
	struct u64_stats_sync syncp;
};

/*
 * The limiter of one network namespace.
 *
 * Configuration fields are written under @config_lock and read locklessly
 * with READ_ONCE() by the hooks. @gc_cursor belongs to the GC work.
 */
struct tcplimit_net {
	struct net *net;
	struct mutex config_lock;	/* serialises configuration writers */
	u32 max_conn;
	siphash_key_t hash_key;
	struct tcplimit_table sources;
	struct tcplimit_table flows;
	atomic_t sources_gen;		/* bumped on source insert/unlink (dumps) */
	struct tcplimit_pcpu_stats __percpu *stats;
	struct delayed_work gc_work;
	unsigned int gc_cursor;
};

extern unsigned int tcplimit_net_id;

static inline struct tcplimit_net *tcplimit_pernet(const struct net *net)
{
	return net_generic(net, tcplimit_net_id);
}

/* table.c */
int tcplimit_table_init(struct tcplimit_table *t, unsigned int buckets, unsigned int limit,
			struct lock_class_key *lock_key);
void tcplimit_table_free(struct tcplimit_table *t);
spinlock_t *tcplimit_table_lock(struct tcplimit_table *t, unsigned int bucket);

/* source.c */
int tcplimit_source_cache_init(void);
void tcplimit_source_cache_exit(void);
void tcplimit_source_key(struct tcplimit_source_key *key, u8 family,
			 const union nf_inet_addr *addr);
struct tcplimit_source *tcplimit_source_get(struct tcplimit_net *tn,
					    const struct tcplimit_source_key *key,
					    enum tcplimit_stat *why);
void tcplimit_source_put(struct tcplimit_source *src);
void tcplimit_source_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n, bool all);

/* flow.c */
int tcplimit_flow_cache_init(void);
void tcplimit_flow_cache_exit(void);
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_flow_key *key);
void tcplimit_flow_end(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
		       bool rst, bool from_client);
void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n, bool all);

/* hooks.c */
int tcplimit_hooks_register(struct net *net);
void tcplimit_hooks_unregister(struct net *net);

/* pernet.c */
int tcplimit_pernet_init(void);
void tcplimit_pernet_exit(void);
void tcplimit_stat_inc(struct tcplimit_net *tn, enum tcplimit_stat which);
u64 tcplimit_stat_read(struct tcplimit_net *tn, enum tcplimit_stat which);
void tcplimit_gc_kick(struct tcplimit_net *tn);

/* netlink.c */
int tcplimit_genl_init(void);
void tcplimit_genl_exit(void);

/* proc.c */
int tcplimit_proc_init(struct net *net);
void tcplimit_proc_exit(struct net *net);

#endif /* _TCPLIMIT_H */
