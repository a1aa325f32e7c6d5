/* The one place threads start (jobs.c): every job runs once, on the
 * caller's thread when there is one thread, and the error that comes back
 * is the first failing job's in array order, with its message, whichever
 * thread ran it. */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "jobs.h"
#include "testutil.h"
#include "util.h"

typedef struct {
	unsigned runs;
	pthread_t ran_on;
	int fail; /* the code this job returns */
	char message[32];
} job;

static int run_job(void *arg, void *payload)
{
	job *j = arg;
	unsigned *started = payload;
	j->runs++;
	j->ran_on = pthread_self();
	__atomic_fetch_add(started, 1, __ATOMIC_RELAXED);
	/* A little work, so that the threads interleave. */
	volatile unsigned spin = 0;
	for (unsigned i = 0; i < 20000; i++)
		spin += i;
	if (j->fail < 0)
		am_error_set("%s", j->message);
	return j->fail;
}

static const struct {
	size_t n;
	unsigned threads;
} rows[] = {
	{ 0, 2 }, { 1, 2 }, { 2, 0 }, { 5, 1 }, { 100, 2 }, { 100, 4 }, { 3, 8 }, { 1000, 0 },
};

/* Each job once, and 0 back when none fails. */
START_TEST(test_every_job_once)
{
	size_t n = rows[_i].n;
	job *jobs = am_xcalloc(n ? n : 1, sizeof(job));
	unsigned started = 0;
	am_error_clear();
	ck_assert_int_eq(am_jobs__run(jobs, n, sizeof(job), run_job, &started, rows[_i].threads), 0);
	ck_assert_uint_eq(started, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(jobs[i].runs == 1, "job %zu of %zu ran %u times", i, n, jobs[i].runs);
	free(jobs);
}
END_TEST

/* One thread (the same path as a thread that cannot start): all on the
 * caller's, in order. */
START_TEST(test_one_thread_is_the_callers)
{
	job jobs[16] = { 0 };
	unsigned started = 0;
	ck_assert_int_eq(am_jobs__run(jobs, 16, sizeof(job), run_job, &started, 1), 0);
	for (size_t i = 0; i < 16; i++)
		ck_assert(pthread_equal(jobs[i].ran_on, pthread_self()));
}
END_TEST

/* Jobs `a` and `b` of n fail (AM_EPARSE and AM_EIO, each with its own
 * message): the first in array order comes back with its message in the
 * caller's thread, whichever thread ran it, and every job still runs.
 * Repeated, as which thread runs which job varies. */
static const struct {
	size_t n, a, b;
} failures[] = {
	{ 64, 7, 3 }, /* a later job fails first in time, maybe */
	{ 64, 3, 7 },
	{ 2, 1, 1 },  /* only the job another thread takes first */
	{ 1, 0, 0 },
};

START_TEST(test_first_failure_in_order)
{
	size_t n = failures[_i].n, a = failures[_i].a, b = failures[_i].b, first = a < b ? a : b;
	for (int round = 0; round < 50; round++) {
		job jobs[64] = { 0 };
		unsigned started = 0;
		jobs[a].fail = AM_EPARSE;
		jobs[b].fail = AM_EIO;
		snprintf(jobs[a].message, sizeof(jobs[a].message), "job %zu", a);
		snprintf(jobs[b].message, sizeof(jobs[b].message), "job %zu", b);
		am_error_clear();
		int rc = am_jobs__run(jobs, n, sizeof(job), run_job, &started, 2);
		ck_assert_int_eq(rc, jobs[first].fail);
		ck_assert_str_eq(am_error_last(), jobs[first].message);
		ck_assert_uint_eq(started, n);
		for (size_t i = 0; i < n; i++)
			ck_assert_uint_eq(jobs[i].runs, 1);
	}
}
END_TEST

/* A pipeline's queue: what a producer thread puts, a consumer gets, in
 * order, NULL included; a bounded queue holds the producer back, an
 * unbounded one never does. */
typedef struct {
	am_queue *q;
	size_t n;
} producer;

static void *produce(void *arg)
{
	producer *p = arg;
	for (size_t i = 1; i <= p->n; i++)
		am_queue__put(p->q, (void *)i);
	am_queue__put(p->q, NULL);
	return NULL;
}

static const size_t caps[] = { 1, 2, 4, 0 };

START_TEST(test_queue_in_order)
{
	producer p = { am_queue__new(caps[_i]), 5000 };
	am_thread *t;
	ck_assert_int_eq(am_jobs__start(&t, produce, &p), 0);
	size_t next = 1;
	void *item;
	while ((item = am_queue__get(p.q)))
		ck_assert_uint_eq((size_t)item, next++);
	ck_assert_uint_eq(next, p.n + 1);
	ck_assert(!am_queue__try_get(p.q, &item));
	am_jobs__join(t);
	am_queue__free(p.q);
}
END_TEST

START_TEST(test_queue_unbounded)
{
	am_queue *q = am_queue__new(0);
	void *item;
	ck_assert(!am_queue__try_get(q, &item));
	for (size_t i = 1; i <= 100; i++)
		am_queue__put(q, (void *)i); /* the ring grows, in order */
	for (size_t i = 1; i <= 50; i++) {
		ck_assert(am_queue__try_get(q, &item));
		ck_assert_uint_eq((size_t)item, i);
	}
	for (size_t i = 101; i <= 200; i++)
		am_queue__put(q, (void *)i); /* grows again from the middle */
	for (size_t i = 51; i <= 200; i++)
		ck_assert_uint_eq((size_t)am_queue__get(q), i);
	ck_assert(!am_queue__try_get(q, &item));
	am_queue__free(q);
	am_queue__free(NULL);
	am_jobs__join(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("jobs");
	tcase_add_loop_test(tc, test_every_job_once, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_one_thread_is_the_callers);
	tcase_add_loop_test(tc, test_first_failure_in_order, 0, sizeof(failures) / sizeof(failures[0]));
	tcase_add_loop_test(tc, test_queue_in_order, 0, sizeof(caps) / sizeof(caps[0]));
	tcase_add_test(tc, test_queue_unbounded);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
