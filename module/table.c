// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the hash table shared by the source, destination and flow
 * tables: RCU hlist buckets in locked shards, sized from the entries and
 * resized in place (see struct tcplimit_table).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include "table.h"

static struct tcplimit_buckets *tcplimit_shard_buckets(struct tcplimit_shard *s)
{
	return rcu_dereference_check(s->buckets, lockdep_is_held(&s->lock));
}

/*
 * @lock_key gives each table its own lockdep class: the SYN path nests a
 * source lock inside a flow lock. The table has no buckets yet.
 */
void tcplimit_table_init(struct tcplimit_table *t, unsigned int limit,
			 struct lock_class_key *lock_key)
{
	unsigned int i;

	for (i = 0; i < TCPLIMIT_TABLE_SHARDS; i++) {
		struct tcplimit_shard *s = &t->shards[i];

		spin_lock_init(&s->lock);
		lockdep_set_class(&s->lock, lock_key);
		seqcount_spinlock_init(&s->resized, &s->lock);
		RCU_INIT_POINTER(s->buckets, NULL);
		s->next = NULL;
	}
	t->limit = limit;
	t->nbuckets = 0;
	atomic_set(&t->count, 0);
}

/* A bucket for each entry of @entries, rounded up to a power of two. */
static unsigned int tcplimit_table_buckets_for(unsigned int entries)
{
	return max_t(unsigned int, TCPLIMIT_TABLE_SHARDS, roundup_pow_of_two(max(entries, 1U)));
}

/*
 * The bucket count @t should have now, or 0 to keep its own: it grows
 * once it holds more entries than buckets, shrinks once eight times too
 * big, to one bucket an entry, and never beyond one for each entry of its
 * limit (so memory follows use, not the configured size).
 */
unsigned int tcplimit_table_wanted(const struct tcplimit_table *t)
{
	unsigned int count = atomic_read(&t->count), n = t->nbuckets;
	unsigned int want = min(tcplimit_table_buckets_for(count),
				tcplimit_table_buckets_for(READ_ONCE(t->limit)));

	if (want == n)
		return 0;
	return count > n || count < n / 8 ? want : 0;
}

/*
 * Allocate @n buckets for @t (a power of two, at least one a shard),
 * charged to the caller's memory cgroup. Nothing changes until
 * tcplimit_table_commit(); tcplimit_table_abort() drops them.
 */
int tcplimit_table_prepare(struct tcplimit_table *t, unsigned int n)
{
	unsigned int i;

	n /= TCPLIMIT_TABLE_SHARDS;
	for (i = 0; i < TCPLIMIT_TABLE_SHARDS; i++) {
		struct tcplimit_buckets *b;

		/* Zeroed: empty hlist heads. */
		b = kvzalloc(struct_size(b, heads, n), GFP_KERNEL_ACCOUNT);
		if (!b) {
			tcplimit_table_abort(t);
			return -ENOMEM;
		}
		b->mask = n - 1;
		t->shards[i].next = b;
		cond_resched();
	}
	return 0;
}

/* Free the arrays in the shards' @next: prepared, or replaced and unseen. */
void tcplimit_table_abort(struct tcplimit_table *t)
{
	unsigned int i;

	for (i = 0; i < TCPLIMIT_TABLE_SHARDS; i++) {
		kvfree(t->shards[i].next);
		t->shards[i].next = NULL;
	}
}

/* Move a shard's entries to its prepared buckets. Under the shard's lock. */
static void tcplimit_shard_move(struct tcplimit_shard *s, tcplimit_node_hash_t node_hash)
{
	struct tcplimit_buckets *old = tcplimit_shard_buckets(s), *new = s->next;
	struct hlist_node *node, *tmp;
	unsigned int j;

	for (j = 0; old && j <= old->mask; j++) {
		hlist_for_each_safe(node, tmp, &old->heads[j]) {
			u32 h = node_hash(node) / TCPLIMIT_TABLE_SHARDS;

			/* A reader on @node may follow it to its new chain: it retries. */
			hlist_del_rcu(node);
			hlist_add_head_rcu(node, &new->heads[h & new->mask]);
		}
	}
	rcu_assign_pointer(s->buckets, new);
	s->next = old;		/* freed once no reader can see it */
}

/*
 * Switch @t to the buckets tcplimit_table_prepare() made, one shard at a
 * time: inserts and lookups of the other shards go on meanwhile. The old
 * arrays are freed before it returns (one grace period), so resizes in a
 * row do not pile them up. Process context, one resizer at a time.
 */
void tcplimit_table_commit(struct tcplimit_table *t, tcplimit_node_hash_t node_hash)
{
	unsigned int i, n;

	if (!t->shards[0].next)
		return;
	n = (t->shards[0].next->mask + 1) * TCPLIMIT_TABLE_SHARDS;
	/* Walks by bucket number cover both sizes while shards differ. */
	if (n > t->nbuckets)
		WRITE_ONCE(t->nbuckets, n);
	for (i = 0; i < TCPLIMIT_TABLE_SHARDS; i++) {
		struct tcplimit_shard *s = &t->shards[i];

		spin_lock_bh(&s->lock);
		write_seqcount_begin(&s->resized);
		tcplimit_shard_move(s, node_hash);
		write_seqcount_end(&s->resized);
		spin_unlock_bh(&s->lock);
		cond_resched();
	}
	WRITE_ONCE(t->nbuckets, n);
	if (t->shards[0].next) {
		synchronize_rcu();
		tcplimit_table_abort(t);
	}
}

/* The caller has emptied the table and waited for readers. */
void tcplimit_table_free(struct tcplimit_table *t)
{
	unsigned int i;

	WARN_ON(atomic_read(&t->count));
	tcplimit_table_abort(t);
	for (i = 0; i < TCPLIMIT_TABLE_SHARDS; i++) {
		kvfree(rcu_dereference_protected(t->shards[i].buckets, true));
		RCU_INIT_POINTER(t->shards[i].buckets, NULL);
	}
	t->nbuckets = 0;
}

/* The bucket of @hash; under rcu_read_lock() or its lock, of a sized table. */
struct hlist_head *tcplimit_table_head(struct tcplimit_table *t, u32 hash)
{
	struct tcplimit_buckets *b = tcplimit_shard_buckets(tcplimit_table_shard(t, hash));

	return &b->heads[(hash / TCPLIMIT_TABLE_SHARDS) & b->mask];
}

/* What a walk finds where a shard has no such bucket: never written. */
static struct hlist_head tcplimit_table_none = HLIST_HEAD_INIT;

/*
 * Bucket number @i (below tcplimit_table_buckets()), under rcu_read_lock()
 * or its lock; an empty one where its shard has fewer (during a resize).
 */
struct hlist_head *tcplimit_table_bucket(struct tcplimit_table *t, unsigned int i)
{
	struct tcplimit_buckets *b = tcplimit_shard_buckets(tcplimit_table_shard(t, i));
	unsigned int j = i / TCPLIMIT_TABLE_SHARDS;

	return b && j <= b->mask ? &b->heads[j] : &tcplimit_table_none;
}

/* Empty buckets a walk passes in one look (one RCU read-side section). */
#define TCPLIMIT_TABLE_SCAN	1024

/*
 * Walks: move *@i to the first bucket in use from *@i on, looking at most
 * TCPLIMIT_TABLE_SCAN buckets and never at @end; false if none was, *@i
 * then the last one looked at. A hint, from any context: the walk takes
 * the bucket under RCU or its lock. Walks reschedule between calls; a
 * table may have 2^23 buckets.
 */
bool tcplimit_table_skip_empty(struct tcplimit_table *t, unsigned int *i, unsigned int end)
{
	unsigned int last = min(end, *i + TCPLIMIT_TABLE_SCAN) - 1;
	bool used;

	rcu_read_lock();
	for (;; ++*i) {
		used = !hlist_empty(tcplimit_table_bucket(t, *i));
		if (used || *i >= last)
			break;
	}
	rcu_read_unlock();
	return used;
}
