// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_restore.c: "restore FILE|-": read set-* commands, as "save" prints
 * them (or set KEY VALUE...), and allow and disallow lines, and apply them
 * all in one SET_CONFIG request: everything or, on any error, nothing. The
 * allowlist lines change the kernel's allowlist in order (from an empty one
 * after "disallow all", as save writes), and the result is sent whole.
 * Then the ban lines, one BAN each: bans are state, not settings, so they
 * are added to those in force once the settings took (the first the kernel
 * refuses, its ban table full, stops there and is named). A line is such a command and its arguments, with or
 * without a leading "tcplimitctl"; '#' starts a comment; blank lines are
 * skipped. Each line is parsed by its command's own parser (commands.h);
 * a later line setting the same value wins, as if the lines ran in order.
 * Errors name FILE:LINE, also for an error the kernel ties to an attribute.
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
#include "set.h"
#include "settings.h"

/* As many words as "set" takes on the command line (SET_MAX_WORDS). */
#define RESTORE_MAX_WORDS	SET_MAX_WORDS

struct restore {
	const char *name;	/* FILE, or "<stdin>" */
	char where[PATH_MAX + 32];	/* "FILE:LINE" for error messages */
	struct set_req req;
	struct allow_line *allow;	/* the allowlist lines, in order */
	size_t n_allow, cap_allow;
	struct ban_line *ban;		/* the ban lines, in order */
	size_t n_ban, cap_ban;
};

/* Room for one more element of @size in *@v (@n of *@cap used): 0, or -1 after printing why. */
static int restore_grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : 64;
	void *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*v, new_cap * size);
	if (!nv) {
		err_msg("out of memory");
		return -1;
	}
	*v = nv;
	*cap = new_cap;
	return 0;
}

/* One more allowlist line, parsed; -1 after printing why. */
static int restore_allow_line(struct restore *r, int argc, char *argv[], unsigned int lineno)
{
	struct allow_line l;

	if (allow_line_parse(argc, argv, &l) ||
	    restore_grow((void **)&r->allow, r->n_allow, &r->cap_allow, sizeof(l)))
		return -1;
	l.line = lineno;
	r->allow[r->n_allow++] = l;
	return 0;
}

/* One more ban line, parsed; -1 after printing why. */
static int restore_ban_line(struct restore *r, int argc, char *argv[], unsigned int lineno)
{
	struct ban_line l;

	if (ban_line_parse(argc, argv, &l) ||
	    restore_grow((void **)&r->ban, r->n_ban, &r->cap_ban, sizeof(l)))
		return -1;
	l.line = lineno;
	r->ban[r->n_ban++] = l;
	return 0;
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
	if (allow_line_command(argv[0]))
		return restore_allow_line(r, argc, argv, lineno);
	if (!strcmp(argv[0], "ban"))
		return restore_ban_line(r, argc, argv, lineno);
	cmd = command_find(argv[0]);
	if (!cmd) {
		err_msg("unknown command '%s'", argv[0]);
		return -1;
	}
	if (!command_sets(cmd)) {
		err_msg("'%s' is not set, a set-* command, allow, disallow or ban (a restore file has only those)",
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
	const struct allow_line *bad_line;
	struct tl_prefixes allowlist;
	struct nl_ctx *ctx;
	int ret, bad = -1;
	size_t i;

	if (!r->req.n && !r->n_allow && !r->n_ban) {
		err_msg("restore: %s has no set-*, allow, disallow or ban command, nothing to apply",
			r->name);
		return EXIT_FAIL;
	}
	ctx = nl_open();
	if (!ctx)
		return EXIT_FAIL;
	ret = allow_lines_apply(ctx, r->allow, r->n_allow, &allowlist, &bad_line);
	if (ret && bad_line) {
		restore_where(r, bad_line->line);
		allow_line_error(bad_line, ret);
		err_set_where(NULL);
		prefixes_free(&allowlist);
		nl_close(ctx);
		return EXIT_FAIL;
	}
	if (!ret && (r->req.n || r->n_allow)) {
		r->req.allowlist_set = r->n_allow > 0;
		r->req.allowlist = allowlist.v;
		r->req.n_allowlist = allowlist.n;
		ret = set_apply(ctx, &r->req, &bad);
	}
	for (i = 0; !ret && i < r->n_ban; i++) {
		ret = ban_line_apply(ctx, &r->ban[i]);
		if (ret) {
			restore_where(r, r->ban[i].line);
			nl_report(ctx, "ban", ret);
			err_set_where(NULL);
			prefixes_free(&allowlist);
			nl_close(ctx);
			return EXIT_FAIL;
		}
	}
	if (ret && bad >= 0) {
		restore_where(r, r->req.attr[bad].line);
		nl_report(ctx, "restore", ret);
		err_set_where(NULL);
	} else if (ret) {
		snprintf(r->where, sizeof(r->where), "restore %s", r->name);
		nl_report(ctx, r->where, ret);
	}
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
		free(r->allow);
		free(r->ban);
	}
	free(r);
	if (f != stdin)
		fclose(f);
	return ret;
}
