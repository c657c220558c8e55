/*
 * sim_analysis.h — test-only helpers: run a simulated session through the
 * kernel feature extractor and look at the feature time series.
 */
#ifndef SIM_ANALYSIS_H
#define SIM_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "rv_csi_features.h"
#include "rvsim.h"

typedef struct {
    size_t  n, cap;
    double *t;                      /* packet time (s) */
    float  (*raw)[RV_CSI_FEAT_DIM]; /* un-normalised features */
    float  (*z)[RV_CSI_FEAT_DIM];   /* normalised features */
    int    *label;
} feat_series;

/* Run cfg once and collect the CSI features of every node into
 * out[0 .. n_nodes). keep (may be NULL) receives the session for its
 * segments. Returns 0 on success. */
int  sim_collect_all(const rvsim_config *cfg, feat_series *out, rvsim_session **keep);
void feat_series_free(feat_series *s);
/* Power spectrum on the grid f0 + i*df (i < nf) of the sum over dims
 * [d0, d1); standardise: divide each dim by its std first (else raw). */
void   sim_spectrum(const feat_series *s, unsigned d0, unsigned d1, double t0, double t1,
                    double f0, double df, unsigned nf, int standardise, double *power);
double sim_std(const feat_series *s, unsigned d, double t0, double t1);
double sim_mean(const feat_series *s, unsigned d, double t0, double t1);

#endif
