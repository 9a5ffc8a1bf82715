// SPDX-License-Identifier: GPL-2.0
/*
 * print.c: text or JSON output on stdout (see print.h). The JSON writer
 * keeps a stack of open containers to place commas, and indents by two
 * spaces per level when pretty-printing.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "format.h"
#include "print.h"

#define PR_MAX_DEPTH	8

static struct {
	bool json;
	bool pretty;
	unsigned int depth;		/* open containers */
	unsigned int count[PR_MAX_DEPTH + 1];	/* values so far in each */
} pr;

void pr_init(bool json, bool pretty)
{
	pr.json = json;
	pr.pretty = json && pretty;
	pr.depth = 0;
	pr.count[0] = 0;
}

bool pr_json(void)
{
	return pr.json;
}

bool pr_pretty(void)
{
	return pr.pretty;
}

static bool pr_wants(enum pr_mode mode)
{
	return pr.json ? mode != PR_TEXT : mode != PR_JSON;
}

static void json_indent(void)
{
	unsigned int i;

	if (!pr.pretty)
		return;
	putchar('\n');
	for (i = 0; i < pr.depth; i++)
		fputs("  ", stdout);
}

static void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* Start a value in the current container: the comma, the indent, "key": */
static void json_start(const char *key)
{
	if (pr.count[pr.depth]++)
		putchar(',');
	if (pr.depth)
		json_indent();
	if (key) {
		json_str(key);
		fputs(pr.pretty ? ": " : ":", stdout);
	}
}

/* A value at the top level is the whole document: end its line. */
static void json_end_value(void)
{
	if (!pr.depth)
		putchar('\n');
}

static void json_open(const char *key, char c)
{
	json_start(key);
	putchar(c);
	assert(pr.depth < PR_MAX_DEPTH);
	pr.count[++pr.depth] = 0;
}

static void json_close(char c)
{
	assert(pr.depth > 0);
	pr.depth--;
	if (pr.count[pr.depth + 1])
		json_indent();
	putchar(c);
	json_end_value();
}

void pr_open_object(const char *key)
{
	if (pr.json)
		json_open(key, '{');
}

void pr_close_object(void)
{
	if (pr.json)
		json_close('}');
}

void pr_open_array(const char *key)
{
	if (pr.json)
		json_open(key, '[');
}

void pr_close_array(void)
{
	if (pr.json)
		json_close(']');
}

/*
 * The text formats are the callers' constant strings, each with one
 * conversion for the value's type as documented in print.h.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void pr_uint(enum pr_mode mode, const char *key, const char *fmt, uint64_t v)
{
	if (!pr_wants(mode))
		return;
	if (pr.json) {
		json_start(key);
		printf("%" PRIu64, v);
		json_end_value();
	} else if (fmt) {
		printf(fmt, v);
	}
}

void pr_string(enum pr_mode mode, const char *key, const char *fmt, const char *s)
{
	if (!pr_wants(mode))
		return;
	if (pr.json) {
		json_start(key);
		json_str(s);
		json_end_value();
	} else if (fmt) {
		printf(fmt, s);
	}
}

void pr_on_off(enum pr_mode mode, const char *key, const char *fmt, bool v)
{
	if (!pr_wants(mode))
		return;
	if (pr.json) {
		json_start(key);
		fputs(v ? "true" : "false", stdout);
		json_end_value();
	} else if (fmt) {
		printf(fmt, v ? "on" : "off");
	}
}

#pragma GCC diagnostic pop

void pr_duration(enum pr_mode mode, const char *key, const char *fmt, uint64_t ms)
{
	char buf[DURATION_LEN];

	if (pr.json) {
		pr_uint(mode, key, NULL, ms);
		return;
	}
	format_duration(buf, sizeof(buf), ms);
	pr_string(mode, key, fmt, buf);
}

void pr_text(const char *fmt, ...)
{
	va_list ap;

	if (pr.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
