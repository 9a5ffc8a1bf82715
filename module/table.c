// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the hash table shared by the source and flow tables: RCU hlist
 * buckets with a fixed array of sharded locks (see struct tcplimit_table).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include "table.h"

/*
 * @lock_key gives each table its own lockdep class: the SYN path nests a
 * source lock inside a flow lock.
 */
int tcplimit_table_init(struct tcplimit_table *t, unsigned int buckets, unsigned int limit,
			struct lock_class_key *lock_key)
{
	unsigned int i;

	if (WARN_ON(!is_power_of_2(buckets)))
		return -EINVAL;

	/* Charged to the memory cgroup of whoever makes the namespace. */
	t->buckets = kvcalloc(buckets, sizeof(*t->buckets), GFP_KERNEL_ACCOUNT);
	if (!t->buckets)
		return -ENOMEM;
	for (i = 0; i < buckets; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
	for (i = 0; i < TCPLIMIT_TABLE_LOCKS; i++) {
		spin_lock_init(&t->locks[i]);
		lockdep_set_class(&t->locks[i], lock_key);
	}
	t->mask = buckets - 1;
	t->limit = limit;
	atomic_set(&t->count, 0);
	return 0;
}

/* The caller has emptied the table and waited for readers. */
void tcplimit_table_free(struct tcplimit_table *t)
{
	WARN_ON(atomic_read(&t->count));
	kvfree(t->buckets);
	t->buckets = NULL;
}

spinlock_t *tcplimit_table_lock(struct tcplimit_table *t, unsigned int bucket)
{
	return &t->locks[bucket % TCPLIMIT_TABLE_LOCKS];
}
