// SPDX-License-Identifier: GPL-2.0
/*
 * allowlist.c: "allow ADDR[/LEN]" (TCPLIMIT_CMD_ALLOW), "disallow
 * ADDR[/LEN]|all" (DISALLOW, or an empty TCPLIMIT_A_ALLOWLIST) and
 * "allowlist" (the GET_ALLOWLIST dump: one prefix a line, -j an array of
 * strings), and the allowlist lines of a restore file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "allowlist.h"
#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "print.h"
#include "set.h"

int allow_line_command(const char *name)
{
	return !strcmp(name, "allow") || !strcmp(name, "disallow");
}

int allow_line_parse(int argc, char *argv[], struct allow_line *l)
{
	memset(l, 0, sizeof(*l));
	if (argc != 2) {
		cmd_usage(argv[0]);
		return -1;
	}
	l->op = strcmp(argv[0], "allow") ? ALLOW_DEL : ALLOW_ADD;
	if (l->op == ALLOW_DEL && !strcmp(argv[1], "all")) {
		l->op = ALLOW_CLEAR;
		return 0;
	}
	return prefix_parse(argv[0], argv[1], false, &l->p);
}

/* The allowlist order, the kernel's: IPv4 first, then address, then length. */
static int prefix_cmp(const void *a, const void *b)
{
	const struct tl_prefix *x = a, *y = b;
	int r;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	r = memcmp(x->addr, y->addr, sizeof(x->addr));
	return r ? r : (int)x->len - (int)y->len;
}

static int prefixes_add(struct tl_prefixes *list, const struct tl_prefix *p)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct tl_prefix *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *p;
	return 0;
}

void prefixes_free(struct tl_prefixes *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

static int allowlist_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPLIMIT_A_MAX + 1];
	struct tl_prefix p;

	if (nl_parse(nlh, tb, TCPLIMIT_A_MAX, NULL) < 0 || !tb[TCPLIMIT_A_PREFIX] ||
	    prefix_get(tb[TCPLIMIT_A_PREFIX], &p)) {
		err_msg("malformed reply from the kernel");
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	nl_check_version(tb[TCPLIMIT_A_VERSION]);
	if (prefixes_add(data, &p)) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static void allowlist_restart(void *data)
{
	((struct tl_prefixes *)data)->n = 0;
}

int query_allowlist(struct nl_ctx *ctx, struct tl_prefixes *list)
{
	return nl_dump(ctx, nl_dump_request(ctx, TCPLIMIT_CMD_GET_ALLOWLIST), allowlist_cb,
		       allowlist_restart, list);
}

int allow_lines_apply(struct nl_ctx *ctx, const struct allow_line *lines, size_t n,
		      struct tl_prefixes *out, const struct allow_line **bad)
{
	struct tl_prefix *hit;
	size_t i;
	int ret;

	*bad = NULL;
	memset(out, 0, sizeof(*out));
	if (n && lines[0].op != ALLOW_CLEAR) {
		ret = query_allowlist(ctx, out);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		const struct allow_line *l = &lines[i];

		if (l->op == ALLOW_CLEAR) {
			out->n = 0;
			continue;
		}
		hit = bsearch(&l->p, out->v, out->n, sizeof(*out->v), prefix_cmp);
		if (l->op == ALLOW_DEL && !hit) {
			*bad = l;
			return -ENOENT;
		} else if (l->op == ALLOW_DEL) {
			memmove(hit, hit + 1, (size_t)(out->v + out->n - hit - 1) * sizeof(*hit));
			out->n--;
		} else if (!hit) {
			if (out->n == TCPLIMIT_MAX_ALLOW) {
				*bad = l;
				return -ENOSPC;
			}
			ret = prefixes_add(out, &l->p);
			if (ret)
				return ret;
			qsort(out->v, out->n, sizeof(*out->v), prefix_cmp);
		}
	}
	return 0;
}

void allow_line_error(const struct allow_line *l, int err)
{
	char name[PREFIX_NAME_LEN];

	prefix_format(l->p.family, l->p.addr, l->p.len, name, sizeof(name));
	if (err == -ENOENT)
		err_msg("disallow %s: not in the allowlist", name);
	else
		err_msg("allow %s: the allowlist is full (%u prefixes)", name,
			TCPLIMIT_MAX_ALLOW);
}

/* allow, disallow: one request, or the whole (empty) list for "disallow all". */
int cmd_allow(int argc, char *argv[])
{
	struct set_req req = { .allowlist_set = true };
	struct allow_line l;
	struct nl_ctx *ctx;
	struct nlmsghdr *nlh;
	int ret;

	if (allow_line_parse(argc, argv, &l))
		return EXIT_USAGE;
	if (l.op == ALLOW_CLEAR)
		return set_send("disallow all", &req);
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	nlh = nl_request(ctx, l.op == ALLOW_ADD ? TCPLIMIT_CMD_ALLOW : TCPLIMIT_CMD_DISALLOW);
	ret = prefix_put(nlh, NL_REQ_SIZE, TCPLIMIT_A_PREFIX, &l.p) ?
	      nl_do(ctx, nlh, NULL, NULL) : -EMSGSIZE;
	if (ret)
		nl_report(ctx, argv[0], ret);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_allowlist(int argc, char *argv[])
{
	struct tl_prefixes list = { 0 };
	char name[PREFIX_NAME_LEN];
	struct nl_ctx *ctx;
	size_t i;
	int ret;

	ctx = cmd_open(argc, argv, &ret);
	if (!ctx)
		return ret;
	ret = query_allowlist(ctx, &list);
	if (ret) {
		nl_report(ctx, "allowlist", ret);
	} else {
		pr_open_array(NULL);
		for (i = 0; i < list.n; i++) {
			prefix_format(list.v[i].family, list.v[i].addr, list.v[i].len, name,
				      sizeof(name));
			pr_string(PR_ANY, NULL, "%s\n", name);
		}
		pr_close_array();
	}
	prefixes_free(&list);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}
