/*
 * temporal_task.c — FreeRTOS glue around the ruv_temporal ABI: a queue-fed
 * push path and a periodic classify that emits the 0xC5110007 packet.
 * Everything numeric is in ruv_temporal.c / the kernel; this file is only
 * task, queue, timer, weights lookup and the hand-off to the UDP sender.
 */
#include "temporal_task.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sdkconfig.h"

#ifdef CONFIG_CSI_TEMPORAL_HEAD_ENABLED

#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#ifdef CONFIG_TEMPORAL_WEIGHTS_PARTITION
#include "esp_partition.h"
#endif

#include "ruv_temporal.h"
#include "ruv_temporal_pkt.h"

/* Provided by the RuView node firmware (csi_collector.c, stream_sender.c). */
extern uint8_t csi_collector_get_node_id(void);
extern int stream_sender_send(const uint8_t *data, size_t len);

static const char *TAG = "rv_temporal";

/* Task state: one task per firmware, owned here. */
static QueueHandle_t s_queue;
static TaskHandle_t s_task;
static ruv_temporal_ctx_t *s_ctx;
static uint32_t s_input_dim, s_window_len, s_n_classes, s_seq;
static int64_t s_next_us;          /* next classification (esp_timer time) */
static SemaphoreHandle_t s_sync;   /* task -> start()/stop() handshakes */
static esp_err_t s_start_err;
static volatile bool s_stop;
static volatile uint32_t s_dropped;
#ifdef CONFIG_TEMPORAL_WEIGHTS_PARTITION
static esp_partition_mmap_handle_t s_map;
#endif

#ifdef CONFIG_TEMPORAL_WEIGHTS_EMBEDDED
extern const uint8_t weights_start[] __asm__("_binary_rv_temporal_weights_rvne_start");
extern const uint8_t weights_end[] __asm__("_binary_rv_temporal_weights_rvne_end");

static esp_err_t load_weights(const uint8_t **blob, size_t *len)
{
    *blob = weights_start;
    *len = (size_t)(weights_end - weights_start);
    return ESP_OK;
}
#else
/* Partition layout: u32 little-endian blob length, then the .rvne blob. */
static esp_err_t load_weights(const uint8_t **blob, size_t *len)
{
    const esp_partition_t *p = esp_partition_find_first(
        ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY,
        CONFIG_TEMPORAL_WEIGHTS_PARTITION_LABEL);
    if (!p)
        return ESP_ERR_NOT_FOUND;
    const void *map;
    esp_err_t err = esp_partition_mmap(p, 0, p->size, ESP_PARTITION_MMAP_DATA,
                                       &map, &s_map);
    if (err != ESP_OK)
        return err;
    const uint8_t *b = map;
    uint32_t n = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24;
    if (n > p->size - 4u) {
        esp_partition_munmap(s_map);
        return ESP_ERR_INVALID_SIZE;
    }
    *blob = b + 4;
    *len = n;
    return ESP_OK;
}
#endif

static void release_weights(void)
{
#ifdef CONFIG_TEMPORAL_WEIGHTS_PARTITION
    esp_partition_munmap(s_map);
#endif
}

static void emit(const float *logits)
{
    uint8_t pkt[RUV_TEMPORAL_PKT_SIZE];
    esp_err_t err = ruv_temporal_pkt_build(logits, s_n_classes,
                                           csi_collector_get_node_id(),
                                           (uint64_t)esp_timer_get_time(),
                                           ++s_seq, pkt, sizeof(pkt));
    if (err != ESP_OK || stream_sender_send(pkt, sizeof(pkt)) < 0)
        ESP_LOGW(TAG, "classification packet not sent (0x%x)", (unsigned)err);
}

/* Self-test, weights, context: run on the task's own stack (init needs about
 * 4 KB of stack, more than app_main's default leaves), reported to start(). */
static esp_err_t open_model(void)
{
    if (ruv_temporal_kernel_self_test() != ESP_OK) {
        ESP_LOGE(TAG, "kernel self-test failed: temporal head disabled");
        return ESP_FAIL;
    }
    const uint8_t *blob;
    size_t len;
    esp_err_t err = load_weights(&blob, &len);
    if (err != ESP_OK)
        return err;
    if ((uintptr_t)blob & 3u)
        ESP_LOGW(TAG, "weights not 4-byte aligned: the model reads them byte-wise (slower)");
    err = ruv_temporal_init(blob, len, s_input_dim, s_window_len, s_n_classes, &s_ctx);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "weights rejected (0x%x)", (unsigned)err);
        release_weights();
        return err;
    }
    ESP_LOGI(TAG, "running: dim %u, window %u, %u classes, %u bytes",
             (unsigned)s_input_dim, (unsigned)s_window_len, (unsigned)s_n_classes,
             (unsigned)ruv_temporal_mem_size(blob, len, s_window_len));
    return ESP_OK;
}

/* Longest the task blocks, so a stop request is seen promptly. */
#define TASK_POLL_MS 100

static void task_main(void *arg)
{
    (void)arg;
    if (!s_ctx) {                       /* first run: open, then tell start() */
        s_start_err = open_model();
        xSemaphoreGive(s_sync);
        if (s_start_err != ESP_OK) {
            vTaskDelete(NULL);
            return;
        }
    }
    float frame[TEMPORAL_TASK_MAX_DIM];
    float logits[CONFIG_TEMPORAL_N_CLASSES];
    const int64_t period_us = (int64_t)CONFIG_TEMPORAL_CLASSIFY_PERIOD_MS * 1000;

    for (;;) {
        if (s_stop) {                   /* stop(): leave between frames */
            xSemaphoreGive(s_sync);
            vTaskDelete(NULL);
            return;
        }
        int64_t wait_ms = (s_next_us - esp_timer_get_time()) / 1000;
        wait_ms = wait_ms < 0 ? 0 : wait_ms > TASK_POLL_MS ? TASK_POLL_MS : wait_ms;
        if (xQueueReceive(s_queue, frame, pdMS_TO_TICKS(wait_ms)) == pdTRUE) {
            esp_err_t err = ruv_temporal_push(s_ctx, frame);
            if (err == ESP_FAIL)
                ESP_LOGW(TAG, "frame overflowed the model: window restarted");
            else if (err != ESP_OK)
                ESP_LOGD(TAG, "frame rejected (0x%x)", (unsigned)err);
        }
        int64_t now = esp_timer_get_time();
        if (now < s_next_us)
            continue;
        /* keep the cadence; after a stall, resume it rather than catch up */
        s_next_us += period_us;
        if (s_next_us <= now)
            s_next_us = now + period_us;
        /* ESP_ERR_INVALID_STATE until the first window has filled: quiet. */
        if (ruv_temporal_classify(s_ctx, logits, s_n_classes) == ESP_OK)
            emit(logits);
    }
}

static void release_all(void)
{
    if (s_queue) {
        vQueueDelete(s_queue);
        s_queue = NULL;
    }
    if (s_sync) {
        vSemaphoreDelete(s_sync);
        s_sync = NULL;
    }
    if (s_ctx) {
        ruv_temporal_destroy(s_ctx);
        s_ctx = NULL;
        release_weights();
    }
}

esp_err_t temporal_task_start(uint32_t input_dim, uint32_t window_len,
                              uint32_t n_classes)
{
    if (s_task)
        return ESP_OK;
    if (input_dim == 0 || window_len == 0 || n_classes == 0)
        return ESP_ERR_INVALID_ARG;
    if (input_dim > TEMPORAL_TASK_MAX_DIM || n_classes > CONFIG_TEMPORAL_N_CLASSES)
        return ESP_ERR_INVALID_SIZE;
    s_input_dim = input_dim;
    s_window_len = window_len;
    s_n_classes = n_classes;
    s_seq = 0;
    s_dropped = 0;
    s_stop = false;
    s_next_us = esp_timer_get_time() + (int64_t)CONFIG_TEMPORAL_CLASSIFY_PERIOD_MS * 1000;
    s_queue = xQueueCreate(CONFIG_TEMPORAL_QUEUE_DEPTH, input_dim * sizeof(float));
    s_sync = xSemaphoreCreateBinary();
    if (!s_queue || !s_sync ||
        xTaskCreatePinnedToCore(task_main, "rv_temporal", CONFIG_TEMPORAL_TASK_STACK,
                                NULL, CONFIG_TEMPORAL_TASK_PRIORITY, &s_task,
                                CONFIG_TEMPORAL_TASK_CORE) != pdPASS) {
        s_task = NULL;
        release_all();
        return ESP_ERR_NO_MEM;
    }
    xSemaphoreTake(s_sync, portMAX_DELAY);
    if (s_start_err != ESP_OK) {        /* the task has deleted itself */
        s_task = NULL;
        release_all();
        return s_start_err;
    }
    return ESP_OK;
}

esp_err_t temporal_task_push_frame(const float *frame, uint32_t frame_len)
{
    if (!frame || frame_len == 0)
        return ESP_ERR_INVALID_ARG;
    if (!s_queue)
        return ESP_ERR_INVALID_STATE;
    float item[TEMPORAL_TASK_MAX_DIM];
    uint32_t n = frame_len < s_input_dim ? frame_len : s_input_dim;
    memcpy(item, frame, n * sizeof(float));
    memset(item + n, 0, (s_input_dim - n) * sizeof(float));
    if (xQueueSend(s_queue, item, 0) != pdTRUE) {
        s_dropped++;
        return ESP_ERR_TIMEOUT;
    }
    return ESP_OK;
}

void temporal_task_stop(void)
{
    if (s_task) {
        s_stop = true;                  /* the task sees it within TASK_POLL_MS */
        xSemaphoreTake(s_sync, portMAX_DELAY);
        s_task = NULL;
    }
    release_all();
}

uint32_t temporal_task_dropped(void)
{
    return s_dropped;
}

#else /* !CONFIG_CSI_TEMPORAL_HEAD_ENABLED: the feature is compiled out */

esp_err_t temporal_task_start(uint32_t input_dim, uint32_t window_len,
                              uint32_t n_classes)
{
    (void)input_dim;
    (void)window_len;
    (void)n_classes;
    return ESP_ERR_NOT_SUPPORTED;
}

esp_err_t temporal_task_push_frame(const float *frame, uint32_t frame_len)
{
    (void)frame;
    (void)frame_len;
    return ESP_ERR_NOT_SUPPORTED;
}

void temporal_task_stop(void)
{
}

uint32_t temporal_task_dropped(void)
{
    return 0;
}

#endif /* CONFIG_CSI_TEMPORAL_HEAD_ENABLED */
