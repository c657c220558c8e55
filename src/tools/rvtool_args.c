/* rvtool_args.c — shared argument helpers of the tools (rvtool_args.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "rvtool_args.h"

int rvtool_usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see %s --help)\n", prog);
    va_end(ap);
    return 2;
}

int rvtool_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int rvtool_parse_double(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s)
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int rvtool_opt_error(const char *prog, int c, char *const *argv)
{
    if (c == ':')
        return rvtool_usage_error(prog, "%s needs a value", argv[optind - 1]);
    return rvtool_usage_error(prog, "unknown option '%s'", argv[optind - 1]);
}

int rvtool_playback_opt(const char *prog, int c, const char *arg, rvtool_playback *p)
{
    if (c == 'j' && rvtool_parse_double(arg, 0, 1000, &p->jitter_ms))
        return rvtool_usage_error(prog, "--jitter: '%s' is not a jitter 0..1000 ms", arg);
    if (c == 'S' && rvtool_parse_u64(arg, UINT64_MAX, &p->seed))
        return rvtool_usage_error(prog, "--seed: '%s' is not an unsigned 64-bit integer", arg);
    return 0;
}
