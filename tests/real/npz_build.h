/*
 * npz_build.h — build small .npz archives in memory for the reader's tests
 * and fuzz seeds: a zip of .npy members, stored or deflated, with hooks to
 * damage them. Test-only; one static function set per including file.
 */
#ifndef NPZ_BUILD_H
#define NPZ_BUILD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    uint8_t *d;
    size_t n, cap;
} nb_buf;

static void nb_put(nb_buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 256;
        b->d = realloc(b->d, b->cap);
    }
    memcpy(b->d + b->n, p, n);
    b->n += n;
}
static void nb_u16(nb_buf *b, unsigned v) { uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) }; nb_put(b, x, 2); }
static void nb_u32(nb_buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    nb_put(b, x, 4);
}

/* An .npy v1.0 member: header dict text (without padding) + data. */
static nb_buf nb_npy(const char *dict, const void *data, size_t n)
{
    nb_buf b = { 0 };
    size_t dl = strlen(dict), total = 10 + dl + 1;
    size_t pad = (64 - total % 64) % 64;
    nb_put(&b, "\x93NUMPY\x01\x00", 8);
    nb_u16(&b, (unsigned)(dl + pad + 1));
    nb_put(&b, dict, dl);
    for (size_t i = 0; i < pad; i++)
        nb_put(&b, " ", 1);
    nb_put(&b, "\n", 1);
    nb_put(&b, data, n);
    return b;
}

typedef struct {
    const char *name;
    nb_buf data;
    int method;               /* 0 stored, 8 deflate */
    uint16_t flags;
    int bad_crc;
} nb_member;

static nb_buf nb_zip(nb_member *m, size_t n)
{
    nb_buf z = { 0 }, cd = { 0 };
    for (size_t i = 0; i < n; i++) {
        nb_buf body = { 0 };
        if (m[i].method == 8) {
            z_stream s;
            memset(&s, 0, sizeof s);
            deflateInit2(&s, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
            body.cap = deflateBound(&s, m[i].data.n) + 16;
            body.d = malloc(body.cap);
            s.next_in = m[i].data.d;
            s.avail_in = (uInt)m[i].data.n;
            s.next_out = body.d;
            s.avail_out = (uInt)body.cap;
            deflate(&s, Z_FINISH);
            body.n = s.total_out;
            deflateEnd(&s);
        } else {
            nb_put(&body, m[i].data.d, m[i].data.n);
        }
        uint32_t crc = (uint32_t)crc32(0, m[i].data.d, (uInt)m[i].data.n) ^ (m[i].bad_crc ? 1u : 0u);
        uint32_t off = (uint32_t)z.n;
        size_t nl = strlen(m[i].name);
        nb_u32(&z, 0x04034b50u); nb_u16(&z, 20); nb_u16(&z, m[i].flags);
        nb_u16(&z, (unsigned)m[i].method); nb_u32(&z, 0); nb_u32(&z, crc);
        nb_u32(&z, (uint32_t)body.n); nb_u32(&z, (uint32_t)m[i].data.n);
        nb_u16(&z, (unsigned)nl); nb_u16(&z, 0); nb_put(&z, m[i].name, nl);
        nb_put(&z, body.d, body.n);
        nb_u32(&cd, 0x02014b50u); nb_u16(&cd, 20); nb_u16(&cd, 20); nb_u16(&cd, m[i].flags);
        nb_u16(&cd, (unsigned)m[i].method); nb_u32(&cd, 0); nb_u32(&cd, crc);
        nb_u32(&cd, (uint32_t)body.n); nb_u32(&cd, (uint32_t)m[i].data.n);
        nb_u16(&cd, (unsigned)nl); nb_u16(&cd, 0); nb_u16(&cd, 0); nb_u16(&cd, 0);
        nb_u16(&cd, 0); nb_u32(&cd, 0); nb_u32(&cd, off); nb_put(&cd, m[i].name, nl);
        free(body.d);
    }
    uint32_t cd_off = (uint32_t)z.n;
    nb_put(&z, cd.d, cd.n);
    nb_u32(&z, 0x06054b50u); nb_u16(&z, 0); nb_u16(&z, 0); nb_u16(&z, (unsigned)n);
    nb_u16(&z, (unsigned)n); nb_u32(&z, (uint32_t)cd.n); nb_u32(&z, cd_off); nb_u16(&z, 0);
    free(cd.d);
    return z;
}

/* A valid recording: `packets` rows of 2*nsc int8, 1000 ms, label given. */
static nb_buf nb_recording(unsigned packets, unsigned nsc, const char *label, int method)
{
    char dict[128];
    size_t vals = (size_t)packets * 2u * nsc;
    int8_t *iq = malloc(vals ? vals : 1);
    for (size_t i = 0; i < vals; i++)
        iq[i] = (int8_t)((i * 7u) % 41u) - 20;
    snprintf(dict, sizeof dict, "{'descr': '|i1', 'fortran_order': False, 'shape': (%u, %u), }",
             packets, 2u * nsc);
    double dur = 1000.0;
    int64_t n64 = nsc;
    uint32_t text[8] = { 0 };
    for (size_t i = 0; i < 8 && label[i]; i++)
        text[i] = (uint8_t)label[i];
    uint8_t gl = 1;
    nb_member m[] = {
        { "csi_data.npy", nb_npy(dict, iq, vals), method, 0, 0 },
        { "num_subcarriers.npy", nb_npy("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", &n64, 8), method, 0, 0 },
        { "label.npy", nb_npy("{'descr': '<U8', 'fortran_order': False, 'shape': (), }", text, 32), method, 0, 0 },
        { "duration_ms.npy", nb_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", &dur, 8), method, 0, 0 },
        { "gain_locked.npy", nb_npy("{'descr': '|b1', 'fortran_order': False, 'shape': (), }", &gl, 1), method, 0, 0 },
    };
    nb_buf z = nb_zip(m, sizeof m / sizeof m[0]);
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        free(m[i].data.d);
    free(iq);
    return z;
}

#endif
