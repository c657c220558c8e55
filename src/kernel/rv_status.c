/* rv_status.c — human-readable text for every rv_status. */
#include "rv_base.h"

const char *rv_status_str(rv_status s)
{
    switch (s) {
    case RV_OK: return "ok";
    case RV_ERR_NULL: return "a required pointer argument is NULL";
    case RV_ERR_ARG: return "argument out of range";
    case RV_ERR_SHAPE: return "invalid shape (zero dim/heads, or q_heads not a multiple of kv_heads)";
    case RV_ERR_BLOCK_SIZE: return "block_size must be greater than zero";
    case RV_ERR_WORKSPACE: return "workspace smaller than the size query requires";
    case RV_ERR_MEM: return "object memory smaller than the size query requires";
    case RV_ERR_OVERFLOW: return "size computation overflows";
    case RV_ERR_FULL: return "KV cache is full (enable ring mode for endless streams)";
    case RV_ERR_EMPTY: return "KV cache is empty";
    case RV_ERR_MISMATCH: return "object and call disagree on heads, dim or block size";
    case RV_ERR_BAD_OBJECT: return "not an initialised kernel object";
    case RV_ERR_NOT_FINITE: return "value is NaN or infinite";
    case RV_ERR_TRUNCATED: return "packet shorter than its fixed header";
    case RV_ERR_MAGIC: return "unknown packet magic";
    case RV_ERR_LENGTH: return "packet length disagrees with its header";
    case RV_ERR_CRC: return "CRC32 mismatch";
    case RV_ERR_ANTENNAS: return "antenna count out of range";
    case RV_ERR_SUBCARRIERS: return "subcarrier count out of range";
    case RV_ERR_VERSION: return "unsupported packet version";
    case RV_ERR_FIELD: return "field value not allowed by the format";
    case RV_ERR_SHORT_OUTPUT: return "output buffer too small";
    case RV_ERR_TEXT_PREFIX: return "not a CSI line of a known firmware";
    case RV_ERR_TEXT_FIELDS: return "CSI text line has the wrong number of fields";
    case RV_ERR_TEXT_NUMBER: return "CSI text line has a malformed number";
    case RV_ERR_TEXT_ARRAY: return "CSI text line has a malformed I/Q array";
    case RV_ERR_BLOB_SIZE: return "blob size mismatch";
    case RV_ERR_BLOB_MAGIC: return "not an .rvne blob (bad magic)";
    case RV_ERR_BLOB_VERSION: return "unsupported .rvne version";
    case RV_ERR_BLOB_CRC: return ".rvne CRC32 mismatch (file corrupt)";
    case RV_ERR_BLOB_FLAGS: return ".rvne flags invalid";
    case RV_ERR_BLOB_INPUT_DIM: return ".rvne input_dim is zero or too large";
    case RV_ERR_BLOB_Q_HEADS: return ".rvne n_q_heads is zero or too large";
    case RV_ERR_BLOB_KV_HEADS: return ".rvne n_kv_heads is zero or does not divide n_q_heads";
    case RV_ERR_BLOB_HEAD_DIM: return ".rvne head_dim is zero or too large";
    case RV_ERR_BLOB_LAYERS: return ".rvne n_layers is zero or too large";
    case RV_ERR_BLOB_CLASSES: return ".rvne n_classes is below 2 or too large";
    case RV_ERR_BLOB_WEIGHTS: return ".rvne weights_len does not match the model shape";
    case RV_ERR_BLOB_SECTION: return ".rvne extension section malformed";
    case RV_ERR_MODEL: return "model invalid for this call";
    case RV_ERR_NOT_READY: return "not enough frames pushed yet";
    case RV_ERR_BLOB_SECTION_UNKNOWN: return ".rvne has an unknown critical section";
    case RV_ERR_BLOB_SECTION_DUP: return ".rvne section appears twice";
    case RV_ERR_BLOB_SECTION_LEN: return ".rvne section length invalid (past the end, wrong size or bad padding)";
    case RV_ERR_BLOB_COUNT: return ".rvne section count disagrees with the header";
    case RV_ERR_BLOB_TEXT: return ".rvne name or label empty, too long or not UTF-8";
    case RV_ERR_CSI_EMPTY: return "CSI frame has too few non-null subcarriers";
    case RV_ERR_NET_ADDRESS: return "not an IPv4 or IPv6 address";
    case RV_ERR_NET_PREFIX: return "prefix length must be 0-32 (IPv4) or 0-128 (IPv6)";
    case RV_ERR_INTERNAL: return "internal kernel error";
    }
    return "unknown status";
}
