// SPDX-License-Identifier: GPL-2.0
/*
 * show_print.c: the configuration, totals and sources through print.h: each
 * value printed once, with its JSON key (settings.h, fields.h) and its text form ("show"
 * as in Documentation/tcplimit.rst). Values the kernel did not send (older
 * kernel) are left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "fields.h"
#include "settings.h"
#include "format.h"
#include "names.h"
#include "policies.h"
#include "print.h"
#include "show.h"

/* "off", or "20/1s burst 20"; JSON: rate, rate_period_ms, rate_burst when on. */
static void print_rate(const struct tl_config *cfg, const struct setting *f)
{
	char period[DURATION_LEN];

	if (!cfg->v[f->attr]) {
		pr_uint(PR_JSON, f->key, NULL, 0);
		pr_text("off");
		return;
	}
	pr_uint(PR_ANY, f->key, "%" PRIu64, cfg->v[f->attr]);
	if (TL_HAS(cfg, f->attr2)) {
		format_period(period, sizeof(period), cfg->v[f->attr2]);
		pr_uint(PR_JSON, f->key2, NULL, cfg->v[f->attr2]);
		pr_text("/%s", period);
	}
	if (TL_HAS(cfg, f->attr3))
		pr_uint(PR_ANY, f->key3, " burst %" PRIu64, cfg->v[f->attr3]);
}

/* "v4 /32 v6 /64"; JSON: prefix4, prefix6. */
static void print_prefix(const struct tl_config *cfg, const struct setting *f)
{
	if (TL_HAS(cfg, f->attr))
		pr_uint(PR_ANY, f->key, "v4 /%" PRIu64, cfg->v[f->attr]);
	if (TL_HAS(cfg, f->attr2))
		pr_uint(PR_ANY, f->key2, TL_HAS(cfg, f->attr) ? " v6 /%" PRIu64 : "v6 /%" PRIu64,
			cfg->v[f->attr2]);
}

/* "none", "all", "rate,conn"; JSON: an array of the limit names. */
static void print_reject(const char *key, uint64_t mask)
{
	const char *sep = "";
	size_t i;

	pr_open_array(key);
	if (!mask)
		pr_text("none");
	if ((mask & TCPLIMIT_LIMIT_ALL) == TCPLIMIT_LIMIT_ALL) {
		pr_text("all");
		sep = ",";
	}
	for (i = 0; i < limit_names.n; i++) {
		if (!(mask & limit_names.v[i].val))
			continue;
		pr_string(PR_JSON, NULL, NULL, limit_names.v[i].name);
		if ((mask & TCPLIMIT_LIMIT_ALL) != TCPLIMIT_LIMIT_ALL) {
			pr_text("%s%s", sep, limit_names.v[i].name);
			sep = ",";
		}
		mask &= ~(uint64_t)limit_names.v[i].val;
	}
	if (mask) {	/* bits of a newer kernel */
		pr_uint(PR_JSON, NULL, NULL, mask);
		pr_text("%s0x%" PRIx64, sep, mask);
	}
	pr_close_array();
}

static void print_config_value(const struct tl_config *cfg, const struct setting *f)
{
	uint64_t v = cfg->v[f->attr];
	const char *name;

	switch (f->kind) {
	case SETTING_NAME:
		name = v <= UINT32_MAX ? names_name(f->names, (uint32_t)v) : NULL;
		if (name)
			pr_string(PR_ANY, f->key, "%s", name);
		else
			pr_uint(PR_ANY, f->key, "%" PRIu64, v);
		break;
	case SETTING_ON_OFF:
		pr_on_off(PR_ANY, f->key, "%s", v != 0);
		break;
	case SETTING_RATE:
		print_rate(cfg, f);
		break;
	case SETTING_PREFIX:
		print_prefix(cfg, f);
		break;
	case SETTING_DURATION:
		pr_duration(PR_ANY, f->key, "%s", v);
		if (f->attr2 && TL_HAS(cfg, f->attr2))
			pr_duration(PR_ANY, f->key2, " max %s", cfg->v[f->attr2]);
		break;
	case SETTING_REJECT:
		print_reject(f->key, v);
		break;
	default:
		pr_uint(PR_ANY, f->key, "%" PRIu64, v);
		break;
	}
}

void show_print_config(const struct tl_config *cfg)
{
	const struct setting *f;
	size_t i;

	for (i = 0; i < n_settings; i++) {
		f = &settings[i];
		/* Either prefix may be there alone. */
		if (!TL_HAS(cfg, f->attr) && !(f->kind == SETTING_PREFIX && TL_HAS(cfg, f->attr2)))
			continue;
		pr_text("  %s: ", f->label);
		print_config_value(cfg, f);
		pr_text("\n");
	}
	/* Only if there are any: without policies, "show" is as it was. */
	if (cfg->policies.n) {
		pr_text("  policies:\n");
		policies_print(&cfg->policies, "policies", "    ");
	}
}

void show_print_stats(const struct tl_stats *stats)
{
	const struct count_field *c;
	size_t i;

	for (i = 0; i < n_stats_fields; i++) {
		c = &stats_fields[i];
		if (!TL_HAS(stats, c->attr))
			continue;
		pr_text("  %s: ", c->key);
		pr_uint(PR_ANY, c->key, "%" PRIu64 "\n", stats->v[c->attr]);
	}
}

/*
 * One source: its name with @name_fmt, its policy's ports, each count with
 * its entry of @fmts, then @end as text. In a table (@fmts) the ports are a
 * column of @port_width ("-" for the default policy; 0: no such column, no
 * source has a policy); else " port 22" after the name, if any, then a line
 * end, and "  key: value" lines. JSON: an object, port_first and port_last
 * only under a policy (port_last only while it is configured).
 */
static void print_source(const struct tl_source *src, const char *name_fmt, int port_width,
			 char (*fmts)[16], const char *end)
{
	char name[SOURCE_NAME_LEN], ports[PORTS_LEN];
	bool policy = source_ports(src, ports, sizeof(ports));
	size_t i;

	source_name(src, name, sizeof(name));
	pr_open_object(NULL);
	pr_string(PR_ANY, "source", name_fmt, name);
	if (policy) {
		pr_uint(PR_JSON, "port_first", NULL, src->v[TCPLIMIT_SOURCE_A_PORT_FIRST]);
		if (TL_HAS(src, TCPLIMIT_SOURCE_A_PORT_LAST))
			pr_uint(PR_JSON, "port_last", NULL, src->v[TCPLIMIT_SOURCE_A_PORT_LAST]);
	}
	if (fmts) {
		if (port_width)
			pr_text(" %-*s", port_width, policy ? ports : "-");
	} else if (policy)
		pr_text(" port %s\n", ports);
	else
		pr_text("\n");
	for (i = 0; i < n_source_fields; i++) {
		const struct count_field *c = &source_fields[i];

		if (!TL_HAS(src, c->attr))
			continue;
		if (!fmts)
			pr_text("  %s: ", c->key);
		pr_uint(PR_ANY, c->key, fmts ? fmts[i] : "%" PRIu64 "\n", src->v[c->attr]);
	}
	pr_text("%s", end);
	pr_close_object();
}

void show_print_source(const struct tl_source *src)
{
	print_source(src, "\nsource %s", 0, NULL, "");
}

static int num_width(uint64_t v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

void show_print_source_table(const struct tl_sources *list)
{
	char name[SOURCE_NAME_LEN], ports[PORTS_LEN], name_fmt[16], fmts[8][16];
	int width[8] = { 0 }, name_width = (int)strlen("source");
	int port_width = 0;	/* no port column while no source has a policy */
	size_t i, j;

	if (n_source_fields > ARRAY_SIZE(fmts))
		return;
	for (j = 0; j < n_source_fields; j++)
		width[j] = (int)strlen(source_fields[j].key);
	for (i = 0; i < list->n; i++) {
		source_name(&list->v[i], name, sizeof(name));
		if ((int)strlen(name) > name_width)
			name_width = (int)strlen(name);
		if (source_ports(&list->v[i], ports, sizeof(ports))) {
			if (port_width < (int)strlen("port"))
				port_width = (int)strlen("port");
			if ((int)strlen(ports) > port_width)
				port_width = (int)strlen(ports);
		}
		for (j = 0; j < n_source_fields; j++)
			if (num_width(list->v[i].v[source_fields[j].attr]) > width[j])
				width[j] = num_width(list->v[i].v[source_fields[j].attr]);
	}

	snprintf(name_fmt, sizeof(name_fmt), "%%-%ds", name_width);
	pr_text("%-*s", name_width, "source");
	if (port_width)
		pr_text(" %-*s", port_width, "port");
	for (j = 0; j < n_source_fields; j++) {
		snprintf(fmts[j], sizeof(fmts[j]), " %%%d" PRIu64, width[j]);
		pr_text(" %*s", width[j], source_fields[j].key);
	}
	pr_text("\n");
	for (i = 0; i < list->n; i++)
		print_source(&list->v[i], name_fmt, port_width, fmts, "\n");
}
