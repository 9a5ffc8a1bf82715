// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: entries, what connections are counted against: sources (a
 * client address or prefix) and destinations (a service's address and
 * port). Each holds its concurrent and half-open counts and its rate state.
 *
 * The rate is GCRA (the virtual-scheduling form of a token bucket) in
 * nanoseconds: a connection conforms when the entry's theoretical arrival
 * time @tat is at most @tolerance_ns ahead of now; taking it moves @tat one
 * @interval_ns later. There is no window edge, so a period boundary never
 * allows a second burst (Documentation/tcplimit.rst has a worked example).
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include "entry.h"
#include "limiter.h"
#include "prefix.h"

/* Forget entries that held no connection and no rate debt for this long. */
#define TCPLIMIT_ENTRY_IDLE		(30 * HZ)

static struct kmem_cache *tcplimit_entry_cache;

int tcplimit_entry_cache_init(void)
{
	tcplimit_entry_cache = KMEM_CACHE(tcplimit_entry, 0);
	return tcplimit_entry_cache ? 0 : -ENOMEM;
}

/* Called after rcu_barrier(): no free is pending. */
void tcplimit_entry_cache_exit(void)
{
	kmem_cache_destroy(tcplimit_entry_cache);
}

/* The key of the source of @addr, counted under @policy (NULL: the default). */
void tcplimit_source_key(struct tcplimit_entry_key *key, const struct tcplimit_config *cfg,
			 u8 family, const union nf_inet_addr *addr,
			 const struct tcplimit_policy *policy)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	if (policy) {
		key->policy = 1;
		key->port = htons(policy->first);
	}
	key->prefix_len = family == NFPROTO_IPV4 ? cfg->prefix4 : cfg->prefix6;
	if (family == NFPROTO_IPV4)
		key->addr.ip = addr->ip;
	else
		key->addr.in6 = addr->in6;
	tcplimit_prefix_mask(&key->addr, family, key->prefix_len);
}

/*
 * The policy source @e is counted under, as configured now: NULL for the
 * default one, or one removed or replaced by a range of another first port
 * (new connections to those ports count in another entry).
 */
const struct tcplimit_policy *tcplimit_entry_policy(const struct tcplimit_config *cfg,
						    const struct tcplimit_entry *e)
{
	const struct tcplimit_policy *p;

	if (!e->key.policy)
		return NULL;
	p = tcplimit_cfg_policy(cfg, ntohs(e->key.port));
	return p && p->first == ntohs(e->key.port) ? p : NULL;
}

/*
 * The limits source @e's connections are held to: those of the policy of
 * its port now (a range widened around it keeps them under it), else the
 * default ones.
 */
const struct tcplimit_limits *tcplimit_entry_limits(const struct tcplimit_config *cfg,
						    const struct tcplimit_entry *e)
{
	if (!e->key.policy)
		return &cfg->limits;
	return tcplimit_cfg_limits(cfg, tcplimit_cfg_policy(cfg, ntohs(e->key.port)));
}

void tcplimit_dst_key(struct tcplimit_entry_key *key, u8 family,
		      const union nf_inet_addr *addr, __be16 port)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	key->port = port;
	if (family == NFPROTO_IPV4) {
		key->addr.ip = addr->ip;
		key->prefix_len = 32;
	} else {
		key->addr.in6 = addr->in6;
		key->prefix_len = 128;
	}
}

u32 tcplimit_entry_hash(struct tcplimit_net *tn, const struct tcplimit_entry_key *key)
{
	return siphash(key, sizeof(*key), &tn->hash_key);
}

u32 tcplimit_entry_node_hash(const struct hlist_node *node)
{
	return hlist_entry(node, struct tcplimit_entry, node)->hash;
}

/*
 * The source table is about to change: a dump that sees the change must see
 * the new generation when it next reads it (so the bump goes first), or it
 * could resume at a shifted cursor unflagged.
 */
static void tcplimit_entry_gen_bump(struct tcplimit_net *tn, struct tcplimit_table *t)
{
	if (t == &tn->sources) {
		atomic_inc(&tn->sources_gen);
		/* Orders the bump before the list change (see above). */
		smp_mb__after_atomic();
	}
}

/*
 * The entry for @key (of @hash) in @t, added if missing and the table has
 * room; NULL when it is full. @proven: the entry is for a source that
 * proved its address (proof.c), which may take a reserve of a quarter
 * more: unproven handshakes cannot fill it. The caller holds the hash's
 * lock.
 */
struct tcplimit_entry *tcplimit_entry_find_or_add(struct tcplimit_net *tn,
						  struct tcplimit_table *t, u32 hash,
						  const struct tcplimit_entry_key *key,
						  bool proven)
{
	struct hlist_head *head = tcplimit_table_head(t, hash);
	struct tcplimit_entry *e;
	unsigned int limit = READ_ONCE(t->limit);

	hlist_for_each_entry(e, head, node)
		if (!memcmp(&e->key, key, sizeof(*key)))
			return e;

	if (proven)
		limit += DIV_ROUND_UP(limit, 4);
	if (limit && atomic_read(&t->count) >= limit) {
		/* Tested first: a flood must not bounce the line with stores. */
		if (!READ_ONCE(t->pressure))
			WRITE_ONCE(t->pressure, true);
		return NULL;
	}
	e = tcplimit_alloc(tn, tcplimit_entry_cache, __GFP_ZERO);
	if (!e)
		return NULL;
	e->key = *key;
	e->hash = hash;
	INIT_LIST_HEAD(&e->flows);
	e->last_active = jiffies;
	e->rechecked = jiffies - 1;
	tcplimit_entry_gen_bump(tn, t);
	hlist_add_head_rcu(&e->node, head);
	atomic_inc(&t->count);
	return e;
}

/*
 * 0 when one more connection conforms to @rate at @now, else
 * TCPLIMIT_LIMIT_RATE. Under the entry's bucket lock.
 */
u32 tcplimit_rate_check(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now)
{
	if (!rate->conns || e->tat <= now)
		return 0;
	return e->tat - now > rate->tolerance_ns ? TCPLIMIT_LIMIT_RATE : 0;
}

/*
 * Account one connection to @rate; returns the entry's new @tat (0: no
 * rate), what the connection would give back (tcplimit_rate_refund()).
 * Under the entry's bucket lock.
 */
u64 tcplimit_rate_take(struct tcplimit_entry *e, const struct tcplimit_rate *rate, u64 now)
{
	if (!rate->conns)
		return 0;
	WRITE_ONCE(e->tat, max(e->tat, now) + rate->interval_ns);
	return e->tat;
}

/* How many connections conform right now (for display; lockless). */
u32 tcplimit_rate_avail(const struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			u64 now)
{
	u64 tat = READ_ONCE(e->tat), ahead;
	u32 burst;

	if (!rate->conns)
		return 0;
	burst = rate->burst ?: rate->conns;
	if (tat <= now)
		return burst;
	ahead = tat - now;
	if (ahead > rate->tolerance_ns)
		return 0;
	return min_t(u64, burst, div64_u64(rate->tolerance_ns - ahead, rate->interval_ns) + 1);
}

/*
 * Give back what is left at @now of the place in @rate a connection took
 * (@flow_tat: the entry's @tat right after it took it; 0: it took none):
 * at most one interval, nothing once that time has passed, so the others
 * keep theirs. Under the entry's bucket lock.
 */
void tcplimit_rate_refund(struct tcplimit_entry *e, const struct tcplimit_rate *rate,
			  u64 flow_tat, u64 now)
{
	u64 left;

	if (!rate->conns || flow_tat <= now || e->tat <= now)
		return;
	left = min(flow_tat - now, rate->interval_ns);
	/* Never below now: e->tat - left could even wrap early after boot. */
	WRITE_ONCE(e->tat, e->tat - now > left ? e->tat - left : now);
}

/*
 * Give back a flow's unit of @conns (@conn) and of @halfopen (@halfopen).
 * @e may be freed after.
 */
void tcplimit_entry_put(struct tcplimit_entry *e, bool conn, bool halfopen)
{
	WRITE_ONCE(e->last_active, jiffies);
	/* GC reading both counts 0 must also see this last_active. */
	smp_mb__before_atomic();
	if (halfopen)
		atomic_dec(&e->halfopen);
	if (conn)
		atomic_dec(&e->conns);
}

/* A flow of @e finished its handshake. */
void tcplimit_entry_established(struct tcplimit_entry *e)
{
	atomic_dec(&e->halfopen);
}

static void tcplimit_entry_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_entry_cache, container_of(rcu, struct tcplimit_entry, rcu));
}

/* Unlink @e from @t, free it after a grace period. Under its bucket lock. */
static void tcplimit_entry_unlink(struct tcplimit_net *tn, struct tcplimit_table *t,
				  struct tcplimit_entry *e)
{
	tcplimit_entry_gen_bump(tn, t);
	hlist_del_rcu(&e->node);
	atomic_dec(&t->count);
	call_rcu(&e->rcu, tcplimit_entry_free_rcu);
}

/* May the GC forget @e? (See enum tcplimit_gc_mode.) */
static bool tcplimit_entry_forgettable(struct tcplimit_entry *e, u64 now,
				       enum tcplimit_gc_mode mode)
{
	if (mode == TCPLIMIT_GC_ALL)
		return true;
	/*
	 * Half-open too: a handshake's unit is given back just after the
	 * flow's close may have taken conns to 0 (tcplimit_entry_established).
	 * Rate debt: forgetting it would hand the owner a fresh burst.
	 */
	if (atomic_read(&e->conns) || atomic_read(&e->halfopen) || e->tat > now)
		return false;
	return mode == TCPLIMIT_GC_EAGER ||
	       time_after_eq(jiffies, READ_ONCE(e->last_active) + TCPLIMIT_ENTRY_IDLE);
}

/* Forget what @mode allows of @t's buckets [@first, @first + @n). */
void tcplimit_entry_gc(struct tcplimit_net *tn, struct tcplimit_table *t, unsigned int first,
		       unsigned int n, enum tcplimit_gc_mode mode)
{
	unsigned int b, end = min(first + n, tcplimit_table_buckets(t));
	u64 now = ktime_get_ns();
	struct tcplimit_entry *e;
	struct hlist_node *tmp;
	struct hlist_head *head;
	spinlock_t *lock;	/* the bucket's */

	for (b = first; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		lock = tcplimit_table_lock(t, b);
		spin_lock_bh(lock);
		head = tcplimit_table_bucket(t, b);
		hlist_for_each_entry_safe(e, tmp, head, node) {
			if (!tcplimit_entry_forgettable(e, now, mode))
				continue;
			WARN_ON_ONCE(atomic_read(&e->conns) || atomic_read(&e->halfopen) ||
				     !list_empty(&e->flows));
			tcplimit_entry_unlink(tn, t, e);
		}
		spin_unlock_bh(lock);
	}
}

/*
 * Forget every entry of @t holding no connection and no handshake, however
 * recently active and whatever its rate state (TCPLIMIT_CMD_FLUSH: the
 * owner starts afresh). Counts are raised only under the bucket lock, so an
 * entry found idle under it stays idle until it is unlinked. Returns how
 * many were forgotten. Process context: it may sleep between buckets.
 */
unsigned int tcplimit_entry_flush(struct tcplimit_net *tn, struct tcplimit_table *t)
{
	struct tcplimit_entry *e;
	struct hlist_node *tmp;
	struct hlist_head *head;
	unsigned int b, end = tcplimit_table_buckets(t), n = 0;
	spinlock_t *lock;	/* the bucket's */

	for (b = 0; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		lock = tcplimit_table_lock(t, b);
		spin_lock_bh(lock);
		head = tcplimit_table_bucket(t, b);
		hlist_for_each_entry_safe(e, tmp, head, node) {
			if (atomic_read(&e->conns) || atomic_read(&e->halfopen))
				continue;
			tcplimit_entry_unlink(tn, t, e);
			n++;
		}
		spin_unlock_bh(lock);
	}
	return n;
}

#ifdef TCPLIMIT_SELFTEST
#include "selftest.h"
#include "selftest/prefix.c"
#endif
