/*
 * jobs.h: the one place the library starts threads. Private to the library.
 *
 * A caller lays out its work as an array of jobs, each holding what it
 * needs (its own repository handle, arena or output buffer when those may
 * not be shared), and am_jobs__run runs them on up to T threads, the
 * caller's own among them. A pipeline's stages that must each keep to one
 * thread (what a thread allocates, it frees) run on threads of their own
 * (am_jobs__start), handing work on through queues.
 */
#ifndef AM_JOBS_H
#define AM_JOBS_H

#include <stdbool.h>
#include <stddef.h>

/* Threads when the caller asks for 0 ("auto"): the machines auditmd is
 * measured on give nothing more for a third (bench/). */
#define AM_JOBS_DEFAULT_THREADS 2

/* Runs one job; returns 0 or a negative code with its message set. */
typedef int (*am_job_fn)(void *job, void *payload);

/*
 * Runs fn(job, payload) once for each of the n jobs laid out `size` bytes
 * apart from `jobs`, on up to `threads` threads (0: AM_JOBS_DEFAULT_THREADS;
 * never more than n). The caller's thread is one of them: the others take
 * jobs in order as they become free, and a thread that cannot start leaves
 * its share to the rest, at worst all of it to the caller's thread. A job
 * may therefore run on any of them, and must touch nothing another job
 * touches. Every job runs, whatever the others return.
 *
 * Returns 0, or the code of the first job (in array order) that failed,
 * with that job's message set in the caller's thread.
 */
int am_jobs__run(void *jobs, size_t n, size_t size, am_job_fn fn, void *payload,
		 unsigned threads);

/*
 * A stage of a pipeline on a thread of its own, and the queues between
 * stages: a producer puts pointers, a consumer gets them in order.
 */
typedef struct am_thread am_thread;
typedef struct am_queue am_queue;

/* Starts fn(arg) on a new thread in *out; -1 when no thread can start. */
int am_jobs__start(am_thread **out, void *(*fn)(void *arg), void *arg);
/* Waits for the thread to end, and frees it. */
void am_jobs__join(am_thread *t);

/* A queue of at most `cap` items (0: no bound). */
am_queue *am_queue__new(size_t cap);
void am_queue__free(am_queue *q);
/* Adds an item (NULL too), waiting while the queue is full. */
void am_queue__put(am_queue *q, void *item);
/* The first item, waiting for one. */
void *am_queue__get(am_queue *q);
/* The first item in *item when there is one, without waiting. */
bool am_queue__try_get(am_queue *q, void **item);

#endif
