// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: /proc/net/tcplimit, a header of "key value" lines, a column
 * line, then one line per source (format in Documentation/tcplimit.rst).
 * Position 0 is the header, position N the source bucket N - 1.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/capability.h>
#include <net/net_namespace.h>
#include "tcplimit.h"

static struct hlist_head *tcplimit_seq_bucket(struct seq_file *seq, loff_t pos)
{
	struct tcplimit_net *tn = tcplimit_pernet(seq_file_net(seq));

	if (pos < 1 || pos > (loff_t)tn->sources.mask + 1)
		return NULL;
	return &tn->sources.buckets[pos - 1];
}

static void *tcplimit_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return tcplimit_seq_bucket(seq, *pos);
}

static void *tcplimit_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	return tcplimit_seq_bucket(seq, *pos);
}

static void tcplimit_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static void tcplimit_seq_header(struct seq_file *seq, struct tcplimit_net *tn)
{
	seq_printf(seq, "version %d\n", TCPLIMIT_GENL_VERSION);
	seq_printf(seq, "max %u\n", READ_ONCE(tn->max_conn));
	seq_printf(seq, "sources %d\n", atomic_read(&tn->sources.count));
	seq_printf(seq, "conns %d\n", atomic_read(&tn->flows.count));
	seq_printf(seq, "admitted %llu\n", tcplimit_stat_read(tn, TCPLIMIT_STAT_ADMITTED));
	seq_printf(seq, "limited_conn %llu\n",
		   tcplimit_stat_read(tn, TCPLIMIT_STAT_LIMITED_CONN));
	seq_printf(seq, "table_full %llu\n", tcplimit_stat_read(tn, TCPLIMIT_STAT_TABLE_FULL));
	seq_puts(seq, "source conns\n");
}

static int tcplimit_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_net(seq);
	struct hlist_head *head = v;
	struct tcplimit_source *src;

	if (v == SEQ_START_TOKEN) {
		tcplimit_seq_header(seq, tcplimit_pernet(net));
		return 0;
	}
	/* Who connects is private: only the namespace's admins see it. */
	if (!file_ns_capable(seq->file, net->user_ns, CAP_NET_ADMIN))
		return 0;
	hlist_for_each_entry_rcu(src, head, node) {
		if (src->key.family == NFPROTO_IPV4)
			seq_printf(seq, "%pI4/%u", &src->key.addr.ip, src->key.prefix_len);
		else
			seq_printf(seq, "%pI6c/%u", &src->key.addr.in6, src->key.prefix_len);
		seq_printf(seq, " %d\n", atomic_read(&src->conns));
	}
	return 0;
}

static const struct seq_operations tcplimit_seq_ops = {
	.start = tcplimit_seq_start,
	.next = tcplimit_seq_next,
	.stop = tcplimit_seq_stop,
	.show = tcplimit_seq_show,
};

int tcplimit_proc_init(struct net *net)
{
	if (!proc_create_net("tcplimit", 0444, net->proc_net, &tcplimit_seq_ops,
			     sizeof(struct seq_net_private)))
		return -ENOMEM;
	return 0;
}

void tcplimit_proc_exit(struct net *net)
{
	remove_proc_entry("tcplimit", net->proc_net);
}
