/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the hash table under the source, destination and flow tables.
 */
#ifndef _TCPLIMIT_TABLE_H
#define _TCPLIMIT_TABLE_H

#include <linux/types.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/seqlock.h>
#include <linux/lockdep.h>

#define TCPLIMIT_TABLE_SHARDS		64

/* The buckets of one shard, replaced whole when the table is resized. */
struct tcplimit_buckets {
	unsigned int mask;
	struct hlist_head heads[];
};

/*
 * One shard of a table: the buckets of the hashes equal to its number
 * modulo TCPLIMIT_TABLE_SHARDS, and their lock. @next, the resizer's,
 * holds the buckets of a resize being prepared, then the ones it replaced
 * until no reader can see them.
 */
struct tcplimit_shard {
	spinlock_t lock;		/* inserts and unlinks in the shard */
	seqcount_spinlock_t resized;	/* written around a resize's moves */
	struct tcplimit_buckets __rcu *buckets;
	struct tcplimit_buckets *next;
};

/*
 * A hash table of RCU hlists in TCPLIMIT_TABLE_SHARDS shards. Hash h lives
 * in shard h % SHARDS, in its bucket (h / SHARDS) & mask. Every shard has
 * the same number of buckets (except during a resize), so the table's
 * bucket i (0 <= i < @nbuckets) is the one of the hashes equal to i modulo
 * @nbuckets, and its lock is shard i % SHARDS's whatever the size: a
 * resize never moves a hash to another lock. It has no buckets until its
 * owner starts; then its size follows its number of entries
 * (tcplimit_table_wanted()), as the owner's GC finds it.
 *
 * Locking: readers walk a bucket under rcu_read_lock(). Writers (insert,
 * unlink) hold the shard's lock with BH disabled; entries are freed after
 * a grace period. A resize (by one owner's task at a time) moves a
 * shard's entries to its new buckets under that lock, in a write section
 * of @resized: a lockless reader that must not miss an entry retries a
 * miss when the section moved (tcplimit_table_read_retry()). @count is the
 * number of linked entries, changed only under a lock; @limit caps it
 * (READ_ONCE: the configuration changes it) and @nbuckets counts the
 * buckets (READ_ONCE: resizes change it).
 */
struct tcplimit_table {
	unsigned int limit;
	unsigned int nbuckets;
	atomic_t count;
	/*
	 * Source and destination tables: an insert found it full (set by
	 * inserts, taken by the GC: READ_ONCE and WRITE_ONCE). The GC then
	 * makes one TCPLIMIT_GC_EAGER pass; @eager_slices, the GC's own,
	 * counts the slices of it still to visit.
	 */
	bool pressure;
	u8 eager_slices;
	struct tcplimit_shard shards[TCPLIMIT_TABLE_SHARDS];
};

/* How a table finds the hash of one of its entries (to resize). */
typedef u32 (*tcplimit_node_hash_t)(const struct hlist_node *node);

void tcplimit_table_init(struct tcplimit_table *t, unsigned int limit,
			 struct lock_class_key *lock_key);
unsigned int tcplimit_table_wanted(const struct tcplimit_table *t);
int tcplimit_table_prepare(struct tcplimit_table *t, unsigned int n);
void tcplimit_table_commit(struct tcplimit_table *t, tcplimit_node_hash_t node_hash);
void tcplimit_table_abort(struct tcplimit_table *t);
void tcplimit_table_free(struct tcplimit_table *t);
struct hlist_head *tcplimit_table_head(struct tcplimit_table *t, u32 hash);
struct hlist_head *tcplimit_table_bucket(struct tcplimit_table *t, unsigned int i);
bool tcplimit_table_skip_empty(struct tcplimit_table *t, unsigned int *i, unsigned int end);

static inline struct tcplimit_shard *tcplimit_table_shard(struct tcplimit_table *t, u32 hash)
{
	return &t->shards[hash % TCPLIMIT_TABLE_SHARDS];
}

/* The lock of @hash, or of bucket number @hash. */
static inline spinlock_t *tcplimit_table_lock(struct tcplimit_table *t, u32 hash)
{
	return &tcplimit_table_shard(t, hash)->lock;
}

static inline unsigned int tcplimit_table_buckets(const struct tcplimit_table *t)
{
	return READ_ONCE(t->nbuckets);
}

/* A lockless lookup of @hash that must not miss: begin, then retry a miss. */
static inline unsigned int tcplimit_table_read_begin(struct tcplimit_table *t, u32 hash)
{
	return read_seqcount_begin(&tcplimit_table_shard(t, hash)->resized);
}

static inline bool tcplimit_table_read_retry(struct tcplimit_table *t, u32 hash,
					     unsigned int seq)
{
	return read_seqcount_retry(&tcplimit_table_shard(t, hash)->resized, seq);
}

#endif /* _TCPLIMIT_TABLE_H */
