/*
 * esp_err.h — the subset of ESP-IDF's error type that the rv_temporal
 * component uses, for builds outside ESP-IDF (host tests, bare-metal
 * QEMU runners). The numeric values are ESP-IDF's own, so a code logged by
 * a host test means the same on a node. Inside ESP-IDF this directory is
 * not on the include path and the real header is used.
 */
#ifndef RV_COMPAT_ESP_ERR_H
#define RV_COMPAT_ESP_ERR_H

#include <stdint.h>

typedef int esp_err_t;

#define ESP_OK                   0
#define ESP_FAIL                 (-1)
#define ESP_ERR_NO_MEM           0x101
#define ESP_ERR_INVALID_ARG      0x102
#define ESP_ERR_INVALID_STATE    0x103
#define ESP_ERR_INVALID_SIZE     0x104
#define ESP_ERR_NOT_FOUND        0x105
#define ESP_ERR_NOT_SUPPORTED    0x106
#define ESP_ERR_TIMEOUT          0x107
#define ESP_ERR_INVALID_RESPONSE 0x108
#define ESP_ERR_INVALID_CRC      0x109
#define ESP_ERR_INVALID_VERSION  0x10A

#endif /* RV_COMPAT_ESP_ERR_H */
