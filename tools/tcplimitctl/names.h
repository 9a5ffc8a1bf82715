/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h: the words of the command line and of "show" for enumerated
 * values (modes, policies, limits), both ways.
 */
#ifndef TCPLIMITCTL_NAMES_H
#define TCPLIMITCTL_NAMES_H

#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct name_val {
	const char *name;
	uint32_t val;
};

struct names {
	const struct name_val *v;
	size_t n;
};

#define NAMES(arr)	{ .v = (arr), .n = ARRAY_SIZE(arr) }

extern const struct names mode_names;		/* host, gateway */
extern const struct names onoff_names;		/* on, off */
extern const struct names full_policy_names;	/* admit, drop */
extern const struct names slow_action_names;	/* none, reset */
extern const struct names limit_names;		/* rate, conn, halfopen, dst, full, ban: bits */

/* The entry named by the @len bytes at @s, or NULL. */
const struct name_val *names_find(const struct names *names, const char *s, size_t len);

/* The name of @val, or NULL if it has none. */
const char *names_name(const struct names *names, uint32_t val);

/* "a or b", "a, b or c" into @buf (truncated to @size). */
void names_join(const struct names *names, char *buf, size_t size);

#endif /* TCPLIMITCTL_NAMES_H */
