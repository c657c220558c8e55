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

#endif
