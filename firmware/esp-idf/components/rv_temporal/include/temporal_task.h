/*
 * temporal_task.h — the node-side temporal head as a FreeRTOS task (same API
 * as the ADR-095 seeds). The producer (the adaptive controller's fast loop)
 * calls temporal_task_push_frame(); the task pushes frames into the model
 * and every CONFIG_TEMPORAL_CLASSIFY_PERIOD_MS sends one 0xC5110007
 * classification packet through the firmware's UDP sender.
 *
 * With CONFIG_CSI_TEMPORAL_HEAD_ENABLED off every call returns
 * ESP_ERR_NOT_SUPPORTED (stop() does nothing), so callers need no #ifdef.
 */
#pragma once

#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest input_dim the task accepts (one queue item per frame). */
#define TEMPORAL_TASK_MAX_DIM 64u

/* Starts the task, which runs the kernel self-test, loads the weights
 * (Kconfig: embedded or partition) and makes the context on its own stack;
 * returns once that is done, with its result. Idempotent while running.
 * ESP_ERR_INVALID_ARG for zero arguments, ESP_ERR_INVALID_SIZE for
 * input_dim > TEMPORAL_TASK_MAX_DIM or n_classes > CONFIG_TEMPORAL_N_CLASSES,
 * ESP_FAIL when the self-test fails, ESP_ERR_NOT_FOUND when the weights
 * partition is missing, the init errors of ruv_temporal.h for a bad blob,
 * ESP_ERR_NO_MEM. */
esp_err_t temporal_task_start(uint32_t input_dim, uint32_t window_len,
                              uint32_t n_classes);

/* Queues one frame without blocking. frame_len < input_dim is zero-padded,
 * longer frames are truncated. ESP_ERR_INVALID_ARG (NULL / 0),
 * ESP_ERR_INVALID_STATE (task not running), ESP_ERR_TIMEOUT (queue full:
 * the frame is dropped and counted). */
esp_err_t temporal_task_push_frame(const float *frame, uint32_t frame_len);

/* Asks the task to finish (it leaves between frames, within 100 ms), waits
 * for it, then frees the context, queue and weights mapping. */
void temporal_task_stop(void);

/* Frames dropped because the queue was full, since start. */
uint32_t temporal_task_dropped(void);

#ifdef __cplusplus
}
#endif
