/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fields.h: what each configuration value, total and per-source count is
 * called: its "show" label, its JSON key, the set-* command that changes it
 * and its help. show, sources, save and metrics all walk these tables, in
 * this order.
 */
#ifndef TCPLIMITCTL_FIELDS_H
#define TCPLIMITCTL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct names;

enum cfg_kind {
	CFG_NUM,	/* a number: @attr */
	CFG_NAME,	/* a name of @names: @attr */
	CFG_ON_OFF,	/* a boolean: @attr */
	CFG_RATE,	/* count @attr per period @attr2 (ms), burst @attr3 */
	CFG_PREFIX,	/* prefix lengths: IPv4 @attr, IPv6 @attr2 */
	CFG_DURATION,	/* milliseconds: @attr */
	CFG_REJECT,	/* a mask of enum tcplimit_limit_bit: @attr */
};

struct cfg_field {
	const char *label;	/* show: "  <label>: <value>" */
	const char *set;	/* the command that sets it: "set-max" */
	enum cfg_kind kind;
	uint16_t attr, attr2, attr3;
	const char *key, *key2, *key3;	/* JSON keys of attr, attr2, attr3 */
	const struct names *names;	/* CFG_NAME */
};

extern const struct cfg_field cfg_fields[];
extern const size_t n_cfg_fields;

/* A total of GET_STATS or a per-source count: label = JSON key. */
struct count_field {
	const char *key;
	uint16_t attr;
	bool counter;		/* since load (else: a value now) */
	const char *help;	/* for metrics */
};

extern const struct count_field stats_fields[];
extern const size_t n_stats_fields;
extern const struct count_field source_fields[];
extern const size_t n_source_fields;

#endif /* TCPLIMITCTL_FIELDS_H */
