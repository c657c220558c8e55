/* rv_rvne.c — strict .rvne parser: header, size, CRC, v2 sections. */
#include "rv_rvne_int.h"
#include "rv_crc32.h"

#define FAIL(st, off, why) \
    do { out->err_offset = (off); out->err_detail = (why); return (st); } while (0)

void rv_rvne_attn_default(rv_rvne_attn *a)
{
    if (!a)
        return;
    memset(a, 0, sizeof *a);
    a->window = 32u;
    a->block_size = 16u;
    a->n_globals = 1u;
    a->globals[0] = 0u;
    a->log_stride = true;
    a->landmarks = true;
}

bool rv_rvne_utf8_ok(const uint8_t *s, size_t len, bool no_ctrl)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80u) {
            if (c == 0u || (no_ctrl && (c < 0x20u || c == 0x7Fu)))
                return false;
            i++;
            continue;
        }
        uint32_t n, cp, min;
        if ((c & 0xE0u) == 0xC0u) { n = 1; cp = c & 0x1Fu; min = 0x80u; }
        else if ((c & 0xF0u) == 0xE0u) { n = 2; cp = c & 0x0Fu; min = 0x800u; }
        else if ((c & 0xF8u) == 0xF0u) { n = 3; cp = c & 0x07u; min = 0x10000u; }
        else return false;
        if (len - i - 1u < n)
            return false;
        for (uint32_t k = 1; k <= n; k++) {
            uint8_t cc = s[i + k];
            if ((cc & 0xC0u) != 0x80u)
                return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
            return false;
        i += n + 1u;
    }
    return true;
}

uint32_t rv_rvne_head_offset(const uint8_t *heads, uint32_t h)
{
    uint32_t off = 4u;
    for (uint32_t i = 0; i < h; i++) {
        off += 2u + rv_ld16(heads + off);
        uint32_t nc = rv_ld32(heads + off);
        off += 4u;
        for (uint32_t c = 0; c < nc; c++)
            off += 2u + rv_ld16(heads + off);
    }
    return off;
}

/* A u16-length-prefixed string inside [p+*off, p+end). */
static rv_status take_str(const uint8_t *p, uint32_t end, uint32_t *off,
                          bool label, rv_rvne_str *s)
{
    if (end - *off < 2u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t n = rv_ld16(p + *off);
    *off += 2u;
    if (end - *off < n)
        return RV_ERR_BLOB_SECTION_LEN;
    if (label && (n == 0u || n > RV_RVNE_MAX_TEXT))
        return RV_ERR_BLOB_TEXT;
    if (!rv_rvne_utf8_ok(p + *off, n, label))
        return RV_ERR_BLOB_TEXT;
    if (s) {
        s->s = (const char *)(p + *off);
        s->len = n;
    }
    *off += n;
    return RV_OK;
}

static rv_status parse_arch(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n != 16u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t d_model = rv_ld32(p), d_ff = rv_ld32(p + 4);
    uint32_t flags = rv_ld32(p + 8), rsv = rv_ld32(p + 12);
    if ((flags & ~(uint32_t)(RV_RVNE_ARCH_INPUT_PROJ | RV_RVNE_ARCH_NORM |
                             RV_RVNE_ARCH_HEAD_BIAS)) != 0u || rsv != 0u)
        return RV_ERR_BLOB_SECTION;
    if (d_model == 0u || d_model > RV_RVNE_MAX_DIM || d_ff > RV_RVNE_MAX_DIM)
        return RV_ERR_BLOB_SECTION;
    out->arch.input_proj = (flags & RV_RVNE_ARCH_INPUT_PROJ) != 0u;
    out->arch.norm = (flags & RV_RVNE_ARCH_NORM) != 0u;
    out->arch.head_bias = (flags & RV_RVNE_ARCH_HEAD_BIAS) != 0u;
    if (!out->arch.input_proj && d_model != out->arch.input_dim)
        return RV_ERR_BLOB_COUNT;
    out->arch.d_model = d_model;
    out->arch.d_ff = d_ff;
    return RV_OK;
}

static rv_status parse_attn(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n < 16u)
        return RV_ERR_BLOB_SECTION_LEN;
    rv_rvne_attn *a = &out->attn;
    a->window = rv_ld32(p);
    a->block_size = rv_ld32(p + 4);
    uint32_t flags = rv_ld32(p + 8);
    uint32_t ng = rv_ld32(p + 12);
    if (ng > RV_RVNE_MAX_GLOBALS)
        return RV_ERR_BLOB_COUNT;
    if (n != 16u + 4u * ng)
        return RV_ERR_BLOB_SECTION_LEN;
    if (a->block_size == 0u ||
        (flags & ~(uint32_t)(RV_RVNE_ATTN_LOG_STRIDE | RV_RVNE_ATTN_LANDMARKS)) != 0u)
        return RV_ERR_BLOB_SECTION;
    a->log_stride = (flags & RV_RVNE_ATTN_LOG_STRIDE) != 0u;
    a->landmarks = (flags & RV_RVNE_ATTN_LANDMARKS) != 0u;
    a->n_globals = ng;
    for (uint32_t i = 0; i < ng; i++) {
        a->globals[i] = rv_ld32(p + 16u + 4u * i);
        if (i > 0u && a->globals[i] <= a->globals[i - 1u])
            return RV_ERR_BLOB_SECTION;   /* strictly increasing */
    }
    for (uint32_t i = ng; i < RV_RVNE_MAX_GLOBALS; i++)
        a->globals[i] = 0u;
    out->has_attn = true;
    return RV_OK;
}

static rv_status parse_fnrm(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n < 4u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t cnt = rv_ld32(p);
    if (cnt != out->arch.input_dim)
        return RV_ERR_BLOB_COUNT;
    if ((uint64_t)n != 4u + 8u * (uint64_t)cnt)
        return RV_ERR_BLOB_SECTION_LEN;
    for (uint32_t i = 0; i < 2u * cnt; i++)
        if (!rv_rvne_finite(rv_ldf32(p + 4u + 4u * i)))
            return RV_ERR_BLOB_SECTION;
    out->feat_norm = p + 4;
    return RV_OK;
}

static rv_status parse_rope(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n < 4u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t cnt = rv_ld32(p);
    if (cnt == 0u || cnt > out->arch.head_dim / 2u)
        return RV_ERR_BLOB_COUNT;
    if ((uint64_t)n != 4u + 4u * (uint64_t)cnt)
        return RV_ERR_BLOB_SECTION_LEN;
    for (uint32_t i = 0; i < cnt; i++) {
        uint32_t per = rv_ld32(p + 4u + 4u * i);
        if (per < 2u || per > RV_RVNE_MAX_PERIOD)
            return RV_ERR_BLOB_SECTION;
    }
    out->rope_pairs = cnt;
    out->rope_periods = p + 4;
    return RV_OK;
}

static rv_status parse_head(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n < 4u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t nh = rv_ld32(p);
    if (nh == 0u || nh > RV_RVNE_MAX_HEADS)
        return RV_ERR_BLOB_COUNT;
    uint32_t off = 4u;
    rv_rvne_str names[RV_RVNE_MAX_HEADS];
    for (uint32_t h = 0; h < nh; h++) {
        rv_status st = take_str(p, n, &off, true, &names[h]);
        if (st != RV_OK)
            return st;
        for (uint32_t j = 0; j < h; j++)
            if (names[j].len == names[h].len &&
                memcmp(names[j].s, names[h].s, names[h].len) == 0)
                return RV_ERR_BLOB_SECTION;   /* head names are unique */
        if (n - off < 4u)
            return RV_ERR_BLOB_SECTION_LEN;
        uint32_t nc = rv_ld32(p + off);
        off += 4u;
        if (nc < 2u || nc > RV_RVNE_MAX_DIM)
            return RV_ERR_BLOB_CLASSES;
        if (h == 0u && nc != out->arch.head_classes[0])
            return RV_ERR_BLOB_COUNT;
        out->arch.head_classes[h] = nc;
        for (uint32_t c = 0; c < nc; c++) {
            st = take_str(p, n, &off, true, NULL);
            if (st != RV_OK)
                return st;
        }
    }
    if (off != n)
        return RV_ERR_BLOB_SECTION_LEN;
    out->arch.n_heads = nh;
    out->heads = p;
    out->heads_len = n;
    return RV_OK;
}

static rv_status parse_prov(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n < 12u)
        return RV_ERR_BLOB_SECTION_LEN;
    out->prov_seed = rv_ld64(p);
    out->prov_accuracy = rv_ldf32(p + 8);
    uint32_t off = 12u;
    rv_status st;
    if ((st = take_str(p, n, &off, false, &out->prov_trainer)) != RV_OK ||
        (st = take_str(p, n, &off, false, &out->prov_dataset)) != RV_OK ||
        (st = take_str(p, n, &off, false, &out->prov_notes)) != RV_OK)
        return st;
    if (off != n)
        return RV_ERR_BLOB_SECTION_LEN;
    out->has_prov = true;
    return RV_OK;
}

static rv_status parse_inpt(const uint8_t *p, uint32_t n, rv_rvne_info *out)
{
    if (n != 8u)
        return RV_ERR_BLOB_SECTION_LEN;
    uint32_t kind = rv_ld32(p), layout = rv_ld32(p + 4);
    if (kind == RV_RVNE_INPUT_NONE || kind >= RV_RVNE_INPUT_KINDS || layout == 0u)
        return RV_ERR_BLOB_SECTION;
    out->input_kind = kind;
    out->input_layout = layout;
    return RV_OK;
}

const char *rv_rvne_input_kind_name(uint32_t kind)
{
    switch (kind) {
    case RV_RVNE_INPUT_NONE: return "not declared";
    case RV_RVNE_INPUT_CSI: return "CSI features";
    case RV_RVNE_INPUT_FEATURE_STATE: return "feature state";
    case RV_RVNE_INPUT_CSI_RAW: return "raw CSI features";
    }
    return "unknown";
}

static rv_status parse_sections(const uint8_t *buf, size_t start, size_t end,
                                rv_rvne_info *out)
{
    uint32_t seen = 0u;   /* bit per known tag */
    size_t off = start;
    while (off < end) {
        if (end - off < 8u)
            FAIL(RV_ERR_BLOB_SECTION_LEN, off, "section header runs past the end");
        uint32_t tag = rv_ld32(buf + off), n = rv_ld32(buf + off + 4);
        size_t body = off + 8u;
        uint64_t padded64 = ((uint64_t)n + 3u) & ~(uint64_t)3u;
        if (padded64 > (uint64_t)(end - body))
            FAIL(RV_ERR_BLOB_SECTION_LEN, off, "section payload runs past the end");
        size_t padded = (size_t)padded64;
        for (size_t i = body + n; i < body + padded; i++)
            if (buf[i] != 0u)
                FAIL(RV_ERR_BLOB_SECTION_LEN, i, "nonzero section padding");
        uint32_t bit;
        rv_status (*fn)(const uint8_t *, uint32_t, rv_rvne_info *);
        switch (tag) {
        case RV_RVNE_TAG_ARCH: bit = 1u; fn = parse_arch; break;
        case RV_RVNE_TAG_ATTN: bit = 2u; fn = parse_attn; break;
        case RV_RVNE_TAG_FNRM: bit = 4u; fn = parse_fnrm; break;
        case RV_RVNE_TAG_ROPE: bit = 8u; fn = parse_rope; break;
        case RV_RVNE_TAG_HEAD: bit = 16u; fn = parse_head; break;
        case RV_RVNE_TAG_PROV: bit = 32u; fn = parse_prov; break;
        case RV_RVNE_TAG_INPT: bit = 64u; fn = parse_inpt; break;
        default: bit = 0u; fn = NULL; break;
        }
        out->n_sections++;
        if (!fn) {
            uint8_t first = (uint8_t)tag;
            if (first >= 'A' && first <= 'Z')
                FAIL(RV_ERR_BLOB_SECTION_UNKNOWN, off, "unknown critical section");
            if (!(first >= 'a' && first <= 'z'))
                FAIL(RV_ERR_BLOB_SECTION, off, "section tag is not a letter code");
            out->n_skipped++;
        } else {
            if (seen & bit)
                FAIL(RV_ERR_BLOB_SECTION_DUP, off, "duplicate section");
            seen |= bit;
            rv_status st = fn(buf + body, n, out);
            if (st != RV_OK)
                FAIL(st, off, "invalid section payload");
        }
        off = body + padded;
    }
    return RV_OK;
}

rv_status rv_rvne_parse(const uint8_t *buf, size_t len, rv_rvne_info *out)
{
    if (!out)
        return RV_ERR_NULL;
    memset(out, 0, sizeof *out);
    out->prov_accuracy = 0.0f;
    rv_rvne_attn_default(&out->attn);
    if (!buf)
        FAIL(RV_ERR_NULL, 0, "no buffer");
    if (len < RV_RVNE_HEADER_SIZE + RV_RVNE_FOOTER_SIZE)
        FAIL(RV_ERR_BLOB_SIZE, len, "shorter than header + CRC footer");
    if (rv_ld32(buf) != RV_RVNE_MAGIC)
        FAIL(RV_ERR_BLOB_MAGIC, 0, "magic is not RVNE");
    uint32_t version = rv_ld16(buf + 4);
    if (version != RV_RVNE_VERSION_1 && version != RV_RVNE_VERSION)
        FAIL(RV_ERR_BLOB_VERSION, 4, "version is not 1 or 2");
    uint32_t wl = rv_ld32(buf + 0x14);
    size_t crc_at = len - RV_RVNE_FOOTER_SIZE;
    uint64_t wend64 = (uint64_t)RV_RVNE_HEADER_SIZE + wl;
    if (version == RV_RVNE_VERSION_1) {
        if ((uint64_t)len != wend64 + RV_RVNE_FOOTER_SIZE)
            FAIL(RV_ERR_BLOB_SIZE, 0x14, "file size is not 28 + weights_len");
    } else if (((wend64 + 3u) & ~(uint64_t)3u) > (uint64_t)crc_at) {
        FAIL(RV_ERR_BLOB_SIZE, 0x14, "weights_len runs past the end");
    }
    size_t wend = (size_t)wend64;
    uint32_t crc = rv_ld32(buf + crc_at);
    if (rv_crc32(buf, crc_at) != crc)
        FAIL(RV_ERR_BLOB_CRC, crc_at, "CRC32 footer does not match");

    uint8_t flags = buf[6];
    if ((flags & 0xFEu) != 0u || (version >= 2u && buf[7] != 0u))
        FAIL(RV_ERR_BLOB_FLAGS, 6, "unknown flag bits or nonzero reserved byte");
    rv_rvne_arch *a = &out->arch;
    a->input_dim = rv_ld16(buf + 0x08);
    a->q_heads = rv_ld16(buf + 0x0A);
    a->kv_heads = rv_ld16(buf + 0x0C);
    a->head_dim = rv_ld16(buf + 0x0E);
    a->n_layers = rv_ld16(buf + 0x10);
    a->head_classes[0] = rv_ld16(buf + 0x12);
    a->d_model = a->input_dim;
    a->n_heads = 1u;
    if (a->input_dim == 0u)
        FAIL(RV_ERR_BLOB_INPUT_DIM, 0x08, "input_dim is zero");
    if (a->q_heads == 0u)
        FAIL(RV_ERR_BLOB_Q_HEADS, 0x0A, "n_q_heads is zero");
    if (a->kv_heads == 0u || a->q_heads % a->kv_heads != 0u)
        FAIL(RV_ERR_BLOB_KV_HEADS, 0x0C, "n_kv_heads is zero or does not divide n_q_heads");
    if (a->head_dim == 0u)
        FAIL(RV_ERR_BLOB_HEAD_DIM, 0x0E, "head_dim is zero");
    if (a->n_layers == 0u)
        FAIL(RV_ERR_BLOB_LAYERS, 0x10, "n_layers is zero");
    if (a->head_classes[0] < 2u)
        FAIL(RV_ERR_BLOB_CLASSES, 0x12, "n_classes is below 2");

    out->version = version;
    out->fp16 = (flags & 1u) != 0u;
    out->weights_len = wl;
    out->weights = buf + RV_RVNE_HEADER_SIZE;
    out->total_len = len;
    out->crc = crc;

    if (version >= 2u) {
        size_t sec = (wend + 3u) & ~(size_t)3u;
        for (size_t i = wend; i < sec; i++)
            if (buf[i] != 0u)
                FAIL(RV_ERR_BLOB_SECTION_LEN, i, "nonzero padding after weights");
        /* Sections come in any order: each checks itself against the header
         * only; the weight count is checked once all are known. */
        rv_status st = parse_sections(buf, sec, crc_at, out);
        if (st != RV_OK)
            return st;
    }
    rv_status st = rv_rvne_arch_check(a);
    if (st != RV_OK)
        FAIL(st, 0, "architecture invalid");
    if (out->rope_pairs > 0u && a->head_dim % 2u != 0u)
        FAIL(RV_ERR_BLOB_HEAD_DIM, 0x0E, "rotary positions need an even head_dim");
    uint64_t nw = rv_rvne_weight_count(a);
    uint64_t es = out->fp16 ? 2u : 4u;
    if (nw == 0u || nw * es != (uint64_t)wl)
        FAIL(RV_ERR_BLOB_WEIGHTS, 0x14, "weights_len does not match the model shape");
    out->n_weights = nw;
    for (uint64_t i = 0; i < nw; i++)
        if (!rv_rvne_finite(rv_rvne_weight(out, i)))
            FAIL(RV_ERR_BLOB_WEIGHTS, (size_t)(RV_RVNE_HEADER_SIZE + i * es),
                 "weight is NaN or infinite");
    out->err_offset = 0;
    out->err_detail = NULL;
    return RV_OK;
}
