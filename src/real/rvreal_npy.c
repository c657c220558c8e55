/*
 * rvreal_npy.c — the .npy array header: magic, version, and the Python
 * dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)},
 * parsed strictly (no eval), then the data size checked against it.
 */
#include <stdio.h>
#include <string.h>

#include "rvreal_int.h"
#include "rvreal_npz.h"

#define NFAIL(...) rvreal_fail(err, cap, RVREAL_NPZ_ERR_NPY, __VA_ARGS__)

typedef struct {
    const char *s;
    size_t n, i;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
        c->i++;
}

static bool take(cursor *c, char ch)
{
    skip_ws(c);
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return true;
    }
    return false;
}

/* A quoted string without escapes into out (cap bytes incl. NUL). */
static bool take_string(cursor *c, char *out, size_t out_cap)
{
    skip_ws(c);
    if (c->i >= c->n || (c->s[c->i] != '\'' && c->s[c->i] != '"'))
        return false;
    char q = c->s[c->i++];
    size_t k = 0;
    while (c->i < c->n && c->s[c->i] != q) {
        char ch = c->s[c->i++];
        if (ch == '\\' || k + 1 >= out_cap)
            return false;
        out[k++] = ch;
    }
    if (c->i >= c->n)
        return false;
    c->i++;
    out[k] = '\0';
    return true;
}

static bool take_word(cursor *c, const char *w)
{
    skip_ws(c);
    size_t l = strlen(w);
    if (c->n - c->i >= l && memcmp(c->s + c->i, w, l) == 0) {
        c->i += l;
        return true;
    }
    return false;
}

static bool take_uint(cursor *c, uint64_t *v)
{
    skip_ws(c);
    size_t start = c->i;
    uint64_t x = 0;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
        if (x > (UINT64_C(1) << 40))
            return false;
        x = x * 10u + (uint64_t)(c->s[c->i++] - '0');
    }
    if (c->i == start)
        return false;
    *v = x;
    return true;
}

static bool take_shape(cursor *c, rvreal_npy *o)
{
    if (!take(c, '('))
        return false;
    o->ndim = 0;
    if (take(c, ')'))
        return true;
    for (;;) {
        if (o->ndim == RVREAL_NPY_MAX_DIMS || !take_uint(c, &o->dims[o->ndim]))
            return false;
        o->ndim++;
        if (take(c, ')'))
            return o->ndim > 1;       /* "(5)" is an int, not a tuple */
        if (!take(c, ','))
            return false;
        if (take(c, ')'))
            return true;
    }
}

static int item_size(const char *descr, size_t *size)
{
    /* plain numbers: byte order, kind, size (e.g. |i1, <i8, >f4) */
    if (strlen(descr) == 3 && strchr("<>|=", descr[0]) && strchr("iubf", descr[1]) &&
        strchr("1248", descr[2])) {
        *size = (size_t)(descr[2] - '0');
        return 0;
    }
    if (descr[0] == '<' && descr[1] == 'U') {
        cursor c = { descr + 2, strlen(descr + 2), 0 };
        uint64_t n;
        if (take_uint(&c, &n) && c.i == c.n && n >= 1 && n <= 1024) {
            *size = 4u * (size_t)n;
            return 0;
        }
    }
    return -1;
}

static int parse_dict(cursor *c, const char *name, rvreal_npy *o, char *err, size_t cap)
{
    bool have_descr = false, have_fo = false, have_shape = false;
    if (!take(c, '{'))
        return NFAIL("npy %s: header is not a dict", name);
    while (!take(c, '}')) {
        char key[32];
        if (!take_string(c, key, sizeof key) || !take(c, ':'))
            return NFAIL("npy %s: header dict has a malformed key", name);
        if (!strcmp(key, "descr") && !have_descr) {
            if (!take_string(c, o->descr, sizeof o->descr))
                return NFAIL("npy %s: 'descr' is not a simple type string", name);
            have_descr = true;
        } else if (!strcmp(key, "fortran_order") && !have_fo) {
            if (take_word(c, "True"))
                o->fortran_order = true;
            else if (take_word(c, "False"))
                o->fortran_order = false;
            else
                return NFAIL("npy %s: 'fortran_order' is neither True nor False", name);
            have_fo = true;
        } else if (!strcmp(key, "shape") && !have_shape) {
            if (!take_shape(c, o))
                return NFAIL("npy %s: 'shape' is not a tuple of at most %d sizes", name,
                             RVREAL_NPY_MAX_DIMS);
            have_shape = true;
        } else {
            return NFAIL("npy %s: unexpected or repeated key '%s' in the header", name, key);
        }
        if (take(c, '}'))
            break;
        if (!take(c, ','))
            return NFAIL("npy %s: header dict is missing a ',' or '}'", name);
    }
    if (!have_descr || !have_fo || !have_shape)
        return NFAIL("npy %s: header lacks '%s'", name,
                     !have_descr ? "descr" : !have_fo ? "fortran_order" : "shape");
    return RVREAL_NPZ_OK;
}

int rvreal_npy_parse(const uint8_t *buf, size_t len, const char *name, rvreal_npy *o,
                     char *err, size_t cap)
{
    memset(o, 0, sizeof *o);
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6) != 0)
        return NFAIL("npy %s: no \\x93NUMPY magic", name);
    uint8_t major = buf[6];
    size_t hoff, hlen;
    if (major == 1) {
        hoff = 10;
        hlen = (size_t)buf[8] | ((size_t)buf[9] << 8);
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return NFAIL("npy %s: truncated header length", name);
        hoff = 12;
        hlen = (size_t)buf[8] | ((size_t)buf[9] << 8) | ((size_t)buf[10] << 16) |
               ((size_t)buf[11] << 24);
    } else {
        return NFAIL("npy %s: format version %u.%u is not supported", name, major, buf[7]);
    }
    if (hlen > len - hoff)
        return NFAIL("npy %s: header of %zu bytes runs past the member (%zu bytes)", name,
                     hlen, len);
    const char *h = (const char *)buf + hoff;
    if (hlen == 0 || h[hlen - 1] != '\n')
        return NFAIL("npy %s: header does not end with a newline", name);
    for (size_t i = 0; i + 1 < hlen; i++)
        if ((unsigned char)h[i] < 0x20 || (unsigned char)h[i] > 0x7e)
            return NFAIL("npy %s: header byte %zu is not printable ASCII", name, i);
    cursor c = { h, hlen - 1, 0 };
    int st = parse_dict(&c, name, o, err, cap);
    if (st != RVREAL_NPZ_OK)
        return st;
    take(&c, ',');
    skip_ws(&c);
    if (c.i != c.n)
        return NFAIL("npy %s: text after the header dict", name);
    size_t isz;
    if (item_size(o->descr, &isz) != 0)
        return NFAIL("npy %s: dtype '%s' is not supported", name, o->descr);
    uint64_t n = 1;
    for (unsigned d = 0; d < o->ndim; d++) {
        if (o->dims[d] != 0 && n > (UINT64_C(1) << 40) / o->dims[d])
            return NFAIL("npy %s: shape is too large", name);
        n *= o->dims[d];
    }
    o->n_elems = n;
    o->data = buf + hoff + hlen;
    o->data_len = len - hoff - hlen;
    if (n > (UINT64_C(1) << 40) / isz || o->data_len != n * isz)
        return NFAIL("npy %s: %zu data bytes, but dtype '%s' and the shape need %llu", name,
                     o->data_len, o->descr, (unsigned long long)(n * isz));
    return RVREAL_NPZ_OK;
}
