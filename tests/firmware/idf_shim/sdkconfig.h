/* Host test configuration of the rv_temporal component (what menuconfig
 * would generate): the feature on, weights embedded, 1 s classify period. */
#pragma once
#define CONFIG_CSI_TEMPORAL_HEAD_ENABLED 1
#define CONFIG_TEMPORAL_WINDOW_LEN 64
#define CONFIG_TEMPORAL_CLASSIFY_PERIOD_MS 1000
#define CONFIG_TEMPORAL_INPUT_DIM 9
#define CONFIG_TEMPORAL_N_CLASSES 4
#define CONFIG_TEMPORAL_LANDMARK_BLOCKS 0
#define CONFIG_TEMPORAL_WEIGHTS_EMBEDDED 1
#define CONFIG_TEMPORAL_TASK_CORE 1
#define CONFIG_TEMPORAL_TASK_PRIORITY 4
#define CONFIG_TEMPORAL_TASK_STACK 8192
#define CONFIG_TEMPORAL_QUEUE_DEPTH 32
