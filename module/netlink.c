// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the "tcplimit" generic netlink family (uapi/linux/tcplimit.h).
 *
 * Every command has its own strict policy; commands without one accept no
 * attribute at all (the core rejects them, resv_start_op is 0). Handlers
 * may run in parallel: configuration changes take tn->config_lock.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include "tcplimit.h"

static struct genl_family tcplimit_family;

static struct netlink_range_validation tcplimit_conn_range __ro_after_init = {
	.min = 0,
	.max = TCPLIMIT_MAX_CONN_LIMIT,
};

static const struct nla_policy tcplimit_set_config_policy[TCPLIMIT_A_MAX + 1] = {
	[TCPLIMIT_A_MAX_CONN] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcplimit_conn_range),
};

static struct tcplimit_net *tcplimit_info_net(struct genl_info *info)
{
	return tcplimit_pernet(genl_info_net(info));
}

/* A reply to @info carrying the version; the caller adds the rest. */
static struct sk_buff *tcplimit_reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &tcplimit_family, 0, cmd);
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

	msg = tcplimit_reply_new(info, TCPLIMIT_CMD_GET_CONFIG, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, TCPLIMIT_A_MAX_CONN, READ_ONCE(tn->max_conn))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The policy validated every attribute: applying cannot fail half-way. */
static int tcplimit_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct tcplimit_net *tn = tcplimit_info_net(info);
	struct nlattr **tb = info->attrs;

	if (!tb[TCPLIMIT_A_MAX_CONN]) {
		NL_SET_ERR_MSG(info->extack, "no configuration attribute given");
		return -EINVAL;
	}

	mutex_lock(&tn->config_lock);
	WRITE_ONCE(tn->max_conn, nla_get_u32(tb[TCPLIMIT_A_MAX_CONN]));
	mutex_unlock(&tn->config_lock);
	return 0;
}

static int tcplimit_put_stats(struct sk_buff *msg, struct tcplimit_net *tn)
{
	struct nlattr *nest = nla_nest_start(msg, TCPLIMIT_A_STATS);

	if (!nest ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_SOURCES, atomic_read(&tn->sources.count)) ||
	    nla_put_u32(msg, TCPLIMIT_STATS_A_CONNS, atomic_read(&tn->flows.count)) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_ADMITTED,
			      tcplimit_stat_read(tn, TCPLIMIT_STAT_ADMITTED),
			      TCPLIMIT_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_LIMITED_CONN,
			      tcplimit_stat_read(tn, TCPLIMIT_STAT_LIMITED_CONN),
			      TCPLIMIT_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, TCPLIMIT_STATS_A_TABLE_FULL,
			      tcplimit_stat_read(tn, TCPLIMIT_STAT_TABLE_FULL),
			      TCPLIMIT_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int tcplimit_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = tcplimit_reply_new(info, TCPLIMIT_CMD_GET_STATS, &hdr);
	if (!msg)
		return -ENOMEM;
	if (tcplimit_put_stats(msg, tcplimit_info_net(info))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int tcplimit_put_source(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct tcplimit_source *src)
{
	const struct tcplimit_source_key *key = &src->key;
	bool v4 = key->family == NFPROTO_IPV4;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcplimit_family, NLM_F_MULTI, TCPLIMIT_CMD_GET_SOURCES);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION))
		goto cancel;
	nest = nla_nest_start(skb, TCPLIMIT_A_SOURCE);
	if (!nest ||
	    nla_put_u16(skb, TCPLIMIT_SOURCE_A_FAMILY, v4 ? AF_INET : AF_INET6) ||
	    nla_put(skb, TCPLIMIT_SOURCE_A_ADDR, v4 ? 4 : 16, &key->addr) ||
	    nla_put_u8(skb, TCPLIMIT_SOURCE_A_PREFIX_LEN, key->prefix_len) ||
	    nla_put_u32(skb, TCPLIMIT_SOURCE_A_CONNS, atomic_read(&src->conns)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Dump the sources, resuming at bucket cb->args[0] after cb->args[1]
 * entries. A source added or removed between two parts of the dump marks
 * the next message NLM_F_DUMP_INTR; the tool starts over.
 */
static int tcplimit_nl_dump_sources(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcplimit_net *tn = tcplimit_pernet(sock_net(skb->sk));
	struct tcplimit_table *t = &tn->sources;
	unsigned long bucket = cb->args[0], skip = cb->args[1], idx = 0;
	struct tcplimit_source *src;

	cb->seq = atomic_read(&tn->sources_gen);
	rcu_read_lock();
	for (; bucket <= t->mask; bucket++, skip = 0) {
		idx = 0;
		hlist_for_each_entry_rcu(src, &t->buckets[bucket], node) {
			if (idx >= skip && tcplimit_put_source(skb, cb, src))
				goto full;
			idx++;
		}
	}
full:
	rcu_read_unlock();
	cb->args[0] = bucket;
	cb->args[1] = idx;
	return skb->len;
}

static const struct genl_ops tcplimit_genl_ops[] = {
	{
		.cmd = TCPLIMIT_CMD_GET_CONFIG,
		.doit = tcplimit_nl_get_config,
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
	},
	{
		.cmd = TCPLIMIT_CMD_GET_SOURCES,
		.dumpit = tcplimit_nl_dump_sources,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family tcplimit_family __ro_after_init = {
	.name = TCPLIMIT_GENL_NAME,
	.version = TCPLIMIT_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcplimit_genl_ops,
	.n_ops = ARRAY_SIZE(tcplimit_genl_ops),
	.resv_start_op = 0,
};

int __init tcplimit_genl_init(void)
{
	return genl_register_family(&tcplimit_family);
}

void tcplimit_genl_exit(void)
{
	genl_unregister_family(&tcplimit_family);
}
