/*
 * rv_base.h — portability macros and the status type shared by the whole
 * kernel. C11 and <stdint.h>/<stddef.h> only: this header is compiled for
 * hosts and for bare-metal microcontrollers alike.
 */
#ifndef RV_BASE_H
#define RV_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define RV_RESTRICT __restrict__
#define RV_INLINE static inline __attribute__((always_inline))
#define RV_LIKELY(x) __builtin_expect(!!(x), 1)
#define RV_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RV_RESTRICT restrict
#define RV_INLINE static inline
#define RV_LIKELY(x) (x)
#define RV_UNLIKELY(x) (x)
#endif

/* Alignment the kernel uses internally for vectorisable rows. Memory passed in
 * needs only malloc alignment: size queries include RV_ALIGN - 1 bytes of
 * slack so the kernel can align inside it. */
#define RV_ALIGN 32u

RV_INLINE void *rv_align_ptr(void *p)
{
    uintptr_t u = (uintptr_t)p;
    return (void *)((u + (RV_ALIGN - 1u)) & ~(uintptr_t)(RV_ALIGN - 1u));
}

RV_INLINE size_t rv_align_size(size_t n)
{
    return (n + (RV_ALIGN - 1u)) & ~(size_t)(RV_ALIGN - 1u);
}

/*
 * Status codes. RV_OK is zero, every failure is nonzero and specific.
 * Grouped by area; codes are stable once released (append, never reorder).
 */
typedef enum {
    RV_OK = 0,

    /* generic argument / memory errors (1..31) */
    RV_ERR_NULL = 1,           /* a required pointer argument is NULL */
    RV_ERR_ARG = 2,            /* an argument is out of its documented range */
    RV_ERR_SHAPE = 3,          /* zero seq-independent dim, heads or q_heads % kv_heads != 0 */
    RV_ERR_BLOCK_SIZE = 4,     /* block_size is zero */
    RV_ERR_WORKSPACE = 5,      /* workspace smaller than the size query says */
    RV_ERR_MEM = 6,            /* object memory smaller than the size query says */
    RV_ERR_OVERFLOW = 7,       /* a size computation would overflow size_t */
    RV_ERR_FULL = 8,           /* KV cache full and not in ring mode */
    RV_ERR_EMPTY = 9,          /* operation needs at least one cached token */
    RV_ERR_MISMATCH = 10,      /* object and call disagree (heads, dim, block) */
    RV_ERR_BAD_OBJECT = 11,    /* pointer is not an initialised kernel object */
    RV_ERR_NOT_FINITE = 12,    /* NaN/Inf where a finite value is required */

    /* node packets and text lines (32..63) */
    RV_ERR_TRUNCATED = 32,     /* buffer shorter than the packet's fixed header */
    RV_ERR_MAGIC = 33,         /* first 4 bytes are not a known node magic */
    RV_ERR_LENGTH = 34,        /* length differs from what the header says */
    RV_ERR_CRC = 35,           /* CRC32 footer does not match */
    RV_ERR_ANTENNAS = 36,      /* antenna count 0 or above RV_CSI_MAX_ANTENNAS */
    RV_ERR_SUBCARRIERS = 37,   /* subcarrier count 0 or above RV_CSI_MAX_SUBCARRIERS */
    RV_ERR_VERSION = 38,       /* packet version field not supported */
    RV_ERR_FIELD = 39,         /* a field holds a value the format forbids */
    RV_ERR_SHORT_OUTPUT = 40,  /* encode/convert output buffer too small */
    RV_ERR_TEXT_PREFIX = 41,   /* text line is not a CSI line of a known firmware */
    RV_ERR_TEXT_FIELDS = 42,   /* text line has the wrong number of fields */
    RV_ERR_TEXT_NUMBER = 43,   /* a numeric text field does not parse / out of range */
    RV_ERR_TEXT_ARRAY = 44,    /* the [..] CSI array is missing, malformed or odd-length */

    /* .rvne weight blobs and models (64..95) */
    RV_ERR_BLOB_SIZE = 64,     /* blob shorter than header+footer or size mismatch */
    RV_ERR_BLOB_MAGIC = 65,
    RV_ERR_BLOB_VERSION = 66,
    RV_ERR_BLOB_CRC = 67,
    RV_ERR_BLOB_FLAGS = 68,
    RV_ERR_BLOB_INPUT_DIM = 69,
    RV_ERR_BLOB_Q_HEADS = 70,
    RV_ERR_BLOB_KV_HEADS = 71, /* zero or does not divide n_q_heads */
    RV_ERR_BLOB_HEAD_DIM = 72,
    RV_ERR_BLOB_LAYERS = 73,
    RV_ERR_BLOB_CLASSES = 74,
    RV_ERR_BLOB_WEIGHTS = 75,  /* weights_len disagrees with the shape */
    RV_ERR_BLOB_SECTION = 76,  /* a v2 extension section is malformed */
    RV_ERR_MODEL = 77,         /* model object invalid for this call */
    RV_ERR_NOT_READY = 78,     /* not enough frames yet (classify before push) */
    RV_ERR_BLOB_SECTION_UNKNOWN = 79, /* unknown critical (upper-case) v2 section tag */
    RV_ERR_BLOB_SECTION_DUP = 80,     /* a v2 section tag appears twice */
    RV_ERR_BLOB_SECTION_LEN = 81,     /* section runs past the end, wrong payload size or nonzero padding */
    RV_ERR_BLOB_COUNT = 82,           /* a section's count disagrees with the header */
    RV_ERR_BLOB_TEXT = 83,            /* name/label empty, too long or invalid UTF-8 */

    /* CSI features (96..103) */
    RV_ERR_CSI_EMPTY = 96,     /* too few non-null subcarriers to extract features */

    /* network addresses (112..115) */
    RV_ERR_NET_ADDRESS = 112,  /* not an IPv4/IPv6 address (or an empty list entry) */
    RV_ERR_NET_PREFIX = 113,   /* CIDR prefix not a number or too long for the family */

    /* reserved for later areas (104..127) */
    RV_ERR_INTERNAL = 127      /* a kernel invariant failed; please report */
} rv_status;

const char *rv_status_str(rv_status s);

#ifdef __cplusplus
}
#endif
#endif /* RV_BASE_H */
