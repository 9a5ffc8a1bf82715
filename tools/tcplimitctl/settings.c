// SPDX-License-Identifier: GPL-2.0
/*
 * settings.c: the table of settings (settings.h) and the parsers of their
 * arguments, one per kind, into a SET_CONFIG request.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "parse.h"
#include "set.h"
#include "settings.h"

#define NUM(n, a, k, m, args_, help_, metric_, mhelp)				\
	{ .name = (n), .label = (n), .kind = SETTING_NUM, .attr = (a), .key = (k),	\
	  .max = (m), .args = (args_), .help = (help_), .metric = (metric_),	\
	  .metric_help = (mhelp) }
#define DURATION(n, a, k, help_, metric_, mhelp)					\
	{ .name = (n), .label = (n), .kind = SETTING_DURATION, .attr = (a),		\
	  .key = (k), .args = "DURATION", .help = (help_), .metric = (metric_),	\
	  .metric_help = (mhelp) }
#define RATE(n, a, k, help_, m, mhelp, mhelp2, mhelp3)					\
	{ .name = (n), .label = (n), .kind = SETTING_RATE,				\
	  .attr = a, .attr2 = a##_PERIOD_MS, .attr3 = a##_BURST,			\
	  .key = k, .key2 = k "_period_ms", .key3 = k "_burst",			\
	  .args = "N/PERIOD [burst B] | off", .help = (help_),			\
	  .metric = m, .metric2 = m "_period_seconds", .metric3 = m "_burst",	\
	  .metric_help = (mhelp), .metric_help2 = (mhelp2), .metric_help3 = (mhelp3) }

const struct setting settings[] = {
	{ .name = "mode", .label = "mode", .kind = SETTING_NAME, .attr = TCPLIMIT_A_MODE,
	  .key = "mode", .names = &mode_names, .args = "host|gateway",
	  .help = "limit connections to this host, or routed through it",
	  .metric = "mode", .metric_label = "mode",
	  .metric_help = "1 for the mode in use: connections to this host, or routed through it." },
	{ .name = "dry-run", .label = "dry-run", .kind = SETTING_ON_OFF,
	  .attr = TCPLIMIT_A_DRY_RUN, .key = "dry_run", .names = &onoff_names, .args = "on|off",
	  .help = "on: count what would be limited, enforce nothing",
	  .metric = "dry_run", .metric_help = "1: limits are counted, not enforced." },
	NUM("max", TCPLIMIT_A_MAX_CONN, "max", TCPLIMIT_MAX_CONN_LIMIT, "N",
	    "concurrent connections per source (0 = no limit)",
	    "max_conn", "Concurrent connections per source, 0 = no limit."),
	RATE("rate", TCPLIMIT_A_RATE, "rate",
	     "new connections per source per PERIOD (0/off = no limit), burst B (0 = N)",
	     "rate", "New connections per source per rate period, 0 = no limit.",
	     "The period of the per-source rate.",
	     "New connections a source may open at once, 0 = the rate."),
	NUM("halfopen-max", TCPLIMIT_A_HALFOPEN_MAX, "halfopen_max", TCPLIMIT_MAX_CONN_LIMIT, "N",
	    "handshakes in progress per source (0 = no limit)",
	    "halfopen_max", "Handshakes in progress per source, 0 = no limit."),
	{ .name = "prefix", .label = "prefix", .kind = SETTING_PREFIX,
	  .attr = TCPLIMIT_A_PREFIX4, .attr2 = TCPLIMIT_A_PREFIX6,
	  .key = "prefix4", .key2 = "prefix6", .args = "[v4 LEN] [v6 LEN] | LEN4 [LEN6]",
	  .help = "leading address bits that make a source (v4 1..32, v6 1..128)",
	  .metric = "prefix_len", .metric_label = "family",
	  .metric_help = "Leading address bits that make a source." },
	NUM("dst-max", TCPLIMIT_A_DST_MAX, "dst_max", TCPLIMIT_MAX_CONN_LIMIT, "N",
	    "concurrent connections per local address+port (0 = no limit)",
	    "dst_max", "Concurrent connections per destination, 0 = no limit."),
	RATE("dst-rate", TCPLIMIT_A_DST_RATE, "dst_rate",
	     "new connections per local address+port per PERIOD (0/off = no limit)",
	     "dst_rate", "New connections per destination per rate period, 0 = no limit.",
	     "The period of the per-destination rate.",
	     "New connections to a destination at once, 0 = the rate."),
	DURATION("syn-timeout", TCPLIMIT_A_SYN_TIMEOUT_MS, "syn_timeout_ms",
		 "a handshake stops counting after DURATION",
		 "syn_timeout_seconds", "A handshake stops counting after this long."),
	DURATION("idle-timeout", TCPLIMIT_A_IDLE_TIMEOUT_MS, "idle_timeout_ms",
		 "a connection stops counting after DURATION without packets",
		 "idle_timeout_seconds",
		 "A connection without packets stops counting after this long."),
	{ .name = "action", .label = "reject", .kind = SETTING_REJECT,
	  .attr = TCPLIMIT_A_REJECT, .key = "reject", .args = "drop | reject [LIMIT...]",
	  .help = "limited SYNs get an RST: all limits, or the LIMITs given; others drop",
	  .metric = "reject", .metric_label = "limit",
	  .metric_help = "1: SYNs refused by this limit get an RST, 0: they are dropped." },
	{ .name = "full-policy", .label = "full-policy", .kind = SETTING_NAME,
	  .attr = TCPLIMIT_A_FULL_POLICY, .key = "full_policy", .names = &full_policy_names,
	  .args = "admit|drop",
	  .help = "a new connection finding the table full: pass it untracked, or drop it",
	  .metric = "full_policy", .metric_label = "policy",
	  .metric_help = "1 for the policy in use when a table is full." },
	NUM("table-size", TCPLIMIT_A_TABLE_SIZE, "table_size", TCPLIMIT_MAX_TABLE_SIZE, "N",
	    "source table entries (0 = default)", "table_size", "Source table entries."),
	NUM("flow-table-size", TCPLIMIT_A_FLOW_TABLE_SIZE, "flow_table_size",
	    TCPLIMIT_MAX_TABLE_SIZE, "N", "tracked connections, a quarter more for proven sources (0 = default)",
	    "flow_table_size", "Tracked connections."),
	{ .name = "ban-after", .label = "ban-after", .kind = SETTING_RATE,
	  .attr = TCPLIMIT_A_BAN_AFTER, .attr2 = TCPLIMIT_A_BAN_AFTER_WINDOW_MS,
	  .key = "ban_after", .key2 = "ban_after_window_ms", .args = "K/WINDOW | off",
	  .help = "ban a source refused by its limits K times within WINDOW (0/off = never)",
	  .metric = "ban_after", .metric2 = "ban_after_window_seconds",
	  .metric_help = "Refusals within the window that ban a source, 0 = never.",
	  .metric_help2 = "The window of ban-after." },
	{ .name = "ban-time", .label = "ban-time", .kind = SETTING_DURATION,
	  .attr = TCPLIMIT_A_BAN_TIME_MS, .attr2 = TCPLIMIT_A_BAN_TIME_MAX_MS,
	  .key = "ban_time_ms", .key2 = "ban_time_max_ms", .args = "DURATION [max DURATION]",
	  .help = "a ban lasts DURATION, doubled for each repeat offence up to max",
	  .metric = "ban_time_seconds", .metric2 = "ban_time_max_seconds",
	  .metric_help = "How long a ban lasts.",
	  .metric_help2 = "The longest a repeat offender's doubled ban lasts." },
	{ .name = "slow", .label = "slow", .kind = SETTING_RATE,
	  .attr = TCPLIMIT_A_SLOW_BYTES, .attr2 = TCPLIMIT_A_SLOW_PERIOD_MS,
	  .key = "slow_bytes", .key2 = "slow_period_ms", .args = "BYTES/PERIOD | off",
	  .help = "a connection moving fewer than BYTES per PERIOD is slow (0/off = never)",
	  .metric = "slow_bytes", .metric2 = "slow_period_seconds",
	  .metric_help = "Payload bytes per slow period under which a connection is slow, 0 = off.",
	  .metric_help2 = "The slow period." },
	NUM("abnormal-max", TCPLIMIT_A_ABNORMAL_MAX, "abnormal_max", TCPLIMIT_MAX_CONN_LIMIT, "N",
	    "ban a source holding more than N slow connections (0 = never)",
	    "abnormal_max", "Slow connections a source may hold before a ban, 0 = no ban."),
	{ .name = "slow-action", .label = "slow-action", .kind = SETTING_NAME,
	  .attr = TCPLIMIT_A_SLOW_ACTION, .key = "slow_action", .names = &slow_action_names,
	  .args = "none|reset", .help = "reset: also reset each slow connection, freeing its slot",
	  .metric = "slow_action", .metric_label = "action",
	  .metric_help = "1 for what becomes of a slow connection." },
};

const size_t n_settings = ARRAY_SIZE(settings);

_Static_assert(ARRAY_SIZE(settings) <= MAX_SETTINGS, "raise MAX_SETTINGS");

const struct setting *setting_find(const char *name)
{
	size_t i;

	for (i = 0; i < n_settings; i++)
		if (!strcmp(settings[i].name, name))
			return &settings[i];
	return NULL;
}

size_t setting_max_words(const struct setting *s)
{
	switch (s->kind) {
	case SETTING_RATE:
		return s->attr3 ? 3 : 1;	/* N/PERIOD burst B */
	case SETTING_DURATION:
		return s->attr2 ? 3 : 1;	/* DURATION max DURATION */
	case SETTING_PREFIX:
		return 4;	/* v4 LEN v6 LEN */
	case SETTING_REJECT:
		return SIZE_MAX;
	default:
		return 1;
	}
}

unsigned int setting_attr_size(const struct setting *s)
{
	switch (s->kind) {
	case SETTING_NAME:
	case SETTING_ON_OFF:
	case SETTING_PREFIX:
		return 1;
	default:
		return 4;
	}
}

static int usage_error(const char *cmd)
{
	cmd_usage(cmd);
	return EXIT_USAGE;
}

/* "N": the u32 attribute = N (0..@s->max). */
static int parse_num(const struct setting *s, int argc, char *argv[], struct set_req *req)
{
	uint32_t val;

	if (argc != 2)
		return usage_error(argv[0]);
	if (parse_u32(argv[0], argv[1], s->max, &val))
		return EXIT_USAGE;
	set_add_u32(req, s->attr, val);
	return EXIT_OK;
}

/*
 * "DURATION [max DURATION]": the u32 attribute = DURATION in ms (a
 * timeout); the second, if the setting has one, = the max.
 */
static int parse_timeout(const struct setting *s, int argc, char *argv[], struct set_req *req)
{
	uint32_t ms, max_ms;
	char what[64];

	if (argc != 2 && !(argc == 4 && s->attr2))
		return usage_error(argv[0]);
	if (parse_duration(argv[0], argv[1], DUR_PLAIN_SECONDS,
			   TCPLIMIT_MIN_TIMEOUT_MS, TCPLIMIT_MAX_TIMEOUT_MS, &ms))
		return EXIT_USAGE;
	if (argc == 4) {
		if (strcmp(argv[2], "max")) {
			err_msg("%s: unknown keyword '%s' (expected max)", argv[0], argv[2]);
			return EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "%s max", argv[0]);
		if (parse_duration(what, argv[3], DUR_PLAIN_SECONDS,
				   TCPLIMIT_MIN_TIMEOUT_MS, TCPLIMIT_MAX_TIMEOUT_MS, &max_ms))
			return EXIT_USAGE;
		set_add_u32(req, s->attr2, max_ms);
	}
	set_add_u32(req, s->attr, ms);
	return EXIT_OK;
}

/* "WORD": the u8 attribute = the value of WORD in @s->names. */
static int parse_word(const struct setting *s, int argc, char *argv[], struct set_req *req)
{
	uint32_t val;

	if (argc != 2)
		return usage_error(argv[0]);
	if (parse_name(argv[0], argv[1], s->names, &val))
		return EXIT_USAGE;
	set_add_u8(req, s->attr, (uint8_t)val);
	return EXIT_OK;
}

/*
 * "N/PERIOD [burst B]": rate, period and burst (0 if not given); "0" or
 * "off": the rate alone, 0.
 */
static int parse_rate_setting(const struct setting *s, int argc, char *argv[],
			      struct set_req *req)
{
	uint32_t n, period_ms = 0, burst = 0;
	char what[64];

	if (argc != 2 && !(argc == 4 && s->attr3))
		return usage_error(argv[0]);
	if (parse_rate(argv[0], argv[1], TCPLIMIT_MAX_CONN_LIMIT, &n, &period_ms))
		return EXIT_USAGE;
	if (argc == 4) {
		if (strcmp(argv[2], "burst")) {
			err_msg("%s: unknown keyword '%s' (expected burst)", argv[0], argv[2]);
			return EXIT_USAGE;
		}
		if (!n) {
			err_msg("%s: no burst with the rate off", argv[0]);
			return EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "%s burst", argv[0]);
		if (parse_u32(what, argv[3], TCPLIMIT_MAX_CONN_LIMIT, &burst))
			return EXIT_USAGE;
	}
	set_add_u32(req, s->attr, n);
	if (n) {
		set_add_u32(req, s->attr2, period_ms);
		if (s->attr3)
			set_add_u32(req, s->attr3, burst);
	}
	return EXIT_OK;
}

static const struct name_val family_v[] = {
	{ "v4",	TCPLIMIT_A_PREFIX4 },
	{ "v6",	TCPLIMIT_A_PREFIX6 },
};

static const struct names family_names = NAMES(family_v);

/* One prefix length of attribute @attr, named "<cmd> v4" or "<cmd> v6". */
static int parse_one_prefix(const char *cmd, const char *arg, uint32_t attr,
			    struct set_req *req)
{
	uint32_t len;
	char what[64];

	snprintf(what, sizeof(what), "%s %s", cmd, attr == TCPLIMIT_A_PREFIX4 ? "v4" : "v6");
	if (parse_prefix_len(what, arg, attr == TCPLIMIT_A_PREFIX4 ? 32 : 128, &len))
		return EXIT_USAGE;
	set_add_u8(req, (uint16_t)attr, (uint8_t)len);
	return EXIT_OK;
}

/* "[v4 LEN] [v6 LEN]", or "LEN4 [LEN6]": the lengths of both families. */
static int parse_prefix(int argc, char *argv[], struct set_req *req)
{
	uint32_t attr, seen = 0;
	int i;

	if ((argc == 2 || argc == 3) && (isdigit((unsigned char)argv[1][0]) || argv[1][0] == '/')) {
		if (parse_one_prefix(argv[0], argv[1], TCPLIMIT_A_PREFIX4, req))
			return EXIT_USAGE;
		if (argc == 3 && parse_one_prefix(argv[0], argv[2], TCPLIMIT_A_PREFIX6, req))
			return EXIT_USAGE;
		return EXIT_OK;
	}
	if (argc != 3 && argc != 5)
		return usage_error(argv[0]);
	for (i = 1; i < argc; i += 2) {
		if (parse_name(argv[0], argv[i], &family_names, &attr))
			return EXIT_USAGE;
		if (seen & (1U << attr)) {
			err_msg("%s: %s given twice", argv[0], argv[i]);
			return EXIT_USAGE;
		}
		seen |= 1U << attr;
		if (parse_one_prefix(argv[0], argv[i + 1], attr, req))
			return EXIT_USAGE;
	}
	return EXIT_OK;
}

enum { ACTION_DROP, ACTION_REJECT };

static const struct name_val action_v[] = {
	{ "drop",	ACTION_DROP },
	{ "reject",	ACTION_REJECT },
};

static const struct names action_names = NAMES(action_v);

/* Add the limits named in @arg ("rate" or "rate,conn") to *@mask. */
static int parse_limits(const char *what, const char *arg, uint32_t *mask)
{
	const struct name_val *nv;
	const char *p = arg;
	char list[128];
	size_t len;

	for (;;) {
		len = strcspn(p, ",");
		if (!len) {
			err_msg("%s: '%s' has an empty limit name", what, arg);
			return -1;
		}
		nv = names_find(&limit_names, p, len);
		if (!nv) {
			names_join(&limit_names, list, sizeof(list));
			err_msg("%s: '%.*s' is not %s", what, (int)len, p, list);
			return -1;
		}
		if (*mask & nv->val) {
			err_msg("%s: '%s' given twice", what, nv->name);
			return -1;
		}
		*mask |= nv->val;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/*
 * "drop | reject [LIMIT...]": which limits answer a refused SYN with an RST;
 * "reject" alone means every limit; LIMITs may be comma-separated, as
 * "show" prints them ("reject rate,conn").
 */
static int parse_action(const struct setting *s, int argc, char *argv[], struct set_req *req)
{
	uint32_t action, mask = 0;
	int i;

	if (argc < 2)
		return usage_error(argv[0]);
	if (parse_name(argv[0], argv[1], &action_names, &action))
		return EXIT_USAGE;
	if (action == ACTION_DROP && argc > 2) {
		err_msg("%s: drop takes no limits ('reject LIMIT...' names the limits that reject, the others drop)",
			argv[0]);
		return EXIT_USAGE;
	}
	if (action == ACTION_REJECT && argc == 2)
		mask = TCPLIMIT_LIMIT_ALL;
	for (i = 2; i < argc; i++)
		if (parse_limits(argv[0], argv[i], &mask))
			return EXIT_USAGE;
	set_add_u32(req, s->attr, mask);
	return EXIT_OK;
}

int setting_parse(const struct setting *s, int argc, char *argv[], struct set_req *req)
{
	switch (s->kind) {
	case SETTING_NUM:
		return parse_num(s, argc, argv, req);
	case SETTING_NAME:
	case SETTING_ON_OFF:
		return parse_word(s, argc, argv, req);
	case SETTING_RATE:
		return parse_rate_setting(s, argc, argv, req);
	case SETTING_PREFIX:
		return parse_prefix(argc, argv, req);
	case SETTING_DURATION:
		return parse_timeout(s, argc, argv, req);
	case SETTING_REJECT:
		return parse_action(s, argc, argv, req);
	}
	return usage_error(argv[0]);
}
