/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: unit tests compiled in by TCPLIMIT_SELFTEST=1 (never in a
 * release build) and run at load; a failure fails the load. The first ten
 * failed checks of a unit are logged, then only its count.
 */
#ifndef _TCPLIMIT_SELFTEST_H
#define _TCPLIMIT_SELFTEST_H

#include <linux/printk.h>
#include <linux/types.h>

struct tcplimit_selftest {
	const char *name;
	unsigned int checks;
	unsigned int failed;
};

#define TCPLIMIT_CHECK(t, cond, fmt, ...)					\
	do {									\
		struct tcplimit_selftest *__t = (t);				\
										\
		__t->checks++;							\
		if (!(cond) && __t->failed++ < 10)				\
			pr_err("tcplimit: selftest %s: FAIL: " fmt "\n",	\
			       __t->name, ##__VA_ARGS__);			\
	} while (0)

static inline bool tcplimit_selftest_done(const struct tcplimit_selftest *t)
{
	if (t->failed)
		pr_err("tcplimit: selftest %s: %u of %u checks failed\n", t->name, t->failed,
		       t->checks);
	else
		pr_info("tcplimit: selftest %s: %u checks passed\n", t->name, t->checks);
	return !t->failed;
}

bool tcplimit_selftest_rate(void);
bool tcplimit_selftest_prefix(void);
bool tcplimit_selftest_topk(void);
bool tcplimit_selftest_allowlist(void);
bool tcplimit_selftest_policy(void);

#endif /* _TCPLIMIT_SELFTEST_H */
