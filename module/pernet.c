// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: one limiter per network namespace: its tables, counters,
 * hooks, /proc file and garbage-collection work.
 */
#include <linux/random.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include "tcplimit.h"

unsigned int tcplimit_net_id __read_mostly;
static struct lock_class_key tcplimit_source_lock_key;
static struct lock_class_key tcplimit_dst_lock_key;
static struct lock_class_key tcplimit_flow_lock_key;

/* From the hooks only (BH disabled), so writers never nest on a CPU. */
void tcplimit_stat_inc(struct tcplimit_net *tn, enum tcplimit_stat which)
{
	struct tcplimit_pcpu_stats *s = get_cpu_ptr(tn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[which]);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(tn->stats);
}

u64 tcplimit_stat_read(struct tcplimit_net *tn, enum tcplimit_stat which)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct tcplimit_pcpu_stats *s = per_cpu_ptr(tn->stats, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->cnt[which]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

void tcplimit_gc_kick(struct tcplimit_net *tn)
{
	if (!delayed_work_pending(&tn->gc_work))
		queue_delayed_work(system_power_efficient_wq, &tn->gc_work,
				   TCPLIMIT_GC_INTERVAL);
}

/* This run's mode for @t: eager for one full pass after it was found full. */
static enum tcplimit_gc_mode tcplimit_gc_mode(struct tcplimit_table *t)
{
	if (READ_ONCE(t->pressure)) {
		WRITE_ONCE(t->pressure, false);
		t->eager_slices = TCPLIMIT_GC_SLICES;
	}
	if (!t->eager_slices)
		return TCPLIMIT_GC_IDLE;
	t->eager_slices--;
	return TCPLIMIT_GC_EAGER;
}

/* Each run visits one slice of each table; it stops when both are empty. */
static void tcplimit_gc_work(struct work_struct *work)
{
	struct tcplimit_net *tn = container_of(to_delayed_work(work), struct tcplimit_net,
					       gc_work);
	unsigned int fslice = (tn->flows.mask + 1) / TCPLIMIT_GC_SLICES;
	unsigned int sslice = (tn->sources.mask + 1) / TCPLIMIT_GC_SLICES;
	unsigned int dslice = (tn->dsts.mask + 1) / TCPLIMIT_GC_SLICES;
	enum tcplimit_gc_mode smode = tcplimit_gc_mode(&tn->sources);
	enum tcplimit_gc_mode dmode = tcplimit_gc_mode(&tn->dsts);
	unsigned int c = tn->gc_cursor;

	tcplimit_flow_cookies_read(tn);
	tcplimit_flow_gc(tn, c * fslice, fslice, TCPLIMIT_FLOW_GC_CHECK);
	if (atomic_read(&tn->halfopen) &&
	    atomic_read(&tn->flows.count) <= TCPLIMIT_GC_QUICK_FLOWS)
		tcplimit_flow_gc(tn, 0, tn->flows.mask + 1, TCPLIMIT_FLOW_GC_HALFOPEN);
	tcplimit_entry_gc(tn, &tn->sources, c * sslice, sslice, smode);
	tcplimit_entry_gc(tn, &tn->dsts, c * dslice, dslice, dmode);
	tn->gc_cursor = (c + 1) % TCPLIMIT_GC_SLICES;

	if (atomic_read(&tn->flows.count) || atomic_read(&tn->sources.count) ||
	    atomic_read(&tn->dsts.count))
		queue_delayed_work(system_power_efficient_wq, &tn->gc_work,
				   TCPLIMIT_GC_INTERVAL);
}

static int __net_init tcplimit_net_init(struct net *net)
{
	struct tcplimit_net *tn = tcplimit_pernet(net);
	struct tcplimit_config *cfg;
	int cpu, err;

	tn->net = net;
	mutex_init(&tn->config_lock);
	cfg = tcplimit_config_default(net);
	if (!cfg)
		return -ENOMEM;
	RCU_INIT_POINTER(tn->cfg, cfg);
	tn->hooks_mode = cfg->mode;
	atomic_set(&tn->halfopen, 0);
	atomic64_set(&tn->expired, 0);
	atomic64_set(&tn->unproven, 0);
	atomic64_set(&tn->aborted, 0);
	tn->cookies_sent = 0;
	tn->cookies_at = jiffies;
	tn->cookies_checked = jiffies;
	get_random_bytes(&tn->hash_key, sizeof(tn->hash_key));
	atomic_set(&tn->sources_gen, 1);
	INIT_DEFERRABLE_WORK(&tn->gc_work, tcplimit_gc_work);

	err = -ENOMEM;
	tn->stats = alloc_percpu(struct tcplimit_pcpu_stats);
	if (!tn->stats)
		goto err_cfg;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(tn->stats, cpu)->syncp);

	err = tcplimit_table_init(&tn->sources, TCPLIMIT_SOURCE_BUCKETS, cfg->table_size,
				  &tcplimit_source_lock_key);
	if (err)
		goto err_stats;
	err = tcplimit_table_init(&tn->dsts, TCPLIMIT_DST_BUCKETS, cfg->table_size,
				  &tcplimit_dst_lock_key);
	if (err)
		goto err_sources;
	err = tcplimit_table_init(&tn->flows, TCPLIMIT_FLOW_BUCKETS, cfg->flow_table_size,
				  &tcplimit_flow_lock_key);
	if (err)
		goto err_dsts;
	err = tcplimit_proc_init(net);
	if (err)
		goto err_flows;
	err = tcplimit_hooks_register(net, tn->hooks_mode);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	tcplimit_proc_exit(net);
err_flows:
	tcplimit_table_free(&tn->flows);
err_dsts:
	tcplimit_table_free(&tn->dsts);
err_sources:
	tcplimit_table_free(&tn->sources);
err_stats:
	free_percpu(tn->stats);
err_cfg:
	kfree(cfg);
	return err;
}

/*
 * Unregistering does not wait for the hooks in flight; the namespace core
 * waits for a grace period between .pre_exit and .exit, so none of them is
 * left by then (nor can one queue the GC again once it is cancelled).
 */
static void __net_exit tcplimit_net_pre_exit(struct net *net)
{
	tcplimit_hooks_unregister(net, tcplimit_pernet(net)->hooks_mode);
}

static void __net_exit tcplimit_net_exit(struct net *net)
{
	struct tcplimit_net *tn = tcplimit_pernet(net);

	tcplimit_proc_exit(net);
	cancel_delayed_work_sync(&tn->gc_work);

	tcplimit_flow_gc(tn, 0, tn->flows.mask + 1, TCPLIMIT_FLOW_GC_END);
	tcplimit_entry_gc(tn, &tn->sources, 0, tn->sources.mask + 1, TCPLIMIT_GC_ALL);
	tcplimit_entry_gc(tn, &tn->dsts, 0, tn->dsts.mask + 1, TCPLIMIT_GC_ALL);
	tcplimit_table_free(&tn->flows);
	tcplimit_table_free(&tn->dsts);
	tcplimit_table_free(&tn->sources);
	free_percpu(tn->stats);
	/* No reader is left: hooks, /proc and netlink are gone. */
	kfree(rcu_dereference_protected(tn->cfg, true));
}

static struct pernet_operations tcplimit_net_ops = {
	.init = tcplimit_net_init,
	.pre_exit = tcplimit_net_pre_exit,
	.exit = tcplimit_net_exit,
	.id = &tcplimit_net_id,
	.size = sizeof(struct tcplimit_net),
};

int tcplimit_pernet_init(void)
{
	return register_pernet_subsys(&tcplimit_net_ops);
}

void tcplimit_pernet_exit(void)
{
	unregister_pernet_subsys(&tcplimit_net_ops);
}
