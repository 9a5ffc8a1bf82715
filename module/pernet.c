// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: one limiter per network namespace: its tables, counters,
 * hooks, /proc file and garbage-collection work, and publishing a new
 * configuration.
 */
#include <linux/random.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include "pernet.h"
#include "limiter.h"
#include "entry.h"
#include "flow.h"
#include "hooks.h"
#include "proc.h"

#define TCPLIMIT_SOURCE_BUCKETS		4096
#define TCPLIMIT_DST_BUCKETS		4096
#define TCPLIMIT_FLOW_BUCKETS		16384

/* Each GC run visits 1/TCPLIMIT_GC_SLICES of each table... */
#define TCPLIMIT_GC_SLICES		16
/*
 * ...and, while there are at most this many flows, every half-open one:
 * a completed handshake stops showing as half-open within 0.2 s instead
 * of a whole pass.
 */
#define TCPLIMIT_GC_QUICK_FLOWS		4096

unsigned int tcplimit_net_id __read_mostly;
static struct lock_class_key tcplimit_source_lock_key;
static struct lock_class_key tcplimit_dst_lock_key;
static struct lock_class_key tcplimit_flow_lock_key;

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
	/* Host-mode flows are judged a grace period after their last SYN. */
	start_poll_synchronize_rcu();
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

/*
 * Switch the hooks to @mode. Connections tracked in the old mode are
 * forgotten: the new hooks would never see their end. Unregistering does
 * not wait for hooks still running, so wait for them before the flows go:
 * one could be adding a flow of the old mode. Each flow knows its mode, so
 * the new hooks' flows stay, and until the new configuration is published
 * both are judged by their own mode.
 */
static int tcplimit_mode_switch(struct tcplimit_net *tn, u8 mode)
{
	int err;

	if (mode == tn->hooks_mode)
		return 0;
	err = tcplimit_hooks_register(tn->net, mode);
	if (err)
		return err;
	tcplimit_hooks_unregister(tn->net, tn->hooks_mode);
	synchronize_net();
	/* Flows the new hooks admitted meanwhile are of the new mode: kept. */
	tcplimit_flow_gc(tn, 0, tn->flows.mask + 1,
			 tn->hooks_mode == TCPLIMIT_MODE_GATEWAY ?
			 TCPLIMIT_FLOW_GC_END_GATEWAY : TCPLIMIT_FLOW_GC_END_HOST);
	tn->hooks_mode = mode;
	return 0;
}

/*
 * Apply the attributes of @tb (validated by the policy: every value is in
 * range) as one change: a new configuration is published whole, or nothing
 * changes. Counts and entries are kept.
 */
int tcplimit_pernet_configure(struct tcplimit_net *tn, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	struct tcplimit_config *cfg, *old;
	int err;

	mutex_lock(&tn->config_lock);
	old = rcu_dereference_protected(tn->cfg, lockdep_is_held(&tn->config_lock));
	cfg = tcplimit_config_update(old, tb, tn->net);
	if (!cfg) {
		mutex_unlock(&tn->config_lock);
		return -ENOMEM;
	}
	/* The one step that can fail goes first. */
	err = tcplimit_mode_switch(tn, cfg->mode);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_A_MODE], "cannot register the hooks");
		mutex_unlock(&tn->config_lock);
		kfree(cfg);
		return err;
	}
	WRITE_ONCE(tn->sources.limit, cfg->table_size);
	WRITE_ONCE(tn->dsts.limit, cfg->table_size);
	WRITE_ONCE(tn->flows.limit, cfg->flow_table_size);
	rcu_assign_pointer(tn->cfg, cfg);
	mutex_unlock(&tn->config_lock);
	kfree_rcu(old, rcu);
	return 0;
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
