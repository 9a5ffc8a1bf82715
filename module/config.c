// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the limiter's configuration as data: defaults, a copy updated
 * from a validated SET_CONFIG request, and a reply's attributes. Publishing
 * one is the namespace's business (pernet.c).
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include "config.h"
#include "params.h"

/* The default size of @net's source (or flow) table. */
u32 tcplimit_default_table_size(const struct net *net, bool flows)
{
	if (net->user_ns != &init_user_ns)
		return flows ? TCPLIMIT_USERNS_FLOW_TABLE_SIZE : TCPLIMIT_USERNS_TABLE_SIZE;
	return flows ? TCPLIMIT_DEFAULT_FLOW_TABLE_SIZE : TCPLIMIT_DEFAULT_TABLE_SIZE;
}

/* What the hooks need to know of @cfg's policies, at a glance. */
static void tcplimit_config_derive_policies(struct tcplimit_config *cfg)
{
	u32 i;

	cfg->untracked = cfg->policies && !tcplimit_limits_any(&cfg->limits) &&
			 !cfg->dst_max && !cfg->dst_rate.conns;
	cfg->slow_any = !!cfg->limits.slow_bytes;
	for (i = 0; i < tcplimit_policies_len(cfg->policies); i++)
		cfg->slow_any |= !!cfg->policies->p[i].limits.slow_bytes;
}

static void tcplimit_config_derive(struct tcplimit_config *cfg, const struct net *net)
{
	/* Table sizes: 0 asks for the default; the configuration holds the real one. */
	cfg->table_size = cfg->table_size ?: tcplimit_default_table_size(net, false);
	cfg->flow_table_size = cfg->flow_table_size ?: tcplimit_default_table_size(net, true);
	tcplimit_limits_derive(&cfg->limits);
	tcplimit_rate_set(&cfg->dst_rate);
	cfg->syn_timeout = msecs_to_jiffies(cfg->syn_timeout_ms);
	cfg->idle_timeout = msecs_to_jiffies(cfg->idle_timeout_ms);
	cfg->ban_after_window = msecs_to_jiffies(cfg->ban_after_window_ms);
	tcplimit_config_derive_policies(cfg);
}

struct tcplimit_config *tcplimit_config_default(const struct net *net)
{
	struct tcplimit_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	cfg->dst_rate.period_ms = 1000;
	cfg->prefix4 = TCPLIMIT_DEFAULT_PREFIX4;
	cfg->prefix6 = TCPLIMIT_DEFAULT_PREFIX6;
	cfg->syn_timeout_ms = TCPLIMIT_DEFAULT_SYN_TIMEOUT_MS;
	cfg->idle_timeout_ms = TCPLIMIT_DEFAULT_IDLE_TIMEOUT_MS;
	cfg->ban_after_window_ms = TCPLIMIT_DEFAULT_BAN_AFTER_WINDOW_MS;
	cfg->ban_time_ms = TCPLIMIT_DEFAULT_BAN_TIME_MS;
	cfg->ban_time_max_ms = TCPLIMIT_DEFAULT_BAN_TIME_MAX_MS;
	if (net_eq(net, &init_net))
		tcplimit_params_apply(cfg);
	tcplimit_config_derive(cfg, net);
	return cfg;
}

static void tcplimit_get_u32(u32 *dst, struct nlattr *attr)
{
	if (attr)
		*dst = nla_get_u32(attr);
}

static void tcplimit_get_u8(u8 *dst, struct nlattr *attr)
{
	if (attr)
		*dst = nla_get_u8(attr);
}

/*
 * A copy of @old holding @allow's reference and owning @policies, or an
 * error: @allow's or @policies' if one is an error (the other then
 * dropped), else -ENOMEM.
 */
static struct tcplimit_config *tcplimit_config_copy(const struct tcplimit_config *old,
						    struct tcplimit_allowlist *allow,
						    struct tcplimit_policies *policies)
{
	struct tcplimit_config *cfg = NULL;

	if (!IS_ERR(allow) && !IS_ERR(policies))
		cfg = kmemdup(old, sizeof(*old), GFP_KERNEL);
	if (!cfg) {
		if (!IS_ERR(allow))
			tcplimit_allowlist_put(allow);
		if (!IS_ERR(policies))
			kfree(policies);
		return ERR_PTR(IS_ERR(allow) ? PTR_ERR(allow) :
			       IS_ERR(policies) ? PTR_ERR(policies) : -ENOMEM);
	}
	cfg->allow = allow;
	cfg->policies = policies;
	return cfg;
}

/*
 * A copy of @old with the attributes of @tb (validated by the policy: every
 * value is in range) applied, for @net, or an error (said in @extack).
 */
struct tcplimit_config *tcplimit_config_update(const struct tcplimit_config *old,
					       struct nlattr **tb, const struct net *net,
					       struct netlink_ext_ack *extack)
{
	struct tcplimit_policies *policies;
	struct tcplimit_allowlist *allow;
	struct tcplimit_config *cfg;

	if (tb[TCPLIMIT_A_ALLOWLIST])
		allow = tcplimit_allowlist_parse(tb[TCPLIMIT_A_ALLOWLIST], extack);
	else
		allow = tcplimit_allowlist_get(old->allow);
	/* After a bad allowlist, its extack message stands. */
	if (IS_ERR(allow))
		policies = NULL;
	else if (tb[TCPLIMIT_A_POLICIES])
		policies = tcplimit_policies_parse(tb[TCPLIMIT_A_POLICIES], extack);
	else
		policies = tcplimit_policies_dup(old->policies);
	cfg = tcplimit_config_copy(old, allow, policies);
	if (IS_ERR(cfg))
		return cfg;
	tcplimit_get_u32(&cfg->limits.max_conn, tb[TCPLIMIT_A_MAX_CONN]);
	tcplimit_get_u32(&cfg->limits.rate.conns, tb[TCPLIMIT_A_RATE]);
	tcplimit_get_u32(&cfg->limits.rate.period_ms, tb[TCPLIMIT_A_RATE_PERIOD_MS]);
	tcplimit_get_u32(&cfg->limits.rate.burst, tb[TCPLIMIT_A_RATE_BURST]);
	tcplimit_get_u32(&cfg->limits.halfopen_max, tb[TCPLIMIT_A_HALFOPEN_MAX]);
	tcplimit_get_u8(&cfg->prefix4, tb[TCPLIMIT_A_PREFIX4]);
	tcplimit_get_u8(&cfg->prefix6, tb[TCPLIMIT_A_PREFIX6]);
	tcplimit_get_u32(&cfg->dst_max, tb[TCPLIMIT_A_DST_MAX]);
	tcplimit_get_u32(&cfg->dst_rate.conns, tb[TCPLIMIT_A_DST_RATE]);
	tcplimit_get_u32(&cfg->dst_rate.period_ms, tb[TCPLIMIT_A_DST_RATE_PERIOD_MS]);
	tcplimit_get_u32(&cfg->dst_rate.burst, tb[TCPLIMIT_A_DST_RATE_BURST]);
	tcplimit_get_u32(&cfg->syn_timeout_ms, tb[TCPLIMIT_A_SYN_TIMEOUT_MS]);
	tcplimit_get_u32(&cfg->idle_timeout_ms, tb[TCPLIMIT_A_IDLE_TIMEOUT_MS]);
	tcplimit_get_u8(&cfg->mode, tb[TCPLIMIT_A_MODE]);
	tcplimit_get_u32(&cfg->reject, tb[TCPLIMIT_A_REJECT]);
	tcplimit_get_u8(&cfg->dry_run, tb[TCPLIMIT_A_DRY_RUN]);
	tcplimit_get_u32(&cfg->table_size, tb[TCPLIMIT_A_TABLE_SIZE]);
	tcplimit_get_u32(&cfg->flow_table_size, tb[TCPLIMIT_A_FLOW_TABLE_SIZE]);
	tcplimit_get_u8(&cfg->full_policy, tb[TCPLIMIT_A_FULL_POLICY]);
	tcplimit_get_u32(&cfg->ban_after, tb[TCPLIMIT_A_BAN_AFTER]);
	tcplimit_get_u32(&cfg->ban_after_window_ms, tb[TCPLIMIT_A_BAN_AFTER_WINDOW_MS]);
	tcplimit_get_u32(&cfg->ban_time_ms, tb[TCPLIMIT_A_BAN_TIME_MS]);
	tcplimit_get_u32(&cfg->ban_time_max_ms, tb[TCPLIMIT_A_BAN_TIME_MAX_MS]);
	tcplimit_get_u32(&cfg->limits.slow_bytes, tb[TCPLIMIT_A_SLOW_BYTES]);
	tcplimit_get_u32(&cfg->limits.slow_period_ms, tb[TCPLIMIT_A_SLOW_PERIOD_MS]);
	tcplimit_get_u32(&cfg->limits.abnormal_max, tb[TCPLIMIT_A_ABNORMAL_MAX]);
	tcplimit_get_u8(&cfg->slow_action, tb[TCPLIMIT_A_SLOW_ACTION]);
	tcplimit_config_derive(cfg, net);
	return cfg;
}

/* A copy of @old with @p added to its allowlist (@add) or removed, or an error. */
struct tcplimit_config *tcplimit_config_allow(const struct tcplimit_config *old,
					      const struct tcplimit_prefix *p, bool add,
					      struct netlink_ext_ack *extack)
{
	return tcplimit_config_copy(old, tcplimit_allowlist_edit(old->allow, p, add, extack),
				    tcplimit_policies_dup(old->policies));
}

/*
 * A copy of @old with the policy of @nest added (@add) or the one of its
 * ports removed, or an error.
 */
struct tcplimit_config *tcplimit_config_policy(const struct tcplimit_config *old,
					       const struct nlattr *nest, bool add,
					       struct netlink_ext_ack *extack)
{
	struct tcplimit_config *cfg;

	cfg = tcplimit_config_copy(old, tcplimit_allowlist_get(old->allow),
				   tcplimit_policies_edit(old->policies, nest, add, extack));
	if (!IS_ERR(cfg))
		tcplimit_config_derive_policies(cfg);
	return cfg;
}

void tcplimit_config_free(struct tcplimit_config *cfg)
{
	if (cfg) {
		tcplimit_allowlist_put(cfg->allow);
		kfree(cfg->policies);
		kfree(cfg);
	}
}

static void tcplimit_config_free_cb(struct rcu_head *rcu)
{
	tcplimit_config_free(container_of(rcu, struct tcplimit_config, rcu));
}

void tcplimit_config_free_rcu(struct tcplimit_config *cfg)
{
	call_rcu(&cfg->rcu, tcplimit_config_free_cb);
}

int tcplimit_config_put(struct sk_buff *msg, const struct tcplimit_config *cfg)
{
	const struct tcplimit_limits *lim = &cfg->limits;

	if (nla_put_u32(msg, TCPLIMIT_A_MAX_CONN, lim->max_conn) ||
	    nla_put_u32(msg, TCPLIMIT_A_RATE, lim->rate.conns) ||
	    nla_put_u32(msg, TCPLIMIT_A_RATE_PERIOD_MS, lim->rate.period_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_RATE_BURST, lim->rate.burst) ||
	    nla_put_u32(msg, TCPLIMIT_A_HALFOPEN_MAX, lim->halfopen_max) ||
	    nla_put_u8(msg, TCPLIMIT_A_PREFIX4, cfg->prefix4) ||
	    nla_put_u8(msg, TCPLIMIT_A_PREFIX6, cfg->prefix6) ||
	    nla_put_u32(msg, TCPLIMIT_A_DST_MAX, cfg->dst_max) ||
	    nla_put_u32(msg, TCPLIMIT_A_DST_RATE, cfg->dst_rate.conns) ||
	    nla_put_u32(msg, TCPLIMIT_A_DST_RATE_PERIOD_MS, cfg->dst_rate.period_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_DST_RATE_BURST, cfg->dst_rate.burst) ||
	    nla_put_u32(msg, TCPLIMIT_A_SYN_TIMEOUT_MS, cfg->syn_timeout_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_IDLE_TIMEOUT_MS, cfg->idle_timeout_ms) ||
	    nla_put_u8(msg, TCPLIMIT_A_MODE, cfg->mode) ||
	    nla_put_u32(msg, TCPLIMIT_A_REJECT, cfg->reject) ||
	    nla_put_u8(msg, TCPLIMIT_A_DRY_RUN, cfg->dry_run) ||
	    nla_put_u32(msg, TCPLIMIT_A_TABLE_SIZE, cfg->table_size) ||
	    nla_put_u32(msg, TCPLIMIT_A_FLOW_TABLE_SIZE, cfg->flow_table_size) ||
	    nla_put_u8(msg, TCPLIMIT_A_FULL_POLICY, cfg->full_policy) ||
	    nla_put_u32(msg, TCPLIMIT_A_BAN_AFTER, cfg->ban_after) ||
	    nla_put_u32(msg, TCPLIMIT_A_BAN_AFTER_WINDOW_MS, cfg->ban_after_window_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_BAN_TIME_MS, cfg->ban_time_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_BAN_TIME_MAX_MS, cfg->ban_time_max_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_SLOW_BYTES, lim->slow_bytes) ||
	    nla_put_u32(msg, TCPLIMIT_A_SLOW_PERIOD_MS, lim->slow_period_ms) ||
	    nla_put_u32(msg, TCPLIMIT_A_ABNORMAL_MAX, lim->abnormal_max) ||
	    nla_put_u8(msg, TCPLIMIT_A_SLOW_ACTION, cfg->slow_action))
		return -EMSGSIZE;
	return tcplimit_policies_put(msg, cfg->policies);
}

/* The room tcplimit_config_put() needs, whatever the configuration. */
size_t tcplimit_config_size(void)
{
	return NLMSG_DEFAULT_SIZE + tcplimit_policies_size(TCPLIMIT_MAX_POLICIES);
}
