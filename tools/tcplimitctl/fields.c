// SPDX-License-Identifier: GPL-2.0
/* fields.c: the names of the configuration values, totals and counts. */
#include <linux/tcplimit.h>

#include "fields.h"
#include "names.h"

#define NUM(l, s, a, k) \
	{ .label = (l), .set = (s), .kind = CFG_NUM, .attr = (a), .key = (k) }
#define NAME(l, s, a, k, n) \
	{ .label = (l), .set = (s), .kind = CFG_NAME, .attr = (a), .key = (k), .names = (n) }
#define RATE(l, s, a, k) \
	{ .label = (l), .set = (s), .kind = CFG_RATE, \
	  .attr = a, .attr2 = a##_PERIOD_MS, .attr3 = a##_BURST, \
	  .key = k, .key2 = k "_period_ms", .key3 = k "_burst" }
#define DURATION(l, s, a, k) \
	{ .label = (l), .set = (s), .kind = CFG_DURATION, .attr = (a), .key = (k) }

const struct cfg_field cfg_fields[] = {
	NAME("mode", "set-mode", TCPLIMIT_A_MODE, "mode", &mode_names),
	{ .label = "dry-run", .set = "set-dry-run", .kind = CFG_ON_OFF,
	  .attr = TCPLIMIT_A_DRY_RUN, .key = "dry_run" },
	NUM("max", "set-max", TCPLIMIT_A_MAX_CONN, "max"),
	RATE("rate", "set-rate", TCPLIMIT_A_RATE, "rate"),
	NUM("halfopen-max", "set-halfopen-max", TCPLIMIT_A_HALFOPEN_MAX, "halfopen_max"),
	{ .label = "prefix", .set = "set-prefix", .kind = CFG_PREFIX,
	  .attr = TCPLIMIT_A_PREFIX4, .attr2 = TCPLIMIT_A_PREFIX6,
	  .key = "prefix4", .key2 = "prefix6" },
	NUM("dst-max", "set-dst-max", TCPLIMIT_A_DST_MAX, "dst_max"),
	RATE("dst-rate", "set-dst-rate", TCPLIMIT_A_DST_RATE, "dst_rate"),
	DURATION("syn-timeout", "set-syn-timeout", TCPLIMIT_A_SYN_TIMEOUT_MS, "syn_timeout_ms"),
	DURATION("idle-timeout", "set-idle-timeout", TCPLIMIT_A_IDLE_TIMEOUT_MS,
		 "idle_timeout_ms"),
	{ .label = "reject", .set = "set-action", .kind = CFG_REJECT,
	  .attr = TCPLIMIT_A_REJECT, .key = "reject" },
	NAME("full-policy", "set-full-policy", TCPLIMIT_A_FULL_POLICY, "full_policy",
	     &full_policy_names),
	NUM("table-size", "set-table-size", TCPLIMIT_A_TABLE_SIZE, "table_size"),
	NUM("flow-table-size", "set-flow-table-size", TCPLIMIT_A_FLOW_TABLE_SIZE,
	    "flow_table_size"),
};

const size_t n_cfg_fields = ARRAY_SIZE(cfg_fields);

const struct count_field stats_fields[] = {
	{ "sources", TCPLIMIT_STATS_A_SOURCES, false, "Source entries in the table." },
	{ "conns", TCPLIMIT_STATS_A_CONNS, false,
	  "Connections counted, half-open included." },
	{ "halfopen", TCPLIMIT_STATS_A_HALFOPEN, false, "Handshakes in progress." },
	{ "admitted", TCPLIMIT_STATS_A_ADMITTED, true, "New connections admitted." },
	{ "limited_rate", TCPLIMIT_STATS_A_LIMITED_RATE, true,
	  "SYNs refused by the per-source rate (would-be, in dry run)." },
	{ "limited_conn", TCPLIMIT_STATS_A_LIMITED_CONN, true,
	  "SYNs refused by the per-source concurrent cap (would-be, in dry run)." },
	{ "limited_halfopen", TCPLIMIT_STATS_A_LIMITED_HALFOPEN, true,
	  "SYNs refused by the per-source half-open cap (would-be, in dry run)." },
	{ "limited_dst", TCPLIMIT_STATS_A_LIMITED_DST, true,
	  "SYNs refused by a destination's rate or cap (would-be, in dry run)." },
	{ "table_full", TCPLIMIT_STATS_A_TABLE_FULL, true,
	  "New connections that found a table full." },
	{ "expired", TCPLIMIT_STATS_A_EXPIRED, true,
	  "Connections forgotten by the SYN or idle timeout." },
	{ "rejected", TCPLIMIT_STATS_A_REJECTED, true, "RSTs sent for refused SYNs." },
};

const size_t n_stats_fields = ARRAY_SIZE(stats_fields);

const struct count_field source_fields[] = {
	{ "conns", TCPLIMIT_SOURCE_A_CONNS, false, NULL },
	{ "halfopen", TCPLIMIT_SOURCE_A_HALFOPEN, false, NULL },
	{ "rate_avail", TCPLIMIT_SOURCE_A_RATE_AVAIL, false, NULL },
	{ "limited", TCPLIMIT_SOURCE_A_LIMITED, true, NULL },
};

const size_t n_source_fields = ARRAY_SIZE(source_fields);
