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
#include "settings.h"
#include "names.h"
#include "netlink.h"
#include "print.h"
#include "query.h"

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

/* tcplimit_config_@metric, a value (@ms: milliseconds shown in seconds). */
static void print_value(const struct tl_config *cfg, const char *metric, const char *help,
			uint16_t attr, bool ms)
{
	char name[64];

	if (!metric || !TL_HAS(cfg, attr))
		return;
	snprintf(name, sizeof(name), "config_%s", metric);
	metric_head(name, "gauge", help);
	pr_text("tcplimit_%s ", name);
	if (ms)
		print_seconds(cfg->v[attr]);
	else
		pr_text("%" PRIu64, cfg->v[attr]);
	pr_text("\n");
}

/* Every setting: values as gauges; words, prefixes and the mask labelled. */
static void print_config(const struct tl_config *cfg)
{
	const struct setting *s;
	char name[64];
	size_t i;

	for (i = 0; i < n_settings; i++) {
		s = &settings[i];
		snprintf(name, sizeof(name), "config_%s", s->metric);
		switch (s->kind) {
		case SETTING_NUM:
		case SETTING_ON_OFF:
			print_value(cfg, s->metric, s->metric_help, s->attr, false);
			break;
		case SETTING_DURATION:
			print_value(cfg, s->metric, s->metric_help, s->attr, true);
			if (s->attr2)
				print_value(cfg, s->metric2, s->metric_help2, s->attr2, true);
			break;
		case SETTING_RATE:
			print_value(cfg, s->metric, s->metric_help, s->attr, false);
			print_value(cfg, s->metric2, s->metric_help2, s->attr2, true);
			if (s->attr3)
				print_value(cfg, s->metric3, s->metric_help3, s->attr3, false);
			break;
		case SETTING_PREFIX:
			if (TL_HAS(cfg, s->attr) || TL_HAS(cfg, s->attr2))
				print_labelled(cfg, name, s->metric_label, s->metric_help,
					       &family_names, 0, true);
			break;
		case SETTING_NAME:
			if (TL_HAS(cfg, s->attr))
				print_labelled(cfg, name, s->metric_label, s->metric_help,
					       s->names, s->attr, false);
			break;
		case SETTING_REJECT:
			if (TL_HAS(cfg, s->attr))
				print_labelled(cfg, name, s->metric_label, s->metric_help,
					       &limit_names, s->attr, false);
			break;
		}
	}
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
