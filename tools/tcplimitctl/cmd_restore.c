// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_restore.c: "restore FILE|-": read set-* commands, as "save" prints
 * them (or set KEY VALUE...), policy lines and allow and disallow lines,
 * and apply them all in one SET_CONFIG request: everything or, on any
 * error, nothing. The policy lines change the kernel's policies in order
 * (from none after "policy del all", as save writes), the allowlist lines
 * its allowlist (from an empty one after "disallow all"), and the results
 * are sent whole. Then the ban lines, one BAN each: bans are state, not
 * settings, so they are added to those in force once the settings took
 * (the first the kernel refuses, its ban table full, stops there and is
 * named). A line is such a command and its arguments, with or without a
 * leading "tcplimitctl"; '#' starts a comment; blank lines are skipped.
 * Each line is parsed by its command's own parser (commands.h); a later
 * line setting the same value wins, as if the lines ran in order. Errors
 * name FILE:LINE, also for an error the kernel ties to an attribute.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "bans.h"
#include "commands.h"
#include "error.h"
#include "netlink.h"
#include "policies.h"
#include "set.h"
#include "settings.h"

/* As many words as "set" takes on the command line (SET_MAX_WORDS). */
#define RESTORE_MAX_WORDS	SET_MAX_WORDS

/* The lines of one command besides the settings, parsed, in file order. */
struct line_list {
	void *v;
	size_t n, cap;
};

struct restore {
	const char *name;	/* FILE, or "<stdin>" */
	char where[PATH_MAX + 32];	/* "FILE:LINE" for error messages */
	struct set_req req;
	struct line_list allow;		/* struct allow_line: allow, disallow */
	struct line_list policy;	/* struct policy_line */
	struct line_list ban;		/* struct ban_line */
};

/* Append the line @l of @size bytes to @list: 0, or -1 after printing why. */
static int list_add(struct line_list *list, const void *l, size_t size)
{
	size_t cap = list->cap ? list->cap * 2 : 64;
	void *v;

	if (list->n == list->cap) {
		v = realloc(list->v, cap * size);
		if (!v) {
			err_msg("out of memory");
			return -1;
		}
		list->v = v;
		list->cap = cap;
	}
	memcpy((char *)list->v + list->n++ * size, l, size);
	return 0;
}

/* An allowlist, policy or ban line (argv[0] says which) into its list; -1 after printing why. */
static int restore_list_line(struct restore *r, int argc, char *argv[], unsigned int lineno)
{
	struct allow_line allow;
	struct policy_line policy;
	struct ban_line ban;

	if (allow_line_command(argv[0])) {
		if (allow_line_parse(argc, argv, &allow))
			return -1;
		allow.line = lineno;
		return list_add(&r->allow, &allow, sizeof(allow));
	}
	if (policy_line_command(argv[0])) {
		if (policy_line_parse(argc, argv, &policy))
			return -1;
		policy.line = lineno;
		return list_add(&r->policy, &policy, sizeof(policy));
	}
	if (ban_line_parse(argc, argv, &ban))
		return -1;
	ban.line = lineno;
	return list_add(&r->ban, &ban, sizeof(ban));
}

static void restore_where(struct restore *r, unsigned int line)
{
	snprintf(r->where, sizeof(r->where), "%s:%u", r->name, line);
	err_set_where(r->where);
}

/* Split @line into words; a word starting with '#' ends it. Return the count, -1: too many. */
static int split_words(char *line, char *words[])
{
	static const char space[] = " \t\r\n\v\f";
	char *p = line;
	int n = 0;

	for (;;) {
		p += strspn(p, space);
		if (!*p || *p == '#')
			return n;
		if (n == RESTORE_MAX_WORDS)
			return -1;
		words[n++] = p;
		p += strcspn(p, space);
		if (*p)
			*p++ = '\0';
	}
}

static int is_prog_name(const char *word)
{
	const char *base = strrchr(word, '/');

	return !strcmp(base ? base + 1 : word, PROG_NAME);
}

/* Parse one line into r->req; print the error and return -1 if it is bad. */
static int restore_line(struct restore *r, char *line, size_t len, unsigned int lineno)
{
	const struct command *cmd;
	char *words[RESTORE_MAX_WORDS];
	char **argv = words;
	int argc;

	restore_where(r, lineno);
	if (strlen(line) != len) {
		err_msg("a NUL byte in the line");
		return -1;
	}
	argc = split_words(line, words);
	if (argc < 0) {
		err_msg("too many words (more than %d)", RESTORE_MAX_WORDS);
		return -1;
	}
	if (argc && is_prog_name(argv[0])) {
		argv++;
		argc--;
		if (!argc) {
			err_msg("'%s' alone: a set-* command should follow", PROG_NAME);
			return -1;
		}
	}
	if (!argc)
		return 0;
	if (argv[0][0] == '-') {
		err_msg("'%s': options have no place in a restore file", argv[0]);
		return -1;
	}
	if (allow_line_command(argv[0]) || policy_line_command(argv[0]) || !strcmp(argv[0], "ban"))
		return restore_list_line(r, argc, argv, lineno);
	cmd = command_find(argv[0]);
	if (!cmd) {
		err_msg("unknown command '%s'", argv[0]);
		return -1;
	}
	if (!command_sets(cmd)) {
		err_msg("'%s' is not set, a set-* command, policy, allow, disallow or ban (a restore file has only those)",
			argv[0]);
		return -1;
	}
	r->req.line = lineno;
	return command_parse(cmd, argc, argv, &r->req) ? -1 : 0;
}

static int restore_file(struct restore *r, FILE *f)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, f)) >= 0)
		ret = restore_line(r, line, (size_t)len, ++lineno);
	err_set_where(NULL);
	if (!ret && ferror(f)) {
		err_msg("restore: reading %s: %s", r->name, strerror(errno));
		ret = -1;
	}
	free(line);
	return ret;
}

static int restore_apply(struct restore *r)
{
	const struct ban_line *bans = r->ban.v;
	const struct policy_line *bad_policy;
	const struct allow_line *bad_allow;
	struct tl_prefixes allowlist;
	struct tl_policies policies;
	struct nl_ctx *ctx;
	int ret, bad = -1;
	size_t i;

	if (!r->req.n && !r->allow.n && !r->policy.n && !r->ban.n) {
		err_msg("restore: %s has no set-*, policy, allow, disallow or ban command, nothing to apply",
			r->name);
		return EXIT_FAIL;
	}
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	/* The lists as the file leaves them, checked before anything is sent. */
	ret = allow_lines_apply(ctx, r->allow.v, r->allow.n, &allowlist, &bad_allow);
	if (ret && bad_allow) {
		restore_where(r, bad_allow->line);
		allow_line_error(bad_allow, ret);
		goto out;
	}
	if (!ret) {
		ret = policy_lines_apply(ctx, r->policy.v, r->policy.n, &policies, &bad_policy);
		if (ret && bad_policy) {
			restore_where(r, bad_policy->line);
			policy_line_error(bad_policy, &policies, ret);
			goto out;
		}
	}
	if (!ret && (r->req.n || r->allow.n || r->policy.n)) {
		r->req.allowlist_set = r->allow.n > 0;
		r->req.allowlist = allowlist.v;
		r->req.n_allowlist = allowlist.n;
		r->req.policies_set = r->policy.n > 0;
		r->req.policies = policies.v;
		r->req.n_policies = policies.n;
		ret = set_apply(ctx, &r->req, &bad);
	}
	for (i = 0; !ret && i < r->ban.n; i++) {
		ret = ban_line_apply(ctx, &bans[i]);
		if (ret) {
			restore_where(r, bans[i].line);
			nl_report(ctx, "ban", ret);
			goto out;
		}
	}
	if (ret && bad >= 0) {
		restore_where(r, r->req.attr[bad].line);
		nl_report(ctx, "restore", ret);
	} else if (ret) {
		snprintf(r->where, sizeof(r->where), "restore %s", r->name);
		nl_report(ctx, r->where, ret);
	}
out:
	err_set_where(NULL);
	prefixes_free(&allowlist);
	nl_close(ctx);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_restore(int argc, char *argv[])
{
	struct restore *r;
	FILE *f;
	int ret;

	if (argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-")) {
		f = stdin;
	} else {
		f = fopen(argv[1], "re");
		if (!f) {
			err_msg("restore: cannot open %s: %s", argv[1], strerror(errno));
			return EXIT_FAIL;
		}
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		err_msg("out of memory");
		ret = EXIT_FAIL;
	} else {
		r->name = f == stdin ? "<stdin>" : argv[1];
		ret = restore_file(r, f) ? EXIT_FAIL : restore_apply(r);
		free(r->allow.v);
		free(r->policy.v);
		free(r->ban.v);
	}
	free(r);
	if (f != stdin)
		fclose(f);
	return ret;
}
