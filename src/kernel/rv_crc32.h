/*
 * rv_crc32.h — IEEE 802.3 CRC32 (reflected, poly 0xEDB88320), table-driven.
 *
 * Same CRC as zlib's crc32() and Python's zlib.crc32(): rv_crc32("123456789")
 * is 0xCBF43926. Chain calls with rv_crc32_update(prev, ...) starting at 0;
 * a NULL buffer leaves the CRC unchanged.
 */
#ifndef RV_CRC32_H
#define RV_CRC32_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* crc32 of buf; chain calls with rv_crc32_update(prev, ...) starting at 0. */
uint32_t rv_crc32(const uint8_t *buf, size_t len);
uint32_t rv_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);
/* Bit-at-a-time reference of rv_crc32_update(); same results, slower. */
uint32_t rv_crc32_update_ref(uint32_t crc, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
