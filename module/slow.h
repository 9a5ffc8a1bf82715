/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: slow connections (slowloris, slow POST, slow read), measured
 * by the GC, counted per source, reset and banned as configured.
 */
#ifndef _TCPLIMIT_SLOW_H
#define _TCPLIMIT_SLOW_H

#include <linux/types.h>

struct tcplimit_net;
struct tcplimit_config;
struct tcplimit_flow;

/* What the GC is to do with a flow it measured. */
enum tcplimit_slow_verdict {
	TCPLIMIT_SLOW_KEEP,
	TCPLIMIT_SLOW_ABORT,	/* reset it (slow-action reset) */
};

enum tcplimit_slow_verdict tcplimit_slow_check(struct tcplimit_net *tn,
					       const struct tcplimit_config *cfg,
					       struct tcplimit_flow *flow, u64 moved,
					       bool may_reset);
void tcplimit_slow_forget(struct tcplimit_flow *flow);

#endif /* _TCPLIMIT_SLOW_H */
