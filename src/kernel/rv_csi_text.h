/*
 * rv_csi_text.h — one text line of the other ESP32 CSI firmwares to an
 * rv_csi_frame, so recordings from them feed the same pipeline.
 *
 * Formats (told apart by field count; every line starts "CSI_DATA,"):
 *   RV_CSI_TEXT_ESP_CSI       Espressif esp-csi csi_recv on ESP32/S2/S3/C3,
 *       25 fields: CSI_DATA,id,mac,rssi,rate,sig_mode,mcs,bandwidth,
 *       smoothing,not_sounding,aggregation,stbc,fec_coding,sgi,noise_floor,
 *       ampdu_cnt,channel,secondary_channel,local_timestamp,ant,sig_len,
 *       rx_state,len,first_word,"[v,v,...]"   (newer releases print
 *       rx_format / the PPDU format where rx_state was; read into rx_state)
 *   RV_CSI_TEXT_ESP_CSI_C5C6  esp-csi csi_recv on ESP32-C5/C6, 15 fields:
 *       CSI_DATA,seq,mac,rssi,rate,noise_floor,fft_gain,agc_gain,channel,
 *       local_timestamp,sig_len,rx_state,len,first_word,"[v,v,...]"
 *   RV_CSI_TEXT_CSI_TOOL      ESP32-CSI-Tool CSV, 26 fields: CSI_DATA,role,
 *       mac, the 19 radio fields rssi..rx_state as above, real_time_set,
 *       real_timestamp (seconds, decimal), len, [v v v ] (space-separated)
 *
 * The array holds int8 (imaginary, real) pairs exactly as the binary frame
 * does (rv_wire.h). esp-csi prints each value as an int16: plain builds stay
 * within -128..127, gain-compensated builds (CONFIG_GAIN_CONTROL) can exceed
 * it; values outside int8 are clamped and counted in info->n_clipped (a
 * clipped pair has a distorted phase — check it), values outside int16 are
 * RV_ERR_TEXT_NUMBER. The esp-csi "force LLTF" build prints 12-bit values
 * of a different layout: they show up as heavy clipping. The count must
 * equal len. ESP32-CSI-Tool values may be -128..255 (old versions printed
 * the bytes unsigned; 128..255 are taken as two's complement) and the count
 * may be below len (its LLTF-only mode prints 128 of len bytes).
 *
 * Mapping to rv_csi_frame: node_id = last byte of the MAC (overwrite it if
 * you number nodes otherwise), n_antennas = 1, n_subcarriers = values / 2,
 * seq = the esp-csi id/seq field (0 for ESP32-CSI-Tool), freq_mhz from the
 * channel (rv_csi_text_channel_mhz), rssi and noise_floor as printed,
 * ppdu_type = flags = 0, iq = the caller's buffer.
 *
 * The parser reads only line[0 .. len-1] (no NUL needed), skips leading
 * blanks and trailing blanks/CR/LF, allocates nothing and uses no locale.
 * Statuses: RV_ERR_TEXT_PREFIX (not a CSI_DATA line), RV_ERR_TEXT_FIELDS
 * (field count fits no format), RV_ERR_TEXT_NUMBER (a number or the MAC does
 * not parse or is out of range), RV_ERR_TEXT_ARRAY (array missing,
 * unterminated, empty, odd, or count disagrees with len),
 * RV_ERR_SUBCARRIERS (more than 2 * RV_CSI_MAX_SUBCARRIERS values),
 * RV_ERR_SHORT_OUTPUT (iq_cap too small: info->n_values then says how many
 * bytes are needed; iq may be NULL with iq_cap 0 to ask).
 */
#ifndef RV_CSI_TEXT_H
#define RV_CSI_TEXT_H

#include "rv_base.h"
#include "rv_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RV_CSI_TEXT_UNKNOWN = 0,
    RV_CSI_TEXT_ESP_CSI,
    RV_CSI_TEXT_ESP_CSI_C5C6,
    RV_CSI_TEXT_CSI_TOOL
} rv_csi_text_format;

/* Radio fields of the line; those a format lacks are 0 / false. */
typedef struct {
    rv_csi_text_format format;
    uint8_t  mac[6];
    bool     has_id;             /* esp-csi formats */
    uint32_t id;                 /* esp-csi id / seq (printed %d, may wrap) */
    char     role[16];           /* CSI-Tool role ("AP", "STA", ...), NUL-terminated, cut */
    int8_t   rssi;
    uint8_t  rate, sig_mode, mcs, bandwidth, smoothing, not_sounding;
    uint8_t  aggregation, stbc, fec_coding, sgi;
    int8_t   noise_floor;
    uint8_t  ampdu_cnt, channel, secondary_channel;
    uint32_t local_timestamp_us; /* radio clock, wraps */
    uint8_t  ant;
    uint16_t sig_len;
    uint8_t  rx_state;
    int16_t  fft_gain, agc_gain; /* C5/C6 only */
    bool     real_time_set;      /* CSI-Tool only */
    int64_t  real_timestamp_us;  /* CSI-Tool only, decimal seconds -> us */
    uint16_t declared_len;       /* the len field (I/Q bytes the radio had) */
    bool     first_word_invalid; /* esp-csi: first 4 bytes unreliable */
    size_t   n_values;           /* int8 values in the array */
    size_t   n_clipped;          /* esp-csi values clamped to int8 */
} rv_csi_text_info;

rv_status rv_csi_text_parse(const char *line, size_t len, rv_csi_text_info *info,
                            rv_csi_frame *out, int8_t *iq, size_t iq_cap);

/* "esp-csi", "esp-csi-c5c6", "esp32-csi-tool", "unknown". */
const char *rv_csi_text_format_name(rv_csi_text_format f);

/* Centre frequency of a WiFi channel number: 1..13 -> 2412..2472,
 * 14 -> 2484, 32..177 -> 5160..5885; anything else 0 (unknown). */
uint32_t rv_csi_text_channel_mhz(uint8_t channel);

#ifdef __cplusplus
}
#endif
#endif /* RV_CSI_TEXT_H */
