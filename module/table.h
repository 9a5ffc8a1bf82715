/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the hash table under the source, destination and flow tables.
 */
#ifndef _TCPLIMIT_TABLE_H
#define _TCPLIMIT_TABLE_H

#include <linux/types.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>

#define TCPLIMIT_TABLE_LOCKS		64

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

int tcplimit_table_init(struct tcplimit_table *t, unsigned int buckets, unsigned int limit,
			struct lock_class_key *lock_key);
void tcplimit_table_free(struct tcplimit_table *t);
spinlock_t *tcplimit_table_lock(struct tcplimit_table *t, unsigned int bucket);

#endif /* _TCPLIMIT_TABLE_H */
