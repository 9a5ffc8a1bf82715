// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_monitor.c: "monitor": print the limiter's events as they come (a ban
 * starting, a ban lifted by hand, a connection found slow, a source's
 * first refusal in a minute), one a line (-j: one JSON object a line),
 * until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcplimit.h>

#include "bans.h"
#include "commands.h"
#include "error.h"
#include "names.h"
#include "netlink.h"
#include "prefix.h"
#include "print.h"

static const struct name_val event_v[] = {
	{ "ban",	TCPLIMIT_EVENT_BAN },
	{ "unban",	TCPLIMIT_EVENT_UNBAN },
	{ "slow",	TCPLIMIT_EVENT_SLOW },
	{ "refused",	TCPLIMIT_EVENT_REFUSED },
};

static const struct names event_names = NAMES(event_v);

static volatile sig_atomic_t monitor_stop;

static void monitor_on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

struct monitor {
	uint16_t family;
	bool json, pretty;
};

/* The limit of a REFUSED event, by name (one bit of enum tcplimit_limit_bit). */
static const char *limit_name(uint32_t limit)
{
	return names_name(&limit_names, limit) ?: "?";
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[TCPLIMIT_EVENT_A_MAX + 1] = {
		[TCPLIMIT_EVENT_A_TYPE]		= MNL_TYPE_U8,
		[TCPLIMIT_EVENT_A_PREFIX]	= MNL_TYPE_NESTED,
		[TCPLIMIT_EVENT_A_REASON]	= MNL_TYPE_U8,
		[TCPLIMIT_EVENT_A_TIME_MS]	= MNL_TYPE_U32,
		[TCPLIMIT_EVENT_A_LIMIT]	= MNL_TYPE_U32,
		[TCPLIMIT_EVENT_A_SLOW]		= MNL_TYPE_U32,
		[TCPLIMIT_EVENT_A_SUPPRESSED]	= MNL_TYPE_U32,
	};
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1], *ev[TCPLIMIT_EVENT_A_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct monitor *m = data;
	char name[PREFIX_NAME_LEN];
	struct tl_prefix p;
	const char *type;

	if (nlh->nlmsg_type != m->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) || genl->cmd != TCPLIMIT_CMD_EVENT)
		return MNL_CB_OK;
	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, NULL) < 0 || !tb[TCPLIMIT_A_EVENT] ||
	    nl_parse_nested(tb[TCPLIMIT_A_EVENT], ev, TCPLIMIT_EVENT_A_MAX, policy) < 0 ||
	    !ev[TCPLIMIT_EVENT_A_TYPE] || !ev[TCPLIMIT_EVENT_A_PREFIX] ||
	    prefix_get(ev[TCPLIMIT_EVENT_A_PREFIX], &p)) {
		err_msg("monitor: a malformed event from the kernel, skipped");
		return MNL_CB_OK;
	}
	type = names_name(&event_names, mnl_attr_get_u8(ev[TCPLIMIT_EVENT_A_TYPE]));
	if (!type)
		return MNL_CB_OK;	/* a newer kernel's */
	prefix_format(p.family, p.addr, p.len, name, sizeof(name));
	/* One object a line: each its own JSON document. */
	pr_init(m->json, m->pretty);
	pr_open_object(NULL);
	pr_string(PR_ANY, "event", "%s", type);
	pr_string(PR_ANY, "prefix", " %s", name);
	if (ev[TCPLIMIT_EVENT_A_REASON])
		pr_string(PR_ANY, "reason", " reason %s",
			  ban_reason_name(mnl_attr_get_u8(ev[TCPLIMIT_EVENT_A_REASON])));
	if (ev[TCPLIMIT_EVENT_A_TIME_MS])
		pr_duration(PR_ANY, "time_ms", " for %s",
			    mnl_attr_get_u32(ev[TCPLIMIT_EVENT_A_TIME_MS]));
	if (ev[TCPLIMIT_EVENT_A_LIMIT])
		pr_string(PR_ANY, "limit", " limit %s",
			  limit_name(mnl_attr_get_u32(ev[TCPLIMIT_EVENT_A_LIMIT])));
	if (ev[TCPLIMIT_EVENT_A_SLOW])
		pr_uint(PR_ANY, "slow", " slow %" PRIu64, mnl_attr_get_u32(ev[TCPLIMIT_EVENT_A_SLOW]));
	if (ev[TCPLIMIT_EVENT_A_SUPPRESSED]) {
		uint32_t n = mnl_attr_get_u32(ev[TCPLIMIT_EVENT_A_SUPPRESSED]);

		pr_uint(PR_JSON, "suppressed", NULL, n);
		if (n)
			pr_uint(PR_TEXT, NULL, " (%" PRIu64 " suppressed before)", n);
	}
	pr_text("\n");
	pr_close_object();	/* in JSON, with its newline */
	fflush(stdout);
	return MNL_CB_OK;
}

int cmd_monitor(int argc, char *argv[])
{
	struct sigaction sa = { .sa_handler = monitor_on_signal };
	sigset_t stopping, wait_mask;
	struct monitor m;
	struct nl_ctx *ctx;
	int ret;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = nl_join_events(ctx);
	if (ret == -EOPNOTSUPP)
		err_msg("monitor: the tcplimit module sends no events (an older version)");
	else if (ret)
		nl_report(ctx, "monitor: joining the events group", ret);
	if (ret) {
		nl_close(ctx);
		return EXIT_FAIL;
	}
	m.family = nl_family(ctx);
	m.json = pr_json();
	m.pretty = pr_pretty();
	/* Blocked but while waiting (nl_listen()): a signal ends the wait. */
	sigemptyset(&stopping);
	sigaddset(&stopping, SIGINT);
	sigaddset(&stopping, SIGTERM);
	sigprocmask(SIG_BLOCK, &stopping, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* The socket's buffer overran: say so, and go on. */
	while ((ret = nl_listen(ctx, monitor_cb, &m, &monitor_stop, &wait_mask)) == -ENOBUFS)
		err_msg("monitor: events lost: the socket's buffer overran");
	if (ret)
		nl_report(ctx, "monitor", ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
