/*
 * rv_csi_text.c — parse one CSI_DATA line of esp-csi or ESP32-CSI-Tool into
 * an rv_csi_frame (see rv_csi_text.h for the formats and the mapping).
 * Steps: trim, split into fields (a quoted or bracketed field may contain
 * commas), pick the format by field count, lex the radio fields, lex the
 * I/Q array into the caller's buffer.
 */
#include <string.h>
#include "rv_csi_text.h"
#include "rv_csi_text_lex.h"

#define RV_TEXT_MAX_FIELDS 26u
#define RV_TEXT_PREFIX "CSI_DATA,"

typedef struct {
    const char *p;
    size_t n;
} rv_span;

const char *rv_csi_text_format_name(rv_csi_text_format f)
{
    switch (f) {
    case RV_CSI_TEXT_ESP_CSI: return "esp-csi";
    case RV_CSI_TEXT_ESP_CSI_C5C6: return "esp-csi-c5c6";
    case RV_CSI_TEXT_CSI_TOOL: return "esp32-csi-tool";
    case RV_CSI_TEXT_UNKNOWN: break;
    }
    return "unknown";
}

uint32_t rv_csi_text_channel_mhz(uint8_t channel)
{
    if (channel >= 1u && channel <= 13u)
        return 2407u + 5u * channel;
    if (channel == 14u)
        return 2484u;
    if (channel >= 32u && channel <= 177u)
        return 5000u + 5u * channel;
    return 0;
}

static bool rv_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static rv_span rv_trim(rv_span s)
{
    while (s.n > 0u && rv_blank(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n > 0u && rv_blank(s.p[s.n - 1u]))
        s.n--;
    return s;
}

/* Split at top-level commas; a field opening with '"' or '[' runs to its
 * closing '"' or ']'. Returns the field count, or 0 on an unterminated
 * quote/bracket (an array problem), or RV_TEXT_MAX_FIELDS + 1 if too many. */
static size_t rv_split(rv_span line, rv_span *f)
{
    size_t nf = 0, i = 0;
    for (;;) {
        if (nf == RV_TEXT_MAX_FIELDS)
            return RV_TEXT_MAX_FIELDS + 1u;
        size_t start = i;
        if (i < line.n && (line.p[i] == '"' || line.p[i] == '[')) {
            char close = line.p[i] == '"' ? '"' : ']';
            i++;
            while (i < line.n && line.p[i] != close)
                i++;
            if (i == line.n)
                return 0;
            i++;
        }
        while (i < line.n && line.p[i] != ',')
            i++;
        f[nf].p = line.p + start;
        f[nf].n = i - start;
        nf++;
        if (i == line.n)
            return nf;
        i++;   /* skip the comma */
    }
}

static bool rv_num(rv_span s, int64_t lo, int64_t hi, int64_t *v)
{
    s = rv_trim(s);
    return rv_lex_int(s.p, s.n, lo, hi, v);
}

/* One array value to int8. esp-csi prints int16 (gain-compensated builds
 * scale the bytes), so it is clamped to -128..127 and counted; CSI-Tool
 * values 128..255 are bytes printed unsigned: two's complement. */
static int8_t rv_iq_value(int64_t v, bool tool, size_t *clipped)
{
    if (tool)
        return (int8_t)(uint8_t)(v & 0xFF);
    if (v > 127 || v < -128) {
        (*clipped)++;
        return v > 127 ? (int8_t)127 : (int8_t)-128;
    }
    return (int8_t)v;
}

/* The I/Q array: esp-csi "[a,b,...]" (comma-separated, quoted) or
 * CSI-Tool [a b ... ] (blank-separated). Counts every value, stores the
 * first iq_cap. */
static rv_status rv_array(rv_span s, bool tool, int8_t *iq, size_t iq_cap,
                          size_t *count, size_t *clipped)
{
    s = rv_trim(s);
    if (!tool) {
        if (s.n < 2u || s.p[0] != '"' || s.p[s.n - 1u] != '"')
            return RV_ERR_TEXT_ARRAY;
        s.p++;
        s.n -= 2u;
    }
    if (s.n < 2u || s.p[0] != '[' || s.p[s.n - 1u] != ']')
        return RV_ERR_TEXT_ARRAY;
    s.p++;
    s.n -= 2u;

    int64_t lo = tool ? -128 : INT16_MIN, hi = tool ? 255 : INT16_MAX;
    size_t n = 0, i = 0;
    for (;;) {
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
            i++;
        if (i == s.n) {
            if (tool || n == 0u)
                break;
            return RV_ERR_TEXT_ARRAY;       /* esp-csi: trailing comma */
        }
        size_t start = i;
        while (i < s.n && s.p[i] != ',' && s.p[i] != ' ' && s.p[i] != '\t')
            i++;
        int64_t v;
        if (!rv_lex_int(s.p + start, i - start, lo, hi, &v))
            return RV_ERR_TEXT_NUMBER;
        if (n >= 2u * RV_CSI_MAX_SUBCARRIERS)
            return RV_ERR_SUBCARRIERS;
        int8_t b = rv_iq_value(v, tool, clipped);   /* counts even unstored */
        if (n < iq_cap)
            iq[n] = b;
        n++;
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
            i++;
        if (i == s.n)
            break;
        if (tool)
            continue;
        if (s.p[i] != ',')
            return RV_ERR_TEXT_ARRAY;
        i++;
        if (i == s.n)
            return RV_ERR_TEXT_ARRAY;       /* trailing comma */
    }
    *count = n;
    return RV_OK;
}

/* The radio fields rssi .. rx_state shared by the 25/26-field formats,
 * starting at f[0] = rssi. */
static bool rv_radio19(const rv_span *f, rv_csi_text_info *in)
{
    int64_t v[19];
    static const int64_t lim[19][2] = {
        {-128, 127}, {0, 255}, {0, 255}, {0, 255}, {0, 255}, {0, 255},
        {0, 255}, {0, 255}, {0, 255}, {0, 255}, {0, 255}, {-128, 127},
        {0, 255}, {0, 255}, {0, 255}, {INT32_MIN, UINT32_MAX}, {0, 255},
        {0, 65535}, {0, 255}};
    for (size_t k = 0; k < 19u; k++)
        if (!rv_num(f[k], lim[k][0], lim[k][1], &v[k]))
            return false;
    in->rssi = (int8_t)v[0];
    in->rate = (uint8_t)v[1];
    in->sig_mode = (uint8_t)v[2];
    in->mcs = (uint8_t)v[3];
    in->bandwidth = (uint8_t)v[4];
    in->smoothing = (uint8_t)v[5];
    in->not_sounding = (uint8_t)v[6];
    in->aggregation = (uint8_t)v[7];
    in->stbc = (uint8_t)v[8];
    in->fec_coding = (uint8_t)v[9];
    in->sgi = (uint8_t)v[10];
    in->noise_floor = (int8_t)v[11];
    in->ampdu_cnt = (uint8_t)v[12];
    in->channel = (uint8_t)v[13];
    in->secondary_channel = (uint8_t)v[14];
    in->local_timestamp_us = (uint32_t)(v[15] & 0xFFFFFFFF);
    in->ant = (uint8_t)v[16];
    in->sig_len = (uint16_t)v[17];
    in->rx_state = (uint8_t)v[18];
    return true;
}

/* The C5/C6 radio fields, f[0] = rssi .. f[8] = rx_state. */
static bool rv_radio_c5c6(const rv_span *f, rv_csi_text_info *in)
{
    int64_t v[9];
    static const int64_t lim[9][2] = {
        {-128, 127}, {0, 255}, {-128, 127}, {-128, 255}, {-128, 255},
        {0, 255}, {INT32_MIN, UINT32_MAX}, {0, 65535}, {0, 255}};
    for (size_t k = 0; k < 9u; k++)
        if (!rv_num(f[k], lim[k][0], lim[k][1], &v[k]))
            return false;
    in->rssi = (int8_t)v[0];
    in->rate = (uint8_t)v[1];
    in->noise_floor = (int8_t)v[2];
    in->fft_gain = (int16_t)v[3];
    in->agc_gain = (int16_t)v[4];
    in->channel = (uint8_t)v[5];
    in->local_timestamp_us = (uint32_t)(v[6] & 0xFFFFFFFF);
    in->sig_len = (uint16_t)v[7];
    in->rx_state = (uint8_t)v[8];
    return true;
}

/* Everything but the array; returns the index of the array field. */
static rv_status rv_fields(const rv_span *f, size_t nf, rv_csi_text_info *in,
                           size_t *arr)
{
    int64_t v;
    if (nf == 25u)
        in->format = RV_CSI_TEXT_ESP_CSI;
    else if (nf == 15u)
        in->format = RV_CSI_TEXT_ESP_CSI_C5C6;
    else if (nf == 26u)
        in->format = RV_CSI_TEXT_CSI_TOOL;
    else
        return RV_ERR_TEXT_FIELDS;

    rv_span mac = rv_trim(f[2]);
    if (!rv_lex_mac(mac.p, mac.n, in->mac))
        return RV_ERR_TEXT_NUMBER;

    if (in->format == RV_CSI_TEXT_CSI_TOOL) {
        rv_span role = rv_trim(f[1]);
        size_t rn = role.n < sizeof in->role - 1u ? role.n : sizeof in->role - 1u;
        memcpy(in->role, role.p, rn);
        in->role[rn] = '\0';
        if (!rv_radio19(f + 3, in) || !rv_num(f[22], 0, 1, &v))
            return RV_ERR_TEXT_NUMBER;
        in->real_time_set = v != 0;
        rv_span ts = rv_trim(f[23]);
        if (!rv_lex_seconds_us(ts.p, ts.n, &in->real_timestamp_us))
            return RV_ERR_TEXT_NUMBER;
        if (!rv_num(f[24], 0, 65535, &v))
            return RV_ERR_TEXT_NUMBER;
        in->declared_len = (uint16_t)v;
        *arr = 25;
        return RV_OK;
    }

    if (!rv_num(f[1], INT32_MIN, UINT32_MAX, &v))
        return RV_ERR_TEXT_NUMBER;
    in->has_id = true;
    in->id = (uint32_t)(v & 0xFFFFFFFF);
    bool ok = in->format == RV_CSI_TEXT_ESP_CSI ? rv_radio19(f + 3, in)
                                                : rv_radio_c5c6(f + 3, in);
    size_t at = in->format == RV_CSI_TEXT_ESP_CSI ? 22u : 12u;
    if (!ok || !rv_num(f[at], 0, 65535, &v))
        return RV_ERR_TEXT_NUMBER;
    in->declared_len = (uint16_t)v;
    if (!rv_num(f[at + 1u], 0, 255, &v))
        return RV_ERR_TEXT_NUMBER;
    in->first_word_invalid = v != 0;
    *arr = at + 2u;
    return RV_OK;
}

rv_status rv_csi_text_parse(const char *line, size_t len, rv_csi_text_info *info,
                            rv_csi_frame *out, int8_t *iq, size_t iq_cap)
{
    if (line == NULL || info == NULL || out == NULL || (iq == NULL && iq_cap > 0u))
        return RV_ERR_NULL;
    memset(info, 0, sizeof *info);

    rv_span s = rv_trim((rv_span){line, len});
    size_t plen = sizeof RV_TEXT_PREFIX - 1u;
    if (s.n < plen || memcmp(s.p, RV_TEXT_PREFIX, plen) != 0)
        return RV_ERR_TEXT_PREFIX;

    rv_span f[RV_TEXT_MAX_FIELDS];
    size_t nf = rv_split(s, f);
    if (nf == 0u)
        return RV_ERR_TEXT_ARRAY;
    size_t arr = 0;
    rv_status st = rv_fields(f, nf, info, &arr);
    if (st != RV_OK)
        return st;

    bool tool = info->format == RV_CSI_TEXT_CSI_TOOL;
    size_t n = 0;
    st = rv_array(f[arr], tool, iq, iq_cap, &n, &info->n_clipped);
    if (st != RV_OK)
        return st;
    info->n_values = n;
    if (n == 0u || n % 2u != 0u || (tool ? n > info->declared_len
                                         : n != info->declared_len))
        return RV_ERR_TEXT_ARRAY;
    if (n > iq_cap)
        return RV_ERR_SHORT_OUTPUT;

    memset(out, 0, sizeof *out);
    out->node_id = info->mac[5];
    out->n_antennas = 1;
    out->n_subcarriers = (uint16_t)(n / 2u);
    out->freq_mhz = rv_csi_text_channel_mhz(info->channel);
    out->seq = info->id;
    out->rssi = info->rssi;
    out->noise_floor = info->noise_floor;
    out->iq = iq;
    return RV_OK;
}
