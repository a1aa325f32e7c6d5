/*
 * jobs.c: n jobs on up to T threads (see jobs.h). The only file of the
 * library that starts a thread.
 *
 * The threads share one counter: each takes the next job until none is
 * left, so a slow job does not hold up the others' share, and a thread that
 * could not start simply takes nothing. A failing job's code and message
 * (thread-local, so copied out) are kept for the first failure in array
 * order, the one a single thread running the jobs in turn would have
 * stopped at, and its message is set again in the caller's thread.
 */
#include "jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "util.h"

typedef struct {
	char *jobs;
	size_t n, size;
	am_job_fn fn;
	void *payload;
	atomic_size_t next; /* the next job to take */
	pthread_mutex_t mu; /* guards the three below */
	size_t failed;      /* the first job that failed; n when none did */
	int rc;
	char error[1024];
} run;

static void *take_jobs(void *arg)
{
	run *r = arg;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->n) {
		int rc = r->fn(r->jobs + i * r->size, r->payload);
		if (rc >= 0)
			continue;
		pthread_mutex_lock(&r->mu);
		if (i < r->failed) {
			r->failed = i;
			r->rc = rc;
			snprintf(r->error, sizeof(r->error), "%s", am_error_last());
		}
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

int am_jobs__run(void *jobs, size_t n, size_t size, am_job_fn fn, void *payload,
		 unsigned threads)
{
	run r = { .jobs = jobs, .n = n, .size = size, .fn = fn, .payload = payload, .failed = n };
	pthread_t *others = NULL;
	size_t nothers = 0, want;

	if (!threads)
		threads = AM_JOBS_DEFAULT_THREADS;
	want = n < threads ? n : threads;
	atomic_init(&r.next, 0);
	pthread_mutex_init(&r.mu, NULL);
	if (want > 1) {
		others = am_xmalloc((want - 1) * sizeof(pthread_t));
		while (nothers < want - 1 && pthread_create(&others[nothers], NULL, take_jobs, &r) == 0)
			nothers++;
	}
	take_jobs(&r);
	for (size_t k = 0; k < nothers; k++)
		pthread_join(others[k], NULL);
	free(others);
	pthread_mutex_destroy(&r.mu);
	if (r.failed == n)
		return 0;
	am_error_set("%s", r.error);
	return r.rc;
}
