/* test_rvne.c — .rvne blobs: a hand-built v1 blob of known bytes, the
 * seeds' example size, every header corruption with its own status, v2
 * section malformations, fp16 conversion, the writer and the converter. */
#include "model_util.h"

/* ---- hand-built v1 blob (bytes written here, not by the writer) ---- */

#define V1_NW 10304u
#define V1_LEN (28u + 4u * V1_NW)

static float v1_weight(uint32_t i)
{
    /* small, sign-varying, exactly representable */
    return (float)((int32_t)((i * 37u) % 101u) - 50) / 512.0f;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void fix_crc(uint8_t *b, size_t len)
{
    put_le32(b + len - 4, rv_crc32(b, len - 4));
}

static uint8_t *hand_v1(void)
{
    static const uint8_t header[24] = {
        0x45, 0x4E, 0x56, 0x52,   /* magic "RVNE" as u32 LE 0x52564E45 */
        0x01, 0x00,               /* version 1 */
        0x00,                     /* flags: fp32 */
        0x00,                     /* reserved */
        0x10, 0x00,               /* input_dim 16 */
        0x04, 0x00,               /* n_q_heads 4 */
        0x01, 0x00,               /* n_kv_heads 1 */
        0x20, 0x00,               /* head_dim 32 */
        0x02, 0x00,               /* n_layers 2 */
        0x04, 0x00,               /* n_classes 4 */
        0x00, 0xA1, 0x00, 0x00,   /* weights_len 41216 = 10304 * 4 */
    };
    uint8_t *b = malloc(V1_LEN);
    memcpy(b, header, sizeof header);
    for (uint32_t i = 0; i < V1_NW; i++) {
        float f = v1_weight(i);
        uint32_t u;
        memcpy(&u, &f, 4);
        put_le32(b + 24 + 4 * i, u);
    }
    fix_crc(b, V1_LEN);
    return b;
}

START_TEST(v1_known_bytes_load)
{
    ck_assert_uint_eq(V1_LEN, 41244u);
    uint8_t *b = hand_v1();
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(b, V1_LEN, &info), RV_OK);
    ck_assert_uint_eq(info.version, 1);
    ck_assert(!info.fp16);
    ck_assert_uint_eq(info.arch.input_dim, 16);
    ck_assert_uint_eq(info.arch.q_heads, 4);
    ck_assert_uint_eq(info.arch.kv_heads, 1);
    ck_assert_uint_eq(info.arch.head_dim, 32);
    ck_assert_uint_eq(info.arch.n_layers, 2);
    ck_assert_uint_eq(info.arch.head_classes[0], 4);
    ck_assert_uint_eq(info.n_weights, V1_NW);
    ck_assert_uint_eq(info.arch.d_model, 16);
    ck_assert(!info.has_attn && info.attn.window == 32 && info.attn.block_size == 16);
    ck_assert_ptr_null(info.feat_norm);
    ck_assert_uint_eq(info.rope_pairs, 0);
    for (uint32_t i = 0; i < V1_NW; i += 97)
        ck_assert(rv_rvne_weight(&info, i) == v1_weight(i));

    /* layout of the seeds' shape: per layer Wq, Wk, Wv, Wo, then the head */
    static const struct { rv_rvne_tensor_kind k; uint32_t idx, rows, cols; uint64_t off; } want[] = {
        { RV_RVNE_T_WQ, 0, 128, 16, 0 },    { RV_RVNE_T_WK, 0, 32, 16, 2048 },
        { RV_RVNE_T_WV, 0, 32, 16, 2560 },  { RV_RVNE_T_WO, 0, 16, 128, 3072 },
        { RV_RVNE_T_WQ, 1, 128, 16, 5120 }, { RV_RVNE_T_WK, 1, 32, 16, 7168 },
        { RV_RVNE_T_WV, 1, 32, 16, 7680 },  { RV_RVNE_T_WO, 1, 16, 128, 8192 },
        { RV_RVNE_T_HEAD_W, 0, 4, 16, 10240 },
    };
    ck_assert_uint_eq(rv_rvne_tensor_count(&info.arch), 9);
    for (uint32_t i = 0; i < 9; i++) {
        rv_rvne_tensor t;
        ck_assert_int_eq(rv_rvne_tensor_at(&info.arch, i, &t), RV_OK);
        ck_assert_int_eq(t.kind, want[i].k);
        ck_assert_uint_eq(t.index, want[i].idx);
        ck_assert_uint_eq(t.rows, want[i].rows);
        ck_assert_uint_eq(t.cols, want[i].cols);
        ck_assert_uint_eq(t.offset, want[i].off);
    }
    rv_rvne_tensor t;
    ck_assert_int_eq(rv_rvne_tensor_at(&info.arch, 9, &t), RV_ERR_ARG);

    mu_model mm;
    mu_model_load(&mm, b, V1_LEN);
    mu_model_free(&mm);
}
END_TEST

/* Independent naive evaluation of the v1 architecture for n <= 15 frames,
 * where the AETHER candidate set of every position is all earlier tokens
 * (window 32 covers them, no block of 16 is complete): dense causal
 * attention in double, straight from docs/model.md. */
static double rd_weight(const uint8_t *w, uint32_t i)
{
    uint32_t u = (uint32_t)w[4 * i] | (uint32_t)w[4 * i + 1] << 8 |
                 (uint32_t)w[4 * i + 2] << 16 | (uint32_t)w[4 * i + 3] << 24;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static void naive_v1(const uint8_t *b, const float *x, uint32_t n, double *emb)
{
    enum { D = 16, HQ = 4, HD = 32, L = 2 };
    const uint8_t *w = b + 24;
    uint32_t off = 0;
#define W(i) rd_weight(w, (i))
    double h[15][D];
    for (uint32_t i = 0; i < n; i++)
        for (int j = 0; j < D; j++)
            h[i][j] = x[i * D + (uint32_t)j];
    for (int l = 0; l < L; l++) {
        uint32_t oq = off, ok = oq + HQ * HD * D, ov = ok + HD * D, oo = ov + HD * D;
        off = oo + D * HQ * HD;
        double q[15][HQ * HD], k[15][HD], v[15][HD];
        for (uint32_t i = 0; i < n; i++) {
            for (int o = 0; o < HQ * HD; o++) {
                q[i][o] = 0;
                for (int j = 0; j < D; j++)
                    q[i][o] += W(oq + (uint32_t)(o * D + j)) * h[i][j];
            }
            for (int o = 0; o < HD; o++) {
                k[i][o] = v[i][o] = 0;
                for (int j = 0; j < D; j++) {
                    k[i][o] += W(ok + (uint32_t)(o * D + j)) * h[i][j];
                    v[i][o] += W(ov + (uint32_t)(o * D + j)) * h[i][j];
                }
            }
        }
        for (uint32_t i = 0; i < n; i++) {
            double a[HQ * HD];
            for (int t = 0; t < HQ; t++) {
                double s[15], mx = -1e300, z = 0;
                for (uint32_t j = 0; j <= i; j++) {
                    s[j] = 0;
                    for (int dd = 0; dd < HD; dd++)
                        s[j] += q[i][t * HD + dd] * k[j][dd];
                    s[j] /= sqrt((double)HD);
                    if (s[j] > mx)
                        mx = s[j];
                }
                for (uint32_t j = 0; j <= i; j++)
                    z += (s[j] = exp(s[j] - mx));
                for (int dd = 0; dd < HD; dd++) {
                    a[t * HD + dd] = 0;
                    for (uint32_t j = 0; j <= i; j++)
                        a[t * HD + dd] += s[j] / z * v[j][dd];
                }
            }
            for (int o = 0; o < D; o++) {
                double y = 0;
                for (int j = 0; j < HQ * HD; j++)
                    y += W(oo + (uint32_t)(o * HQ * HD + j)) * a[j];
                h[i][o] += y;   /* residual: h was used for q/k/v of all frames already */
            }
        }
    }
#undef W
    for (uint32_t i = 0; i < n; i++)
        for (int j = 0; j < D; j++)
            emb[i * D + (uint32_t)j] = h[i][j];
}

START_TEST(v1_known_bytes_runs)
{
    uint8_t *b = hand_v1();
    mu_model mm;
    mu_model_load(&mm, b, V1_LEN);
    const uint32_t n = 15;
    float x[15 * 16], ep[15 * 16], es[15 * 16];
    double ref[15 * 16];
    mu_rng r = { 3 };
    for (int i = 0; i < 15 * 16; i++)
        x[i] = mu_unif(&r, 1.0f);
    mu_prefill(mm.m, x, n, ep);
    rv_model_stream_opts o = { 64, RV_KV_F32, false, 0 };
    size_t sz = rv_model_stream_mem_size(mm.m, &o);
    void *smem = malloc(sz);
    rv_model_stream *s = rv_model_stream_init(smem, sz, mm.m, &o, NULL);
    ck_assert_ptr_nonnull(s);
    mu_stream_all(mm.m, s, x, n, es);
    naive_v1(b, x, n, ref);
    for (int i = 0; i < 15 * 16; i++) {
        ck_assert_msg(fabs(ep[i] - ref[i]) <= 1e-4 * (1.0 + fabs(ref[i])),
                      "prefill %d: %g vs naive %g", i, (double)ep[i], ref[i]);
        ck_assert(fabs(es[i] - ref[i]) <= 1e-4 * (1.0 + fabs(ref[i])));
    }
    /* classifier = last 64 weights, no bias */
    float lg[4];
    ck_assert_int_eq(rv_model_head_logits(mm.m, 0, es + 14 * 16, lg), RV_OK);
    for (uint32_t c = 0; c < 4; c++) {
        double y = 0;
        for (uint32_t j = 0; j < 16; j++)
            y += (double)v1_weight(10240u + c * 16u + j) * ref[14 * 16 + j];
        ck_assert(fabs(y - lg[c]) <= 1e-3 * (1.0 + fabs(y)));
    }
    free(smem);
    mu_model_free(&mm);
}
END_TEST

/* ---- header corruptions: each its own status ---- */

static rv_status parse_mod(size_t off, const uint8_t *val, size_t n, bool crc,
                           size_t len_delta_neg)
{
    uint8_t *b = hand_v1();
    memcpy(b + off, val, n);
    size_t len = V1_LEN - len_delta_neg;
    if (crc)
        fix_crc(b, len);
    rv_rvne_info info;
    rv_status st = rv_rvne_parse(b, len, &info);
    if (st != RV_OK)
        ck_assert_ptr_nonnull(info.err_detail);
    free(b);
    return st;
}

START_TEST(v1_corruptions)
{
    const uint8_t z2[2] = { 0, 0 };
    const uint8_t one[2] = { 1, 0 }, three[2] = { 3, 0 }, sixteen[2] = { 16, 0 };
    ck_assert_int_eq(parse_mod(0, (const uint8_t *)"RVNF", 4, true, 0), RV_ERR_BLOB_MAGIC);
    ck_assert_int_eq(parse_mod(4, z2, 2, true, 0), RV_ERR_BLOB_VERSION);
    ck_assert_int_eq(parse_mod(4, three, 2, true, 0), RV_ERR_BLOB_VERSION);
    ck_assert_int_eq(parse_mod(6, (const uint8_t *)"\x02", 1, true, 0), RV_ERR_BLOB_FLAGS);
    ck_assert_int_eq(parse_mod(8, z2, 2, true, 0), RV_ERR_BLOB_INPUT_DIM);
    ck_assert_int_eq(parse_mod(10, z2, 2, true, 0), RV_ERR_BLOB_Q_HEADS);
    ck_assert_int_eq(parse_mod(12, z2, 2, true, 0), RV_ERR_BLOB_KV_HEADS);
    ck_assert_int_eq(parse_mod(12, three, 2, true, 0), RV_ERR_BLOB_KV_HEADS);  /* 4 % 3 */
    ck_assert_int_eq(parse_mod(14, z2, 2, true, 0), RV_ERR_BLOB_HEAD_DIM);
    ck_assert_int_eq(parse_mod(16, z2, 2, true, 0), RV_ERR_BLOB_LAYERS);
    ck_assert_int_eq(parse_mod(18, one, 2, true, 0), RV_ERR_BLOB_CLASSES);
    ck_assert_int_eq(parse_mod(18, z2, 2, true, 0), RV_ERR_BLOB_CLASSES);
    /* head_dim 16 with the same weights_len: shape disagrees */
    ck_assert_int_eq(parse_mod(14, sixteen, 2, true, 0), RV_ERR_BLOB_WEIGHTS);
    /* weights_len disagrees with the file size */
    const uint8_t wl[4] = { 0x04, 0xA1, 0, 0 };
    ck_assert_int_eq(parse_mod(20, wl, 4, true, 0), RV_ERR_BLOB_SIZE);
    ck_assert_int_eq(parse_mod(0, (const uint8_t *)"E", 1, true, 4), RV_ERR_BLOB_SIZE); /* truncated */
    /* CRC: flip a weight bit without fixing the footer */
    ck_assert_int_eq(parse_mod(1000, (const uint8_t *)"\x77", 1, false, 0), RV_ERR_BLOB_CRC);
    /* NaN weight */
    const uint8_t nan[4] = { 0, 0, 0xC0, 0x7F };
    ck_assert_int_eq(parse_mod(24 + 400, nan, 4, true, 0), RV_ERR_BLOB_WEIGHTS);
    /* too short for header + footer */
    uint8_t small[27] = { 0x45, 0x4E, 0x56, 0x52 };
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(small, sizeof small, &info), RV_ERR_BLOB_SIZE);
    ck_assert_int_eq(rv_rvne_parse(NULL, 100, &info), RV_ERR_NULL);
    ck_assert_int_eq(rv_rvne_parse(small, sizeof small, NULL), RV_ERR_NULL);
    /* the unmodified blob still parses (the helper really modifies) */
    ck_assert_int_eq(parse_mod(8, sixteen, 2, true, 0), RV_OK);
}
END_TEST

/* Every truncation and, with the CRC fixed, every header byte value change
 * must be handled without crashing (ASan build) and never accept a blob
 * whose size disagrees. */
START_TEST(v1_robust_sweep)
{
    uint8_t *b = hand_v1();
    rv_rvne_info info;
    for (size_t len = 0; len < V1_LEN; len += (len < 64 ? 1 : 997))
        ck_assert_int_ne(rv_rvne_parse(b, len, &info), RV_OK);
    for (size_t off = 0; off < 24; off++) {
        for (int bit = 0; bit < 8; bit++) {
            uint8_t *c = hand_v1();
            c[off] ^= (uint8_t)(1u << bit);
            fix_crc(c, V1_LEN);
            rv_status st = rv_rvne_parse(c, V1_LEN, &info);
            /* only the reserved byte (7) is ignored in v1 */
            if (off == 7)
                ck_assert_int_eq(st, RV_OK);
            else
                ck_assert_int_ne(st, RV_OK);
            free(c);
        }
    }
    free(b);
}
END_TEST

/* ---- v2 sections ---- */

typedef struct { uint32_t tag; const uint8_t *p; uint32_t n; } sec;

/* v1-shaped arch (16,4,1,32,2,4) with v1_weight weights, given sections. */
static uint8_t *build_v2(const sec *s, int ns, size_t *len_out)
{
    size_t len = 24 + 4 * V1_NW;
    for (int i = 0; i < ns; i++)
        len += 8 + ((s[i].n + 3u) & ~3u);
    len += 4;
    uint8_t *b = calloc(1, len);
    uint8_t *v1 = hand_v1();
    memcpy(b, v1, 24 + 4 * V1_NW);
    free(v1);
    b[4] = 2;
    size_t off = 24 + 4 * V1_NW;
    for (int i = 0; i < ns; i++) {
        put_le32(b + off, s[i].tag);
        put_le32(b + off + 4, s[i].n);
        if (s[i].n)
            memcpy(b + off + 8, s[i].p, s[i].n);
        off += 8 + ((s[i].n + 3u) & ~3u);
    }
    fix_crc(b, len);
    *len_out = len;
    return b;
}

static rv_status parse_secs(const sec *s, int ns, rv_rvne_info *info)
{
    size_t len;
    uint8_t *b = build_v2(s, ns, &len);
    rv_status st = rv_rvne_parse(b, len, info);
    free(b);
    return st;
}

static const uint8_t ARCH_V1[16] = { 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t ATTN_OK[20] = { 8, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t ROPE_OK[12] = { 2, 0, 0, 0, 4, 0, 0, 0, 64, 0, 0, 0 };
static const uint8_t INPT_CSI_3[8] = { 1, 0, 0, 0, 3, 0, 0, 0 };   /* CSI features, layout 3 */

START_TEST(v2_sections_ok)
{
    /* HEAD: 1 head "act", 4 labels */
    static const uint8_t head[] = { 1, 0, 0, 0, 3, 0, 'a', 'c', 't', 4, 0, 0, 0,
        1, 0, 'a', 1, 0, 'b', 2, 0, 'c', 'c', 5, 0, 0xC3, 0xA9, 't', 0xC3, 0xA9 };
    uint8_t fnrm[4 + 8 * 16];
    put_le32(fnrm, 16);
    for (int i = 0; i < 16; i++) {
        float m = 0.5f, is = 2.0f;
        memcpy(fnrm + 4 + 4 * i, &m, 4);
        memcpy(fnrm + 4 + 64 + 4 * i, &is, 4);
    }
    static const uint8_t anc[5] = { 1, 2, 3, 4, 5 };
    sec s[] = {
        { RV_RVNE_TAG_ROPE, ROPE_OK, sizeof ROPE_OK },
        { RV_RVNE_TAG_ARCH, ARCH_V1, sizeof ARCH_V1 },
        { RV_RVNE_TAG('x', 't', 'r', 'a'), anc, sizeof anc },
        { RV_RVNE_TAG_ATTN, ATTN_OK, sizeof ATTN_OK },
        { RV_RVNE_TAG_HEAD, head, sizeof head },
        { RV_RVNE_TAG_FNRM, fnrm, sizeof fnrm },
        { RV_RVNE_TAG_INPT, INPT_CSI_3, sizeof INPT_CSI_3 },
    };
    rv_rvne_info info;
    size_t blen;
    uint8_t *blob = build_v2(s, 7, &blen);   /* info points into blob */
    ck_assert_int_eq(rv_rvne_parse(blob, blen, &info), RV_OK);
    ck_assert_uint_eq(info.version, 2);
    ck_assert_uint_eq(info.n_sections, 7);
    ck_assert_uint_eq(info.input_kind, RV_RVNE_INPUT_CSI);
    ck_assert_uint_eq(info.input_layout, 3);
    ck_assert_str_eq(rv_rvne_input_kind_name(info.input_kind), "CSI features");
    ck_assert_uint_eq(info.n_skipped, 1);
    ck_assert(info.has_attn && info.attn.window == 8 && info.attn.block_size == 4 &&
              info.attn.n_globals == 1 && info.attn.log_stride && info.attn.landmarks);
    ck_assert_uint_eq(info.rope_pairs, 2);
    ck_assert_ptr_nonnull(info.feat_norm);
    rv_rvne_str str;
    ck_assert_int_eq(rv_rvne_head_name(&info, 0, &str), RV_OK);
    ck_assert(str.len == 3 && memcmp(str.s, "act", 3) == 0);
    ck_assert_int_eq(rv_rvne_label(&info, 0, 3, &str), RV_OK);
    ck_assert(str.len == 5 && memcmp(str.s, "\xC3\xA9t\xC3\xA9", 5) == 0);
    ck_assert_int_eq(rv_rvne_label(&info, 0, 4, &str), RV_ERR_ARG);
    mu_model mm;
    mu_model_load(&mm, blob, blen);
    size_t ln;
    const char *lab = rv_model_label(mm.m, 0, 2, &ln);
    ck_assert(ln == 2 && memcmp(lab, "cc", 2) == 0);
    mu_model_free(&mm);

    /* no sections at all: a v2 blob with the v1 architecture */
    ck_assert_int_eq(parse_secs(NULL, 0, &info), RV_OK);
    ck_assert(!info.has_attn && info.arch.n_heads == 1);
    ck_assert_uint_eq(info.input_kind, RV_RVNE_INPUT_NONE);
    ck_assert_str_eq(rv_rvne_input_kind_name(info.input_kind), "not declared");
}
END_TEST

START_TEST(v2_section_errors)
{
    rv_rvne_info info;
    static const uint8_t junk[4] = { 0, 0, 0, 0 };
    /* unknown critical section */
    sec s1[] = { { RV_RVNE_TAG('Z', 'Z', 'Z', 'Z'), junk, 4 } };
    ck_assert_int_eq(parse_secs(s1, 1, &info), RV_ERR_BLOB_SECTION_UNKNOWN);
    /* tag that is not a letter code */
    sec s1b[] = { { RV_RVNE_TAG('1', 'Z', 'Z', 'Z'), junk, 4 } };
    ck_assert_int_eq(parse_secs(s1b, 1, &info), RV_ERR_BLOB_SECTION);
    /* duplicate */
    sec s2[] = { { RV_RVNE_TAG_ATTN, ATTN_OK, 20 }, { RV_RVNE_TAG_ATTN, ATTN_OK, 20 } };
    ck_assert_int_eq(parse_secs(s2, 2, &info), RV_ERR_BLOB_SECTION_DUP);
    /* wrong payload size for the type */
    sec s3[] = { { RV_RVNE_TAG_ARCH, ARCH_V1, 12 } };
    ck_assert_int_eq(parse_secs(s3, 1, &info), RV_ERR_BLOB_SECTION_LEN);
    /* count inconsistent with header: FNRM for 15 inputs, ROPE with 17 pairs */
    uint8_t fn[4 + 8 * 15] = { 15 };
    sec s4[] = { { RV_RVNE_TAG_FNRM, fn, sizeof fn } };
    ck_assert_int_eq(parse_secs(s4, 1, &info), RV_ERR_BLOB_COUNT);
    uint8_t rp[4 + 4 * 17] = { 17 };
    for (int i = 0; i < 17; i++)
        rp[4 + 4 * i] = 8;
    sec s5[] = { { RV_RVNE_TAG_ROPE, rp, sizeof rp } };
    ck_assert_int_eq(parse_secs(s5, 1, &info), RV_ERR_BLOB_COUNT);
    /* ROPE period 1 (invalid value) */
    uint8_t rp1[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };
    sec s6[] = { { RV_RVNE_TAG_ROPE, rp1, 8 } };
    ck_assert_int_eq(parse_secs(s6, 1, &info), RV_ERR_BLOB_SECTION);
    /* ATTN block_size 0; globals not increasing */
    uint8_t at[20];
    memcpy(at, ATTN_OK, 20);
    at[4] = 0;
    sec s7[] = { { RV_RVNE_TAG_ATTN, at, 20 } };
    ck_assert_int_eq(parse_secs(s7, 1, &info), RV_ERR_BLOB_SECTION);
    uint8_t at2[24] = { 8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0 };
    sec s8[] = { { RV_RVNE_TAG_ATTN, at2, 24 } };
    ck_assert_int_eq(parse_secs(s8, 1, &info), RV_ERR_BLOB_SECTION);
    /* ARCH: d_model != input_dim without input projection; unknown flag */
    uint8_t ar[16];
    memcpy(ar, ARCH_V1, 16);
    ar[0] = 17;
    sec s9[] = { { RV_RVNE_TAG_ARCH, ar, 16 } };
    ck_assert_int_eq(parse_secs(s9, 1, &info), RV_ERR_BLOB_COUNT);
    memcpy(ar, ARCH_V1, 16);
    ar[8] = 0x10;
    ck_assert_int_eq(parse_secs(s9, 1, &info), RV_ERR_BLOB_SECTION);
    /* ARCH with norm: weights no longer match the shape */
    memcpy(ar, ARCH_V1, 16);
    ar[8] = RV_RVNE_ARCH_NORM;
    ck_assert_int_eq(parse_secs(s9, 1, &info), RV_ERR_BLOB_WEIGHTS);
    /* HEAD: head 0 class count disagrees with the header; bad UTF-8; empty
     * label; trailing bytes */
    static const uint8_t h1[] = { 1, 0, 0, 0, 1, 0, 'a', 3, 0, 0, 0, 1, 0, 'a', 1, 0, 'b', 1, 0, 'c' };
    sec s10[] = { { RV_RVNE_TAG_HEAD, h1, sizeof h1 } };
    ck_assert_int_eq(parse_secs(s10, 1, &info), RV_ERR_BLOB_COUNT);
    static const uint8_t h2[] = { 1, 0, 0, 0, 1, 0, 'a', 4, 0, 0, 0, 1, 0, 'a', 1, 0, 'b',
                                  1, 0, 'c', 2, 0, 0xC3, 0x28 };
    sec s11[] = { { RV_RVNE_TAG_HEAD, h2, sizeof h2 } };
    ck_assert_int_eq(parse_secs(s11, 1, &info), RV_ERR_BLOB_TEXT);
    static const uint8_t h3[] = { 1, 0, 0, 0, 1, 0, 'a', 4, 0, 0, 0, 1, 0, 'a', 1, 0, 'b',
                                  1, 0, 'c', 0, 0 };
    sec s12[] = { { RV_RVNE_TAG_HEAD, h3, sizeof h3 } };
    ck_assert_int_eq(parse_secs(s12, 1, &info), RV_ERR_BLOB_TEXT);
    static const uint8_t h4[] = { 1, 0, 0, 0, 1, 0, 'a', 4, 0, 0, 0, 1, 0, 'a', 1, 0, 'b',
                                  1, 0, 'c', 1, 0, 'd', 9 };
    sec s13[] = { { RV_RVNE_TAG_HEAD, h4, sizeof h4 } };
    ck_assert_int_eq(parse_secs(s13, 1, &info), RV_ERR_BLOB_SECTION_LEN);
    /* a string running past its section */
    static const uint8_t h5[] = { 1, 0, 0, 0, 9, 0, 'a' };
    sec s14[] = { { RV_RVNE_TAG_HEAD, h5, sizeof h5 } };
    ck_assert_int_eq(parse_secs(s14, 1, &info), RV_ERR_BLOB_SECTION_LEN);

    /* INPT: wrong size, kind 0 or unknown, layout 0 */
    sec s16[] = { { RV_RVNE_TAG_INPT, INPT_CSI_3, 4 } };
    ck_assert_int_eq(parse_secs(s16, 1, &info), RV_ERR_BLOB_SECTION_LEN);
    uint8_t in[8];
    sec s17[] = { { RV_RVNE_TAG_INPT, in, 8 } };
    static const uint8_t bad_inpt[3][8] = { { 0, 0, 0, 0, 1, 0, 0, 0 },
                                            { RV_RVNE_INPUT_KINDS, 0, 0, 0, 1, 0, 0, 0 },
                                            { 2, 0, 0, 0, 0, 0, 0, 0 } };
    for (int i = 0; i < 3; i++) {
        memcpy(in, bad_inpt[i], 8);
        ck_assert_int_eq(parse_secs(s17, 1, &info), RV_ERR_BLOB_SECTION);
    }
    ck_assert_str_eq(rv_rvne_input_kind_name(RV_RVNE_INPUT_KINDS), "unknown");

    /* length running past the end of the file; nonzero padding; reserved */
    size_t len;
    uint8_t *b = build_v2(s3, 1, &len);          /* ARCH with 12 bytes */
    size_t so = 24 + 4 * V1_NW;
    put_le32(b + so + 4, 1000);
    fix_crc(b, len);
    ck_assert_int_eq(rv_rvne_parse(b, len, &info), RV_ERR_BLOB_SECTION_LEN);
    put_le32(b + so + 4, 0xFFFFFFFFu);
    fix_crc(b, len);
    ck_assert_int_eq(rv_rvne_parse(b, len, &info), RV_ERR_BLOB_SECTION_LEN);
    free(b);
    static const uint8_t odd[5] = { 1, 2, 3, 4, 5 };
    sec s15[] = { { RV_RVNE_TAG('o', 'd', 'd', 'x'), odd, 5 } };
    b = build_v2(s15, 1, &len);
    ck_assert_int_eq(rv_rvne_parse(b, len, &info), RV_OK);
    b[so + 8 + 6] = 1;   /* padding byte */
    fix_crc(b, len);
    ck_assert_int_eq(rv_rvne_parse(b, len, &info), RV_ERR_BLOB_SECTION_LEN);
    b[so + 8 + 6] = 0;
    b[7] = 1;            /* reserved header byte must be 0 in v2 */
    fix_crc(b, len);
    ck_assert_int_eq(rv_rvne_parse(b, len, &info), RV_ERR_BLOB_FLAGS);
    free(b);
    /* a section header cut by the footer */
    b = build_v2(NULL, 0, &len);
    uint8_t *c = calloc(1, len + 4);
    memcpy(c, b, len - 4);
    fix_crc(c, len + 4);
    ck_assert_int_eq(rv_rvne_parse(c, len + 4, &info), RV_ERR_BLOB_SECTION_LEN);
    free(c);
    free(b);
}
END_TEST

/* ---- fp16 ---- */

START_TEST(f16_conversion)
{
    ck_assert_uint_eq(rv_rvne_f32_to_f16(1.0f), 0x3C00);
    ck_assert_uint_eq(rv_rvne_f32_to_f16(-2.0f), 0xC000);
    ck_assert_uint_eq(rv_rvne_f32_to_f16(65504.0f), 0x7BFF);
    ck_assert_uint_eq(rv_rvne_f32_to_f16(65520.0f), 0x7C00);   /* rounds to inf */
    ck_assert_uint_eq(rv_rvne_f32_to_f16(0.1f), 0x2E66);
    ck_assert_uint_eq(rv_rvne_f32_to_f16(5.9604645e-8f), 0x0001); /* 2^-24 */
    ck_assert_uint_eq(rv_rvne_f32_to_f16(2.9802322e-8f), 0x0000); /* tie to even */
    ck_assert_uint_eq(rv_rvne_f32_to_f16(1.0009765625f), 0x3C01);
    ck_assert_uint_eq(rv_rvne_f32_to_f16(1.00048828125f), 0x3C00); /* tie to even */
    ck_assert(rv_rvne_f16_to_f32(0x0001) == 5.9604645e-8f);
    ck_assert(rv_rvne_f16_to_f32(0x7BFF) == 65504.0f);
    /* every non-NaN half survives a round trip bit for bit */
    for (uint32_t h = 0; h < 65536u; h++) {
        if ((h & 0x7C00u) == 0x7C00u && (h & 0x3FFu))
            continue;
        ck_assert_uint_eq(rv_rvne_f32_to_f16(rv_rvne_f16_to_f32((uint16_t)h)), h);
    }
}
END_TEST

START_TEST(fp16_vs_fp32_logits)
{
    /* random v1-shaped model (fp32), its fp16 conversion, and the fp32 blob
     * whose weights went through fp16 */
    rv_rvne_spec s;
    memset(&s, 0, sizeof s);
    s.version = 1;
    s.arch = mu_v1_arch();
    mu_rng r = { 17 };
    size_t len;
    uint8_t *b32 = mu_write(&s, &r, 0.8f, &len, NULL);
    mu_model m32, m16, mr;
    mu_model_load(&m32, b32, len);
    size_t n16;
    ck_assert_int_eq(rv_rvne_convert(&m32.info, 1, true, NULL, 0, &n16), RV_OK);
    ck_assert_uint_eq(n16, 28 + 2 * V1_NW);
    uint8_t *b16 = malloc(n16);
    size_t short_n;
    ck_assert_int_eq(rv_rvne_convert(&m32.info, 1, true, b16, n16 - 1, &short_n), RV_ERR_SHORT_OUTPUT);
    ck_assert_int_eq(rv_rvne_convert(&m32.info, 1, true, b16, n16, &n16), RV_OK);
    mu_model_load(&m16, b16, n16);
    ck_assert(m16.info.fp16);
    size_t nr;
    ck_assert_int_eq(rv_rvne_convert(&m16.info, 1, false, NULL, 0, &nr), RV_OK);
    uint8_t *br = malloc(nr);
    ck_assert_int_eq(rv_rvne_convert(&m16.info, 1, false, br, nr, &nr), RV_OK);
    ck_assert_uint_eq(nr, len);
    mu_model_load(&mr, br, nr);

    const uint32_t n = 300;
    float *x = malloc(sizeof(float) * n * 16);
    for (uint32_t i = 0; i < n * 16; i++)
        x[i] = mu_unif(&r, 1.0f);
    float *e32 = malloc(sizeof(float) * n * 16), *e16 = malloc(sizeof(float) * n * 16),
          *er = malloc(sizeof(float) * n * 16);
    mu_prefill(m32.m, x, n, e32);
    mu_prefill(m16.m, x, n, e16);
    mu_prefill(mr.m, x, n, er);
    /* the fp16 path reads exactly the rounded weights */
    ck_assert_float_eq(mu_max_abs_diff(e16, er, (size_t)n * 16), 0.0f);
    /* fp16 weights expanded once to fp32 in model memory: same results */
    size_t xs = rv_model_mem_size_ex(&m16.info, RV_MODEL_EXPAND_F32);
    ck_assert_uint_ge(xs, rv_model_mem_size(&m16.info) + 4 * V1_NW);
    void *xmem = malloc(xs);
    rv_status xst;
    ck_assert_ptr_null(rv_model_init_ex(xmem, xs - 1, &m16.info, RV_MODEL_EXPAND_F32, &xst));
    ck_assert_int_eq(xst, RV_ERR_MEM);
    rv_model *mx = rv_model_init_ex(xmem, xs, &m16.info, RV_MODEL_EXPAND_F32, &xst);
    ck_assert_ptr_nonnull(mx);
    float *ex = malloc(sizeof(float) * n * 16);
    mu_prefill(mx, x, n, ex);
    ck_assert_float_eq(mu_max_abs_diff(e16, ex, (size_t)n * 16), 0.0f);
    ck_assert_uint_eq(rv_model_mem_size_ex(&m16.info, 0x80), 0);
    free(ex);
    free(xmem);
    float worst = 0.0f, big = 1.0f;
    for (uint32_t i = 0; i < n; i++) {
        float l32[4], l16[4];
        rv_model_head_logits(m32.m, 0, e32 + 16 * i, l32);
        rv_model_head_logits(m16.m, 0, e16 + 16 * i, l16);
        for (int c = 0; c < 4; c++) {
            if (fabsf(l32[c]) > big)
                big = fabsf(l32[c]);
            if (fabsf(l32[c] - l16[c]) > worst)
                worst = fabsf(l32[c] - l16[c]);
        }
    }
    printf("fp16 vs fp32 logits: max diff %.3g, max |logit| %.3g\n", (double)worst, (double)big);
    ck_assert(worst <= 1e-2f * big);
    free(x);
    free(e32);
    free(e16);
    free(er);
    mu_model_free(&m32);
    mu_model_free(&m16);
    mu_model_free(&mr);
}
END_TEST

/* ---- writer / converter ---- */

START_TEST(convert_round_trips)
{
    uint8_t *b = hand_v1();
    rv_rvne_info v1;
    ck_assert_int_eq(rv_rvne_parse(b, V1_LEN, &v1), RV_OK);
    size_t n2;
    ck_assert_int_eq(rv_rvne_convert(&v1, 2, false, NULL, 0, &n2), RV_OK);
    uint8_t *b2 = malloc(n2);
    ck_assert_int_eq(rv_rvne_convert(&v1, 2, false, b2, n2, &n2), RV_OK);
    rv_rvne_info v2;
    ck_assert_int_eq(rv_rvne_parse(b2, n2, &v2), RV_OK);
    ck_assert_uint_eq(v2.version, 2);
    ck_assert(v2.has_attn && v2.heads != NULL);
    rv_rvne_str str;
    ck_assert_int_eq(rv_rvne_label(&v2, 0, 3, &str), RV_OK);
    ck_assert(str.len == 6 && memcmp(str.s, "class3", 6) == 0);
    /* v2 -> v2 is a fixed point, v2 -> v1 gives the original bytes back */
    uint8_t *b22 = malloc(n2);
    size_t n22;
    ck_assert_int_eq(rv_rvne_convert(&v2, 2, false, b22, n2, &n22), RV_OK);
    ck_assert(n22 == n2 && memcmp(b2, b22, n2) == 0);
    uint8_t *b1 = malloc(V1_LEN);
    size_t n1;
    ck_assert_int_eq(rv_rvne_convert(&v2, 1, false, b1, V1_LEN, &n1), RV_OK);
    ck_assert(n1 == V1_LEN && memcmp(b, b1, V1_LEN) == 0);
    free(b1);
    free(b22);
    free(b2);
    free(b);
}
END_TEST

START_TEST(writer_rejects)
{
    rv_rvne_spec s;
    memset(&s, 0, sizeof s);
    s.version = 1;
    s.arch = mu_v1_arch();
    rv_status st;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), V1_LEN);
    s.arch.norm = true;                      /* not expressible in v1 */
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_ARG);
    s.version = 2;
    ck_assert_uint_gt(rv_rvne_write_size(&s, &st), 0);
    s.arch.kv_heads = 3;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_BLOB_KV_HEADS);
    s.arch = mu_v1_arch();
    const char *bad_labels[4] = { "a", "b", "", "d" };
    rv_rvne_head_spec h = { "x", bad_labels };
    s.heads = &h;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_BLOB_TEXT);
    s.heads = NULL;
    s.arch.n_heads = 2;
    s.arch.head_classes[1] = 3;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_BLOB_COUNT);
    s.arch = mu_v1_arch();
    float *w = calloc(V1_NW, sizeof(float));
    uint8_t *out = malloc(V1_LEN + 200);
    size_t wr;
    ck_assert_int_eq(rv_rvne_write(&s, w, V1_NW - 1, out, V1_LEN + 200, &wr), RV_ERR_BLOB_WEIGHTS);
    w[5] = 1e6f;
    s.fp16 = true;                           /* beyond the fp16 range */
    ck_assert_int_eq(rv_rvne_write(&s, w, V1_NW, out, V1_LEN + 200, &wr), RV_ERR_NOT_FINITE);
    s.fp16 = false;
    ck_assert_int_eq(rv_rvne_write(&s, w, V1_NW, out, 100, &wr), RV_ERR_SHORT_OUTPUT);
    ck_assert_int_eq(rv_rvne_write(&s, w, V1_NW, out, V1_LEN + 200, &wr), RV_OK);
    rv_rvne_info info;
    ck_assert_int_eq(rv_rvne_parse(out, wr, &info), RV_OK);
    ck_assert(info.has_prov == false && info.arch.n_heads == 1);

    /* The input declaration: v2 only, a known kind and a layout >= 1; it
     * survives v2 -> v2 and is dropped by v2 -> v1. */
    s.version = 1;
    s.input_kind = RV_RVNE_INPUT_FEATURE_STATE;
    s.input_layout = 2;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_ARG);
    s.version = 2;
    s.input_layout = 0;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_BLOB_SECTION);
    s.input_kind = RV_RVNE_INPUT_KINDS;
    s.input_layout = 2;
    ck_assert_uint_eq(rv_rvne_write_size(&s, &st), 0);
    ck_assert_int_eq(st, RV_ERR_BLOB_SECTION);
    s.input_kind = RV_RVNE_INPUT_FEATURE_STATE;
    ck_assert_int_eq(rv_rvne_write(&s, w, V1_NW, out, V1_LEN + 200, &wr), RV_OK);
    ck_assert_int_eq(rv_rvne_parse(out, wr, &info), RV_OK);
    ck_assert(info.input_kind == RV_RVNE_INPUT_FEATURE_STATE && info.input_layout == 2);
    uint8_t *again = malloc(V1_LEN + 200);
    size_t n2;
    ck_assert_int_eq(rv_rvne_convert(&info, 2, false, again, V1_LEN + 200, &n2), RV_OK);
    rv_rvne_info info2;
    ck_assert_int_eq(rv_rvne_parse(again, n2, &info2), RV_OK);
    ck_assert(info2.input_kind == RV_RVNE_INPUT_FEATURE_STATE && info2.input_layout == 2);
    ck_assert_int_eq(rv_rvne_convert(&info, 1, false, again, V1_LEN + 200, &n2), RV_OK);
    ck_assert_int_eq(rv_rvne_parse(again, n2, &info2), RV_OK);
    ck_assert(info2.version == 1 && info2.input_kind == RV_RVNE_INPUT_NONE);
    free(again);
    free(out);
    free(w);
}
END_TEST

static Suite *rvne_suite(void)
{
    Suite *s = suite_create("rvne");
    TCase *tc = tcase_create("rvne");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, v1_known_bytes_load);
    tcase_add_test(tc, v1_known_bytes_runs);
    tcase_add_test(tc, v1_corruptions);
    tcase_add_test(tc, v1_robust_sweep);
    tcase_add_test(tc, v2_sections_ok);
    tcase_add_test(tc, v2_section_errors);
    tcase_add_test(tc, f16_conversion);
    tcase_add_test(tc, fp16_vs_fp32_logits);
    tcase_add_test(tc, convert_round_trips);
    tcase_add_test(tc, writer_rejects);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rvne_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
