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
#include <linux/tcp.h>
#include <net/tcp.h>
#include <net/netlink.h>
#include <linux/tcplimit.h>

/* Forget entries that held no connection and no rate debt for this long. */
#define TCPLIMIT_ENTRY_IDLE		(30 * HZ)
/*
 * Host mode asks the socket table about a flow only this long after its
 * last SYN: TCP makes the request socket just after the hook, in the same
 * softirq (on PREEMPT_RT in a thread that may be preempted in between).
 * About 10 ms, at least two ticks: short enough that a connection closed
 * right after its handshake frees its slot for the client's next SYN.
 */
#define TCPLIMIT_FLOW_SETTLE		(HZ >= 200 ? HZ / 100 : 2)
/*
 * A SYN answered with a SYN cookie leaves no socket, yet its ACK may still
 * complete it while the cookie is valid: under MAX_SYNCOOKIE_AGE periods of
 * TCP_SYNCOOKIE_PERIOD (net/ipv4/syncookies.c), plus a margin.
 */
#define TCPLIMIT_COOKIE_LIFE		(TCP_SYNCOOKIE_VALID + HZ)
#define TCPLIMIT_GC_INTERVAL		(HZ / 10)
/* Each GC run visits 1/TCPLIMIT_GC_SLICES of each table... */
#define TCPLIMIT_GC_SLICES		16
/*
 * ...and, while there are at most this many flows, every half-open one:
 * a completed handshake stops showing as half-open within 0.2 s instead
 * of a whole pass.
 */
#define TCPLIMIT_GC_QUICK_FLOWS		4096
/*
 * A handshake whose SYN-ACK went unanswered this long (the server's first
 * retransmission, TCP_TIMEOUT_INIT) has not proven its source address: it
 * stops counting to the concurrent caps and the rates until it completes
 * (a blind spoofer cannot hold a victim's slots past it).
 */
#define TCPLIMIT_UNPROVEN_AFTER		TCP_TIMEOUT_INIT
/* Socket lookups a SYN about to be refused may spend on its source's flows. */
#define TCPLIMIT_RECHECK_BUDGET		64

#define TCPLIMIT_SOURCE_BUCKETS		4096
#define TCPLIMIT_DST_BUCKETS		4096
#define TCPLIMIT_FLOW_BUCKETS		16384
#define TCPLIMIT_TABLE_LOCKS		64

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

/*
 * A hash table of RCU hlists with sharded locks.
 *
 * Locking: readers walk a bucket under rcu_read_lock(). Writers (insert,
 * unlink) hold locks[bucket % TCPLIMIT_TABLE_LOCKS] with BH disabled.
 * Entries are freed after a grace period. @count is the number of linked
 * entries, changed only under a lock; @limit caps it (READ_ONCE: the
 * configuration changes it).
 */
struct tcplimit_table {
	struct hlist_head *buckets;
	unsigned int mask;
	unsigned int limit;
	atomic_t count;
	/*
	 * Source and destination tables: an insert found it full (set by
	 * inserts, taken by the GC: READ_ONCE and WRITE_ONCE). The GC then
	 * makes one TCPLIMIT_GC_EAGER pass; @eager_slices, the GC's own,
	 * counts the slices of it still to visit.
	 */
	bool pressure;
	u8 eager_slices;
	spinlock_t locks[TCPLIMIT_TABLE_LOCKS];	/* bucket b: locks[b % N] */
};

/* A rate limit as GCRA: one connection per @interval_ns, @tolerance_ns ahead. */
struct tcplimit_rate {
	u32 conns;		/* per period, 0 = no limit */
	u32 period_ms;
	u32 burst;		/* as configured, 0 = @conns */
	u64 interval_ns;	/* period / conns */
	u64 tolerance_ns;	/* (burst - 1) * interval */
};

/*
 * The configuration of one limiter. Immutable once published: writers copy
 * it under tcplimit_net.config_lock, change the copy and swap the RCU
 * pointer, so the hooks always see one whole configuration.
 */
struct tcplimit_config {
	struct rcu_head rcu;
	u32 max_conn;
	u32 halfopen_max;
	u32 dst_max;
	struct tcplimit_rate rate;
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
};

/* Hashed keys are fully initialised (padding zeroed) and compared whole. */
struct tcplimit_entry_key {
	union nf_inet_addr addr;	/* masked to prefix_len */
	__be16 port;			/* destinations only */
	u8 family;
	u8 prefix_len;
} __aligned(SIPHASH_ALIGNMENT);

struct tcplimit_flow_key {
	union nf_inet_addr saddr;	/* the client (the source) */
	union nf_inet_addr daddr;	/* the service (the destination) */
	__be16 sport;
	__be16 dport;
	u8 family;
	u8 pad[3];
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
 * under the same bucket lock (number @bucket): a SYN about to be refused
 * asks the socket table about some of them first (host mode), at most
 * once a jiffy (@rechecked, under the lock); those found alive go to the
 * tail, so the next recheck starts with the others.
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
	unsigned int bucket;
	unsigned long rechecked;	/* jiffies */
};

enum tcplimit_flow_state {
	TCPLIMIT_FLOW_HALFOPEN,		/* SYN seen, the handshake not complete */
	TCPLIMIT_FLOW_ESTABLISHED,
	/*
	 * Host mode: a half-open flow whose client left the SYN-ACK
	 * unanswered past TCPLIMIT_UNPROVEN_AFTER. It holds only its
	 * half-open units until a full socket proves its address; then it is
	 * charged as a new connection, or reset when that is over a limit.
	 */
	TCPLIMIT_FLOW_UNPROVEN,
	TCPLIMIT_FLOW_DEAD,		/* its counts were given back */
};

/* Bits of tcplimit_flow.fin, set at admission or (FIN_*) under RCU. */
enum {
	TCPLIMIT_FLOW_FIN_CLIENT,	/* FIN seen from the client */
	TCPLIMIT_FLOW_FIN_SERVER,	/* FIN seen from the service's side */
	TCPLIMIT_FLOW_CT,		/* conntrack tracks it: its state is the truth */
	TCPLIMIT_FLOW_GATEWAY,		/* admitted in gateway mode (else host mode) */
};

/* A SYN as the hook saw it. */
struct tcplimit_syn {
	const struct tcplimit_flow_key *key;
	int dif, sdif;			/* its devices, for socket lookups */
	bool conntracked;		/* conntrack attached an entry (gateway) */
	bool gateway;			/* seen on FORWARD */
};

/* Gateway mode: conntrack's verdict on a packet, when conntrack runs. */
enum tcplimit_ct {
	TCPLIMIT_CT_NONE,		/* no entry: not loaded, or the packet is invalid */
	TCPLIMIT_CT_HANDSHAKE,		/* SYN_SENT, SYN_RECV */
	TCPLIMIT_CT_OPEN,		/* ESTABLISHED to LAST_ACK */
	TCPLIMIT_CT_CLOSED,		/* TIME_WAIT, CLOSE */
};

/*
 * A connection counted against its source and destination, from its first
 * SYN until the socket table no longer holds it (host mode: a request
 * socket, a cookie that could still complete, or a full socket not in
 * TIME_WAIT), or its close or timeout (gateway mode).
 *
 * @state moves only by cmpxchg (HALFOPEN -> ESTABLISHED, HALFOPEN ->
 * UNPROVEN -> ESTABLISHED, any -> DEAD), so exactly one caller gives back
 * each unit. The one that makes it DEAD takes it off its source's @flows (under
 * that bucket lock) at once; off the flow table (@node, under the flow
 * bucket lock) it or the GC takes it, whoever finds it still hashed, and
 * frees it after a grace period. Every path that ends a flow runs under
 * rcu_read_lock(), so the memory outlives both unlinks. @fin bits and
 * @last_seen are written locklessly.
 */
struct tcplimit_flow {
	struct hlist_node node;
	struct tcplimit_flow_key key;
	atomic_t state;
	/* The packet path reads the above: the first 64 bytes. */
	struct list_head src_node;	/* in source->flows */
	struct tcplimit_entry *source;
	struct tcplimit_entry *dst;	/* NULL: no destination limit was set */
	int dif, sdif;			/* the SYN's devices, for socket lookups */
	unsigned long created;		/* jiffies */
	unsigned long last_seen;	/* jiffies: host: the last SYN; gateway: client packets */
	unsigned long fin;
	struct rcu_head rcu;
};

enum tcplimit_stat {
	TCPLIMIT_STAT_ADMITTED,
	TCPLIMIT_STAT_LIMITED_RATE,
	TCPLIMIT_STAT_LIMITED_CONN,
	TCPLIMIT_STAT_LIMITED_HALFOPEN,
	TCPLIMIT_STAT_LIMITED_DST,
	TCPLIMIT_STAT_TABLE_FULL,
	TCPLIMIT_STAT_REJECTED,
	TCPLIMIT_STAT_COUNT
};

/* Written only from the hooks (BH disabled), read by summing all CPUs. */
struct tcplimit_pcpu_stats {
	u64_stats_t cnt[TCPLIMIT_STAT_COUNT];
	struct u64_stats_sync syncp;
};

/*
 * The limiter of one network namespace.
 *
 * @cfg is read under RCU by the hooks and replaced under @config_lock,
 * which also serialises hook (re)registration. @gc_cursor belongs to the
 * GC work. @halfopen counts half-open flows. @cookies_sent is the GC's
 * last reading of the namespace's SYN cookies sent, @cookies_at when it
 * last saw it grow and @cookies_checked when it last read it (jiffies,
 * READ_ONCE: the hooks read them).
 */
struct tcplimit_net {
	struct net *net;
	struct mutex config_lock;	/* serialises writers of @cfg and the hooks */
	struct tcplimit_config __rcu *cfg;
	u8 hooks_mode;			/* registered hooks, under config_lock */
	siphash_key_t hash_key;
	struct tcplimit_table sources;
	struct tcplimit_table dsts;
	struct tcplimit_table flows;
	atomic_t sources_gen;		/* bumped on source insert/unlink (dumps, flush) */
	atomic_t halfopen;
	atomic64_t expired;		/* flows forgotten by a timeout (GC) */
	atomic64_t unproven;		/* handshakes left unanswered (GC) */
	atomic64_t aborted;		/* unproven ones reset at completion (GC) */
	unsigned long cookies_sent;
	unsigned long cookies_at;
	unsigned long cookies_checked;
	struct tcplimit_pcpu_stats __percpu *stats;
	struct delayed_work gc_work;
	unsigned int gc_cursor;
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

/* table.c */
int tcplimit_table_init(struct tcplimit_table *t, unsigned int buckets, unsigned int limit,
			struct lock_class_key *lock_key);
void tcplimit_table_free(struct tcplimit_table *t);
spinlock_t *tcplimit_table_lock(struct tcplimit_table *t, unsigned int bucket);

/* entry.c */
int tcplimit_entry_cache_init(void);
void tcplimit_entry_cache_exit(void);
void tcplimit_source_key(struct tcplimit_entry_key *key, const struct tcplimit_config *cfg,
			 u8 family, const union nf_inet_addr *addr);
void tcplimit_dst_key(struct tcplimit_entry_key *key, u8 family,
		      const union nf_inet_addr *addr, __be16 port);
unsigned int tcplimit_entry_bucket(struct tcplimit_net *tn, struct tcplimit_table *t,
				   const struct tcplimit_entry_key *key);
struct tcplimit_entry *tcplimit_entry_find_or_add(struct tcplimit_net *tn,
						  struct tcplimit_table *t, unsigned int bucket,
						  const struct tcplimit_entry_key *key);
u32 tcplimit_rate_check(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now);
void tcplimit_rate_take(struct tcplimit_entry *e, const struct tcplimit_rate *rate, u64 now);
u32 tcplimit_rate_avail(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now);
void tcplimit_rate_refund(struct tcplimit_entry *e, const struct tcplimit_rate *rate, u64 now);
void tcplimit_entry_put(struct tcplimit_entry *e, bool conn, bool halfopen);
void tcplimit_entry_established(struct tcplimit_entry *e);
void tcplimit_entry_unprove(struct tcplimit_table *t, struct tcplimit_entry *e,
			    const struct tcplimit_rate *rate);
/* What the GC forgets of a source or destination table. */
enum tcplimit_gc_mode {
	TCPLIMIT_GC_IDLE,	/* no connection, no rate debt, 30 s idle */
	TCPLIMIT_GC_EAGER,	/* the same at once: the table was found full */
	TCPLIMIT_GC_ALL,	/* everything: namespace exit, no flow is left */
};

void tcplimit_entry_gc(struct tcplimit_net *tn, struct tcplimit_table *t, unsigned int first,
		       unsigned int n, enum tcplimit_gc_mode mode);
unsigned int tcplimit_entry_flush(struct tcplimit_net *tn, struct tcplimit_table *t);

/* flow.c */
int tcplimit_flow_cache_init(void);
void tcplimit_flow_cache_exit(void);
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_syn *syn,
				u32 *refused);
bool tcplimit_flow_packet(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
			  const struct tcphdr *th, bool from_client, enum tcplimit_ct ct);
/* What a pass of the flow GC does with each flow it visits. */
enum tcplimit_flow_gc_mode {
	TCPLIMIT_FLOW_GC_CHECK,		/* compare with the socket table or the timeouts */
	TCPLIMIT_FLOW_GC_HALFOPEN,	/* the same, for half-open (and unproven) flows only */
	TCPLIMIT_FLOW_GC_END,		/* end every flow (namespace exit) */
	TCPLIMIT_FLOW_GC_END_HOST,	/* end host-mode flows (switch to gateway) */
	TCPLIMIT_FLOW_GC_END_GATEWAY,	/* end gateway-mode flows (switch to host) */
};

void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n,
		      enum tcplimit_flow_gc_mode mode);
void tcplimit_flow_cookies_read(struct tcplimit_net *tn);

/* hooks.c */
int tcplimit_hooks_register(struct net *net, u8 mode);
void tcplimit_hooks_unregister(struct net *net, u8 mode);

/* config.c */
struct tcplimit_config *tcplimit_config_default(const struct net *net);
u32 tcplimit_default_table_size(const struct net *net, bool flows);
int tcplimit_config_apply(struct tcplimit_net *tn, struct nlattr **tb,
			  struct netlink_ext_ack *extack);
int tcplimit_config_put(struct sk_buff *msg, const struct tcplimit_config *cfg);

/* pernet.c */
int tcplimit_pernet_init(void);
void tcplimit_pernet_exit(void);
void tcplimit_stat_inc(struct tcplimit_net *tn, enum tcplimit_stat which);
u64 tcplimit_stat_read(struct tcplimit_net *tn, enum tcplimit_stat which);
void tcplimit_gc_kick(struct tcplimit_net *tn);

/* netlink.c */
extern struct genl_family tcplimit_genl_family;
int tcplimit_genl_init(void);
void tcplimit_genl_exit(void);

/* netlink_sources.c: the GET_SOURCES dump */
extern const struct nla_policy tcplimit_sources_policy[TCPLIMIT_A_FILTER + 1];
int tcplimit_nl_sources_start(struct netlink_callback *cb);
int tcplimit_nl_sources_dump(struct sk_buff *skb, struct netlink_callback *cb);
int tcplimit_nl_sources_done(struct netlink_callback *cb);

/* proc.c */
int tcplimit_proc_init(struct net *net);
void tcplimit_proc_exit(struct net *net);

/*
 * selftest/: unit tests compiled in by TCPLIMIT_SELFTEST=1 (never in a
 * release build) and run at load; a failure fails the load. The first ten
 * failed checks of a unit are logged, then only its count.
 */
#ifdef TCPLIMIT_SELFTEST
struct tcplimit_selftest {
	const char *name;
	unsigned int checks;
	unsigned int failed;
};

#define TCPLIMIT_CHECK(t, cond, fmt, ...)					\
	do {									\
		struct tcplimit_selftest *__t = (t);				\
										\
		__t->checks++;							\
		if (!(cond) && __t->failed++ < 10)				\
			pr_err("tcplimit: selftest %s: FAIL: " fmt "\n",	\
			       __t->name, ##__VA_ARGS__);			\
	} while (0)

static inline bool tcplimit_selftest_done(const struct tcplimit_selftest *t)
{
	if (t->failed)
		pr_err("tcplimit: selftest %s: %u of %u checks failed\n", t->name, t->failed,
		       t->checks);
	else
		pr_info("tcplimit: selftest %s: %u checks passed\n", t->name, t->checks);
	return !t->failed;
}

bool tcplimit_selftest_rate(void);
bool tcplimit_selftest_prefix(void);
bool tcplimit_selftest_topk(void);
#endif

#endif /* _TCPLIMIT_H */
