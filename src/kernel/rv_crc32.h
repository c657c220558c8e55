/* rv_crc32.h — IEEE 802.3 CRC32 (reflected, poly 0xEDB88320), table-driven. */
#ifndef RV_CRC32_H
#define RV_CRC32_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* crc32 of buf; chain calls with rv_crc32_update(prev, ...) starting at 0. */
uint32_t rv_crc32(const uint8_t *buf, size_t len);
uint32_t rv_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
