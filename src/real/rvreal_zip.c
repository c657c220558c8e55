/*
 * rvreal_zip.c — the zip container of an .npz: directory walk and member
 * extraction (stored or deflate through zlib), every offset bounds-checked.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "rvreal_int.h"
#include "rvreal_npz.h"

#define SIG_LOCAL   0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD    0x06054b50u
#define SIG_EOCD64  0x06064b50u
#define SIG_LOC64   0x07064b50u

int rvreal_fail(char *err, size_t cap, int status, const char *fmt, ...)
{
    if (err != NULL && cap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, cap, fmt, ap);
        va_end(ap);
    }
    return status;
}

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t ld64(const uint8_t *p) { return ld32(p) | ((uint64_t)ld32(p + 4) << 32); }

/* [off, off + n) inside len, without overflow. */
static bool span_ok(uint64_t off, uint64_t n, uint64_t len)
{
    return off <= len && n <= len - off;
}

#define ZFAIL(...) rvreal_fail(err, cap, RVREAL_NPZ_ERR_ZIP, __VA_ARGS__)

static int open_zip64(rvreal_zip *z, size_t eocd, char *err, size_t cap)
{
    if (eocd < 20 || ld32(z->buf + eocd - 20) != SIG_LOC64)
        return ZFAIL("zip: directory fields are saturated but there is no zip64 locator");
    const uint8_t *loc = z->buf + eocd - 20;
    uint64_t off = ld64(loc + 8);
    if (ld32(loc + 4) != 0 || ld32(loc + 16) > 1)
        return ZFAIL("zip: multi-disk archives are not supported");
    if (!span_ok(off, 56, eocd - 20) || ld32(z->buf + off) != SIG_EOCD64)
        return ZFAIL("zip: zip64 end-of-directory record missing at offset %llu",
                     (unsigned long long)off);
    const uint8_t *e = z->buf + off;
    if (ld32(e + 16) != 0 || ld32(e + 20) != 0 || ld64(e + 24) != ld64(e + 32))
        return ZFAIL("zip: multi-disk archives are not supported");
    z->n_entries = ld64(e + 32);
    z->cd_size = ld64(e + 40);
    z->cd_off = ld64(e + 48);
    z->data_end = off;
    return RVREAL_NPZ_OK;
}

int rvreal_zip_open(rvreal_zip *z, const uint8_t *buf, size_t len, char *err, size_t cap)
{
    memset(z, 0, sizeof *z);
    if (buf == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_ARG, "zip: no data");
    z->buf = buf;
    z->len = len;
    if (len < 22)
        return ZFAIL("zip: %zu bytes is too short for an archive", len);
    /* The EOCD record is the last 22 bytes plus a comment of <= 65535. */
    size_t lo = len - 22 > 65535 ? len - 22 - 65535 : 0;
    size_t eocd = SIZE_MAX;
    for (size_t p = len - 22 + 1; p-- > lo;) {
        if (ld32(buf + p) == SIG_EOCD && p + 22u + ld16(buf + p + 20) == len) {
            eocd = p;
            break;
        }
    }
    if (eocd == SIZE_MAX)
        return ZFAIL("zip: no end-of-central-directory record (not a zip/.npz file?)");
    const uint8_t *e = buf + eocd;
    uint16_t disk = ld16(e + 4), cd_disk = ld16(e + 6), n_disk = ld16(e + 8), n = ld16(e + 10);
    uint32_t cd_size = ld32(e + 12), cd_off = ld32(e + 16);
    if (n == 0xFFFFu || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
        int st = open_zip64(z, eocd, err, cap);
        if (st != RVREAL_NPZ_OK)
            return st;
    } else {
        if (disk != 0 || cd_disk != 0 || n_disk != n)
            return ZFAIL("zip: multi-disk archives are not supported");
        z->n_entries = n;
        z->cd_size = cd_size;
        z->cd_off = cd_off;
        z->data_end = eocd;
    }
    if (!span_ok(z->cd_off, z->cd_size, z->data_end))
        return ZFAIL("zip: central directory (offset %llu, %llu bytes) lies outside the file",
                     (unsigned long long)z->cd_off, (unsigned long long)z->cd_size);
    if (z->n_entries > z->cd_size / 46u)
        return ZFAIL("zip: %llu entries cannot fit a %llu-byte directory",
                     (unsigned long long)z->n_entries, (unsigned long long)z->cd_size);
    z->data_end = z->cd_off;
    return RVREAL_NPZ_OK;
}

/* zip64 extended information: 64-bit values for the saturated fields, in
 * the order usize, csize, local offset. */
static int read_zip64_extra(const uint8_t *x, size_t xlen, rvreal_zip_entry *e,
                            bool need_u, bool need_c, bool need_o, char *err, size_t cap)
{
    while (xlen >= 4) {
        uint16_t id = ld16(x), sz = ld16(x + 2);
        if (sz > xlen - 4)
            return ZFAIL("zip: %s: extra field overruns its entry", e->name);
        if (id == 0x0001) {
            size_t need = 8u * ((size_t)need_u + need_c + need_o);
            if (sz < need)
                return ZFAIL("zip: %s: zip64 extra field too short", e->name);
            const uint8_t *p = x + 4;
            if (need_u) { e->usize = ld64(p); p += 8; }
            if (need_c) { e->csize = ld64(p); p += 8; }
            if (need_o) { e->local_off = ld64(p); }
            return RVREAL_NPZ_OK;
        }
        x += 4u + sz;
        xlen -= 4u + sz;
    }
    return ZFAIL("zip: %s: sizes are saturated but there is no zip64 extra field", e->name);
}

int rvreal_zip_next(const rvreal_zip *z, uint64_t *pos, uint64_t *index,
                    rvreal_zip_entry *e, char *err, size_t cap)
{
    if (*index >= z->n_entries)
        return 1;
    memset(e, 0, sizeof *e);
    const uint8_t *cd = z->buf + z->cd_off;
    if (!span_ok(*pos, 46, z->cd_size) || ld32(cd + *pos) != SIG_CENTRAL)
        return ZFAIL("zip: directory entry %llu is missing or damaged",
                     (unsigned long long)*index);
    const uint8_t *h = cd + *pos;
    uint16_t nlen = ld16(h + 28), xlen = ld16(h + 30), clen = ld16(h + 32);
    uint64_t total = 46u + (uint64_t)nlen + xlen + clen;
    if (!span_ok(*pos, total, z->cd_size))
        return ZFAIL("zip: directory entry %llu overruns the directory",
                     (unsigned long long)*index);
    if (nlen == 0 || nlen >= sizeof e->name)
        return ZFAIL("zip: directory entry %llu has a %u-byte name",
                     (unsigned long long)*index, nlen);
    memcpy(e->name, h + 46, nlen);
    if (memchr(e->name, '\0', nlen) != NULL)
        return ZFAIL("zip: directory entry %llu has a NUL in its name",
                     (unsigned long long)*index);
    e->flags = ld16(h + 8);
    e->method = ld16(h + 10);
    e->crc = ld32(h + 16);
    e->csize = ld32(h + 20);
    e->usize = ld32(h + 24);
    e->local_off = ld32(h + 42);
    bool nu = e->usize == 0xFFFFFFFFu, nc = e->csize == 0xFFFFFFFFu,
         no = e->local_off == 0xFFFFFFFFu;
    if (nu || nc || no) {
        int st = read_zip64_extra(h + 46 + nlen, xlen, e, nu, nc, no, err, cap);
        if (st != RVREAL_NPZ_OK)
            return st;
    }
    if (ld16(h + 34) != 0 && ld16(h + 34) != 0xFFFFu)
        return ZFAIL("zip: %s: member on another disk", e->name);
    *pos += total;
    *index += 1;
    return RVREAL_NPZ_OK;
}

static int inflate_member(const uint8_t *src, uint64_t csize, uint8_t *dst, uint64_t usize,
                          const char *name, char *err, size_t cap)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_NOMEM, "zip: %s: cannot start inflate", name);
    s.next_in = (Bytef *)(uintptr_t)src;
    s.avail_in = (uInt)csize;
    s.next_out = dst;
    s.avail_out = (uInt)usize;
    int zr = inflate(&s, Z_FINISH);
    uint64_t got = s.total_out;
    uInt left_in = s.avail_in;
    inflateEnd(&s);
    if (zr == Z_STREAM_END && got == usize && left_in == 0)
        return RVREAL_NPZ_OK;
    if (zr == Z_STREAM_END && got != usize)
        return ZFAIL("zip: %s: inflates to %llu bytes, the directory says %llu", name,
                     (unsigned long long)got, (unsigned long long)usize);
    if (zr == Z_STREAM_END)
        return ZFAIL("zip: %s: %u bytes after the end of the deflate stream", name, left_in);
    if (zr == Z_BUF_ERROR && s.avail_out == 0)
        return ZFAIL("zip: %s: inflates to more than the declared %llu bytes", name,
                     (unsigned long long)usize);
    if (zr == Z_BUF_ERROR)
        return ZFAIL("zip: %s: deflate stream is truncated", name);
    return ZFAIL("zip: %s: corrupt deflate data (%s)", name, s.msg ? s.msg : "zlib error");
}

int rvreal_zip_extract(const rvreal_zip *z, const rvreal_zip_entry *e,
                       uint8_t **out, char *err, size_t cap)
{
    *out = NULL;
    if (e->flags & 0x0041u)
        return ZFAIL("zip: %s: encrypted members are not supported", e->name);
    if (e->method != 0 && e->method != 8)
        return ZFAIL("zip: %s: compression method %u (only stored and deflate)", e->name,
                     e->method);
    if (e->usize > RVREAL_NPZ_MAX_MEMBER)
        return ZFAIL("zip: %s: %llu bytes uncompressed exceeds the %u-byte limit", e->name,
                     (unsigned long long)e->usize, RVREAL_NPZ_MAX_MEMBER);
    if (e->method == 0 && e->csize != e->usize)
        return ZFAIL("zip: %s: stored member with compressed size %llu != size %llu",
                     e->name, (unsigned long long)e->csize, (unsigned long long)e->usize);
    if (!span_ok(e->local_off, 30, z->data_end) || ld32(z->buf + e->local_off) != SIG_LOCAL)
        return ZFAIL("zip: %s: no local header at offset %llu", e->name,
                     (unsigned long long)e->local_off);
    const uint8_t *l = z->buf + e->local_off;
    uint16_t nlen = ld16(l + 26), xlen = ld16(l + 28);
    size_t name_len = strlen(e->name);
    if (ld16(l + 8) != e->method || nlen != name_len ||
        !span_ok(e->local_off + 30, nlen, z->data_end) || memcmp(l + 30, e->name, nlen) != 0)
        return ZFAIL("zip: %s: local header disagrees with the directory", e->name);
    uint64_t data_off = e->local_off + 30u + nlen + xlen;
    if (!span_ok(data_off, e->csize, z->data_end))
        return ZFAIL("zip: %s: data (%llu bytes at %llu) runs past the member area",
                     e->name, (unsigned long long)e->csize, (unsigned long long)data_off);
    uint8_t *dst = malloc(e->usize ? (size_t)e->usize : 1u);
    if (dst == NULL)
        return rvreal_fail(err, cap, RVREAL_NPZ_ERR_NOMEM, "zip: %s: out of memory", e->name);
    const uint8_t *src = z->buf + data_off;
    int st = RVREAL_NPZ_OK;
    if (e->method == 0)
        memcpy(dst, src, (size_t)e->usize);
    else
        st = inflate_member(src, e->csize, dst, e->usize, e->name, err, cap);
    if (st == RVREAL_NPZ_OK) {
        uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), dst, (uInt)e->usize);
        if (c != e->crc)
            st = ZFAIL("zip: %s: CRC-32 %08x, the directory says %08x", e->name, c, e->crc);
    }
    if (st != RVREAL_NPZ_OK) {
        free(dst);
        return st;
    }
    *out = dst;
    return RVREAL_NPZ_OK;
}
