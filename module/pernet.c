// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: one limiter per network namespace: its tables, counters,
 * hooks, /proc file and garbage-collection work, starting it at its first
 * configuration and publishing each new one.
 */
#include <linux/random.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include "pernet.h"
#include "limiter.h"
#include "entry.h"
#include "flow.h"
#include "ban.h"
#include "hooks.h"
#include "proof.h"
#include "proc.h"

/* Each GC run visits 1/TCPLIMIT_GC_SLICES of each table... */
#define TCPLIMIT_GC_SLICES		16
/*
 * ...and, while there are at most this many flows, every half-open one:
 * a completed handshake stops showing as half-open within 0.2 s instead
 * of a whole pass.
 */
#define TCPLIMIT_GC_QUICK_FLOWS		4096
/*
 * Sources and destinations, though, a slice every TCPLIMIT_GC_ENTRY_EVERY
 * runs (a pass in 12.8 s) unless one was found full: an idle entry is kept
 * 30 s anyway, and visiting a million held sources every 1.6 s took a
 * fifth of a CPU from every connection (make bench, under TCG).
 */
#define TCPLIMIT_GC_ENTRY_EVERY		8

unsigned int tcplimit_net_id __read_mostly;
static struct lock_class_key tcplimit_source_lock_key;
static struct lock_class_key tcplimit_dst_lock_key;
static struct lock_class_key tcplimit_flow_lock_key;
static struct lock_class_key tcplimit_ban_lock_key;

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

/*
 * Resize @t to the bucket count its entries call for (@t of @tn, whose
 * memory cgroup pays). By the GC only, so no walk of the GC's runs into a
 * resize; a mode switch cancels the GC for its own walk. A failed
 * allocation leaves the size as it is, for the next run.
 */
static void tcplimit_gc_resize(struct tcplimit_net *tn, struct tcplimit_table *t,
			       tcplimit_node_hash_t node_hash)
{
	unsigned int want = tcplimit_table_wanted(t);
	struct mem_cgroup *memcg;
	int err;

	if (!want)
		return;
	memcg = set_active_memcg(tn->memcg);
	err = tcplimit_table_prepare(t, want);
	set_active_memcg(memcg);
	if (err)
		return;
	if (t == &tn->sources) {
		/* A dump across the resize is told it may have missed sources. */
		atomic_inc(&tn->sources_gen);
		/* The bump before the moves, as tcplimit_entry_gen_bump() orders it. */
		smp_mb__after_atomic();
	}
	tcplimit_table_commit(t, node_hash);
}

/*
 * Each run visits one slice of the flows and bans (and, now and then, of
 * the sources and destinations); it stops when the tables are empty.
 */
static void tcplimit_gc_work(struct work_struct *work)
{
	struct tcplimit_net *tn = container_of(to_delayed_work(work), struct tcplimit_net,
					       gc_work);
	unsigned int fslice = tcplimit_table_buckets(&tn->flows) / TCPLIMIT_GC_SLICES;
	unsigned int sslice = tcplimit_table_buckets(&tn->sources) / TCPLIMIT_GC_SLICES;
	unsigned int dslice = tcplimit_table_buckets(&tn->dsts) / TCPLIMIT_GC_SLICES;
	unsigned int bslice = tcplimit_table_buckets(&tn->bans) / TCPLIMIT_GC_SLICES;
	enum tcplimit_gc_mode smode = tcplimit_gc_mode(&tn->sources);
	enum tcplimit_gc_mode dmode = tcplimit_gc_mode(&tn->dsts);
	unsigned int c = tn->gc_cursor;

	tcplimit_flow_cookies_read(tn);
	/* Host-mode flows are judged a grace period after their last SYN. */
	start_poll_synchronize_rcu();
	tcplimit_flow_gc(tn, c * fslice, fslice, TCPLIMIT_FLOW_GC_CHECK);
	if (tcplimit_gauge_read(tn->halfopen) &&
	    atomic_read(&tn->flows.count) <= TCPLIMIT_GC_QUICK_FLOWS)
		tcplimit_flow_gc(tn, 0, tcplimit_table_buckets(&tn->flows),
				 TCPLIMIT_FLOW_GC_HALFOPEN);
	if (smode == TCPLIMIT_GC_EAGER || dmode == TCPLIMIT_GC_EAGER ||
	    !(tn->gc_runs % TCPLIMIT_GC_ENTRY_EVERY)) {
		unsigned int e = tn->entry_cursor;

		tcplimit_entry_gc(tn, &tn->sources, e * sslice, sslice, smode);
		tcplimit_entry_gc(tn, &tn->dsts, e * dslice, dslice, dmode);
		tn->entry_cursor = (e + 1) % TCPLIMIT_GC_SLICES;
	}
	tcplimit_ban_gc(tn, c * bslice, bslice, false);
	tn->gc_cursor = (c + 1) % TCPLIMIT_GC_SLICES;
	tn->gc_runs++;
	tcplimit_gc_resize(tn, &tn->sources, tcplimit_entry_node_hash);
	tcplimit_gc_resize(tn, &tn->dsts, tcplimit_entry_node_hash);
	tcplimit_gc_resize(tn, &tn->flows, tcplimit_flow_node_hash);
	tcplimit_gc_resize(tn, &tn->bans, tcplimit_ban_node_hash);
	tcplimit_proof_gc(tn);

	if (atomic_read(&tn->flows.count) || atomic_read(&tn->sources.count) ||
	    atomic_read(&tn->dsts.count) || atomic_read(&tn->bans.count) || tn->proof)
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
	cancel_delayed_work_sync(&tn->gc_work);	/* no resize under the walk */
	tcplimit_flow_gc(tn, 0, tcplimit_table_buckets(&tn->flows),
			 tn->hooks_mode == TCPLIMIT_MODE_GATEWAY ?
			 TCPLIMIT_FLOW_GC_END_GATEWAY : TCPLIMIT_FLOW_GC_END_HOST);
	tcplimit_gc_kick(tn);
	tn->hooks_mode = mode;
	return 0;
}

/* The tables' limits, as @cfg sets them (their buckets follow the GC). */
static void tcplimit_tables_limit(struct tcplimit_net *tn, const struct tcplimit_config *cfg)
{
	WRITE_ONCE(tn->sources.limit, cfg->table_size);
	WRITE_ONCE(tn->dsts.limit, cfg->table_size);
	WRITE_ONCE(tn->flows.limit, cfg->flow_table_size);
}

/*
 * Start @tn's limiter with @cfg, its first configuration: size its tables
 * and register its hooks. Until then a namespace costs no table, no hook
 * and no packet work (anyone may make one: unshare -Urn). What it
 * allocates from then on is charged to the memory cgroup of the task that
 * started it; the initial namespace's, started at load, is the host's.
 */
static int tcplimit_pernet_start(struct tcplimit_net *tn, const struct tcplimit_config *cfg)
{
	int err;

	/* The smallest tables: the GC grows them as entries come. */
	err = tcplimit_table_prepare(&tn->sources, TCPLIMIT_TABLE_SHARDS);
	if (!err)
		err = tcplimit_table_prepare(&tn->dsts, TCPLIMIT_TABLE_SHARDS);
	if (!err)
		err = tcplimit_table_prepare(&tn->flows, TCPLIMIT_TABLE_SHARDS);
	if (!err)
		err = tcplimit_table_prepare(&tn->bans, TCPLIMIT_TABLE_SHARDS);
	if (err) {
		tcplimit_table_abort(&tn->sources);
		tcplimit_table_abort(&tn->dsts);
		tcplimit_table_abort(&tn->flows);
		tcplimit_table_abort(&tn->bans);
		return err;
	}
	tcplimit_table_commit(&tn->sources, tcplimit_entry_node_hash);
	tcplimit_table_commit(&tn->dsts, tcplimit_entry_node_hash);
	tcplimit_table_commit(&tn->flows, tcplimit_flow_node_hash);
	tcplimit_table_commit(&tn->bans, tcplimit_ban_node_hash);
	tcplimit_tables_limit(tn, cfg);
	if (!net_eq(tn->net, &init_net))
		tn->memcg = get_mem_cgroup_from_mm(current->mm);
	err = tcplimit_hooks_register(tn->net, cfg->mode);
	if (err) {
		mem_cgroup_put(tn->memcg);
		tn->memcg = NULL;
		tcplimit_table_free(&tn->bans);
		tcplimit_table_free(&tn->flows);
		tcplimit_table_free(&tn->dsts);
		tcplimit_table_free(&tn->sources);
		return err;
	}
	tn->hooks_mode = cfg->mode;
	WRITE_ONCE(tn->started, true);
	return 0;
}

/*
 * Growing a table beyond its current size (0 asks for the default) takes
 * CAP_NET_ADMIN in the initial user namespace (@may_grow): root of a user
 * namespace administers the network namespaces it owns, but kernel memory
 * is the host administrator's to hand out.
 */
static int tcplimit_check_growth(const struct tcplimit_config *old, struct nlattr **tb,
				 const struct net *net, bool may_grow,
				 struct netlink_ext_ack *extack)
{
	static const int attrs[] = { TCPLIMIT_A_TABLE_SIZE, TCPLIMIT_A_FLOW_TABLE_SIZE };
	const u32 cur[] = { old->table_size, old->flow_table_size };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attrs) && !may_grow; i++) {
		struct nlattr *attr = tb[attrs[i]];

		if (attr && (nla_get_u32(attr) ?: tcplimit_default_table_size(net, i)) > cur[i]) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a table above its current size needs CAP_NET_ADMIN in the initial user namespace");
			return -EPERM;
		}
	}
	return 0;
}

/* Start @tn's limiter with @cfg if not started yet, under config_lock. */
static int tcplimit_pernet_start_once(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				      struct netlink_ext_ack *extack)
{
	int err;

	if (tn->started)
		return 0;
	err = tcplimit_pernet_start(tn, cfg);
	if (err)
		NL_SET_ERR_MSG(extack, "cannot start the limiter (tables or hooks)");
	return err;
}

/*
 * Start @tn's limiter with its configuration as it is, if not started yet:
 * a ban needs the tables and the hooks.
 */
int tcplimit_pernet_ensure_started(struct tcplimit_net *tn, struct netlink_ext_ack *extack)
{
	const struct tcplimit_config *cfg;
	int err;

	if (READ_ONCE(tn->started))
		return 0;
	mutex_lock(&tn->config_lock);
	cfg = rcu_dereference_protected(tn->cfg, lockdep_is_held(&tn->config_lock));
	err = tcplimit_pernet_start_once(tn, cfg, extack);
	mutex_unlock(&tn->config_lock);
	return err;
}

/* Publish @cfg in place of @old, under config_lock. */
static void tcplimit_pernet_publish(struct tcplimit_net *tn, struct tcplimit_config *old,
				    struct tcplimit_config *cfg)
{
	rcu_assign_pointer(tn->cfg, cfg);
	tcplimit_config_free_rcu(old);
}

/*
 * Apply the attributes of @tb (validated by the policy: every value is in
 * range) as one change: a new configuration is published whole, or nothing
 * changes. Counts and entries are kept. The first one starts the limiter.
 */
int tcplimit_pernet_configure(struct tcplimit_net *tn, struct nlattr **tb, bool may_grow,
			      struct netlink_ext_ack *extack)
{
	struct tcplimit_config *cfg, *old;
	int err;

	mutex_lock(&tn->config_lock);
	old = rcu_dereference_protected(tn->cfg, lockdep_is_held(&tn->config_lock));
	err = tcplimit_check_growth(old, tb, tn->net, may_grow, extack);
	if (err)
		goto unlock;
	cfg = tcplimit_config_update(old, tb, tn->net, extack);
	if (IS_ERR(cfg)) {
		err = PTR_ERR(cfg);
		goto unlock;
	}
	if (!tn->started) {
		err = tcplimit_pernet_start_once(tn, cfg, extack);
		if (err)
			goto free;
	} else {
		/* The one step that can fail goes first. */
		err = tcplimit_mode_switch(tn, cfg->mode);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_A_MODE],
					    "cannot register the hooks");
			goto free;
		}
		tcplimit_tables_limit(tn, cfg);
	}
	tcplimit_pernet_publish(tn, old, cfg);
	mutex_unlock(&tn->config_lock);
	return 0;

free:
	tcplimit_config_free(cfg);
unlock:
	mutex_unlock(&tn->config_lock);
	return err;
}

/*
 * Add @p to the allowlist (@add) or remove it, as one more configuration.
 * It needs no table or hook: a limiter not started yet keeps it for later.
 */
int tcplimit_pernet_allow(struct tcplimit_net *tn, const struct tcplimit_prefix *p, bool add,
			  struct netlink_ext_ack *extack)
{
	struct tcplimit_config *cfg, *old;

	mutex_lock(&tn->config_lock);
	old = rcu_dereference_protected(tn->cfg, lockdep_is_held(&tn->config_lock));
	cfg = tcplimit_config_allow(old, p, add, extack);
	if (!IS_ERR(cfg))
		tcplimit_pernet_publish(tn, old, cfg);
	mutex_unlock(&tn->config_lock);
	return PTR_ERR_OR_ZERO(cfg);
}

/*
 * Add the policy of @nest (@add) or remove the one of its ports, as one
 * more configuration. The first limit starts the limiter.
 */
int tcplimit_pernet_policy(struct tcplimit_net *tn, const struct nlattr *nest, bool add,
			   struct netlink_ext_ack *extack)
{
	struct tcplimit_config *cfg, *old;
	int err = 0;

	mutex_lock(&tn->config_lock);
	old = rcu_dereference_protected(tn->cfg, lockdep_is_held(&tn->config_lock));
	cfg = tcplimit_config_policy(old, nest, add, extack);
	if (IS_ERR(cfg)) {
		err = PTR_ERR(cfg);
		goto unlock;
	}
	err = tcplimit_pernet_start_once(tn, cfg, extack);
	if (err)
		tcplimit_config_free(cfg);
	else
		tcplimit_pernet_publish(tn, old, cfg);
unlock:
	mutex_unlock(&tn->config_lock);
	return err;
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
	tn->started = false;
	tn->memcg = NULL;
	atomic64_set(&tn->expired, 0);
	atomic64_set(&tn->unproven, 0);
	atomic64_set(&tn->aborted, 0);
	tn->cookies_sent = 0;
	tn->cookies_at = jiffies;
	tn->cookies_checked = jiffies;
	tn->gp_asked = jiffies - 1;
	get_random_bytes(&tn->hash_key, sizeof(tn->hash_key));
	atomic_set(&tn->sources_gen, 1);
	INIT_DEFERRABLE_WORK(&tn->gc_work, tcplimit_gc_work);
	tcplimit_table_init(&tn->sources, cfg->table_size, &tcplimit_source_lock_key);
	tcplimit_table_init(&tn->dsts, cfg->table_size, &tcplimit_dst_lock_key);
	tcplimit_table_init(&tn->flows, cfg->flow_table_size, &tcplimit_flow_lock_key);
	tcplimit_table_init(&tn->bans, net->user_ns == &init_user_ns ?
			    TCPLIMIT_DEFAULT_BAN_TABLE_SIZE : TCPLIMIT_USERNS_BAN_TABLE_SIZE,
			    &tcplimit_ban_lock_key);
	tcplimit_ban_lens_init(&tn->ban_lens);
	tcplimit_events_init(&tn->events);

	err = -ENOMEM;
	tn->stats = alloc_percpu(struct tcplimit_pcpu_stats);
	if (!tn->stats)
		goto err_cfg;
	tn->halfopen = alloc_percpu(int);
	if (!tn->halfopen)
		goto err_stats;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(tn->stats, cpu)->syncp);

	err = tcplimit_proc_init(net);
	if (err)
		goto err_stats;
	/* The host's own namespace is limited from the load on, as it always was. */
	if (net_eq(net, &init_net)) {
		mutex_lock(&tn->config_lock);
		err = tcplimit_pernet_start(tn, cfg);
		mutex_unlock(&tn->config_lock);
		if (err)
			goto err_proc;
	}
	return 0;

err_proc:
	tcplimit_proc_exit(net);
err_stats:
	free_percpu(tn->halfopen);
	free_percpu(tn->stats);
err_cfg:
	tcplimit_config_free(cfg);
	return err;
}

/*
 * Unregistering does not wait for the hooks in flight; the namespace core
 * waits for a grace period between .pre_exit and .exit, so none of them is
 * left by then (nor can one queue the GC again once it is cancelled).
 */
static void __net_exit tcplimit_net_pre_exit(struct net *net)
{
	struct tcplimit_net *tn = tcplimit_pernet(net);

	if (tn->started)
		tcplimit_hooks_unregister(net, tn->hooks_mode);
}

static void __net_exit tcplimit_net_exit(struct net *net)
{
	struct tcplimit_net *tn = tcplimit_pernet(net);

	tcplimit_proc_exit(net);
	cancel_delayed_work_sync(&tn->gc_work);
	tcplimit_proof_stop(tn);

	tcplimit_flow_gc(tn, 0, tcplimit_table_buckets(&tn->flows), TCPLIMIT_FLOW_GC_END);
	tcplimit_entry_gc(tn, &tn->sources, 0, tcplimit_table_buckets(&tn->sources),
			  TCPLIMIT_GC_ALL);
	tcplimit_entry_gc(tn, &tn->dsts, 0, tcplimit_table_buckets(&tn->dsts), TCPLIMIT_GC_ALL);
	tcplimit_ban_gc(tn, 0, tcplimit_table_buckets(&tn->bans), true);
	tcplimit_table_free(&tn->bans);
	tcplimit_table_free(&tn->flows);
	tcplimit_table_free(&tn->dsts);
	tcplimit_table_free(&tn->sources);
	mem_cgroup_put(tn->memcg);
	free_percpu(tn->halfopen);
	free_percpu(tn->stats);
	/* No reader is left: hooks, /proc and netlink are gone. */
	tcplimit_config_free(rcu_dereference_protected(tn->cfg, true));
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
