// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the GCRA rate limit, included by policy.c when built with
 * TCPLIMIT_SELFTEST=1: exactly the burst at once, the next connection on
 * the interval's boundary and not a nanosecond before, the whole burst back
 * after a quiet spell, tolerances that would pass 2^64, and refunds (an
 * unproven handshake gives its place back): what is left of one place,
 * nothing once it is spent, never a credit beyond the burst.
 */

/* Admit as the SYN path does: check, then take. */
static bool __init tcplimit_rate_try(struct tcplimit_entry *e, const struct tcplimit_rate *r,
				     u64 now)
{
	if (tcplimit_rate_check(e, r, now))
		return false;
	tcplimit_rate_take(e, r, now);
	return true;
}

static void __init tcplimit_selftest_rate_case(struct tcplimit_selftest *t, u32 conns,
					       u32 period_ms, u32 burst)
{
	struct tcplimit_rate r = { .conns = conns, .period_ms = period_ms, .burst = burst };
	struct tcplimit_entry e = {};
	u64 now = 1000 * NSEC_PER_SEC, next;
	u32 want = burst ?: conns, i, admitted = 0;
	char c[48];

	snprintf(c, sizeof(c), "%u/%ums burst %u", conns, period_ms, burst);
	tcplimit_rate_set(&r);
	TCPLIMIT_CHECK(t, r.interval_ns == div_u64((u64)(period_ms ?: 1000) * NSEC_PER_MSEC, conns),
		       "%s: interval %llu ns", c, r.interval_ns);
	TCPLIMIT_CHECK(t, tcplimit_rate_avail(&e, &r, now) == want, "%s: %u available at first",
		       c, tcplimit_rate_avail(&e, &r, now));
	for (i = 0; i < want + 3; i++)
		admitted += tcplimit_rate_try(&e, &r, now);
	TCPLIMIT_CHECK(t, admitted == want, "%s: %u admitted at once", c, admitted);
	TCPLIMIT_CHECK(t, tcplimit_rate_avail(&e, &r, now) == 0, "%s: %u available after the burst",
		       c, tcplimit_rate_avail(&e, &r, now));
	next = now + r.interval_ns;
	TCPLIMIT_CHECK(t, !tcplimit_rate_try(&e, &r, next - 1),
		       "%s: admitted 1 ns before the interval", c);
	TCPLIMIT_CHECK(t, tcplimit_rate_try(&e, &r, next), "%s: refused after the interval", c);
	TCPLIMIT_CHECK(t, !tcplimit_rate_try(&e, &r, next), "%s: two admitted for one interval", c);
	/* Quiet until the last one's time has passed: the whole burst again. */
	now = e.tat;
	TCPLIMIT_CHECK(t, tcplimit_rate_avail(&e, &r, now) == want,
		       "%s: %u available after a quiet spell", c, tcplimit_rate_avail(&e, &r, now));
	for (admitted = 0, i = 0; i < want + 3; i++)
		admitted += tcplimit_rate_try(&e, &r, now);
	TCPLIMIT_CHECK(t, admitted == want, "%s: %u admitted after a quiet spell", c, admitted);
	/* The last one's refund gives back its place: one more, no more. */
	tcplimit_rate_refund(&e, &r, e.tat, now);
	TCPLIMIT_CHECK(t, tcplimit_rate_try(&e, &r, now) && !tcplimit_rate_try(&e, &r, now),
		       "%s: not exactly one admitted after one refund", c);
	/* A place whose time has passed gives nothing back. */
	tcplimit_rate_refund(&e, &r, now, now);
	TCPLIMIT_CHECK(t, !tcplimit_rate_try(&e, &r, now), "%s: a spent place given back", c);
	/* Refunds never give credit beyond the burst. */
	for (i = 0; i < want + 3; i++)
		tcplimit_rate_refund(&e, &r, e.tat, now);
	TCPLIMIT_CHECK(t, e.tat == now && tcplimit_rate_avail(&e, &r, now) == want,
		       "%s: refunds past the burst: tat %llu ns ahead", c, e.tat - now);
	for (admitted = 0, i = 0; i < want + 3; i++)
		admitted += tcplimit_rate_try(&e, &r, now);
	TCPLIMIT_CHECK(t, admitted == want, "%s: %u admitted after refunds", c, admitted);
}

bool __init tcplimit_selftest_rate(void)
{
	struct tcplimit_selftest t = { .name = "rate" };
	struct tcplimit_rate r = { .conns = 1, .period_ms = U32_MAX, .burst = U32_MAX };
	struct tcplimit_entry e = {};
	u64 now = 1000 * NSEC_PER_SEC, tat, flow_tat;
	u32 i, admitted = 0;

	tcplimit_selftest_rate_case(&t, 1, 1000, 0);	/* burst 1 */
	tcplimit_selftest_rate_case(&t, 1, 1000, 1);
	tcplimit_selftest_rate_case(&t, 10, 1000, 0);	/* burst = rate */
	tcplimit_selftest_rate_case(&t, 10, 1000, 5);	/* burst below the rate */
	tcplimit_selftest_rate_case(&t, 3, 60000, 20);	/* burst above the rate */
	tcplimit_selftest_rate_case(&t, 7, 0, 0);	/* period defaults to 1 s */
	tcplimit_selftest_rate_case(&t, 1000000, 1, 0);	/* 1 ns interval */
	tcplimit_selftest_rate_case(&t, 3, 1000, 0);	/* interval rounds down */

	/* No rate: never refused, nothing to show. */
	r.conns = 0;
	tcplimit_rate_set(&r);
	for (i = 0; i < 100; i++)
		admitted += tcplimit_rate_try(&e, &r, now);
	TCPLIMIT_CHECK(&t, admitted == 100 && tcplimit_rate_avail(&e, &r, now) == 0,
		       "no rate: %u of 100 admitted", admitted);

	/* 1 per 49.7 days, burst 2^32 - 1: the tolerance is capped, never wrapped. */
	r = (struct tcplimit_rate){ .conns = 1, .period_ms = U32_MAX, .burst = U32_MAX };
	tcplimit_rate_set(&r);
	TCPLIMIT_CHECK(&t, r.tolerance_ns == TCPLIMIT_TOLERANCE_CAP,
		       "huge burst: tolerance %llu", r.tolerance_ns);
	e.tat = 0;
	for (admitted = 0, i = 0; i < 5000; i++)
		admitted += tcplimit_rate_try(&e, &r, now);
	TCPLIMIT_CHECK(&t, admitted == div64_u64(TCPLIMIT_TOLERANCE_CAP, r.interval_ns) + 1,
		       "huge burst: %u admitted", admitted);
	tat = e.tat;
	TCPLIMIT_CHECK(&t, tat > now && !tcplimit_rate_try(&e, &r, now) && e.tat == tat,
		       "huge burst: theoretical arrival time wrapped");

	/*
	 * 10/s burst 20: a place taken at 0 s is spent by 1 s, whatever came
	 * after it: its refund then gives back nothing of theirs.
	 */
	r = (struct tcplimit_rate){ .conns = 10, .period_ms = 1000, .burst = 20 };
	tcplimit_rate_set(&r);
	e.tat = 0;
	flow_tat = tcplimit_rate_take(&e, &r, now);
	for (i = 0; i < 15; i++)
		tcplimit_rate_try(&e, &r, now + 900 * NSEC_PER_MSEC);
	tat = e.tat;
	tcplimit_rate_refund(&e, &r, flow_tat, now + NSEC_PER_SEC);
	TCPLIMIT_CHECK(&t, e.tat == tat, "a spent place refunded %llu ns", tat - e.tat);

	/* Soon after boot an interval can exceed the clock: no wrap. */
	r = (struct tcplimit_rate){ .conns = 1, .period_ms = 3600 * 1000 };
	tcplimit_rate_set(&r);
	e.tat = 2 * NSEC_PER_SEC;
	tcplimit_rate_refund(&e, &r, 4 * NSEC_PER_SEC, NSEC_PER_SEC);
	TCPLIMIT_CHECK(&t, e.tat == NSEC_PER_SEC, "refund near boot: tat %llu", e.tat);
	return tcplimit_selftest_done(&t);
}
