/*
 * rvreal_npz.h — read ESPectre CSI recordings (NumPy .npz) without NumPy.
 *
 * An .npz is a zip archive of .npy arrays. This reader takes the whole file
 * in memory and validates everything before trusting it:
 *  - zip: end-of-central-directory record (zip64 too), central directory
 *    entries inside the file, local headers matching them, no encryption,
 *    methods stored (0) or deflate (8), sizes and CRC-32 as declared,
 *    members at most RVREAL_NPZ_MAX_MEMBER bytes uncompressed;
 *  - npy: magic, version 1.0/2.0/3.0, a header dict with exactly 'descr',
 *    'fortran_order' and 'shape', the data size the header implies.
 * Members read (others are ignored):
 *    csi_data        '|i1', shape (packets, 2 * subcarriers), C order
 *                    (required; ESP32 buffer order, imaginary part first)
 *    duration_ms     '<f8' scalar, > 0 (required: packets carry no time)
 *    num_subcarriers '<i8' scalar, must match csi_data's columns / 2
 *    label, chip, collected_at  '<Un' scalars, printable ASCII
 *    gain_locked     '|b1' scalar
 * Every failure returns a status and a message naming the member and what
 * is wrong with it. Never reads outside the buffer.
 */
#ifndef RVREAL_NPZ_H
#define RVREAL_NPZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RVREAL_NPZ_MAX_MEMBER   (64u * 1024u * 1024u)
#define RVREAL_NPZ_MAX_FILE     (256u * 1024u * 1024u)
#define RVREAL_NPZ_MAX_SUBCARRIERS 4096u

typedef enum {
    RVREAL_NPZ_OK = 0,
    RVREAL_NPZ_ERR_IO = -1,       /* cannot open or read the file */
    RVREAL_NPZ_ERR_NOMEM = -2,
    RVREAL_NPZ_ERR_ZIP = -3,      /* zip structure is malformed */
    RVREAL_NPZ_ERR_NPY = -4,      /* an .npy member is malformed */
    RVREAL_NPZ_ERR_CONTENT = -5,  /* well-formed but not a CSI recording */
    RVREAL_NPZ_ERR_ARG = -6
} rvreal_npz_status;

typedef struct {
    int8_t  *csi;             /* n_packets rows of 2 * n_subcarriers int8 */
    uint32_t n_packets;
    uint32_t n_subcarriers;
    double   duration_ms;
    int      gain_locked;     /* 1, 0, or -1 when the file does not say */
    char     label[64];       /* "" when absent */
    char     chip[32];
    char     collected_at[64];
} rvreal_recording;

/* Parse an .npz held in memory. On success *out owns csi (free with
 * rvreal_recording_free). On failure *out is zeroed and err (if given)
 * holds a one-line message. */
int  rvreal_npz_load_mem(const uint8_t *buf, size_t len, rvreal_recording *out,
                         char *err, size_t err_cap);
int  rvreal_npz_load_file(const char *path, rvreal_recording *out,
                          char *err, size_t err_cap);
void rvreal_recording_free(rvreal_recording *r);

#ifdef __cplusplus
}
#endif
#endif
