/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fields.h: what each total and per-source count is called (its "show"
 * label and JSON key) and its metric help. show, sources and metrics walk
 * these tables, in this order. The settings have their own (settings.h).
 */
#ifndef TCPLIMITCTL_FIELDS_H
#define TCPLIMITCTL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
