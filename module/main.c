// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: module init ladder. Each step is undone in reverse on failure;
 * the netlink family comes last, so userspace never sees a half-ready module.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include "pernet.h"
#include "entry.h"
#include "flow.h"
#include "ban.h"
#include "events.h"
#include "netlink.h"
#include "params.h"
#include "version.h"

#ifdef TCPLIMIT_SELFTEST
#include "selftest.h"

static bool __init tcplimit_selftests(void)
{
	bool ok = true;

	ok &= tcplimit_selftest_rate();
	ok &= tcplimit_selftest_prefix();
	ok &= tcplimit_selftest_topk();
	ok &= tcplimit_selftest_allowlist();
	ok &= tcplimit_selftest_policy();
	return ok;
}
#else
static inline bool tcplimit_selftests(void)
{
	return true;
}
#endif

static int __init tcplimit_init(void)
{
	int err;

	if (!tcplimit_selftests())
		return -ENOTRECOVERABLE;
	err = tcplimit_params_check();
	if (err)
		return err;
	err = tcplimit_entry_cache_init();
	if (err)
		return err;
	err = tcplimit_flow_cache_init();
	if (err)
		goto err_entry_cache;
	err = tcplimit_ban_cache_init();
	if (err)
		goto err_flow_cache;
	err = tcplimit_pernet_init();
	if (err)
		goto err_ban_cache;
	err = tcplimit_genl_init();
	if (err)
		goto err_pernet;
	tcplimit_events_start();
	pr_info("tcplimit: %s loaded (netlink version %d)\n", TCPLIMIT_VERSION,
		TCPLIMIT_GENL_VERSION);
	return 0;

err_pernet:
	tcplimit_pernet_exit();
	rcu_barrier();
err_ban_cache:
	tcplimit_ban_cache_exit();
err_flow_cache:
	tcplimit_flow_cache_exit();
err_entry_cache:
	tcplimit_entry_cache_exit();
	return err;
}

static void __exit tcplimit_exit(void)
{
	tcplimit_events_stop();
	tcplimit_genl_exit();
	tcplimit_pernet_exit();
	/* Entries are freed by RCU callbacks in this module's text. */
	rcu_barrier();
	tcplimit_ban_cache_exit();
	tcplimit_flow_cache_exit();
	tcplimit_entry_cache_exit();
}

module_init(tcplimit_init);
module_exit(tcplimit_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-source and per-destination limits on new and concurrent TCP connections");
MODULE_AUTHOR("tcplimit developers");
MODULE_VERSION(TCPLIMIT_VERSION);
