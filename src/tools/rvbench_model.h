/*
 * rvbench_model.h — rvbench's section for the built-in models.
 */
#ifndef RVBENCH_MODEL_H
#define RVBENCH_MODEL_H

#include <stdbool.h>

/* Prints the model streaming table (docs/benchmarks.md). */
void rvbench_models(bool quick);

#endif /* RVBENCH_MODEL_H */
