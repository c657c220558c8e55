/*
 * test_attn_cand.c — the candidate enumerator against an independent,
 * bitmap-based brute-force reading of the spec (docs/kernel.md).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rv_attn_cand.h"
#include "attn_brute.h"

/* Check records every passing ck_assert with a syscall; the loops below make
 * millions of comparisons, so they only call into Check on a failure. */
#define EXPECT(c) do { if (!(c)) ck_abort_msg("%s (i = %u, n = %u)", #c, i, n); } while (0)
#define EXPECT_EQ(a, b) EXPECT((uint64_t)(a) == (uint64_t)(b))

static void compare(const rv_attn_cfg *cfg, uint32_t n)
{
    uint32_t ct = rv_attn_cand_cap_tokens(cfg, n), cbk = rv_attn_cand_cap_blocks(cfg, n);
    /* Canary slot after each array catches writes past the stated capacity. */
    uint32_t *extra = malloc((ct + 1) * sizeof *extra);
    uint8_t *isg = malloc(ct + 1);
    uint32_t *blocks = malloc((cbk + 1) * sizeof *blocks);
    brute_set *o = malloc(sizeof *o);
    ck_assert(extra && isg && blocks && o);
    for (uint32_t i = 0; i < n; i++) {
        extra[ct] = 0xdeadbeefu;
        isg[ct] = 0xa5;
        blocks[cbk] = 0xdeadbeefu;
        rv_attn_cand c = { .extra = extra, .extra_is_global = isg, .blocks = blocks };
        rv_attn_cand_build(cfg, i, n, &c);
        EXPECT_EQ(extra[ct], 0xdeadbeefu);
        EXPECT_EQ(isg[ct], 0xa5);
        EXPECT_EQ(blocks[cbk], 0xdeadbeefu);
        EXPECT((c.n_extra) <= (ct));
        EXPECT((c.n_blocks) <= (cbk));
        brute(cfg, i, n, o);
        EXPECT((c.win_lo) <= (i));
        EXPECT((c.win_hi) >= (i));
        uint32_t nwin = c.win_hi - c.win_lo + 1;
        EXPECT_EQ(nwin + c.n_extra, o->n_tok);
        for (uint32_t t = 0; t < nwin; t++) {
            EXPECT_EQ(c.win_lo + t, o->tok[t]);
            EXPECT_EQ(o->is_global[t], 0);
        }
        for (uint32_t t = 0; t < c.n_extra; t++) {
            EXPECT_EQ(c.extra[t], o->tok[nwin + t]);
            EXPECT_EQ(c.extra_is_global[t], o->is_global[nwin + t]);
        }
        EXPECT_EQ(c.n_blocks, o->n_blk);
        for (uint32_t t = 0; t < c.n_blocks; t++)
            EXPECT_EQ(c.blocks[t], o->blk[t]);
        /* The array-free counter agrees with the enumerator. */
        EXPECT_EQ(rv_attn_cand_count(cfg, i, n), (uint64_t)nwin + c.n_extra + c.n_blocks);
    }
    free(extra);
    free(isg);
    free(blocks);
    free(o);
}

START_TEST(test_cand_brute_random)
{
    uint32_t x = 12345u;
    uint32_t globals[8];
    for (int iter = 0; iter < 400; iter++) {
        uint32_t n = 1 + rng_next(&x) % 300;
        rv_attn_cfg cfg = { 0 };
        cfg.window = rng_next(&x) % 40;
        cfg.block_size = 1 + rng_next(&x) % 20;
        cfg.n_globals = rng_next(&x) % 6;
        /* Some globals out of range, some repeated, some inside the window. */
        for (uint32_t g = 0; g < cfg.n_globals; g++)
            globals[g] = rng_next(&x) % (n + 10);
        if (cfg.n_globals > 1 && iter % 3 == 0)
            globals[1] = globals[0];
        cfg.globals = globals;
        cfg.causal = rng_next(&x) & 1;
        cfg.log_stride = rng_next(&x) & 1;
        cfg.landmarks = rng_next(&x) & 1;
        compare(&cfg, n);
    }
}
END_TEST

START_TEST(test_cand_brute_aether)
{
    static const uint32_t g0[] = { 0 };
    rv_attn_cfg cfg = { .window = 32, .block_size = 16, .globals = g0, .n_globals = 1,
                        .causal = true, .log_stride = true, .landmarks = true };
    compare(&cfg, 1000);
    cfg.causal = false;
    compare(&cfg, 1000);
    cfg.window = 0;
    cfg.block_size = 1;
    compare(&cfg, 257);
    cfg.causal = true;
    compare(&cfg, 257);
}
END_TEST

/* n = 8, causal, window 1, block 4, globals {0}, log-stride, landmarks, i = 7:
 * window 6..7; global 0; log-stride 7-1=6 (dup), 7-2=5, 7-4=3;
 * blocks: avail = 8/4 = 2, pivot 1, local 0..1, log-stride 1-1=0 (dup). */
START_TEST(test_cand_hand)
{
    static const uint32_t g0[] = { 0 };
    rv_attn_cfg cfg = { .window = 1, .block_size = 4, .globals = g0, .n_globals = 1,
                        .causal = true, .log_stride = true, .landmarks = true };
    uint32_t extra[16], blocks[16];
    uint8_t isg[16];
    rv_attn_cand c = { .extra = extra, .extra_is_global = isg, .blocks = blocks };
    rv_attn_cand_build(&cfg, 7, 8, &c);
    ck_assert_uint_eq(c.win_lo, 6);
    ck_assert_uint_eq(c.win_hi, 7);
    ck_assert_uint_eq(c.n_extra, 3);
    ck_assert_uint_eq(extra[0], 0);
    ck_assert_uint_eq(isg[0], 1);
    ck_assert_uint_eq(extra[1], 5);
    ck_assert_uint_eq(isg[1], 0);
    ck_assert_uint_eq(extra[2], 3);
    ck_assert_uint_eq(c.n_blocks, 2);
    ck_assert_uint_eq(blocks[0], 0);
    ck_assert_uint_eq(blocks[1], 1);
    /* Non-causal, i = 2: window 1..3; global 0; log-stride 2-1 (dup), 2+1 (dup),
     * 2-2=0 (dup global), 2+2=4, 2+4=6. nb = 2, cb = 0 = pivot: local 0..1
     * minus cb -> {1}; log-stride 0+1 = 1 (dup). */
    cfg.causal = false;
    rv_attn_cand_build(&cfg, 2, 8, &c);
    ck_assert_uint_eq(c.win_lo, 1);
    ck_assert_uint_eq(c.win_hi, 3);
    ck_assert_uint_eq(c.n_extra, 3);
    ck_assert_uint_eq(extra[0], 0);
    ck_assert_uint_eq(extra[1], 4);
    ck_assert_uint_eq(extra[2], 6);
    ck_assert_uint_eq(c.n_blocks, 1);
    ck_assert_uint_eq(blocks[0], 1);
}
END_TEST

static Suite *cand_suite(void)
{
    Suite *s = suite_create("attn_cand");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cand_brute_random);
    tcase_add_test(tc, test_cand_brute_aether);
    tcase_add_test(tc, test_cand_hand);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cand_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
