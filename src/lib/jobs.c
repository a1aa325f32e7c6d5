/*
 * jobs.c: n jobs on up to T threads, and a pipeline's threads and queues
 * (see jobs.h). The only file of the library that starts a thread.
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

/* ---- a pipeline's threads and queues -------------------------------------------- */

struct am_thread {
	pthread_t id;
};

int am_jobs__start(am_thread **out, void *(*fn)(void *arg), void *arg)
{
	am_thread *t = am_xmalloc(sizeof(*t));
	if (pthread_create(&t->id, NULL, fn, arg) != 0) {
		free(t);
		*out = NULL;
		return -1;
	}
	*out = t;
	return 0;
}

void am_jobs__join(am_thread *t)
{
	if (!t)
		return;
	pthread_join(t->id, NULL);
	free(t);
}

/* A ring of items[cap] (grown when unbounded) from `head`. */
struct am_queue {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	void **items;
	size_t head, n, cap;
	bool bounded;
};

am_queue *am_queue__new(size_t cap)
{
	am_queue *q = am_xcalloc(1, sizeof(*q));
	q->bounded = cap != 0;
	q->cap = cap ? cap : 16;
	q->items = am_xmalloc(q->cap * sizeof(void *));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->changed, NULL);
	return q;
}

void am_queue__free(am_queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->changed);
	free(q->items);
	free(q);
}

/* Doubles an unbounded queue's ring, its items kept in order. */
static void queue_grow(am_queue *q)
{
	void **items = am_xmalloc(2 * q->cap * sizeof(void *));
	for (size_t k = 0; k < q->n; k++)
		items[k] = q->items[(q->head + k) % q->cap];
	free(q->items);
	q->items = items;
	q->head = 0;
	q->cap *= 2;
}

void am_queue__put(am_queue *q, void *item)
{
	pthread_mutex_lock(&q->mu);
	while (q->bounded && q->n == q->cap)
		pthread_cond_wait(&q->changed, &q->mu);
	if (q->n == q->cap)
		queue_grow(q);
	q->items[(q->head + q->n++) % q->cap] = item;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mu);
}

/* The first item, the lock held and an item there. */
static void *queue_take(am_queue *q)
{
	void *item = q->items[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	pthread_cond_broadcast(&q->changed);
	return item;
}

void *am_queue__get(am_queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->n)
		pthread_cond_wait(&q->changed, &q->mu);
	void *item = queue_take(q);
	pthread_mutex_unlock(&q->mu);
	return item;
}

bool am_queue__try_get(am_queue *q, void **item)
{
	pthread_mutex_lock(&q->mu);
	bool any = q->n != 0;
	if (any)
		*item = queue_take(q);
	pthread_mutex_unlock(&q->mu);
	return any;
}
