// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: bans. Each namespace's ban table holds bans and the memory of
 * past ones, keyed by prefix; a SYN looks it up at the prefix lengths it
 * holds (one probe for the source's own prefix, typically). Bans are set
 * by hand (netlink) or by the ban-after trigger (flow.c), and aged by the
 * GC.
 */
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include "ban.h"
#include "entry.h"
#include "events.h"
#include "limiter.h"

static struct kmem_cache *tcplimit_ban_cache;

int tcplimit_ban_cache_init(void)
{
	tcplimit_ban_cache = KMEM_CACHE(tcplimit_ban, 0);
	return tcplimit_ban_cache ? 0 : -ENOMEM;
}

/* Called after rcu_barrier(): no free is pending. */
void tcplimit_ban_cache_exit(void)
{
	kmem_cache_destroy(tcplimit_ban_cache);
}

void tcplimit_ban_lens_init(struct tcplimit_ban_lens *lens)
{
	spin_lock_init(&lens->lock);
	memset(lens->count, 0, sizeof(lens->count));
	bitmap_zero(lens->present, TCPLIMIT_BAN_LENS);
}

static unsigned int tcplimit_ban_len_bit(u8 family, u8 len)
{
	return family == NFPROTO_IPV4 ? len : 33 + len;
}

/* One more (@delta 1) or one less (-1) ban of @p's length. */
static void tcplimit_ban_lens_add(struct tcplimit_ban_lens *lens, const struct tcplimit_prefix *p,
				  int delta)
{
	unsigned int bit = tcplimit_ban_len_bit(p->family, p->len);

	spin_lock_bh(&lens->lock);
	lens->count[bit] += delta;
	if (lens->count[bit])
		set_bit(bit, lens->present);
	else
		clear_bit(bit, lens->present);
	spin_unlock_bh(&lens->lock);
}

static u32 tcplimit_ban_hash(struct tcplimit_net *tn, const struct tcplimit_prefix *key)
{
	return siphash(key, sizeof(*key), &tn->hash_key);
}

u32 tcplimit_ban_node_hash(const struct hlist_node *node)
{
	return hlist_entry(node, struct tcplimit_ban, node)->hash;
}

bool tcplimit_ban_active(const struct tcplimit_ban *ban)
{
	return time_before(jiffies, READ_ONCE(ban->until));
}

/* The record of @key (of @hash), under rcu_read_lock(). */
static struct tcplimit_ban *tcplimit_ban_find(struct tcplimit_net *tn,
					      const struct tcplimit_prefix *key, u32 hash)
{
	struct tcplimit_ban *ban;
	unsigned int seq;

	do {
		seq = tcplimit_table_read_begin(&tn->bans, hash);
		hlist_for_each_entry_rcu(ban, tcplimit_table_head(&tn->bans, hash), node)
			if (!memcmp(&ban->key, key, sizeof(*key)))
				return ban;
	} while (tcplimit_table_read_retry(&tn->bans, hash, seq));
	return NULL;
}

/*
 * The ban in force on @addr, if any: a ban of any prefix holding it.
 * Under rcu_read_lock() (the hooks).
 */
struct tcplimit_ban *tcplimit_banned(struct tcplimit_net *tn, u8 family,
				     const union nf_inet_addr *addr)
{
	unsigned int first = tcplimit_ban_len_bit(family, 0);
	unsigned int end = family == NFPROTO_IPV4 ? 33 : TCPLIMIT_BAN_LENS, bit;
	struct tcplimit_prefix key;
	struct tcplimit_ban *ban;

	for (bit = find_next_bit(tn->ban_lens.present, end, first); bit < end;
	     bit = find_next_bit(tn->ban_lens.present, end, bit + 1)) {
		tcplimit_prefix_set(&key, family, addr, bit - first);
		ban = tcplimit_ban_find(tn, &key, tcplimit_ban_hash(tn, &key));
		if (ban && tcplimit_ban_active(ban))
			return ban;
	}
	return NULL;
}

static void tcplimit_ban_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_ban_cache, container_of(rcu, struct tcplimit_ban, rcu));
}

/* Under the ban's bucket lock. */
static void tcplimit_ban_unlink(struct tcplimit_net *tn, struct tcplimit_ban *ban)
{
	hlist_del_rcu(&ban->node);
	atomic_dec(&tn->bans.count);
	tcplimit_ban_lens_add(&tn->ban_lens, &ban->key, -1);
	call_rcu(&ban->rcu, tcplimit_ban_free_rcu);
}

/*
 * Ban @key for @ms from now, for @reason: by hand (TCPLIMIT_BAN_MANUAL),
 * replacing any ban of the same prefix; or by a trigger, unless a ban is in
 * force already, for @ms doubled by each offence remembered, up to
 * @max_ms. Returns 1 when a ban started (and announces it), 0 when one
 * was in force (a trigger), -ENOSPC when the table is full. From the hooks
 * (softirq), the GC or netlink, under rcu_read_lock().
 */
static int tcplimit_ban_add(struct tcplimit_net *tn, const struct tcplimit_prefix *key, u32 ms,
			    u32 max_ms, u8 reason)
{
	u32 hash = tcplimit_ban_hash(tn, key);
	spinlock_t *lock = tcplimit_table_lock(&tn->bans, hash);
	unsigned int limit = READ_ONCE(tn->bans.limit);
	struct tcplimit_event_info e = { .type = TCPLIMIT_EVENT_BAN, .reason = reason };
	struct tcplimit_ban *ban;
	int ret = 1;

	spin_lock_bh(lock);
	ban = tcplimit_ban_find(tn, key, hash);
	if (!ban) {
		if (limit && atomic_read(&tn->bans.count) >= limit) {
			ret = -ENOSPC;
			goto out;
		}
		ban = tcplimit_alloc(tn, tcplimit_ban_cache, __GFP_ZERO);
		if (!ban) {
			ret = -ENOSPC;
			goto out;
		}
		ban->key = *key;
		ban->hash = hash;
		ban->until = jiffies;
		hlist_add_head_rcu(&ban->node, tcplimit_table_head(&tn->bans, hash));
		atomic_inc(&tn->bans.count);
		tcplimit_ban_lens_add(&tn->ban_lens, key, 1);
	}
	if (reason != TCPLIMIT_BAN_MANUAL) {
		if (tcplimit_ban_active(ban)) {
			ret = 0;
			goto out;
		}
		/* 1, 2, 4... times the ban time for a repeat offender. */
		ms = min_t(u64, (u64)ms << min(ban->offences, 31U), max(ms, max_ms));
		WRITE_ONCE(ban->offences, ban->offences + 1);
	}
	ban->since = jiffies;
	atomic64_set(&ban->hits, 0);
	WRITE_ONCE(ban->reason, reason);
	WRITE_ONCE(ban->until, jiffies + max(msecs_to_jiffies(ms), 1UL));
	e.time_ms = ms;
out:
	spin_unlock_bh(lock);
	tcplimit_gc_kick(tn);
	if (ret > 0) {
		e.prefix = *key;
		tcplimit_event(tn, &e);
	}
	return ret;
}

/*
 * A trigger (@reason: ban-after, abnormal-max): ban the source of @addr
 * (its key as @cfg makes it). Returns whether a ban started. With BH
 * disabled (the hooks; the GC), under rcu_read_lock().
 */
bool tcplimit_ban_source(struct tcplimit_net *tn, const struct tcplimit_config *cfg, u8 family,
			 const union nf_inet_addr *addr, u8 reason)
{
	struct tcplimit_prefix key;
	int ret;

	tcplimit_prefix_set(&key, family, addr,
			    family == NFPROTO_IPV4 ? cfg->prefix4 : cfg->prefix6);
	ret = tcplimit_ban_add(tn, &key, cfg->ban_time_ms, cfg->ban_time_max_ms, reason);
	if (ret < 0)
		tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_BAN_FULL);
	return ret > 0;
}

/* A ban by hand of @p for @ms. From netlink. */
int tcplimit_ban_set(struct tcplimit_net *tn, const struct tcplimit_prefix *p, u32 ms,
		     struct netlink_ext_ack *extack)
{
	int ret;

	rcu_read_lock();
	ret = tcplimit_ban_add(tn, p, ms, ms, TCPLIMIT_BAN_MANUAL);
	rcu_read_unlock();
	if (ret < 0) {
		NL_SET_ERR_MSG(extack, "ban table full");
		return ret;
	}
	return 0;
}

/* Lift the ban of @p, and forget its offences. From netlink. */
int tcplimit_ban_lift(struct tcplimit_net *tn, const struct tcplimit_prefix *p,
		      struct netlink_ext_ack *extack)
{
	struct tcplimit_event_info e = { .type = TCPLIMIT_EVENT_UNBAN };
	u32 hash = tcplimit_ban_hash(tn, p);
	spinlock_t *lock = tcplimit_table_lock(&tn->bans, hash);
	struct tcplimit_ban *ban;
	int ret = 0;

	rcu_read_lock();
	spin_lock_bh(lock);
	ban = tcplimit_ban_find(tn, p, hash);
	if (ban && tcplimit_ban_active(ban))
		tcplimit_ban_unlink(tn, ban);
	else
		ret = -ENOENT;
	spin_unlock_bh(lock);
	rcu_read_unlock();
	if (ret) {
		NL_SET_ERR_MSG(extack, "prefix is not banned");
		return ret;
	}
	e.prefix = *p;
	tcplimit_event(tn, &e);
	return 0;
}

/*
 * Forget the records of buckets [@first, @first + @n) whose ban ended a
 * quiet TCPLIMIT_BAN_MEMORY ago (@all: every record, at namespace exit).
 * Returns how many bans in force it saw. Process context.
 */
unsigned int tcplimit_ban_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n,
			     bool all)
{
	unsigned int b, end = min(first + n, tcplimit_table_buckets(&tn->bans)), active = 0;
	struct tcplimit_ban *ban;
	struct hlist_node *tmp;
	spinlock_t *lock;	/* the bucket's */

	for (b = first; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(&tn->bans, &b, end))
			continue;
		lock = tcplimit_table_lock(&tn->bans, b);
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(ban, tmp, tcplimit_table_bucket(&tn->bans, b), node) {
			if (tcplimit_ban_active(ban) && !all)
				active++;
			else if (all || time_after(jiffies, ban->until + TCPLIMIT_BAN_MEMORY))
				tcplimit_ban_unlink(tn, ban);
		}
		spin_unlock_bh(lock);
	}
	return active;
}

/* The bans in force now (a walk of the table). Process context. */
unsigned int tcplimit_bans_in_force(struct tcplimit_net *tn)
{
	unsigned int b, end, n = 0;
	struct tcplimit_ban *ban;

	rcu_read_lock();
	end = tcplimit_table_buckets(&tn->bans);
	for (b = 0; b < end; b++)
		if (tcplimit_table_skip_empty(&tn->bans, &b, end))
			hlist_for_each_entry_rcu(ban, tcplimit_table_bucket(&tn->bans, b), node)
				n += tcplimit_ban_active(ban);
	rcu_read_unlock();
	return n;
}

/*
 * Copy up to @max bans in force into @snap (GET_BANS: one consistent
 * snapshot); returns how many.
 */
unsigned int tcplimit_bans_snapshot(struct tcplimit_net *tn, struct tcplimit_ban_snap *snap,
				    unsigned int max)
{
	unsigned int b, end, n = 0;
	struct tcplimit_ban *ban;
	unsigned long now = jiffies;

	rcu_read_lock();
	end = tcplimit_table_buckets(&tn->bans);
	for (b = 0; b < end && n < max; b++) {
		if (!tcplimit_table_skip_empty(&tn->bans, &b, end))
			continue;
		hlist_for_each_entry_rcu(ban, tcplimit_table_bucket(&tn->bans, b), node) {
			unsigned long until = READ_ONCE(ban->until);

			if (!time_before(now, until) || n == max)
				continue;
			snap[n].key = ban->key;
			snap[n].left_ms = jiffies_to_msecs(until - now);
			snap[n].reason = READ_ONCE(ban->reason);
			snap[n].hits = atomic64_read(&ban->hits);
			snap[n].offences = READ_ONCE(ban->offences);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}
