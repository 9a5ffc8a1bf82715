// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: /proc/net/tcplimit, a header of "key value" lines, a column
 * line, then one line per source (format in Documentation/tcplimit.rst).
 * Position 0 is the header, position N the source bucket N - 1.
 *
 * The header is for everyone. Who connects is private: the source lines
 * are shown only when the file was opened with CAP_NET_ADMIN in the user
 * namespace owning the network namespace (the opener's credentials, not
 * the reader's, as for other /proc/net files: a privileged program cannot
 * be tricked into reading them for someone else); others get one comment
 * line instead.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/capability.h>
#include <net/net_namespace.h>
#include <linux/ktime.h>
#include "proc.h"
#include "limiter.h"
#include "entry.h"

/* The file's private data: seq_file_net() needs @net first. */
struct tcplimit_seq_private {
	struct seq_net_private net;
	unsigned int longest_chain;	/* measured by .start at position 0 */
};

static bool tcplimit_seq_privileged(struct seq_file *seq)
{
	return file_ns_capable(seq->file, seq_file_net(seq)->user_ns, CAP_NET_ADMIN);
}

/*
 * The longest chain of the source table, for the header. It walks the whole
 * table (up to 2^24 entries), so one bucket at a time, each under its own
 * RCU read section, rescheduling between them; before .start takes the
 * section the other callbacks run in. Privileged readers only: to others it
 * would be a cheap way to load the CPU, and a probe for colliding
 * addresses.
 */
static unsigned int tcplimit_seq_longest_chain(struct tcplimit_table *t)
{
	unsigned int b, n, longest = 0, end = tcplimit_table_buckets(t);
	struct tcplimit_entry *e;

	for (b = 0; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		n = 0;
		rcu_read_lock();
		hlist_for_each_entry_rcu(e, tcplimit_table_bucket(t, b), node)
			n++;
		rcu_read_unlock();
		longest = max(longest, n);
	}
	return longest;
}

static struct hlist_head *tcplimit_seq_bucket(struct seq_file *seq, loff_t pos)
{
	struct tcplimit_net *tn = tcplimit_pernet(seq_file_net(seq));

	if (pos < 1 || pos > (loff_t)tcplimit_table_buckets(&tn->sources))
		return NULL;
	return tcplimit_table_bucket(&tn->sources, pos - 1);
}

static void *tcplimit_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct tcplimit_seq_private *priv = seq->private;

	if (*pos == 0 && tcplimit_seq_privileged(seq))
		priv->longest_chain =
			tcplimit_seq_longest_chain(&tcplimit_pernet(seq_file_net(seq))->sources);
	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (!tcplimit_seq_privileged(seq))
		return NULL;
	return tcplimit_seq_bucket(seq, *pos);
}

static void *tcplimit_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	if (v == SEQ_START_TOKEN && !tcplimit_seq_privileged(seq))
		return NULL;
	return tcplimit_seq_bucket(seq, *pos);
}

static void tcplimit_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static const char *const tcplimit_limit_names[] = {
	"rate", "conn", "halfopen", "dst", "full", "ban",
};

static void tcplimit_seq_reject(struct seq_file *seq, u32 mask)
{
	const char *sep = "";
	unsigned int i;

	seq_puts(seq, "reject ");
	if (!mask)
		seq_puts(seq, "none");
	for (i = 0; i < ARRAY_SIZE(tcplimit_limit_names); i++) {
		if (mask & BIT(i)) {
			seq_printf(seq, "%s%s", sep, tcplimit_limit_names[i]);
			sep = ",";
		}
	}
	seq_putc(seq, '\n');
}

/* One line a port-range policy: its ports, then its limits as "key value" pairs. */
static void tcplimit_seq_policies(struct seq_file *seq, const struct tcplimit_policies *ps)
{
	const struct tcplimit_limits *lim;
	u32 i;

	seq_printf(seq, "policies %u\n", tcplimit_policies_len(ps));
	for (i = 0; i < tcplimit_policies_len(ps); i++) {
		lim = &ps->p[i].limits;
		seq_printf(seq, "policy %u-%u max %u rate %u rate_period_ms %u rate_burst %u",
			   ps->p[i].first, ps->p[i].last, lim->max_conn, lim->rate.conns,
			   lim->rate.period_ms, lim->rate.burst);
		seq_printf(seq, " halfopen_max %u slow_bytes %u slow_period_ms %u abnormal_max %u\n",
			   lim->halfopen_max, lim->slow_bytes, lim->slow_period_ms,
			   lim->abnormal_max);
	}
}

static void tcplimit_seq_config(struct seq_file *seq, const struct tcplimit_config *cfg)
{
	const struct tcplimit_limits *lim = &cfg->limits;

	seq_printf(seq, "mode %s\n", cfg->mode == TCPLIMIT_MODE_GATEWAY ? "gateway" : "host");
	seq_printf(seq, "dry_run %u\n", cfg->dry_run);
	seq_printf(seq, "max %u\n", lim->max_conn);
	seq_printf(seq, "rate %u\n", lim->rate.conns);
	seq_printf(seq, "rate_period_ms %u\n", lim->rate.period_ms);
	seq_printf(seq, "rate_burst %u\n", lim->rate.burst);
	seq_printf(seq, "halfopen_max %u\n", lim->halfopen_max);
	seq_printf(seq, "prefix4 %u\n", cfg->prefix4);
	seq_printf(seq, "prefix6 %u\n", cfg->prefix6);
	seq_printf(seq, "dst_max %u\n", cfg->dst_max);
	seq_printf(seq, "dst_rate %u\n", cfg->dst_rate.conns);
	seq_printf(seq, "dst_rate_period_ms %u\n", cfg->dst_rate.period_ms);
	seq_printf(seq, "dst_rate_burst %u\n", cfg->dst_rate.burst);
	seq_printf(seq, "syn_timeout_ms %u\n", cfg->syn_timeout_ms);
	seq_printf(seq, "idle_timeout_ms %u\n", cfg->idle_timeout_ms);
	tcplimit_seq_reject(seq, cfg->reject);
	seq_printf(seq, "full_policy %s\n",
		   cfg->full_policy == TCPLIMIT_FULL_DROP ? "drop" : "admit");
	seq_printf(seq, "table_size %u\n", cfg->table_size);
	seq_printf(seq, "flow_table_size %u\n", cfg->flow_table_size);
	seq_printf(seq, "allowlist %u\n", tcplimit_allowlist_len(cfg->allow));
	seq_printf(seq, "ban_after %u\n", cfg->ban_after);
	seq_printf(seq, "ban_after_window_ms %u\n", cfg->ban_after_window_ms);
	seq_printf(seq, "ban_time_ms %u\n", cfg->ban_time_ms);
	seq_printf(seq, "ban_time_max_ms %u\n", cfg->ban_time_max_ms);
	seq_printf(seq, "slow_bytes %u\n", lim->slow_bytes);
	seq_printf(seq, "slow_period_ms %u\n", lim->slow_period_ms);
	seq_printf(seq, "abnormal_max %u\n", lim->abnormal_max);
	seq_printf(seq, "slow_action %s\n",
		   cfg->slow_action == TCPLIMIT_SLOW_RESET ? "reset" : "none");
	tcplimit_seq_policies(seq, cfg->policies);
}

static void tcplimit_seq_stat(struct seq_file *seq, const char *name, struct tcplimit_net *tn,
			      enum tcplimit_stat which)
{
	seq_printf(seq, "%s %llu\n", name, tcplimit_stat_read(tn->stats, which));
}

static void tcplimit_seq_header(struct seq_file *seq, struct tcplimit_net *tn, bool privileged)
{
	seq_printf(seq, "version %d\n", TCPLIMIT_GENL_VERSION);
	seq_printf(seq, "started %d\n", READ_ONCE(tn->started));
	tcplimit_seq_config(seq, rcu_dereference(tn->cfg));
	seq_printf(seq, "sources %d\n", atomic_read(&tn->sources.count));
	seq_printf(seq, "dsts %d\n", atomic_read(&tn->dsts.count));
	seq_printf(seq, "proof %d\n", READ_ONCE(tn->proof));
	if (privileged) {
		seq_printf(seq, "source_buckets %u\n", tcplimit_table_buckets(&tn->sources));
		seq_printf(seq, "source_longest_chain %u\n",
			   ((struct tcplimit_seq_private *)seq->private)->longest_chain);
		seq_printf(seq, "dst_buckets %u\n", tcplimit_table_buckets(&tn->dsts));
		seq_printf(seq, "flow_buckets %u\n", tcplimit_table_buckets(&tn->flows));
	}
	seq_printf(seq, "conns %d\n", atomic_read(&tn->flows.count));
	seq_printf(seq, "halfopen %d\n", tcplimit_gauge_read(tn->halfopen));
	tcplimit_seq_stat(seq, "admitted", tn, TCPLIMIT_STAT_ADMITTED);
	tcplimit_seq_stat(seq, "limited_rate", tn, TCPLIMIT_STAT_LIMITED_RATE);
	tcplimit_seq_stat(seq, "limited_conn", tn, TCPLIMIT_STAT_LIMITED_CONN);
	tcplimit_seq_stat(seq, "limited_halfopen", tn, TCPLIMIT_STAT_LIMITED_HALFOPEN);
	tcplimit_seq_stat(seq, "limited_dst", tn, TCPLIMIT_STAT_LIMITED_DST);
	tcplimit_seq_stat(seq, "table_full", tn, TCPLIMIT_STAT_TABLE_FULL);
	seq_printf(seq, "expired %lld\n", (long long)atomic64_read(&tn->expired));
	tcplimit_seq_stat(seq, "rejected", tn, TCPLIMIT_STAT_REJECTED);
	seq_printf(seq, "unproven %lld\n", (long long)atomic64_read(&tn->unproven));
	seq_printf(seq, "aborted %lld\n", (long long)atomic64_read(&tn->aborted));
	tcplimit_seq_stat(seq, "allowed", tn, TCPLIMIT_STAT_ALLOWED);
	/* A walk of the ban table: for those who may see the sources. */
	if (privileged)
		seq_printf(seq, "bans %u\n", tcplimit_bans_in_force(tn));
	tcplimit_seq_stat(seq, "banned", tn, TCPLIMIT_STAT_BANNED);
	tcplimit_seq_stat(seq, "ban_full", tn, TCPLIMIT_STAT_BAN_FULL);
	tcplimit_seq_stat(seq, "slow_found", tn, TCPLIMIT_STAT_SLOW_FOUND);
	tcplimit_seq_stat(seq, "slow_reset", tn, TCPLIMIT_STAT_SLOW_RESET);
	seq_printf(seq, "events_suppressed %lld\n",
		   (long long)atomic64_read(&tn->events.suppressed_total));
	seq_puts(seq, "source conns halfopen rate_avail limited slow\n");
	if (!privileged)
		seq_puts(seq, "# sources hidden: CAP_NET_ADMIN needed\n");
}

static int tcplimit_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_net(seq);
	struct tcplimit_net *tn = tcplimit_pernet(net);
	const struct tcplimit_config *cfg;
	const struct tcplimit_policy *policy;
	struct hlist_head *head = v;
	struct tcplimit_entry *src;
	u64 now;

	if (v == SEQ_START_TOKEN) {
		tcplimit_seq_header(seq, tn, tcplimit_seq_privileged(seq));
		return 0;
	}
	cfg = rcu_dereference(tn->cfg);
	now = ktime_get_ns();
	hlist_for_each_entry_rcu(src, head, node) {
		policy = tcplimit_entry_policy(cfg, src);
		if (src->key.family == NFPROTO_IPV4)
			seq_printf(seq, "%pI4/%u", &src->key.addr.ip, src->key.prefix_len);
		else
			seq_printf(seq, "%pI6c/%u", &src->key.addr.in6, src->key.prefix_len);
		/* Counted under a port-range policy: ":FIRST-LAST" (":FIRST", once gone). */
		if (src->key.policy)
			seq_printf(seq, ":%u", ntohs(src->key.port));
		if (policy)
			seq_printf(seq, "-%u", policy->last);
		seq_printf(seq, " %d %d %u %llu %u\n", atomic_read(&src->conns),
			   atomic_read(&src->halfopen),
			   tcplimit_rate_avail(src, &tcplimit_entry_limits(cfg, src)->rate, now),
			   READ_ONCE(src->limited), READ_ONCE(src->slow));
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
			     sizeof(struct tcplimit_seq_private)))
		return -ENOMEM;
	return 0;
}

void tcplimit_proc_exit(struct net *net)
{
	remove_proc_entry("tcplimit", net->proc_net);
}
