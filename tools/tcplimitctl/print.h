/* SPDX-License-Identifier: GPL-2.0 */
/*
 * print.h: the one output layer of tcplimitctl, text or JSON (-j, -p).
 *
 * A command prints each value once, with its JSON key and its text format:
 * the JSON and the text output come from the same calls and cannot drift.
 * PR_ANY prints in both modes, PR_TEXT only as text (labels, units, blank
 * lines), PR_JSON only in JSON (values the text shows in another form).
 *
 *	pr_open_object(NULL);
 *	pr_uint(PR_ANY, "max", "  max: %" PRIu64 "\n", max);
 *	pr_close_object();
 *
 * prints "  max: 5" as text and {"max":5} as JSON. Keys are snake_case;
 * a key is NULL for a value inside an array. Text formats get the value as
 * their one argument (a u64, a string, "on"/"off", a duration "2h11m15s").
 */
#ifndef TCPLIMITCTL_PRINT_H
#define TCPLIMITCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum pr_mode {
	PR_ANY,		/* text and JSON */
	PR_TEXT,	/* text only */
	PR_JSON,	/* JSON only */
};

/* Select the output: JSON (pretty-printed if @pretty) or text (default). */
void pr_init(bool json, bool pretty);
bool pr_json(void);
bool pr_pretty(void);

/* Containers: JSON only, nothing is printed as text. */
void pr_open_object(const char *key);
void pr_close_object(void);
void pr_open_array(const char *key);
void pr_close_array(void);

/* A number. */
void pr_uint(enum pr_mode mode, const char *key, const char *fmt, uint64_t v);
/* A string (JSON-escaped in JSON). */
void pr_string(enum pr_mode mode, const char *key, const char *fmt, const char *s);
/* A boolean: JSON true/false, text "on"/"off". */
void pr_on_off(enum pr_mode mode, const char *key, const char *fmt, bool v);
/* Milliseconds: a JSON number (@key ends in _ms), text "1h30m" (format_duration). */
void pr_duration(enum pr_mode mode, const char *key, const char *fmt, uint64_t ms);

/* Free text, text output only. */
void pr_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TCPLIMITCTL_PRINT_H */
