// SPDX-License-Identifier: GPL-2.0
/* fields.c: the names of the totals and per-source counts. */
#include <linux/tcplimit.h>

#include "fields.h"
#include "names.h"

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
	{ "unproven", TCPLIMIT_STATS_A_UNPROVEN, true,
	  "Handshakes uncharged: their client left the SYN-ACK unanswered for 3 s." },
	{ "aborted", TCPLIMIT_STATS_A_ABORTED, true,
	  "Unproven handshakes reset on completing over a limit (would-be, in dry run)." },
	{ "allowed", TCPLIMIT_STATS_A_ALLOWED, true,
	  "SYNs of allowlisted sources, let through uncounted." },
	{ "allowlist", TCPLIMIT_STATS_A_ALLOWLIST, false, "Prefixes in the allowlist." },
	{ "banned", TCPLIMIT_STATS_A_BANNED, true,
	  "SYNs refused by a ban (would-be, in dry run)." },
	{ "bans", TCPLIMIT_STATS_A_BANS, false, "Bans in force." },
	{ "ban_full", TCPLIMIT_STATS_A_BAN_FULL, true, "Bans not made: the ban table was full." },
	{ "slow_found", TCPLIMIT_STATS_A_SLOW_FOUND, true, "Connections found slow." },
	{ "slow_reset", TCPLIMIT_STATS_A_SLOW_RESET, true, "Slow connections reset." },
	{ "events_suppressed", TCPLIMIT_STATS_A_EVENTS_SUPPRESSED, true,
	  "Events not sent to monitors: over 100 a second." },
};

const size_t n_stats_fields = ARRAY_SIZE(stats_fields);

const struct count_field source_fields[] = {
	{ "conns", TCPLIMIT_SOURCE_A_CONNS, false, NULL },
	{ "halfopen", TCPLIMIT_SOURCE_A_HALFOPEN, false, NULL },
	{ "rate_avail", TCPLIMIT_SOURCE_A_RATE_AVAIL, false, NULL },
	{ "limited", TCPLIMIT_SOURCE_A_LIMITED, true, NULL },
	{ "slow", TCPLIMIT_SOURCE_A_SLOW, false, NULL },
};

const size_t n_source_fields = ARRAY_SIZE(source_fields);
