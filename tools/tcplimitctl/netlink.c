// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c: the generic netlink socket of tcplimitctl: family lookup,
 * requests and their acks, dumps (restarted when NLM_F_DUMP_INTR), the
 * kernel's extack message, and validated attribute parsing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tcplimit.h>

#include "error.h"
#include "netlink.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

#ifdef MNL_SOCKET_DUMP_SIZE
#define NL_RECV_SIZE	MNL_SOCKET_DUMP_SIZE
#else
#define NL_RECV_SIZE	32768
#endif

/* How many times a dump is started over before giving up. */
#define NL_DUMP_TRIES	5

struct nl_ctx {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;	/* nlmsg_type of the tcplimit family */
	uint32_t events_group;	/* its "events" multicast group, 0: none */
	char extack[256];	/* NLMSGERR_ATTR_MSG of the last error */
	long err_off;		/* its NLMSGERR_ATTR_OFFS, -1 if none */
	_Alignas(8) char req[NL_REQ_SIZE];
	_Alignas(8) char buf[NL_RECV_SIZE];
};

/* State of one request while its replies are read. */
struct nl_run {
	struct nl_ctx *ctx;
	uint16_t type;		/* nlmsg_type of the replies we want */
	mnl_cb_t cb;
	void *data;
	int err;		/* negative errno reported by the kernel or a callback */
	bool intr;		/* a dump message had NLM_F_DUMP_INTR */
};

struct nl_parse_state {
	const struct nlattr **tb;
	unsigned int max;
	const enum mnl_attr_data_type *policy;
};

static int nl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nl_parse_state *st = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > st->max)
		return MNL_CB_OK;	/* newer kernel: skip what we don't know */
	if (st->policy && st->policy[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, st->policy[type]) < 0)
		return MNL_CB_ERROR;	/* errno set by libmnl */
	st->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
	     unsigned int max, const enum mnl_attr_data_type *policy)
{
	struct nl_parse_state st = { .tb = tb, .max = max, .policy = policy };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		errno = EBADMSG;
		return -1;
	}
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nl_attr_cb, &st) < 0)
		return -1;
	return 0;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max, const enum mnl_attr_data_type *policy)
{
	struct nl_parse_state st = { .tb = tb, .max = max, .policy = policy };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, nl_attr_cb, &st) < 0)
		return -1;
	return 0;
}

void nl_check_version(const struct nlattr *version)
{
	static bool warned;
	uint32_t v;

	if (!version || warned)
		return;
	v = mnl_attr_get_u32(version);
	if (v == TCPLIMIT_GENL_VERSION)
		return;
	warned = true;
	err_msg("warning: the kernel speaks tcplimit netlink version %u, this tool version %u",
		v, TCPLIMIT_GENL_VERSION);
}

static int nl_extack_cb(const struct nlattr *attr, void *data)
{
	struct nl_ctx *ctx = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(ctx->extack, sizeof(ctx->extack), "%s", mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		ctx->err_off = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

/* Keep the extack message carried by the TLVs at payload offset @off, if any. */
static void nl_parse_extack(struct nl_ctx *ctx, const struct nlmsghdr *nlh, size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(off))
		return;
	mnl_attr_parse(nlh, off, nl_extack_cb, ctx);
}

static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		run->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;	/* the ack: all went well */

	run->err = e->error < 0 ? e->error : -e->error;
	/* The TLVs follow our request, unless the kernel left it out. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	nl_parse_extack(run->ctx, nlh, off);
	return MNL_CB_ERROR;
}

/* End of a dump; it carries an error code if the dump failed on the way. */
static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	run->err = err;
	nl_parse_extack(run->ctx, nlh, sizeof(err));
	return MNL_CB_ERROR;
}

static int nl_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int nl_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;

	(void)nlh;
	run->err = -ENOBUFS;
	return MNL_CB_ERROR;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t nl_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= nl_noop_cb,
	[NLMSG_ERROR]	= nl_error_cb,
	[NLMSG_DONE]	= nl_done_cb,
	[NLMSG_OVERRUN]	= nl_overrun_cb,
};

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int ret;

	if (nlh->nlmsg_type != run->type || !run->cb)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		run->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	errno = 0;
	ret = run->cb(nlh, run->data);
	if (ret == MNL_CB_ERROR && !run->err)
		run->err = errno ? -errno : -EBADMSG;
	return ret;
}

/* Note NLM_F_DUMP_INTR in a buffer of dump messages; true if the dump ends in it. */
static bool nl_scan_dump(const void *buf, int len, bool *intr)
{
	const struct nlmsghdr *nlh = buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	}
	return false;
}

/* Read and drop the rest of an interrupted dump; return 1 when it has ended. */
static int nl_drain(struct nl_run *run)
{
	struct nl_ctx *ctx = run->ctx;
	ssize_t len;

	for (;;) {
		len = mnl_socket_recvfrom(ctx->sock, ctx->buf, sizeof(ctx->buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (nl_scan_dump(ctx->buf, (int)len, &run->intr))
			return 1;
	}
}

/*
 * Read replies to request @seq until the ack (or the end of the dump).
 * Return 0, a negative errno, or 1 if the dump was interrupted and has been
 * read to its end, ready to be started over.
 */
static int nl_recv(struct nl_run *run, unsigned int seq, bool dump)
{
	struct nl_ctx *ctx = run->ctx;
	ssize_t len;
	int ret;

	for (;;) {
		len = mnl_socket_recvfrom(ctx->sock, ctx->buf, sizeof(ctx->buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (dump) {
			bool end = nl_scan_dump(ctx->buf, (int)len, &run->intr);

			/* Inconsistent: read the stale dump to its end, start over. */
			if (run->intr)
				return end ? 1 : nl_drain(run);
		}
		ret = mnl_cb_run2(ctx->buf, (size_t)len, seq, ctx->portid,
				  nl_data_cb, run, nl_ctl_cbs, NLMSG_MIN_TYPE);
		if (ret < 0) {
			if (run->err)
				return run->err;
			return errno ? -errno : -EPROTO;
		}
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static unsigned int nl_next_seq(struct nl_ctx *ctx)
{
	if (++ctx->seq == 0)
		ctx->seq = 1;
	return ctx->seq;
}

static struct nlmsghdr *nl_put_request(struct nl_ctx *ctx, uint16_t type, uint8_t cmd,
				       uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ctx->req);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = nl_next_seq(ctx);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));	/* zeroed */
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *nl_request(struct nl_ctx *ctx, uint8_t cmd)
{
	return nl_put_request(ctx, ctx->family, cmd, TCPLIMIT_GENL_VERSION, NLM_F_ACK);
}

struct nlmsghdr *nl_dump_request(struct nl_ctx *ctx, uint8_t cmd)
{
	return nl_put_request(ctx, ctx->family, cmd, TCPLIMIT_GENL_VERSION, NLM_F_DUMP);
}

static int nl_send(struct nl_ctx *ctx, const struct nlmsghdr *req)
{
	ctx->extack[0] = '\0';
	ctx->err_off = -1;
	if (mnl_socket_sendto(ctx->sock, req, req->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int nl_do(struct nl_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	struct nl_run run = {
		.ctx = ctx, .type = req->nlmsg_type, .cb = cb, .data = data,
	};
	int ret;

	ret = nl_send(ctx, req);
	if (ret)
		return ret;
	return nl_recv(&run, req->nlmsg_seq, false);
}

int nl_dump(struct nl_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb,
	    void (*restart)(void *data), void *data)
{
	struct nl_run run = {
		.ctx = ctx, .type = req->nlmsg_type, .cb = cb, .data = data,
	};
	int try, ret;

	for (try = 0; try < NL_DUMP_TRIES; try++) {
		if (try) {
			if (restart)
				restart(data);
			req->nlmsg_seq = nl_next_seq(ctx);
			run.err = 0;
			run.intr = false;
		}
		ret = nl_send(ctx, req);
		if (ret)
			return ret;
		ret = nl_recv(&run, req->nlmsg_seq, true);
		if (ret <= 0)
			return ret;
	}
	return -EINTR;
}

void nl_report(const struct nl_ctx *ctx, const char *what, int err)
{
	if (err == -EPERM && ctx && ctx->extack[0])
		err_msg("%s: permission denied: %s", what, ctx->extack);
	else if (err == -EPERM)
		err_msg("%s: permission denied (needs CAP_NET_ADMIN)", what);
	else if (err == -EINTR)
		err_msg("%s: the table kept changing during the dump, try again", what);
	else if (err == -EBADMSG)
		err_msg("%s: malformed reply from the kernel", what);
	else if (err == -EOPNOTSUPP && !(ctx && ctx->extack[0]))
		err_msg("%s: not supported by the loaded tcplimit module (an older version)", what);
	else if (ctx && ctx->extack[0])
		err_msg("%s: %s", what, ctx->extack);
	else
		err_msg("%s: %s", what, strerror(-err));
}

/* The id of the "events" group in a CTRL_ATTR_MCAST_GROUPS nest, 0 if none. */
static uint32_t nl_events_group(const struct nlattr *groups)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MCAST_GRP_ID + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
	};
	const struct nlattr *grp, *tb[CTRL_ATTR_MCAST_GRP_ID + 1];

	mnl_attr_for_each_nested(grp, groups) {
		if (nl_parse_nested(grp, tb, CTRL_ATTR_MCAST_GRP_ID, policy) < 0)
			continue;
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), TCPLIMIT_MCGRP_EVENTS))
			return mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MCAST_GROUPS + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= MNL_TYPE_U16,
		[CTRL_ATTR_FAMILY_NAME]	= MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GROUPS + 1];
	struct nl_ctx *ctx = data;

	if (nl_parse(nlh, tb, CTRL_ATTR_MCAST_GROUPS, policy) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), TCPLIMIT_GENL_NAME))
		return MNL_CB_OK;
	ctx->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		ctx->events_group = nl_events_group(tb[CTRL_ATTR_MCAST_GROUPS]);
	return MNL_CB_OK;
}

static int nl_resolve_family(struct nl_ctx *ctx)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = nl_put_request(ctx, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPLIMIT_GENL_NAME);
	ret = nl_do(ctx, nlh, nl_family_cb, ctx);
	if (ret)
		return ret;
	return ctx->family ? 0 : -ENOENT;
}

int nl_join_events(struct nl_ctx *ctx)
{
	uint32_t group = ctx->events_group;

	if (!group)
		return -EOPNOTSUPP;
	if (mnl_socket_setsockopt(ctx->sock, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return -errno;
	return 0;
}

int nl_listen(struct nl_ctx *ctx, mnl_cb_t cb, void *data, volatile sig_atomic_t *stop,
	      const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(ctx->sock), .events = POLLIN };
	ssize_t len;
	int ret;

	while (!*stop) {
		/* The stopping signals arrive only here: never lost before a wait. */
		if (ppoll(&pfd, 1, NULL, wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len = mnl_socket_recvfrom(ctx->sock, ctx->buf, sizeof(ctx->buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run(ctx->buf, (size_t)len, 0, 0, cb, data);
		if (ret < 0)
			return errno ? -errno : -EPROTO;
	}
	return 0;
}

uint16_t nl_family(const struct nl_ctx *ctx)
{
	return ctx->family;
}

long nl_error_offset(const struct nl_ctx *ctx)
{
	return ctx->err_off;
}

struct nl_ctx *nl_open_probe(bool *missing)
{
	struct nl_ctx *ctx;
	int one = 1, ret;

	if (missing)
		*missing = false;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		err_msg("out of memory");
		return NULL;
	}
	ctx->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!ctx->sock) {
		err_msg("cannot open a generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	/* Best effort: without them we just get no extack message. */
	mnl_socket_setsockopt(ctx->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(ctx->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(ctx->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_msg("cannot bind the generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	ctx->portid = mnl_socket_get_portid(ctx->sock);
	ctx->seq = (unsigned int)time(NULL);

	ret = nl_resolve_family(ctx);
	if (ret == -ENOENT && missing) {
		*missing = true;
		goto fail;
	}
	if (ret == -ENOENT) {
		err_msg("tcplimit module not loaded (generic netlink family '%s' not found)",
			TCPLIMIT_GENL_NAME);
		goto fail;
	}
	if (ret) {
		nl_report(ctx, "looking up generic netlink family '" TCPLIMIT_GENL_NAME "'", ret);
		goto fail;
	}
	return ctx;

fail:
	nl_close(ctx);
	return NULL;
}

struct nl_ctx *nl_open(void)
{
	return nl_open_probe(NULL);
}

void nl_close(struct nl_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->sock)
		mnl_socket_close(ctx->sock);
	free(ctx);
}
