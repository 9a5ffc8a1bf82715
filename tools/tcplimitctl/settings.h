/* SPDX-License-Identifier: GPL-2.0 */
/*
 * settings.h: the one table of the limiter's settings. Each line names a
 * setting (the word of "set NAME ..." and of the set-NAME command), its
 * netlink attributes, JSON keys and metric names, how it is parsed and
 * printed (its kind), its usage and help. The set-* commands, "set",
 * "restore", "show" (text and JSON), "save", "metrics", "help" and the bash
 * completion (through "help") all read it; nothing else lists settings.
 */
#ifndef TCPLIMITCTL_SETTINGS_H
#define TCPLIMITCTL_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct names;
struct set_req;

enum setting_kind {
	SETTING_NUM,		/* a number 0..@max: @attr */
	SETTING_NAME,		/* a word of @names: @attr (u8) */
	SETTING_ON_OFF,		/* on or off: @attr (u8) */
	SETTING_RATE,		/* count @attr per period @attr2 (ms), burst @attr3 (if any) */
	SETTING_PREFIX,		/* prefix lengths: IPv4 @attr, IPv6 @attr2 (u8) */
	SETTING_DURATION,	/* a timeout, milliseconds: @attr [max @attr2, if any] */
	SETTING_REJECT,		/* drop | reject [LIMIT...]: mask @attr */
};

struct setting {
	const char *name;	/* "max": set max N, set-max N */
	const char *label;	/* show's "  <label>: <value>" (the name but for action) */
	enum setting_kind kind;
	uint16_t attr, attr2, attr3;
	const char *key, *key2, *key3;		/* JSON keys of attr, attr2, attr3 */
	const struct names *names;		/* SETTING_NAME */
	uint32_t max;				/* SETTING_NUM */
	const char *args;			/* usage: "N/PERIOD [burst B] | off" */
	const char *help;
	/*
	 * tcplimit_config_<metric>: of attr, attr2, attr3 (durations in
	 * seconds); names, prefixes and the reject mask as one series per
	 * value, labelled <metric_label>.
	 */
	const char *metric, *metric2, *metric3;
	const char *metric_label;
	const char *metric_help, *metric_help2, *metric_help3;
};

/* At most this many settings (the set-* commands, "set"'s bitmap of them). */
#define MAX_SETTINGS	32
/* At most this many words in one "set" command, its name included. */
#define SET_MAX_WORDS	64

extern const struct setting settings[];
extern const size_t n_settings;

/* The setting called @name ("max"), or NULL. */
const struct setting *setting_find(const char *name);

/*
 * The most VALUE words @s takes after its name (SIZE_MAX: any number, the
 * action's LIMITs).
 */
size_t setting_max_words(const struct setting *s);

/* The size of each of @s's attributes on the wire: 1 (u8) or 4 (u32). */
unsigned int setting_attr_size(const struct setting *s);

/*
 * Parse "set-NAME ARGS..." (argv[0] names the command in messages) into
 * @req. Returns EXIT_OK, or EXIT_USAGE after printing why.
 */
int setting_parse(const struct setting *s, int argc, char *argv[], struct set_req *req);

#endif /* TCPLIMITCTL_SETTINGS_H */
