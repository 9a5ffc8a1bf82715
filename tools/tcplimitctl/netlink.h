/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.h: talking to the "tcplimit" generic netlink family. */
#ifndef TCPLIMITCTL_NETLINK_H
#define TCPLIMITCTL_NETLINK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * Size of the request buffer behind nl_request()/nl_dump_request(): a whole
 * allowlist of TCPLIMIT_MAX_ALLOW IPv6 prefixes (32 KiB) and every policy
 * (TCPLIMIT_MAX_POLICIES, 6 KiB) fit in one SET_CONFIG.
 */
#define NL_REQ_SIZE	65536

struct nl_ctx;
struct nlattr;
struct nlmsghdr;

/*
 * Open a generic netlink socket (with extended acks) and resolve the
 * tcplimit family. On failure print the reason (e.g. "tcplimit module not
 * loaded ...") and return NULL.
 */
struct nl_ctx *nl_open(void);
/* As nl_open(), but if the module is not loaded set *@missing, print nothing. */
struct nl_ctx *nl_open_probe(bool *missing);
void nl_close(struct nl_ctx *ctx);

/*
 * Start a request for @cmd in the context's request buffer: a "do" request
 * (NLM_F_REQUEST | NLM_F_ACK) or a dump (NLM_F_REQUEST | NLM_F_DUMP). Add
 * attributes with mnl_attr_put_*_check(nlh, NL_REQ_SIZE, ...).
 */
struct nlmsghdr *nl_request(struct nl_ctx *ctx, uint8_t cmd);
struct nlmsghdr *nl_dump_request(struct nl_ctx *ctx, uint8_t cmd);

/*
 * Send a "do" request and wait for its ack; @cb (may be NULL) is called for
 * each reply message of the family. Return 0 or a negative errno; the
 * kernel's extack message, if any, is kept for nl_report().
 *
 * A callback returns MNL_CB_OK, or MNL_CB_ERROR with errno set.
 */
int nl_do(struct nl_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/*
 * Run a dump to its end, calling @cb for each message. If the kernel marks
 * the dump inconsistent (NLM_F_DUMP_INTR) the whole dump is started over,
 * a few times at most, calling @restart(@data) first so the caller can drop
 * what it collected. Return 0 or a negative errno (-EINTR if the dump
 * never came out consistent).
 */
int nl_dump(struct nl_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb,
	    void (*restart)(void *data), void *data);

/*
 * Print "tcplimitctl: <what>: <reason>" for the error @err returned by
 * nl_do() or nl_dump(): the extack message if the kernel sent one, a clear
 * line for EPERM, else strerror().
 */
void nl_report(const struct nl_ctx *ctx, const char *what, int err);

/*
 * Attribute parsing with validation. @policy[type] is the libmnl data type
 * of each known attribute (MNL_TYPE_UNSPEC: not checked); attributes above
 * @max are skipped, so newer kernels may add some. tb[] gets the last
 * occurrence of each type, NULL if absent. Return 0, or -1 with errno set
 * if an attribute has a bad length.
 */
int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
	     unsigned int max, const enum mnl_attr_data_type *policy);
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max, const enum mnl_attr_data_type *policy);

/*
 * The offset in the request of the attribute the last error was about
 * (NLMSGERR_ATTR_OFFS), -1 if the kernel named none.
 */
long nl_error_offset(const struct nl_ctx *ctx);

/* The tcplimit family's id (the nlmsg_type of its messages). */
uint16_t nl_family(const struct nl_ctx *ctx);

/*
 * Join the family's "events" multicast group: 0, -EOPNOTSUPP (a module
 * without it) or a negative errno (-EPERM: CAP_NET_ADMIN is needed).
 */
int nl_join_events(struct nl_ctx *ctx);

/*
 * Read what the groups joined send, calling @cb for each message, until
 * *@stop (set by a signal handler) or an error: 0 when stopped, a negative
 * errno (-ENOBUFS: the socket overran, events were lost) else. The caller
 * blocks the signals that set *@stop; they are let in (@wait_mask) only
 * while waiting for a message, so none is lost between test and wait.
 */
int nl_listen(struct nl_ctx *ctx, mnl_cb_t cb, void *data, volatile sig_atomic_t *stop,
	      const sigset_t *wait_mask);

/* Warn once on stderr if a reply's TCPLIMIT_A_VERSION (may be NULL) is not ours. */
void nl_check_version(const struct nlattr *version);

#endif /* TCPLIMITCTL_NETLINK_H */
