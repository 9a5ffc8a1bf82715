// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_metrics.c: "metrics": the totals and the configuration in the
 * Prometheus text exposition format 0.0.4, for a node_exporter textfile
 * collector or an exporter running the command. Every metric is named
 * tcplimit_*, has # HELP and # TYPE; counters end in _total; durations are
 * in seconds; enumerated values are one 0/1 series per value, labelled.
 * No per-source series: their number is up to the clients.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "fields.h"
#include "names.h"
#include "netlink.h"
#include "print.h"
#include "query.h"

struct cfg_metric {
	const char *name;
	uint16_t attr;
	bool ms;		/* milliseconds, exported in seconds */
	const char *help;
};

static const struct cfg_metric cfg_metrics[] = {
	{ "max_conn", TCPLIMIT_A_MAX_CONN, false,
	  "Concurrent connections per source, 0 = no limit." },
	{ "rate", TCPLIMIT_A_RATE, false,
	  "New connections per source per rate period, 0 = no limit." },
	{ "rate_period_seconds", TCPLIMIT_A_RATE_PERIOD_MS, true,
	  "The period of the per-source rate." },
	{ "rate_burst", TCPLIMIT_A_RATE_BURST, false,
	  "New connections a source may open at once, 0 = the rate." },
	{ "halfopen_max", TCPLIMIT_A_HALFOPEN_MAX, false,
	  "Handshakes in progress per source, 0 = no limit." },
	{ "dst_max", TCPLIMIT_A_DST_MAX, false,
	  "Concurrent connections per destination, 0 = no limit." },
	{ "dst_rate", TCPLIMIT_A_DST_RATE, false,
	  "New connections per destination per rate period, 0 = no limit." },
	{ "dst_rate_period_seconds", TCPLIMIT_A_DST_RATE_PERIOD_MS, true,
	  "The period of the per-destination rate." },
	{ "dst_rate_burst", TCPLIMIT_A_DST_RATE_BURST, false,
	  "New connections to a destination at once, 0 = the rate." },
	{ "syn_timeout_seconds", TCPLIMIT_A_SYN_TIMEOUT_MS, true,
	  "A handshake stops counting after this long." },
	{ "idle_timeout_seconds", TCPLIMIT_A_IDLE_TIMEOUT_MS, true,
	  "A connection without packets stops counting after this long." },
	{ "dry_run", TCPLIMIT_A_DRY_RUN, false,
	  "1: limits are counted, not enforced." },
	{ "table_size", TCPLIMIT_A_TABLE_SIZE, false, "Source table entries." },
	{ "flow_table_size", TCPLIMIT_A_FLOW_TABLE_SIZE, false, "Tracked connections." },
};

static const struct name_val family_v[] = {
	{ "ipv4",	TCPLIMIT_A_PREFIX4 },
	{ "ipv6",	TCPLIMIT_A_PREFIX6 },
};

static const struct names family_names = NAMES(family_v);

static void metric_head(const char *name, const char *type, const char *help)
{
	pr_text("# HELP tcplimit_%s %s\n# TYPE tcplimit_%s %s\n", name, help, name, type);
}

/* Milliseconds as seconds: "75", "0.1", "1.25". */
static void print_seconds(uint64_t ms)
{
	unsigned int frac = (unsigned int)(ms % 1000), digits = 3;

	pr_text("%" PRIu64, ms / 1000);
	if (!frac)
		return;
	while (!(frac % 10)) {
		frac /= 10;
		digits--;
	}
	pr_text(".%0*u", (int)digits, frac);
}

static void print_stats(const struct tl_stats *stats)
{
	const struct count_field *c;
	size_t i;

	for (i = 0; i < n_stats_fields; i++) {
		c = &stats_fields[i];
		if (!TL_HAS(stats, c->attr))
			continue;
		if (c->counter) {
			pr_text("# HELP tcplimit_%s_total %s\n# TYPE tcplimit_%s_total counter\n",
				c->key, c->help, c->key);
			pr_text("tcplimit_%s_total %" PRIu64 "\n", c->key, stats->v[c->attr]);
		} else {
			metric_head(c->key, "gauge", c->help);
			pr_text("tcplimit_%s %" PRIu64 "\n", c->key, stats->v[c->attr]);
		}
	}
}

/*
 * tcplimit_@name{@label="<name>"}, one series per name of @names: with
 * @per_attr, the value of the attribute whose type is the name's value;
 * else 1 if the name's value is that of @attr (for the reject mask: its bit
 * is set in it), 0 if not.
 */
static void print_labelled(const struct tl_config *cfg, const char *name, const char *label,
			   const char *help, const struct names *names, uint16_t attr,
			   bool per_attr)
{
	uint64_t v;
	size_t i;

	metric_head(name, "gauge", help);
	for (i = 0; i < names->n; i++) {
		if (per_attr) {
			if (!TL_HAS(cfg, names->v[i].val))
				continue;
			v = cfg->v[names->v[i].val];
		} else if (attr == TCPLIMIT_A_REJECT) {
			v = !!(cfg->v[attr] & names->v[i].val);
		} else {
			v = cfg->v[attr] == names->v[i].val;
		}
		pr_text("tcplimit_%s{%s=\"%s\"} %" PRIu64 "\n", name, label, names->v[i].name, v);
	}
}

static void print_config(const struct tl_config *cfg)
{
	const struct cfg_metric *m;
	char name[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cfg_metrics); i++) {
		m = &cfg_metrics[i];
		if (!TL_HAS(cfg, m->attr))
			continue;
		snprintf(name, sizeof(name), "config_%s", m->name);
		metric_head(name, "gauge", m->help);
		pr_text("tcplimit_%s ", name);
		if (m->ms)
			print_seconds(cfg->v[m->attr]);
		else
			pr_text("%" PRIu64, cfg->v[m->attr]);
		pr_text("\n");
	}
	if (TL_HAS(cfg, TCPLIMIT_A_PREFIX4) || TL_HAS(cfg, TCPLIMIT_A_PREFIX6))
		print_labelled(cfg, "config_prefix_len", "family",
			       "Leading address bits that make a source.", &family_names, 0, true);
	if (TL_HAS(cfg, TCPLIMIT_A_MODE))
		print_labelled(cfg, "config_mode", "mode",
			       "1 for the mode in use: connections to this host, or routed through it.",
			       &mode_names, TCPLIMIT_A_MODE, false);
	if (TL_HAS(cfg, TCPLIMIT_A_REJECT))
		print_labelled(cfg, "config_reject", "limit",
			       "1: SYNs refused by this limit get an RST, 0: they are dropped.",
			       &limit_names, TCPLIMIT_A_REJECT, false);
	if (TL_HAS(cfg, TCPLIMIT_A_FULL_POLICY))
		print_labelled(cfg, "config_full_policy", "policy",
			       "1 for the policy in use when a table is full.",
			       &full_policy_names, TCPLIMIT_A_FULL_POLICY, false);
}

int cmd_metrics(int argc, char *argv[])
{
	struct tl_config cfg;
	struct tl_stats stats;
	struct nl_ctx *ctx;
	int ret;

	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (pr_json()) {
		err_msg("metrics: no JSON output (it prints the Prometheus text format)");
		return EXIT_USAGE;
	}
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = query_stats(ctx, &stats);
	if (ret) {
		nl_report(ctx, "metrics: reading the totals", ret);
	} else {
		ret = query_config(ctx, &cfg);
		if (ret)
			nl_report(ctx, "metrics: reading the configuration", ret);
	}
	nl_close(ctx);
	if (ret)
		return EXIT_FAIL;
	print_stats(&stats);
	print_config(&cfg);
	return EXIT_OK;
}
