/*
 * rvtool_args.h — what every command-line tool does with its arguments:
 * strict number parsing (the whole string, in range) and the usage-error
 * exit (message, pointer to --help, status 2).
 */
#ifndef RVTOOL_ARGS_H
#define RVTOOL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints "PROG: message\n(see PROG --help)" to stderr; returns 2. */
int rvtool_usage_error(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Decimal digits only, <= max. 0 on success, -1 otherwise. */
int rvtool_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* A finite number in [lo, hi]. 0 on success, -1 otherwise. */
int rvtool_parse_double(const char *s, double lo, double hi, double *out);

/* getopt_long's ':' (missing value) and '?' (unknown option) as usage
 * errors, after opterr = 0 and an optstring starting with ':'. */
int rvtool_opt_error(const char *prog, int c, char *const *argv);
/* Playback timing options of the tools that replay recordings:
 * 'j' = --jitter MS (0..1000), 'S' = --seed S (unsigned 64-bit).
 * Returns 0 or a usage error. */
typedef struct {
    double   jitter_ms;
    uint64_t seed;
} rvtool_playback;
int rvtool_playback_opt(const char *prog, int c, const char *arg, rvtool_playback *p);

/* One small option table per tool drives getopt_long: each row names a long
 * option, what its value is and where it goes. Numbers are checked whole
 * and in range; a bad value, a missing value or an unknown option is a usage
 * error naming the option. */
typedef enum {
    RVTOOL_FLAG,    /* no value: *(bool *)dst = true */
    RVTOOL_U32,     /* uint32_t in [lo, hi] */
    RVTOOL_U64,     /* any uint64_t */
    RVTOOL_DOUBLE,  /* finite double in [lo, hi] */
    RVTOOL_STRING,  /* non-empty string: *(const char **)dst = arg */
    RVTOOL_CALL,    /* a value handed to the tool's callback */
    RVTOOL_CALL0,   /* no value: the callback gets arg == NULL */
} rvtool_kind;

typedef struct {
    const char *name;   /* long option without "--" */
    rvtool_kind kind;
    void *dst;          /* typed as the kind says; unused by CALL/CALL0 */
    double lo, hi;      /* U32 and DOUBLE ranges */
} rvtool_opt;

/* Handles a CALL/CALL0 row; returns 0, or rvtool_usage_error()'s status. */
typedef int (*rvtool_call_fn)(void *ctx, const char *name, const char *arg);

/* Parses argv against opts[0..n) plus --help/-h (usage(stdout)). GNU
 * permutation: positional arguments end up in argv[*first_arg..argc).
 * Returns -1 to go on, 0 after --help, 2 after a usage error (printed). */
int rvtool_parse(const char *prog, int argc, char **argv, const rvtool_opt *opts,
                 size_t n, rvtool_call_fn call, void *ctx, void (*usage)(FILE *),
                 int *first_arg);

#endif
