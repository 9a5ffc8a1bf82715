// SPDX-License-Identifier: GPL-2.0
/* names.c: the names of enumerated configuration values (uapi enums). */
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "names.h"

static const struct name_val mode_v[] = {
	{ "host",	TCPLIMIT_MODE_HOST },
	{ "gateway",	TCPLIMIT_MODE_GATEWAY },
};

static const struct name_val onoff_v[] = {
	{ "on",		1 },
	{ "off",	0 },
};

static const struct name_val full_policy_v[] = {
	{ "admit",	TCPLIMIT_FULL_ADMIT },
	{ "drop",	TCPLIMIT_FULL_DROP },
};

/* In bit order: "show" lists them in this order. */
static const struct name_val limit_v[] = {
	{ "rate",	TCPLIMIT_LIMIT_RATE },
	{ "conn",	TCPLIMIT_LIMIT_CONN },
	{ "halfopen",	TCPLIMIT_LIMIT_HALFOPEN },
	{ "dst",	TCPLIMIT_LIMIT_DST },
	{ "full",	TCPLIMIT_LIMIT_FULL },
	{ "ban",	TCPLIMIT_LIMIT_BAN },
};

static const struct name_val slow_action_v[] = {
	{ "none",	TCPLIMIT_SLOW_NONE },
	{ "reset",	TCPLIMIT_SLOW_RESET },
};

const struct names mode_names = NAMES(mode_v);
const struct names onoff_names = NAMES(onoff_v);
const struct names full_policy_names = NAMES(full_policy_v);
const struct names limit_names = NAMES(limit_v);
const struct names slow_action_names = NAMES(slow_action_v);

const struct name_val *names_find(const struct names *names, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (strlen(names->v[i].name) == len && !memcmp(names->v[i].name, s, len))
			return &names->v[i];
	return NULL;
}

const char *names_name(const struct names *names, uint32_t val)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (names->v[i].val == val)
			return names->v[i].name;
	return NULL;
}

void names_join(const struct names *names, char *buf, size_t size)
{
	size_t i, off = 0;
	int n;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < names->n && off < size; i++) {
		n = snprintf(buf + off, size - off, "%s%s",
			     !i ? "" : i + 1 < names->n ? ", " : " or ", names->v[i].name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}
