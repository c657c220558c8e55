/*
 * rvreal_int.h — internals of the .npz reader shared by its two halves:
 * the zip container (rvreal_zip.c) and the .npy array header (rvreal_npy.c).
 */
#ifndef RVREAL_INT_H
#define RVREAL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* printf into err (may be NULL); returns status for `return fail(...)`. */
int rvreal_fail(char *err, size_t cap, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- zip ---- */
typedef struct {
    const uint8_t *buf;
    size_t   len;
    uint64_t cd_off, cd_size, n_entries;
    uint64_t data_end;        /* members must end before the directory */
} rvreal_zip;

typedef struct {
    char     name[256];
    uint16_t method, flags;
    uint32_t crc;
    uint64_t csize, usize, local_off;
} rvreal_zip_entry;

int rvreal_zip_open(rvreal_zip *z, const uint8_t *buf, size_t len, char *err, size_t cap);
/* Entry `*pos` (a byte offset into the directory, start at 0); advances
 * *pos. RVREAL_NPZ_OK, 1 at the end, or an error. */
int rvreal_zip_next(const rvreal_zip *z, uint64_t *pos, uint64_t *index,
                    rvreal_zip_entry *e, char *err, size_t cap);
/* Inflate/copy a member into a new malloc'd buffer of e->usize bytes,
 * checking the local header and the CRC-32. */
int rvreal_zip_extract(const rvreal_zip *z, const rvreal_zip_entry *e,
                       uint8_t **out, char *err, size_t cap);

/* ---- npy ---- */
#define RVREAL_NPY_MAX_DIMS 8
typedef struct {
    char     descr[24];
    bool     fortran_order;
    unsigned ndim;
    uint64_t dims[RVREAL_NPY_MAX_DIMS];
    uint64_t n_elems;
    const uint8_t *data;      /* points into the member */
    size_t   data_len;
} rvreal_npy;

/* Parse an .npy member (name for messages). Checks that the data size is
 * what descr and shape imply. Supported descr: numbers of 1, 2, 4 or 8
 * bytes ([<>|=][iubf][1248]) and '<Un' strings; the caller checks which. */
int rvreal_npy_parse(const uint8_t *buf, size_t len, const char *name, rvreal_npy *out,
                     char *err, size_t cap);

#endif
