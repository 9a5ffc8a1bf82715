// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the "tcplimit" generic netlink family (uapi/linux/tcplimit.h):
 * the family, its operations and policies, and the "do" commands.
 * GET_SOURCES, the dump, is in netlink_sources.c.
 *
 * Every command has its own strict policy (resv_start_op is 0: the core
 * validates strictly, unknown attributes included); the commands that take
 * no attribute reject every one with a message. Handlers may run in
 * parallel: configuration changes take tn->config_lock, the tables have
 * their bucket locks.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include "netlink.h"
#include "netlink_sources.h"
#include "limiter.h"
#include "entry.h"
#include "pernet.h"
#include "prefix.h"
#include "ban.h"

static struct netlink_range_validation tcplimit_timeout_range __ro_after_init = {
	.min = TCPLIMIT_MIN_TIMEOUT_MS,
	.max = TCPLIMIT_MAX_TIMEOUT_MS,
};

static struct netlink_range_validation tcplimit_table_range __ro_after_init = {
	.min = 0,
	.max = TCPLIMIT_MAX_TABLE_SIZE,
};

#define TCPLIMIT_NLA_TIMEOUT	NLA_POLICY_FULL_RANGE(NLA_U32, &tcplimit_timeout_range)
#define TCPLIMIT_NLA_TABLE	NLA_POLICY_FULL_RANGE(NLA_U32, &tcplimit_table_range)

static const struct nla_policy tcplimit_set_config_policy[TCPLIMIT_A_MAX + 1] = {
	[TCPLIMIT_A_MAX_CONN]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_RATE]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_RATE_PERIOD_MS]	= TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_A_RATE_BURST]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_HALFOPEN_MAX]	= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_PREFIX4]		= NLA_POLICY_RANGE(NLA_U8, 1, 32),
	[TCPLIMIT_A_PREFIX6]		= NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[TCPLIMIT_A_DST_MAX]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_DST_RATE]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_DST_RATE_PERIOD_MS]	= TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_A_DST_RATE_BURST]	= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_SYN_TIMEOUT_MS]	= TCPLIMIT_NLA_TIMEOUT,
	[TCPLIMIT_A_IDLE_TIMEOUT_MS]	= TCPLIMIT_NLA_TIMEOUT,
	[TCPLIMIT_A_MODE]		= NLA_POLICY_MAX(NLA_U8, TCPLIMIT_MODE_GATEWAY),
	[TCPLIMIT_A_REJECT]		= NLA_POLICY_MASK(NLA_U32, TCPLIMIT_LIMIT_ALL),
	[TCPLIMIT_A_DRY_RUN]		= NLA_POLICY_MAX(NLA_U8, 1),
	[TCPLIMIT_A_TABLE_SIZE]		= TCPLIMIT_NLA_TABLE,
	[TCPLIMIT_A_FLOW_TABLE_SIZE]	= TCPLIMIT_NLA_TABLE,
	[TCPLIMIT_A_FULL_POLICY]	= NLA_POLICY_MAX(NLA_U8, TCPLIMIT_FULL_DROP),
	[TCPLIMIT_A_ALLOWLIST]		= NLA_POLICY_NESTED_ARRAY(tcplimit_prefix_policy),
	[TCPLIMIT_A_BAN_AFTER]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_BAN_AFTER_WINDOW_MS] = TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_A_BAN_TIME_MS]	= TCPLIMIT_NLA_TIMEOUT,
	[TCPLIMIT_A_BAN_TIME_MAX_MS]	= TCPLIMIT_NLA_TIMEOUT,
	[TCPLIMIT_A_SLOW_BYTES]		= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_SLOW_PERIOD_MS]	= TCPLIMIT_NLA_PERIOD,
	[TCPLIMIT_A_ABNORMAL_MAX]	= TCPLIMIT_NLA_CONN,
	[TCPLIMIT_A_SLOW_ACTION]	= NLA_POLICY_MAX(NLA_U8, TCPLIMIT_SLOW_RESET),
	[TCPLIMIT_A_POLICIES]		= NLA_POLICY_NESTED_ARRAY(tcplimit_policy_nla_policy),
};

/* POLICY_ADD, POLICY_DEL: one port-range policy. */
static const struct nla_policy tcplimit_policy_cmd_policy[TCPLIMIT_A_POLICY + 1] = {
	[TCPLIMIT_A_POLICY]		= NLA_POLICY_NESTED(tcplimit_policy_nla_policy),
};

/* BAN: a prefix, and how long (default: the configured ban time). */
static const struct nla_policy tcplimit_ban_cmd_policy[TCPLIMIT_A_BAN_TIME_MS + 1] = {
	[TCPLIMIT_A_PREFIX]		= NLA_POLICY_NESTED(tcplimit_prefix_policy),
	[TCPLIMIT_A_BAN_TIME_MS]	= TCPLIMIT_NLA_TIMEOUT,
};

/* ALLOW, DISALLOW: one prefix. */
static const struct nla_policy tcplimit_prefix_cmd_policy[TCPLIMIT_A_PREFIX + 1] = {
	[TCPLIMIT_A_PREFIX]		= NLA_POLICY_NESTED(tcplimit_prefix_policy),
};

/* GET_CONFIG, GET_STATS, FLUSH: any attribute is an error, said so. */
static const struct nla_policy tcplimit_no_attr_policy[TCPLIMIT_A_MAX + 1] = {
	[0 ... TCPLIMIT_A_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "this command takes no attribute",
	},
};

static struct tcplimit_net *tcplimit_info_net(struct genl_info *info)
{
	return tcplimit_pernet(genl_info_net(info));
}

/* A reply to @info of @size carrying the version; the caller adds the rest. */
static struct sk_buff *tcplimit_reply_new(struct genl_info *info, u8 cmd, size_t size, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &tcplimit_genl_family, 0, cmd);
	if (!*hdr || nla_put_u32(msg, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int tcplimit_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct tcplimit_net *tn = tcplimit_info_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = tcplimit_reply_new(info, TCPLIMIT_CMD_GET_CONFIG, tcplimit_config_size(), &hdr);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	err = tcplimit_config_put(msg, rcu_dereference(tn->cfg));
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The policy validated every attribute: applying cannot fail half-way. */
static int tcplimit_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	unsigned int i;

	for (i = 0; i <= TCPLIMIT_A_MAX; i++)
		if (tb[i])
			return tcplimit_pernet_configure(tcplimit_info_net(info), tb,
							 netlink_capable(skb, CAP_NET_ADMIN),
							 info->extack);
	NL_SET_ERR_MSG(info->extack, "no configuration attribute given");
	return -EINVAL;
}

static int tcplimit_put_stat(struct sk_buff *msg, int attr, struct tcplimit_net *tn,
			     enum tcplimit_stat which)
{
	return nla_put_u64_64bit(msg, attr, tcplimit_stat_read(tn->stats, which),
				 TCPLIMIT_STATS_A_PAD);
}

static int tcplimit_put_stats(struct sk_buff *msg, struct tcplimit_net *tn)
{
	struct nlattr *nest = nla_nest_start(msg, TCPLIMIT_A_STATS);
	u32 allowlist;

	rcu_read_lock();
	allowlist = tcplimit_allowlist_len(rcu_dereference(tn->cfg)->allow);
	rcu_read_unlock();
	if (!nest ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_SOURCES, atomic_read(&tn->sources.count)) ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_CONNS, atomic_read(&tn->flows.count)) ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_HALFOPEN, tcplimit_gauge_read(tn->halfopen)) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_ADMITTED, tn, TCPLIMIT_STAT_ADMITTED) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_LIMITED_RATE, tn,
			      TCPLIMIT_STAT_LIMITED_RATE) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_LIMITED_CONN, tn,
			      TCPLIMIT_STAT_LIMITED_CONN) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_LIMITED_HALFOPEN, tn,
			      TCPLIMIT_STAT_LIMITED_HALFOPEN) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_LIMITED_DST, tn, TCPLIMIT_STAT_LIMITED_DST) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_TABLE_FULL, tn, TCPLIMIT_STAT_TABLE_FULL) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_REJECTED, tn, TCPLIMIT_STAT_REJECTED) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_EXPIRED, atomic64_read(&tn->expired),
			      TCPLIMIT_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_UNPROVEN, atomic64_read(&tn->unproven),
			      TCPLIMIT_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_ABORTED, atomic64_read(&tn->aborted),
			      TCPLIMIT_STATS_A_PAD) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_ALLOWED, tn, TCPLIMIT_STAT_ALLOWED) ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_ALLOWLIST, allowlist) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_BANNED, tn, TCPLIMIT_STAT_BANNED) ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_BANS, tcplimit_bans_in_force(tn)) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_BAN_FULL, tn, TCPLIMIT_STAT_BAN_FULL) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_SLOW_FOUND, tn, TCPLIMIT_STAT_SLOW_FOUND) ||
	    tcplimit_put_stat(msg, TCPLIMIT_STATS_A_SLOW_RESET, tn, TCPLIMIT_STAT_SLOW_RESET) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_EVENTS_SUPPRESSED,
			      atomic64_read(&tn->events.suppressed_total), TCPLIMIT_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int tcplimit_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = tcplimit_reply_new(info, TCPLIMIT_CMD_GET_STATS, NLMSG_DEFAULT_SIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	if (tcplimit_put_stats(msg, tcplimit_info_net(info))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Forget the sources (and destinations) holding no connection and no
 * handshake; reply with the number of sources forgotten. The reply is
 * allocated first so that a flush that happened is always reported.
 */
static int tcplimit_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct tcplimit_net *tn = tcplimit_info_net(info);
	struct sk_buff *msg;
	unsigned int n;
	void *hdr;

	msg = tcplimit_reply_new(info, TCPLIMIT_CMD_FLUSH, NLMSG_DEFAULT_SIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	n = tcplimit_entry_flush(tn, &tn->sources);
	tcplimit_entry_flush(tn, &tn->dsts);
	if (nla_put_u32(msg, TCPLIMIT_A_FLUSHED, n)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The request's TCPLIMIT_A_PREFIX, required. */
static int tcplimit_info_prefix(struct genl_info *info, struct tcplimit_prefix *p)
{
	if (!info->attrs[TCPLIMIT_A_PREFIX]) {
		NL_SET_ERR_MSG(info->extack, "no prefix given");
		return -EINVAL;
	}
	return tcplimit_prefix_parse(p, info->attrs[TCPLIMIT_A_PREFIX], info->extack);
}

static int tcplimit_nl_allow_change(struct sk_buff *skb, struct genl_info *info, bool add)
{
	struct tcplimit_prefix p;
	int err;

	err = tcplimit_info_prefix(info, &p);
	if (err)
		return err;
	return tcplimit_pernet_allow(tcplimit_info_net(info), &p, add, info->extack);
}

/* BAN: from now on for its time; a ban of the same prefix is replaced. */
static int tcplimit_nl_ban(struct sk_buff *skb, struct genl_info *info)
{
	struct tcplimit_net *tn = tcplimit_info_net(info);
	struct tcplimit_prefix p;
	u32 ms;
	int err;

	err = tcplimit_info_prefix(info, &p);
	if (!err)
		err = tcplimit_pernet_ensure_started(tn, info->extack);
	if (err)
		return err;
	rcu_read_lock();
	ms = rcu_dereference(tn->cfg)->ban_time_ms;
	rcu_read_unlock();
	if (info->attrs[TCPLIMIT_A_BAN_TIME_MS])
		ms = nla_get_u32(info->attrs[TCPLIMIT_A_BAN_TIME_MS]);
	return tcplimit_ban_set(tn, &p, ms, info->extack);
}

static int tcplimit_nl_unban(struct sk_buff *skb, struct genl_info *info)
{
	struct tcplimit_prefix p;
	int err;

	err = tcplimit_info_prefix(info, &p);
	if (err)
		return err;
	return tcplimit_ban_lift(tcplimit_info_net(info), &p, info->extack);
}

/*
 * GET_BANS: the bans in force at the dump's start (.start copies them),
 * one per message from @next on. In netlink_callback.ctx.
 */
struct tcplimit_bans_cb {
	struct tcplimit_ban_snap *snap;
	u32 n;
	u32 next;
};

static struct tcplimit_bans_cb *tcplimit_bans_cb(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcplimit_bans_cb) > sizeof_field(struct netlink_callback, ctx));
	return (struct tcplimit_bans_cb *)cb->ctx;
}

static int tcplimit_nl_bans_start(struct netlink_callback *cb)
{
	struct tcplimit_net *tn = tcplimit_pernet(sock_net(cb->skb->sk));
	struct tcplimit_bans_cb *d = tcplimit_bans_cb(cb);
	unsigned int max = atomic_read(&tn->bans.count);

	d->next = 0;
	d->n = 0;
	d->snap = NULL;
	if (!max)
		return 0;
	d->snap = kvcalloc(max, sizeof(*d->snap), GFP_KERNEL_ACCOUNT);
	if (!d->snap)
		return -ENOMEM;
	d->n = tcplimit_bans_snapshot(tn, d->snap, max);
	return 0;
}

static int tcplimit_put_ban(struct sk_buff *skb, const struct tcplimit_ban_snap *s)
{
	struct nlattr *nest = nla_nest_start(skb, TCPLIMIT_A_BAN);

	if (!nest || tcplimit_prefix_put(skb, TCPLIMIT_BAN_A_PREFIX, &s->key) ||
	    nla_put_u32(skb, TCPLIMIT_BAN_A_LEFT_MS, s->left_ms) ||
	    nla_put_u8(skb, TCPLIMIT_BAN_A_REASON, s->reason) ||
	    nla_put_u64_64bit(skb, TCPLIMIT_BAN_A_HITS, s->hits, TCPLIMIT_BAN_A_PAD) ||
	    nla_put_u32(skb, TCPLIMIT_BAN_A_OFFENCES, s->offences))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int tcplimit_nl_bans_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcplimit_bans_cb *d = tcplimit_bans_cb(cb);

	for (; d->next < d->n; d->next++) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					&tcplimit_genl_family, NLM_F_MULTI, TCPLIMIT_CMD_GET_BANS);

		if (!hdr)
			break;
		if (nla_put_u32(skb, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION) ||
		    tcplimit_put_ban(skb, &d->snap[d->next])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

static int tcplimit_nl_bans_done(struct netlink_callback *cb)
{
	kvfree(tcplimit_bans_cb(cb)->snap);
	return 0;
}

/* POLICY_ADD, POLICY_DEL: the request's TCPLIMIT_A_POLICY, required. */
static int tcplimit_nl_policy_change(struct genl_info *info, bool add)
{
	if (!info->attrs[TCPLIMIT_A_POLICY]) {
		NL_SET_ERR_MSG(info->extack, "no policy given");
		return -EINVAL;
	}
	return tcplimit_pernet_policy(tcplimit_info_net(info), info->attrs[TCPLIMIT_A_POLICY],
				      add, info->extack);
}

static int tcplimit_nl_policy_add(struct sk_buff *skb, struct genl_info *info)
{
	return tcplimit_nl_policy_change(info, true);
}

static int tcplimit_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	return tcplimit_nl_policy_change(info, false);
}

static int tcplimit_nl_allow(struct sk_buff *skb, struct genl_info *info)
{
	return tcplimit_nl_allow_change(skb, info, true);
}

static int tcplimit_nl_disallow(struct sk_buff *skb, struct genl_info *info)
{
	return tcplimit_nl_allow_change(skb, info, false);
}

/*
 * GET_ALLOWLIST: the allowlist as it was at the dump's start (.start takes
 * a reference), one prefix per message, resuming at @next. In
 * netlink_callback.ctx, which shares its bytes with cb->args.
 */
struct tcplimit_allowlist_cb {
	struct tcplimit_allowlist *al;
	u32 next;
};

static struct tcplimit_allowlist_cb *tcplimit_allowlist_cb(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcplimit_allowlist_cb) >
		     sizeof_field(struct netlink_callback, ctx));
	return (struct tcplimit_allowlist_cb *)cb->ctx;
}

static int tcplimit_nl_allowlist_start(struct netlink_callback *cb)
{
	struct tcplimit_net *tn = tcplimit_pernet(sock_net(cb->skb->sk));

	rcu_read_lock();
	tcplimit_allowlist_cb(cb)->al = tcplimit_allowlist_get(rcu_dereference(tn->cfg)->allow);
	rcu_read_unlock();
	tcplimit_allowlist_cb(cb)->next = 0;
	return 0;
}

static int tcplimit_nl_allowlist_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcplimit_allowlist_cb *d = tcplimit_allowlist_cb(cb);
	u32 i;

	for (i = d->next; i < tcplimit_allowlist_len(d->al); i++) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					&tcplimit_genl_family, NLM_F_MULTI,
					TCPLIMIT_CMD_GET_ALLOWLIST);

		if (!hdr)
			break;
		if (nla_put_u32(skb, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION) ||
		    tcplimit_prefix_put(skb, TCPLIMIT_A_PREFIX, &d->al->prefixes[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	d->next = i;
	return skb->len;
}

static int tcplimit_nl_allowlist_done(struct netlink_callback *cb)
{
	tcplimit_allowlist_put(tcplimit_allowlist_cb(cb)->al);
	return 0;
}

static const struct genl_ops tcplimit_genl_ops[] = {
	{
		.cmd = TCPLIMIT_CMD_GET_CONFIG,
		.doit = tcplimit_nl_get_config,
		.policy = tcplimit_no_attr_policy,
		.maxattr = TCPLIMIT_A_MAX,
	},
	{
		.cmd = TCPLIMIT_CMD_SET_CONFIG,
		.doit = tcplimit_nl_set_config,
		.policy = tcplimit_set_config_policy,
		.maxattr = TCPLIMIT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_GET_STATS,
		.doit = tcplimit_nl_get_stats,
		.policy = tcplimit_no_attr_policy,
		.maxattr = TCPLIMIT_A_MAX,
	},
	{
		.cmd = TCPLIMIT_CMD_GET_SOURCES,
		.start = tcplimit_nl_sources_start,
		.dumpit = tcplimit_nl_sources_dump,
		.done = tcplimit_nl_sources_done,
		.policy = tcplimit_sources_policy,
		.maxattr = TCPLIMIT_A_FILTER,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_FLUSH,
		.doit = tcplimit_nl_flush,
		.policy = tcplimit_no_attr_policy,
		.maxattr = TCPLIMIT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_ALLOW,
		.doit = tcplimit_nl_allow,
		.policy = tcplimit_prefix_cmd_policy,
		.maxattr = TCPLIMIT_A_PREFIX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_DISALLOW,
		.doit = tcplimit_nl_disallow,
		.policy = tcplimit_prefix_cmd_policy,
		.maxattr = TCPLIMIT_A_PREFIX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_GET_ALLOWLIST,
		.start = tcplimit_nl_allowlist_start,
		.dumpit = tcplimit_nl_allowlist_dump,
		.done = tcplimit_nl_allowlist_done,
		.policy = tcplimit_no_attr_policy,
		.maxattr = TCPLIMIT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_BAN,
		.doit = tcplimit_nl_ban,
		.policy = tcplimit_ban_cmd_policy,
		.maxattr = TCPLIMIT_A_BAN_TIME_MS,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_UNBAN,
		.doit = tcplimit_nl_unban,
		.policy = tcplimit_prefix_cmd_policy,
		.maxattr = TCPLIMIT_A_PREFIX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_GET_BANS,
		.start = tcplimit_nl_bans_start,
		.dumpit = tcplimit_nl_bans_dump,
		.done = tcplimit_nl_bans_done,
		.policy = tcplimit_no_attr_policy,
		.maxattr = TCPLIMIT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_POLICY_ADD,
		.doit = tcplimit_nl_policy_add,
		.policy = tcplimit_policy_cmd_policy,
		.maxattr = TCPLIMIT_A_POLICY,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPLIMIT_CMD_POLICY_DEL,
		.doit = tcplimit_nl_policy_del,
		.policy = tcplimit_policy_cmd_policy,
		.maxattr = TCPLIMIT_A_POLICY,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family tcplimit_genl_family __ro_after_init = {
	.name = TCPLIMIT_GENL_NAME,
	.version = TCPLIMIT_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcplimit_genl_ops,
	.n_ops = ARRAY_SIZE(tcplimit_genl_ops),
	.mcgrps = tcplimit_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcplimit_mcgrps),
	.resv_start_op = 0,
};

int __init tcplimit_genl_init(void)
{
	return genl_register_family(&tcplimit_genl_family);
}

void tcplimit_genl_exit(void)
{
	genl_unregister_family(&tcplimit_genl_family);
}
