/*
 * rvtool_args.h — what every command-line tool does with its arguments:
 * strict number parsing (the whole string, in range) and the usage-error
 * exit (message, pointer to --help, status 2).
 */
#ifndef RVTOOL_ARGS_H
#define RVTOOL_ARGS_H

#include <stdint.h>

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

#endif
