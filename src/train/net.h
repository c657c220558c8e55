/*
 * net.h — the temporal-head model of docs/model.md as a trainable network:
 * forward over a window of n frames (positions 0..n-1, exactly the math of
 * rv_model_prefill, in double) that keeps every activation, and the backward
 * pass that accumulates parameter gradients.
 *
 * Parameters are declared in .rvne file order (rv_rvne.h), so exporting is a
 * straight double -> float copy into rv_rvne_write. One classification head.
 */
#ifndef RVT_NET_H
#define RVT_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "attn.h"
#include "param.h"
#include "rv_rvne.h"

#define RVT_MAX_LAYERS 8
#define RVT_MAX_INPUT 256
#define RVT_MAX_ROPE 64

typedef struct {
    rv_rvne_arch arch;            /* n_heads must be 1 */
    rv_rvne_attn attn;            /* always causal */
    uint32_t rope_pairs;          /* 0 = no positional encoding */
    uint32_t rope_periods[RVT_MAX_ROPE];
    bool has_feat_norm;
    float feat_mean[RVT_MAX_INPUT], feat_inv_std[RVT_MAX_INPUT];
} rvt_net_cfg;

/* Index of each tensor in the parameter set (-1 when absent). */
typedef struct {
    int in_w, in_b, g_final, head_w, head_b;
    int g_attn[RVT_MAX_LAYERS], wq[RVT_MAX_LAYERS], wk[RVT_MAX_LAYERS],
        wv[RVT_MAX_LAYERS], wo[RVT_MAX_LAYERS], g_ffn[RVT_MAX_LAYERS],
        w1[RVT_MAX_LAYERS], b1[RVT_MAX_LAYERS], w2[RVT_MAX_LAYERS],
        b2[RVT_MAX_LAYERS];
} rvt_net_idx;

typedef struct {
    rvt_net_cfg cfg;
    rvt_params P;
    rvt_net_idx ix;
} rvt_net;

/* Activations of one window, sized for up to max_n frames. */
typedef struct {
    uint32_t max_n, n;
    rvt_attn_plan plan;           /* plan for the current n */
    rvt_attn_buf abuf[RVT_MAX_LAYERS]; /* block means per layer */
    double *xh;                   /* [n][D_in] normalised input */
    double *hin[RVT_MAX_LAYERS];  /* [n][D] residual entering layer l */
    double *u[RVT_MAX_LAYERS], *r1[RVT_MAX_LAYERS];
    double *q[RVT_MAX_LAYERS], *k[RVT_MAX_LAYERS], *v[RVT_MAX_LAYERS];
    double *probs[RVT_MAX_LAYERS], *a[RVT_MAX_LAYERS];
    double *hmid[RVT_MAX_LAYERS], *u2[RVT_MAX_LAYERS], *r2[RVT_MAX_LAYERS];
    double *z[RVT_MAX_LAYERS], *s[RVT_MAX_LAYERS];
    double *hL, *e, *rf;          /* final residual, embedding, its rstd */
    double *logits;               /* [n][C] */
    double *rope_c, *rope_s;      /* [n][rope_pairs] */
    /* backward scratch */
    double *dh, *du, *dq, *dk, *dv, *da, *dz, *ds, *de;
} rvt_net_ws;

/* Validates cfg (rv_rvne_arch_check + limits), declares and allocates the
 * parameters, initialises them from seed. Returns false with a message in
 * err (may be NULL) on failure. */
bool rvt_net_init(rvt_net *net, const rvt_net_cfg *cfg, uint64_t seed,
                  char *err, size_t err_len);
void rvt_net_free(rvt_net *net);

bool rvt_net_ws_alloc(rvt_net_ws *ws, const rvt_net *net, uint32_t max_n);
void rvt_net_ws_free(rvt_net_ws *ws);

/* x [n][D_in] (float, as the kernel gets it) -> ws->logits [n][C];
 * embeddings stay in ws->e. n <= max_n. */
bool rvt_net_forward(const rvt_net *net, rvt_net_ws *ws, const float *x,
                     uint32_t n);
/* dlogits [n][C] of the last forward -> accumulates into net->P.g. */
void rvt_net_backward(rvt_net *net, rvt_net_ws *ws, const double *dlogits);

/* Default rotary periods (docs/model.md): geometric 4 .. 4096. */
void rvt_net_default_periods(uint32_t n_pairs, uint32_t *periods);

#endif /* RVT_NET_H */
