/* windows_file.c — rvtrain --dump-windows; see windows_file.h. */
#include "windows_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Explicit little-endian bytes, whatever the host order. */
static bool put_u32(FILE *f, uint32_t v)
{
    const uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                           (uint8_t)(v >> 24) };
    return fwrite(b, 1, 4, f) == 4;
}

static bool put_f32(FILE *f, float x)
{
    uint32_t v;
    memcpy(&v, &x, sizeof v);
    return put_u32(f, v);
}

static bool put_windows(FILE *f, const rvt_dataset *ds, uint32_t split)
{
    const size_t nx = (size_t)ds->seq_len * ds->in_dim;
    for (uint32_t w = 0; w < ds->n_seq; w++) {
        if (!put_u32(f, ds->src[w]) || !put_u32(f, split))
            return false;
        const float *x = ds->x + (size_t)w * nx;
        for (size_t i = 0; i < nx; i++)
            if (!put_f32(f, x[i]))
                return false;
        const int32_t *y = ds->y + (size_t)w * ds->seq_len;
        for (uint32_t t = 0; t < ds->seq_len; t++)
            if (!put_u32(f, (uint32_t)y[t]))
                return false;
    }
    return true;
}

bool rvt_windows_write(const char *path, const rvt_dataset *tr,
                       const rvt_dataset *te, const rvt_classes *cls,
                       char *err, size_t err_len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite("RVTW", 1, 4, f) == 4 && put_u32(f, RVT_WINDOWS_VERSION) &&
              put_u32(f, tr->in_dim) && put_u32(f, tr->seq_len) && put_u32(f, cls->n);
    for (uint32_t c = 0; ok && c < cls->n; c++) {
        char name[RVT_CLASS_NAME];
        memset(name, 0, sizeof name);
        size_t len = strlen(cls->name[c]);   /* names are NUL-terminated */
        memcpy(name, cls->name[c], len < sizeof name ? len : sizeof name - 1);
        ok = fwrite(name, 1, sizeof name, f) == sizeof name;
    }
    ok = ok && put_u32(f, tr->n_seq + te->n_seq) && put_windows(f, tr, 0) &&
         put_windows(f, te, 1);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, err_len, "write error on %s", path);
    return ok;
}
