// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: module parameters. They give the initial namespace its limits
 * from the moment the module loads, before any tool runs (a boot that
 * restores a saved configuration later replaces them). Other namespaces
 * start from the built-in defaults: their limits are their own
 * administrator's, not the host's boot configuration. Read-only once
 * loaded: tcplimitctl changes the configuration, and /sys shows what the
 * module was loaded with.
 */
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>
#include "config.h"
#include "params.h"

static unsigned int max;
module_param(max, uint, 0444);
MODULE_PARM_DESC(max, "concurrent connections per source (0 = no limit)");

static unsigned int rate;
module_param(rate, uint, 0444);
MODULE_PARM_DESC(rate, "new connections per source per rate_period_ms (0 = no limit)");

static unsigned int rate_period_ms = 1000;
module_param(rate_period_ms, uint, 0444);
MODULE_PARM_DESC(rate_period_ms, "the rate's period in milliseconds (100..3600000, default 1000)");

static unsigned int halfopen_max;
module_param(halfopen_max, uint, 0444);
MODULE_PARM_DESC(halfopen_max, "handshakes in progress per source (0 = no limit)");

static char *mode = "host";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "host (connections to this host) or gateway (routed through it)");

static bool dry_run;
module_param(dry_run, bool, 0444);
MODULE_PARM_DESC(dry_run, "count what would be limited, enforce nothing");

static unsigned int table_size;
module_param(table_size, uint, 0444);
MODULE_PARM_DESC(table_size, "source table entries (0 = default 65536)");

static unsigned int flow_table_size;
module_param(flow_table_size, uint, 0444);
MODULE_PARM_DESC(flow_table_size, "tracked connections (0 = default 262144)");

/* The ranges netlink enforces (netlink.c), said at load: it fails. */
static int tcplimit_param_range(const char *name, unsigned int val, unsigned int min,
				unsigned int lim)
{
	if (val >= min && val <= lim)
		return 0;
	pr_err("tcplimit: parameter %s=%u out of range (%u..%u)\n", name, val, min, lim);
	return -EINVAL;
}

int tcplimit_params_check(void)
{
	int err = 0;

	err |= tcplimit_param_range("max", max, 0, TCPLIMIT_MAX_CONN_LIMIT);
	err |= tcplimit_param_range("rate", rate, 0, TCPLIMIT_MAX_CONN_LIMIT);
	err |= tcplimit_param_range("rate_period_ms", rate_period_ms, TCPLIMIT_MIN_PERIOD_MS,
				    TCPLIMIT_MAX_PERIOD_MS);
	err |= tcplimit_param_range("halfopen_max", halfopen_max, 0, TCPLIMIT_MAX_CONN_LIMIT);
	err |= tcplimit_param_range("table_size", table_size, 0, TCPLIMIT_MAX_TABLE_SIZE);
	err |= tcplimit_param_range("flow_table_size", flow_table_size, 0,
				    TCPLIMIT_MAX_TABLE_SIZE);
	if (strcmp(mode, "host") && strcmp(mode, "gateway")) {
		pr_err("tcplimit: parameter mode=%s is not host or gateway\n", mode);
		err = -EINVAL;
	}
	return err ? -EINVAL : 0;
}

/* The parameters into @cfg, the initial namespace's first configuration. */
void tcplimit_params_apply(struct tcplimit_config *cfg)
{
	cfg->limits.max_conn = max;
	cfg->limits.rate.conns = rate;
	cfg->limits.rate.period_ms = rate_period_ms;
	cfg->limits.halfopen_max = halfopen_max;
	cfg->mode = strcmp(mode, "gateway") ? TCPLIMIT_MODE_HOST : TCPLIMIT_MODE_GATEWAY;
	cfg->dry_run = dry_run;
	cfg->table_size = table_size;
	cfg->flow_table_size = flow_table_size;
}
