/* SPDX-License-Identifier: GPL-2.0 */
/*
 * show.h: printing the limiter's state through print.h, for "show" (blocks
 * of "  key: value" lines) and "sources" (a table, one line per source).
 */
#ifndef TCPLIMITCTL_SHOW_H
#define TCPLIMITCTL_SHOW_H

#include "query.h"

/*
 * The configuration lines ("  max: 5"), then the policies, if any, under
 * "  policies:"; JSON: the members of an open object, "policies" an array.
 */
void show_print_config(const struct tl_config *cfg);

/* The totals ("  conns: 5"); JSON: the members of an open object. */
void show_print_stats(const struct tl_stats *stats);

/*
 * One source as a block: "source 10.0.1.2/32" (and " port 22" when it is
 * counted under a policy) and "  conns: 5" lines.
 */
void show_print_source(const struct tl_source *src);

/*
 * The sources as a table: a header line, then one line per source, its
 * policy's ports ("-": the default policy) after its name.
 */
void show_print_source_table(const struct tl_sources *list);

#endif /* TCPLIMITCTL_SHOW_H */
