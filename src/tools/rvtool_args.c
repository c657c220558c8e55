/* rvtool_args.c — shared argument helpers of the tools (rvtool_args.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One table row's value; 0 or a usage error. */
static int take(const char *prog, const rvtool_opt *o, const char *arg,
                rvtool_call_fn call, void *ctx)
{
    uint64_t u;
    switch (o->kind) {
    case RVTOOL_FLAG:
        *(bool *)o->dst = true;
        return 0;
    case RVTOOL_U32:
        if (rvtool_parse_u64(arg, (uint64_t)o->hi, &u) || (double)u < o->lo)
            return rvtool_usage_error(prog, "--%s: '%s' is not a whole number in %.0f..%.0f",
                                      o->name, arg, o->lo, o->hi);
        *(uint32_t *)o->dst = (uint32_t)u;
        return 0;
    case RVTOOL_U64:
        if (rvtool_parse_u64(arg, UINT64_MAX, (uint64_t *)o->dst))
            return rvtool_usage_error(prog, "--%s: '%s' is not an unsigned 64-bit integer",
                                      o->name, arg);
        return 0;
    case RVTOOL_DOUBLE:
        if (rvtool_parse_double(arg, o->lo, o->hi, (double *)o->dst))
            return rvtool_usage_error(prog, "--%s: '%s' is not a number in %g..%g",
                                      o->name, arg, o->lo, o->hi);
        return 0;
    case RVTOOL_STRING:
        if (!*arg)
            return rvtool_usage_error(prog, "--%s needs a non-empty value", o->name);
        *(const char **)o->dst = arg;
        return 0;
    case RVTOOL_CALL:
    case RVTOOL_CALL0:
        return call(ctx, o->name, arg);
    }
    return rvtool_usage_error(prog, "--%s: unhandled option", o->name);
}

int rvtool_parse(const char *prog, int argc, char **argv, const rvtool_opt *opts,
                 size_t n, rvtool_call_fn call, void *ctx, void (*usage)(FILE *),
                 int *first_arg)
{
    enum { MAX_OPTS = 96 };
    struct option lo[MAX_OPTS + 2];
    if (n > MAX_OPTS)
        return rvtool_usage_error(prog, "internal: %zu options, at most %d", n, MAX_OPTS);
    for (size_t i = 0; i < n; i++) {
        bool none = opts[i].kind == RVTOOL_FLAG || opts[i].kind == RVTOOL_CALL0;
        lo[i] = (struct option){ opts[i].name, none ? no_argument : required_argument,
                                 NULL, 256 + (int)i };
    }
    lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
    lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c < 256)
            return rvtool_opt_error(prog, c, argv);
        int st = take(prog, &opts[c - 256], optarg, call, ctx);
        if (st)
            return st;
    }
    *first_arg = optind;
    return -1;
}
