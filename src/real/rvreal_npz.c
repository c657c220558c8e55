/*
 * rvreal_npz.c — an ESPectre recording from its .npz: which members are
 * read, their expected dtypes and shapes, and the consistency between them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvreal_int.h"
#include "rvreal_npz.h"

#define CFAIL(...) rvreal_fail(err, cap, RVREAL_NPZ_ERR_CONTENT, __VA_ARGS__)

enum { M_CSI, M_DURATION, M_NSC, M_LABEL, M_CHIP, M_COLLECTED, M_GAIN, M_COUNT };
static const char *const member_names[M_COUNT] = {
    "csi_data.npy", "duration_ms.npy", "num_subcarriers.npy", "label.npy", "chip.npy",
    "collected_at.npy", "gain_locked.npy",
};

static int need_scalar(const rvreal_npy *a, const char *name, const char *descr,
                       char *err, size_t cap)
{
    if (a->ndim != 0)
        return CFAIL("npz %s: expected a scalar, shape has %u dimensions", name, a->ndim);
    if (descr != NULL && strcmp(a->descr, descr) != 0)
        return CFAIL("npz %s: dtype '%s', expected '%s'", name, a->descr, descr);
    return RVREAL_NPZ_OK;
}

/* '<Un' scalar (UTF-32LE) into printable ASCII; trailing NULs are padding. */
static int read_text(const rvreal_npy *a, const char *name, char *out, size_t out_cap,
                     char *err, size_t cap)
{
    int st = need_scalar(a, name, NULL, err, cap);
    if (st != RVREAL_NPZ_OK)
        return st;
    if (a->descr[0] != '<' || a->descr[1] != 'U')
        return CFAIL("npz %s: dtype '%s', expected a '<U' string", name, a->descr);
    size_t n = a->data_len / 4u, k = 0;
    bool ended = false;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = a->data + 4u * i;
        uint32_t cp = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                      ((uint32_t)p[3] << 24);
        if (cp == 0) {
            ended = true;
            continue;
        }
        if (ended || cp < 0x20 || cp > 0x7e)
            return CFAIL("npz %s: character %zu is not printable ASCII", name, i);
        if (k + 1 >= out_cap)
            return CFAIL("npz %s: longer than %zu characters", name, out_cap - 1);
        out[k++] = (char)cp;
    }
    out[k] = '\0';
    return RVREAL_NPZ_OK;
}

static int read_csi(const rvreal_npy *a, rvreal_recording *r, char *err, size_t cap)
{
    const char *name = member_names[M_CSI];
    if (strcmp(a->descr, "|i1") != 0)
        return CFAIL("npz %s: dtype '%s', expected '|i1' (int8 I/Q)", name, a->descr);
    if (a->fortran_order)
        return CFAIL("npz %s: Fortran order is not supported", name);
    if (a->ndim != 2)
        return CFAIL("npz %s: %u dimensions, expected 2 (packets, 2 * subcarriers)", name,
                     a->ndim);
    uint64_t rows = a->dims[0], cols = a->dims[1];
    if (rows == 0 || rows > UINT32_MAX)
        return CFAIL("npz %s: %llu packets", name, (unsigned long long)rows);
    if (cols == 0 || cols % 2u != 0 || cols / 2u > RVREAL_NPZ_MAX_SUBCARRIERS)
        return CFAIL("npz %s: %llu values per packet, expected an even count of 2..%u",
                     name, (unsigned long long)cols, 2u * RVREAL_NPZ_MAX_SUBCARRIERS);
    r->csi = malloc(a->data_len);
    if (r->csi == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_NOMEM, "npz %s: out of memory", name);
    memcpy(r->csi, a->data, a->data_len);
    r->n_packets = (uint32_t)rows;
    r->n_subcarriers = (uint32_t)(cols / 2u);
    return RVREAL_NPZ_OK;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static int read_member(int which, const rvreal_npy *a, rvreal_recording *r, int64_t *nsc,
                       char *err, size_t cap)
{
    const char *name = member_names[which];
    int st;
    switch (which) {
    case M_CSI:
        return read_csi(a, r, err, cap);
    case M_DURATION: {
        if ((st = need_scalar(a, name, "<f8", err, cap)) != RVREAL_NPZ_OK)
            return st;
        uint64_t bits = le64(a->data);
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!(d > 0.0 && d <= 86400000.0))
            return CFAIL("npz %s: %g ms is not a duration in (0, 1 day]", name, d);
        r->duration_ms = d;
        return RVREAL_NPZ_OK;
    }
    case M_NSC: {
        if ((st = need_scalar(a, name, "<i8", err, cap)) != RVREAL_NPZ_OK)
            return st;
        *nsc = (int64_t)le64(a->data);
        return RVREAL_NPZ_OK;
    }
    case M_GAIN:
        if ((st = need_scalar(a, name, "|b1", err, cap)) != RVREAL_NPZ_OK)
            return st;
        if (a->data[0] > 1)
            return CFAIL("npz %s: boolean byte is %u", name, a->data[0]);
        r->gain_locked = a->data[0];
        return RVREAL_NPZ_OK;
    case M_LABEL:
        return read_text(a, name, r->label, sizeof r->label, err, cap);
    case M_CHIP:
        return read_text(a, name, r->chip, sizeof r->chip, err, cap);
    default:
        return read_text(a, name, r->collected_at, sizeof r->collected_at, err, cap);
    }
}

static int load_members(const rvreal_zip *z, rvreal_recording *r, char *err, size_t cap)
{
    bool seen[M_COUNT] = { false };
    int64_t nsc = -1;
    uint64_t pos = 0, index = 0;
    rvreal_zip_entry e;
    int st;
    while ((st = rvreal_zip_next(z, &pos, &index, &e, err, cap)) == RVREAL_NPZ_OK) {
        int which = -1;
        for (int m = 0; m < M_COUNT; m++)
            if (!strcmp(e.name, member_names[m]))
                which = m;
        if (which < 0)
            continue;
        if (seen[which])
            return rvreal_fail(err, cap, RVREAL_NPZ_ERR_ZIP, "zip: %s appears twice", e.name);
        seen[which] = true;
        uint8_t *data;
        if ((st = rvreal_zip_extract(z, &e, &data, err, cap)) != RVREAL_NPZ_OK)
            return st;
        rvreal_npy a;
        st = rvreal_npy_parse(data, (size_t)e.usize, e.name, &a, err, cap);
        if (st == RVREAL_NPZ_OK)
            st = read_member(which, &a, r, &nsc, err, cap);
        free(data);
        if (st != RVREAL_NPZ_OK)
            return st;
    }
    if (st < 0)
        return st;
    if (!seen[M_CSI])
        return CFAIL("npz: no csi_data.npy member (not an ESPectre CSI recording)");
    if (!seen[M_DURATION])
        return CFAIL("npz: no duration_ms.npy member (packet times cannot be placed)");
    if (seen[M_NSC] && nsc != (int64_t)r->n_subcarriers)
        return CFAIL("npz: num_subcarriers says %lld, csi_data has %u", (long long)nsc,
                     r->n_subcarriers);
    return RVREAL_NPZ_OK;
}

int rvreal_npz_load_mem(const uint8_t *buf, size_t len, rvreal_recording *out,
                        char *err, size_t cap)
{
    if (out == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_ARG, "npz: no output");
    memset(out, 0, sizeof *out);
    out->gain_locked = -1;
    if (err != NULL && cap > 0)
        err[0] = '\0';
    rvreal_zip z;
    int st = rvreal_zip_open(&z, buf, len, err, cap);
    if (st == RVREAL_NPZ_OK)
        st = load_members(&z, out, err, cap);
    if (st != RVREAL_NPZ_OK) {
        rvreal_recording_free(out);
        out->gain_locked = -1;
    }
    return st;
}

int rvreal_npz_load_file(const char *path, rvreal_recording *out, char *err, size_t cap)
{
    if (out != NULL) {
        memset(out, 0, sizeof *out);
        out->gain_locked = -1;
    }
    if (path == NULL || out == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_ARG, "npz: no path");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_IO, "%s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap_buf = 0;
    int st = RVREAL_NPZ_OK;
    for (;;) {
        if (len == cap_buf) {
            if (cap_buf >= RVREAL_NPZ_MAX_FILE) {
                st = rvreal_fail(err, cap, RVREAL_NPZ_ERR_IO, "%s: larger than %u bytes", path,
                                 RVREAL_NPZ_MAX_FILE);
                break;
            }
            cap_buf = cap_buf ? cap_buf * 2u : 65536u;
            uint8_t *nb = realloc(buf, cap_buf);
            if (nb == NULL) {
                st = rvreal_fail(err, cap, RVREAL_NPZ_ERR_NOMEM, "%s: out of memory", path);
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap_buf - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = rvreal_fail(err, cap, RVREAL_NPZ_ERR_IO, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (st == RVREAL_NPZ_OK) {
        st = rvreal_npz_load_mem(buf, len, out, err, cap);
        if (st != RVREAL_NPZ_OK && err != NULL && cap > 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", err);
            snprintf(err, cap, "%s: %s", path, msg);
        }
    }
    free(buf);
    return st;
}

void rvreal_recording_free(rvreal_recording *r)
{
    if (r == NULL)
        return;
    free(r->csi);
    memset(r, 0, sizeof *r);
}
