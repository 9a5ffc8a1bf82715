// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_save.c: "save": the configuration as tcplimitctl commands, one set-*
 * command per knob, in the units the command line takes, then the port
 * policies ("policy del all" and one "policy add" per policy) and the
 * allowlist ("disallow all" and one "allow" per prefix), so that "restore"
 * (or running the lines) reproduces it exactly. A disabled rate is saved as
 * "off": its period and burst have no effect and are not kept.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include <linux/tcplimit.h>

#include "allowlist.h"
#include "bans.h"
#include "commands.h"
#include "error.h"
#include "settings.h"
#include "format.h"
#include "names.h"
#include "netlink.h"
#include "policies.h"
#include "print.h"
#include "query.h"

static void save_rate(const struct tl_config *cfg, const struct setting *f)
{
	char rate[RATE_LEN];

	if (!cfg->v[f->attr]) {
		pr_text(" off");
		return;
	}
	format_rate(rate, sizeof(rate), cfg->v[f->attr],
		    TL_HAS(cfg, f->attr2) ? cfg->v[f->attr2] : 1000,
		    TL_HAS(cfg, f->attr3) ? cfg->v[f->attr3] : 0);
	pr_text(" %s", rate);
}

/* "drop", "reject" (every limit) or "reject rate conn"; false: unknown bits. */
static bool save_reject(uint64_t mask)
{
	size_t i;

	if (!(mask & TCPLIMIT_LIMIT_ALL)) {
		pr_text(" drop");
	} else if ((mask & TCPLIMIT_LIMIT_ALL) == TCPLIMIT_LIMIT_ALL) {
		pr_text(" reject");
	} else {
		pr_text(" reject");
		for (i = 0; i < limit_names.n; i++)
			if (mask & limit_names.v[i].val)
				pr_text(" %s", limit_names.v[i].name);
	}
	if (mask & ~(uint64_t)TCPLIMIT_LIMIT_ALL) {
		err_msg("save: reject mask 0x%" PRIx64 " has limits unknown to this tool, not saved",
			mask & ~(uint64_t)TCPLIMIT_LIMIT_ALL);
		return false;
	}
	return true;
}

/* One "tcplimitctl set-..." line; false if the value cannot be written. */
static bool save_field(const struct tl_config *cfg, const struct setting *f)
{
	char buf[DURATION_LEN];
	uint64_t v = cfg->v[f->attr];
	const char *name = NULL;
	bool ok = true;

	if (f->kind == SETTING_NAME || f->kind == SETTING_ON_OFF) {
		name = v <= UINT32_MAX ? names_name(f->names, (uint32_t)v) : NULL;
		if (!name) {
			err_msg("save: %s %" PRIu64 " is unknown to this tool, not saved",
				f->label, v);
			pr_text("# set-%s %" PRIu64 ": unknown to this tool\n", f->name, v);
			return false;
		}
	}

	pr_text(PROG_NAME " set-%s", f->name);
	switch (f->kind) {
	case SETTING_NAME:
	case SETTING_ON_OFF:
		pr_text(" %s", name);
		break;
	case SETTING_RATE:
		save_rate(cfg, f);
		break;
	case SETTING_PREFIX:
		if (TL_HAS(cfg, f->attr))
			pr_text(" v4 %" PRIu64, v);
		if (TL_HAS(cfg, f->attr2))
			pr_text(" v6 %" PRIu64, cfg->v[f->attr2]);
		break;
	case SETTING_DURATION:
		format_duration(buf, sizeof(buf), v);
		pr_text(" %s", buf);
		if (f->attr2 && TL_HAS(cfg, f->attr2)) {
			format_duration(buf, sizeof(buf), cfg->v[f->attr2]);
			pr_text(" max %s", buf);
		}
		break;
	case SETTING_REJECT:
		ok = save_reject(v);
		break;
	default:
		pr_text(" %" PRIu64, v);
		break;
	}
	pr_text("\n");
	return ok;
}

int cmd_save(int argc, char *argv[])
{
	struct tl_prefixes allowlist = { 0 };
	struct tl_bans bans = { 0 };
	char left[DURATION_LEN];
	char name[PREFIX_NAME_LEN], policy[POLICY_LEN];
	struct tl_config cfg;
	struct nl_ctx *ctx;
	bool ok = true;
	size_t i;
	int ret;

	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (pr_json()) {
		err_msg("save: no JSON output (it prints tcplimitctl commands)");
		return EXIT_USAGE;
	}
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = query_config(ctx, &cfg);
	if (ret)
		nl_report(ctx, "save: reading the configuration", ret);
	else if ((ret = query_allowlist(ctx, &allowlist)))
		nl_report(ctx, "save: reading the allowlist", ret);
	else if ((ret = query_bans(ctx, &bans)))
		nl_report(ctx, "save: reading the bans", ret);
	nl_close(ctx);
	if (ret) {
		prefixes_free(&allowlist);
		free(bans.v);
		return EXIT_FAIL;
	}

	pr_text("# tcplimit configuration (tcplimit netlink version %u), by tcplimitctl save\n"
		"# apply with: tcplimitctl restore FILE (every setting at once, or none)\n",
		cfg.version);
	for (i = 0; i < n_settings; i++) {
		const struct setting *f = &settings[i];

		if (TL_HAS(&cfg, f->attr) || (f->kind == SETTING_PREFIX && TL_HAS(&cfg, f->attr2)))
			ok &= save_field(&cfg, f);
	}
	/* A kernel without policies would refuse even "policy del all". */
	if (TL_HAS(&cfg, TCPLIMIT_A_POLICIES))
		pr_text(PROG_NAME " policy del all\n");
	for (i = 0; i < cfg.policies.n; i++) {
		policy_format(&cfg.policies.v[i], policy, sizeof(policy));
		pr_text(PROG_NAME " policy add %s\n", policy);
	}
	pr_text(PROG_NAME " disallow all\n");
	for (i = 0; i < allowlist.n; i++) {
		const struct tl_prefix *p = &allowlist.v[i];

		prefix_format(p->family, p->addr, p->len, name, sizeof(name));
		pr_text(PROG_NAME " allow %s\n", name);
	}
	/* The time they had left, in whole seconds (restore bans them by hand). */
	for (i = 0; i < bans.n; i++) {
		const struct tl_ban *b = &bans.v[i];

		prefix_format(b->p.family, b->p.addr, b->p.len, name, sizeof(name));
		format_duration(left, sizeof(left), (b->left_ms + 999ULL) / 1000 * 1000);
		pr_text(PROG_NAME " ban %s for %s\n", name, left);
	}
	prefixes_free(&allowlist);
	free(bans.v);
	return ok ? EXIT_OK : EXIT_FAIL;
}
