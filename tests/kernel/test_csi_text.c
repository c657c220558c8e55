/* test_csi_text.c — CSI_DATA text lines of esp-csi (full and C5/C6) and
 * ESP32-CSI-Tool. The lines were written by hand following each firmware's
 * printed field list (see src/kernel/rv_csi_text.h); every parse runs on an
 * exactly-sized, non-NUL-terminated heap copy so ASan flags over-reads. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rv_csi_text.h"

/* esp-csi csi_recv, ESP32/S3: 25 fields, id 17, channel 11, len 8 */
static const char esp_line[] =
    "CSI_DATA,17,1a:00:00:00:00:2b,-45,11,1,7,1,0,1,0,0,0,1,-92,0,11,2,"
    "1234567,0,94,0,8,0,\"[3,4,-3,127,0,0,-128,5]\"";
/* esp-csi csi_recv on ESP32-C6: 15 fields, seq 42, fft 3, agc 40 */
static const char c6_line[] =
    "CSI_DATA,42,1A:00:00:00:00:00,-38,11,-96,3,40,6,987654,82,0,4,1,"
    "\"[1,-2,3,-4]\"";
/* ESP32-CSI-Tool (old build printing bytes unsigned), role AP */
static const char tool_line[] =
    "CSI_DATA,AP,3C:71:BF:6D:2A:78,-58,11,1,0,1,1,1,0,0,0,0,-95,0,6,1,"
    "2147483,0,115,0,1,1700000000.25,6,[-1 2 130 4 0 255 ]";

typedef struct {
    rv_csi_text_info info;
    rv_csi_frame f;
    int8_t iq[64];
} parsed;

static rv_status parse_cap(const char *line, size_t len, parsed *p, size_t cap)
{
    char *b = calloc(len, 1);   /* exactly len bytes, no NUL after them */
    ck_assert_ptr_nonnull(b);
    memcpy(b, line, len);
    rv_status st = rv_csi_text_parse(b, len, &p->info, &p->f, p->iq, cap);
    free(b);
    return st;
}

static rv_status parse(const char *line, parsed *p)
{
    return parse_cap(line, strlen(line), p, sizeof p->iq);
}

START_TEST(test_esp_csi_line)
{
    parsed p;
    ck_assert_int_eq(parse(esp_line, &p), RV_OK);
    ck_assert_int_eq(p.info.format, RV_CSI_TEXT_ESP_CSI);
    ck_assert_str_eq(rv_csi_text_format_name(p.info.format), "esp-csi");
    ck_assert(p.info.has_id);
    ck_assert_uint_eq(p.info.id, 17);
    ck_assert_uint_eq(p.info.mac[0], 0x1a);
    ck_assert_uint_eq(p.info.mac[5], 0x2b);
    ck_assert_int_eq(p.info.rssi, -45);
    ck_assert_uint_eq(p.info.rate, 11);
    ck_assert_uint_eq(p.info.sig_mode, 1);
    ck_assert_uint_eq(p.info.mcs, 7);
    ck_assert_uint_eq(p.info.bandwidth, 1);
    ck_assert_uint_eq(p.info.not_sounding, 1);
    ck_assert_uint_eq(p.info.sgi, 1);
    ck_assert_int_eq(p.info.noise_floor, -92);
    ck_assert_uint_eq(p.info.channel, 11);
    ck_assert_uint_eq(p.info.secondary_channel, 2);
    ck_assert_uint_eq(p.info.local_timestamp_us, 1234567);
    ck_assert_uint_eq(p.info.sig_len, 94);
    ck_assert_uint_eq(p.info.declared_len, 8);
    ck_assert(!p.info.first_word_invalid);
    ck_assert_uint_eq(p.info.n_values, 8);
    /* frame mapping */
    ck_assert_uint_eq(p.f.node_id, 0x2b);          /* last MAC byte */
    ck_assert_uint_eq(p.f.n_antennas, 1);
    ck_assert_uint_eq(p.f.n_subcarriers, 4);
    ck_assert_uint_eq(p.f.seq, 17);
    ck_assert_uint_eq(p.f.freq_mhz, 2462);         /* channel 11 */
    ck_assert_int_eq(p.f.rssi, -45);
    ck_assert_int_eq(p.f.noise_floor, -92);
    ck_assert_ptr_eq(p.f.iq, p.iq);
    /* (imag, real) pairs exactly as printed: first pair imag 3, real 4 */
    static const int8_t want[8] = {3, 4, -3, 127, 0, 0, -128, 5};
    ck_assert_mem_eq(p.iq, want, 8);
}
END_TEST

START_TEST(test_c6_line)
{
    parsed p;
    ck_assert_int_eq(parse(c6_line, &p), RV_OK);
    ck_assert_int_eq(p.info.format, RV_CSI_TEXT_ESP_CSI_C5C6);
    ck_assert_uint_eq(p.info.id, 42);
    ck_assert_uint_eq(p.info.mac[0], 0x1a);
    ck_assert_int_eq(p.info.rssi, -38);
    ck_assert_int_eq(p.info.noise_floor, -96);
    ck_assert_int_eq(p.info.fft_gain, 3);
    ck_assert_int_eq(p.info.agc_gain, 40);
    ck_assert_uint_eq(p.info.channel, 6);
    ck_assert_uint_eq(p.info.local_timestamp_us, 987654);
    ck_assert_uint_eq(p.info.sig_len, 82);
    ck_assert(p.info.first_word_invalid);
    ck_assert_uint_eq(p.f.n_subcarriers, 2);
    ck_assert_uint_eq(p.f.freq_mhz, 2437);
    ck_assert_uint_eq(p.f.node_id, 0);
    ck_assert_uint_eq(p.f.seq, 42);
    ck_assert_int_eq(p.iq[1], -2);
    ck_assert_int_eq(p.iq[3], -4);
}
END_TEST

START_TEST(test_tool_line)
{
    parsed p;
    ck_assert_int_eq(parse(tool_line, &p), RV_OK);
    ck_assert_int_eq(p.info.format, RV_CSI_TEXT_CSI_TOOL);
    ck_assert_str_eq(p.info.role, "AP");
    ck_assert(!p.info.has_id);
    ck_assert_uint_eq(p.info.mac[0], 0x3c);
    ck_assert_uint_eq(p.info.mac[5], 0x78);
    ck_assert_int_eq(p.info.rssi, -58);
    ck_assert_uint_eq(p.info.smoothing, 1);
    ck_assert_int_eq(p.info.noise_floor, -95);
    ck_assert_uint_eq(p.info.channel, 6);
    ck_assert_uint_eq(p.info.secondary_channel, 1);
    ck_assert_uint_eq(p.info.local_timestamp_us, 2147483);
    ck_assert_uint_eq(p.info.sig_len, 115);
    ck_assert(p.info.real_time_set);
    ck_assert(p.info.real_timestamp_us == 1700000000250000LL);
    ck_assert_uint_eq(p.info.declared_len, 6);
    ck_assert_uint_eq(p.f.node_id, 0x78);
    ck_assert_uint_eq(p.f.seq, 0);
    ck_assert_uint_eq(p.f.n_subcarriers, 3);
    /* 130 and 255 were printed unsigned: two's complement -126, -1 */
    static const int8_t want[6] = {-1, 2, -126, 4, 0, -1};
    ck_assert_mem_eq(p.iq, want, 6);
}
END_TEST

START_TEST(test_tool_variants)
{
    parsed p;
    /* newer build: C++ ostream double in exponent form; LLTF-only mode
     * prints fewer values than len */
    const char *l =
        "CSI_DATA,STA,3C:71:BF:6D:2A:78,-60,11,0,0,0,0,0,0,0,0,0,-93,0,1,0,"
        "55,0,50,0,0,1.23457e+06,384,[1 2 3 4 ]";
    ck_assert_int_eq(parse(l, &p), RV_OK);
    ck_assert_str_eq(p.info.role, "STA");
    ck_assert(!p.info.real_time_set);
    ck_assert(p.info.real_timestamp_us == 1234570000000LL);
    ck_assert_uint_eq(p.info.declared_len, 384);
    ck_assert_uint_eq(p.info.n_values, 4);
    ck_assert_uint_eq(p.f.freq_mhz, 2412);
    /* a long role is cut, NUL-terminated */
    const char *r =
        "CSI_DATA,PASSIVE_MONITOR_MODE,3C:71:BF:6D:2A:78,-60,11,0,0,0,0,0,0,0,"
        "0,0,-93,0,14,0,55,0,50,0,0,0.000001,2,[5 6]";
    ck_assert_int_eq(parse(r, &p), RV_OK);
    ck_assert_uint_eq(strlen(p.info.role), sizeof p.info.role - 1);
    ck_assert(p.info.real_timestamp_us == 1);
    ck_assert_uint_eq(p.f.freq_mhz, 2484);
}
END_TEST

START_TEST(test_whitespace_and_eol)
{
    parsed p;
    char l[512];
    strcpy(l, "  ");
    strcat(l, esp_line);
    strcat(l, "\r\n");
    ck_assert_int_eq(parse(l, &p), RV_OK);
    ck_assert_uint_eq(p.f.n_subcarriers, 4);
    /* the parser stops at len: garbage after it is never looked at */
    strcpy(l, c6_line);
    strcat(l, ",EXTRA,FIELDS");
    ck_assert_int_eq(parse_cap(l, strlen(c6_line), &p, 64), RV_OK);
}
END_TEST

/* Replace the first occurrence of `from` in `line` by `to`, then parse. */
static rv_status parse_edit(const char *line, const char *from, const char *to)
{
    char b[600];
    const char *at = strstr(line, from);
    ck_assert_ptr_nonnull(at);
    size_t pre = (size_t)(at - line);
    memcpy(b, line, pre);
    strcpy(b + pre, to);
    strcat(b, at + strlen(from));
    parsed p;
    return parse(b, &p);
}

START_TEST(test_malformed)
{
    parsed p;
    ck_assert_int_eq(parse("", &p), RV_ERR_TEXT_PREFIX);
    ck_assert_int_eq(parse("CSI_DATA", &p), RV_ERR_TEXT_PREFIX);
    ck_assert_int_eq(parse("csi_data,1,2", &p), RV_ERR_TEXT_PREFIX);
    ck_assert_int_eq(parse("type,id,mac,rssi,rate,sig_mode,mcs,bandwidth", &p),
                     RV_ERR_TEXT_PREFIX);
    ck_assert_int_eq(parse("I (1234) csi: CSI_DATA,1", &p), RV_ERR_TEXT_PREFIX);
    ck_assert_int_eq(parse("CSI_DATA,", &p), RV_ERR_TEXT_FIELDS);

    /* field count */
    ck_assert_int_eq(parse_edit(esp_line, ",1234567,", ","), RV_ERR_TEXT_FIELDS);
    ck_assert_int_eq(parse_edit(esp_line, ",1234567,", ",1,2,3,"), RV_ERR_TEXT_FIELDS);
    ck_assert_int_eq(parse_edit(c6_line, ",987654,", ",1,2,3,4,"), RV_ERR_TEXT_FIELDS);

    /* numbers and MACs */
    ck_assert_int_eq(parse_edit(esp_line, "-45", "-45x"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "-45", "-200"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "-45", ""), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "-45", "-"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, ",11,2,", ",256,2,"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "1a:00:00:00:00:2b", "1a:00:00:00:00"),
                     RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "1a:00:00:00:00:2b", "1a-00-00-00-00-2b"),
                     RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "1a:00:00:00:00:2b", "1g:00:00:00:00:2b"),
                     RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "CSI_DATA,17,", "CSI_DATA,99999999999,"),
                     RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "1700000000.25", "17e"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "1700000000.25", "."), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "1700000000.25", "1e99"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "1700000000.25", "123456789012345678901234"),
                     RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "1700000000.25", "1.5e-99"), RV_OK);
    ck_assert_int_eq(parse_edit(tool_line, ",0,1,1700", ",0,2,1700"), RV_ERR_TEXT_NUMBER);
    /* array values: esp-csi prints int16; beyond that is malformed */
    ck_assert_int_eq(parse_edit(esp_line, "127", "32768"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "127", "-32769"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(esp_line, "127", "x"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "255", "256"), RV_ERR_TEXT_NUMBER);
    ck_assert_int_eq(parse_edit(tool_line, "255", "-129"), RV_ERR_TEXT_NUMBER);

    /* arrays */
    ck_assert_int_eq(parse_edit(esp_line, "\"[3,4,-3,127,0,0,-128,5]\"",
                                "[3,4,-3,127,0,0,-128,5]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, "-128,5]\"", "-128,5]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, "-128,5]\"", "-128,5\""), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, ",-128,5]", ",-128,5,]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, ",-128,5]", ",-128 5]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, ",0,8,0,", ",0,9,0,"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, ",0,8,0,", ",0,6,0,"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(esp_line, "[3,4,-3,127,0,0,-128,5]", "[]"),
                     RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(c6_line, "[1,-2,3,-4]", "[1,-2,3]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(tool_line, "0 255 ]", "0 ]"), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(tool_line, ",6,[", ",4,["), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(tool_line, "255 ]", "255 "), RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(tool_line, "[-1 2 130 4 0 255 ]", "[ ]"),
                     RV_ERR_TEXT_ARRAY);
    ck_assert_int_eq(parse_edit(tool_line, "[-1 2", "-1 2"), RV_ERR_TEXT_ARRAY);
}
END_TEST

START_TEST(test_clipping)
{
    /* gain-compensated esp-csi output beyond int8 is clamped and counted */
    parsed p;
    const char *l = "CSI_DATA,3,1a:00:00:00:00:2b,-45,11,-92,0,30,11,5,94,0,4,0,"
                    "\"[300,-2047,127,-128]\"";
    ck_assert_int_eq(parse(l, &p), RV_OK);
    ck_assert_uint_eq(p.info.n_clipped, 2);
    static const int8_t want[4] = {127, -128, 127, -128};
    ck_assert_mem_eq(p.iq, want, 4);
    ck_assert_int_eq(parse_cap(l, strlen(l), &p, 0), RV_ERR_SHORT_OUTPUT);
    ck_assert_uint_eq(p.info.n_clipped, 2);   /* a size query reports it too */
    ck_assert_int_eq(parse(esp_line, &p), RV_OK);
    ck_assert_uint_eq(p.info.n_clipped, 0);
    ck_assert_int_eq(parse(tool_line, &p), RV_OK);
    ck_assert_uint_eq(p.info.n_clipped, 0);   /* CSI-Tool: bytes, never clipped */
}
END_TEST

START_TEST(test_short_output)
{
    parsed p;
    ck_assert_int_eq(parse_cap(esp_line, strlen(esp_line), &p, 7), RV_ERR_SHORT_OUTPUT);
    ck_assert_uint_eq(p.info.n_values, 8);
    ck_assert_int_eq(parse_cap(esp_line, strlen(esp_line), &p, 8), RV_OK);
    /* size query: no buffer at all */
    rv_csi_text_info info;
    rv_csi_frame f;
    ck_assert_int_eq(rv_csi_text_parse(tool_line, strlen(tool_line), &info, &f, NULL, 0),
                     RV_ERR_SHORT_OUTPUT);
    ck_assert_uint_eq(info.n_values, 6);
    ck_assert_int_eq(rv_csi_text_parse(NULL, 5, &info, &f, NULL, 0), RV_ERR_NULL);
    ck_assert_int_eq(rv_csi_text_parse(tool_line, 5, &info, &f, NULL, 4), RV_ERR_NULL);
}
END_TEST

START_TEST(test_big_array)
{
    /* 256 subcarriers (512 values) fit; 8194 values are too many */
    static char l[64 * 1024];
    static int8_t iq[9000];
    rv_csi_text_info info;
    rv_csi_frame f;
    for (int round = 0; round < 2; round++) {
        int nv = round ? 8194 : 512;
        size_t n = (size_t)sprintf(l, "CSI_DATA,1,00:11:22:33:44:55,-40,11,1,0,1,0,0,"
                                   "0,0,0,0,-90,0,36,0,1,0,1,0,%d,0,\"[", nv);
        for (int k = 0; k < nv; k++)
            n += (size_t)sprintf(l + n, k ? ",%d" : "%d", (k % 256) - 128);
        n += (size_t)sprintf(l + n, "]\"");
        rv_status st = rv_csi_text_parse(l, n, &info, &f, iq, sizeof iq);
        if (round == 0) {
            ck_assert_int_eq(st, RV_OK);
            ck_assert_uint_eq(f.n_subcarriers, 256);
            ck_assert_uint_eq(f.freq_mhz, 5180);
            ck_assert_int_eq(iq[511], (511 % 256) - 128);
        } else {
            ck_assert_int_eq(st, RV_ERR_SUBCARRIERS);
        }
    }
}
END_TEST

START_TEST(test_every_truncation)
{
    /* a line cut anywhere is rejected (every line ends in a terminator) and
     * never read past its length */
    const char *lines[3] = {esp_line, c6_line, tool_line};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(lines[i]);
        for (size_t cut = 0; cut < n; cut++) {
            parsed p;
            rv_status st = parse_cap(lines[i], cut, &p, sizeof p.iq);
            ck_assert_msg(st != RV_OK, "line %d cut at %zu parsed", i, cut);
            ck_assert(st == RV_ERR_TEXT_PREFIX || st == RV_ERR_TEXT_FIELDS ||
                      st == RV_ERR_TEXT_NUMBER || st == RV_ERR_TEXT_ARRAY);
        }
    }
}
END_TEST

START_TEST(test_channel_mhz)
{
    ck_assert_uint_eq(rv_csi_text_channel_mhz(1), 2412);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(13), 2472);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(14), 2484);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(36), 5180);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(165), 5825);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(0), 0);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(20), 0);
    ck_assert_uint_eq(rv_csi_text_channel_mhz(200), 0);
    ck_assert_str_eq(rv_csi_text_format_name(RV_CSI_TEXT_UNKNOWN), "unknown");
    ck_assert_str_eq(rv_csi_text_format_name(RV_CSI_TEXT_CSI_TOOL), "esp32-csi-tool");
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("csi-text");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, test_esp_csi_line);
    tcase_add_test(tc, test_c6_line);
    tcase_add_test(tc, test_tool_line);
    tcase_add_test(tc, test_tool_variants);
    tcase_add_test(tc, test_whitespace_and_eol);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_clipping);
    tcase_add_test(tc, test_short_output);
    tcase_add_test(tc, test_big_array);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_channel_mhz);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
