// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the per-netns source table. A source is a client address (or
 * prefix); it holds the count of its connections that are open now.
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include "tcplimit.h"

static struct kmem_cache *tcplimit_source_cache;

int tcplimit_source_cache_init(void)
{
	tcplimit_source_cache = KMEM_CACHE(tcplimit_source, 0);
	return tcplimit_source_cache ? 0 : -ENOMEM;
}

/* Called after rcu_barrier(): no free is pending. */
void tcplimit_source_cache_exit(void)
{
	kmem_cache_destroy(tcplimit_source_cache);
}

void tcplimit_source_key(struct tcplimit_source_key *key, u8 family,
			 const union nf_inet_addr *addr)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	if (family == NFPROTO_IPV4) {
		key->addr.ip = addr->ip;
		key->prefix_len = 32;
	} else {
		key->addr.in6 = addr->in6;
		key->prefix_len = 128;
	}
}

static unsigned int tcplimit_source_bucket(struct tcplimit_net *tn,
					   const struct tcplimit_source_key *key)
{
	return siphash(key, sizeof(*key), &tn->hash_key) & tn->sources.mask;
}

static struct tcplimit_source *
tcplimit_source_new(struct tcplimit_net *tn, const struct tcplimit_source_key *key)
{
	struct tcplimit_source *src;

	if (atomic_read(&tn->sources.count) >= tn->sources.limit)
		return NULL;
	src = kmem_cache_zalloc(tcplimit_source_cache, GFP_ATOMIC);
	if (!src)
		return NULL;
	src->key = *key;
	atomic_set(&src->conns, 0);
	return src;
}

/*
 * Reserve one connection for the source @key, creating it if needed.
 * Returns the source, or NULL with *@why telling which limit refused.
 * Runs with BH disabled (from the LOCAL_IN hook, under a flow lock).
 */
struct tcplimit_source *tcplimit_source_get(struct tcplimit_net *tn,
					    const struct tcplimit_source_key *key,
					    enum tcplimit_stat *why)
{
	unsigned int bucket = tcplimit_source_bucket(tn, key);
	struct hlist_head *head = &tn->sources.buckets[bucket];
	spinlock_t *lock = tcplimit_table_lock(&tn->sources, bucket);
	u32 max = READ_ONCE(tn->max_conn);
	struct tcplimit_source *src;

	spin_lock(lock);
	hlist_for_each_entry(src, head, node)
		if (!memcmp(&src->key, key, sizeof(*key)))
			goto found;

	src = tcplimit_source_new(tn, key);
	if (!src) {
		*why = TCPLIMIT_STAT_TABLE_FULL;
		goto out;
	}
	hlist_add_head_rcu(&src->node, head);
	atomic_inc(&tn->sources.count);
	atomic_inc(&tn->sources_gen);
found:
	if (max && atomic_read(&src->conns) >= max) {
		*why = TCPLIMIT_STAT_LIMITED_CONN;
		src = NULL;
		goto out;
	}
	atomic_inc(&src->conns);
	WRITE_ONCE(src->last_active, jiffies);
out:
	spin_unlock(lock);
	return src;
}

/* Give back one connection. The source may be freed once this returns. */
void tcplimit_source_put(struct tcplimit_source *src)
{
	WRITE_ONCE(src->last_active, jiffies);
	/* GC reading conns == 0 must also see this last_active. */
	smp_mb__before_atomic();
	atomic_dec(&src->conns);
}

static void tcplimit_source_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_source_cache,
			container_of(rcu, struct tcplimit_source, rcu));
}

/*
 * Forget idle sources with no connection in buckets [@first, @first + @n).
 * With @all, forget every source (namespace exit: no flow is left).
 */
void tcplimit_source_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n, bool all)
{
	struct tcplimit_table *t = &tn->sources;
	unsigned int b, end = min(first + n, t->mask + 1);
	struct tcplimit_source *src;
	struct hlist_node *tmp;

	for (b = first; b < end; b++) {
		spinlock_t *lock = tcplimit_table_lock(t, b);

		spin_lock_bh(lock);
		hlist_for_each_entry_safe(src, tmp, &t->buckets[b], node) {
			if (!all && (atomic_read(&src->conns) ||
				     time_before(jiffies, READ_ONCE(src->last_active) +
						 TCPLIMIT_SOURCE_IDLE)))
				continue;
			WARN_ON_ONCE(atomic_read(&src->conns));
			hlist_del_rcu(&src->node);
			atomic_dec(&t->count);
			atomic_inc(&tn->sources_gen);
			call_rcu(&src->rcu, tcplimit_source_free_rcu);
		}
		spin_unlock_bh(lock);
	}
}
