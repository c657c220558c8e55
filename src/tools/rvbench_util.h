/*
 * rvbench_util.h — timing, statistics and allocation helpers shared by the
 * rvbench sections (rvbench.c, rvbench_model.c).
 */
#ifndef RVBENCH_UTIL_H
#define RVBENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: unaffected by time other processes get on a
 * shared machine (printed beside the wall-clock medians). */
static inline double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int rvb_cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, rvb_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "rvbench: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

#endif /* RVBENCH_UTIL_H */
