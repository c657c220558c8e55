/* train.c — training loop and evaluation; see train.h. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ema.h"
#include "loss.h"

rvt_train_cfg rvt_train_defaults(void)
{
    rvt_train_cfg c;
    memset(&c, 0, sizeof c);
    c.epochs = 30;
    c.batch = 8;
    c.patience = 6;
    c.adam = rvt_adam_defaults();
    c.adam.weight_decay = 1e-4;
    c.warmup_steps = 20;
    c.min_lr_frac = 0.05;
    c.class_weight_pow = 0.5;
    c.class_weight_max = 8.0;
    c.oversample_max = 4;
    c.seed = 1;
    return c;
}

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double rvt_evaluate(const rvt_net *net, const rvt_dataset *ds,
                    rvt_confusion *cm, double *loss)
{
    const uint32_t C = net->cfg.arch.head_classes[0], L = ds->seq_len;
    rvt_net_ws ws;
    if (cm)
        rvt_confusion_reset(cm, C);
    if (!rvt_net_ws_alloc(&ws, net, L))
        return NAN;
    uint64_t ok = 0, tot = 0;
    double lsum = 0.0;
    for (uint32_t s = 0; s < ds->n_seq; s++) {
        const int32_t *y = ds->y + (size_t)s * L;
        if (!rvt_net_forward(net, &ws, ds->x + (size_t)s * L * ds->in_dim, L))
            break;
        double w;
        lsum += rvt_xent(ws.logits, y, L, C, NULL, 0.0, NULL, &w);
        for (uint32_t t = 0; t < L; t++) {
            if (y[t] < 0 || (uint32_t)y[t] >= C)
                continue;
            uint32_t p = rvt_argmax(ws.logits + (size_t)t * C, C);
            ok += p == (uint32_t)y[t];
            tot++;
            if (cm)
                rvt_confusion_add(cm, (uint32_t)y[t], p);
        }
    }
    rvt_net_ws_free(&ws);
    if (loss)
        *loss = tot ? lsum / (double)tot : NAN;
    return tot ? (double)ok / (double)tot : NAN;
}

/* Weighted loss over a dataset (the early-stopping criterion). */
static double weighted_loss(const rvt_net *net, rvt_net_ws *ws,
                            const rvt_dataset *ds, const double *cw,
                            double *acc)
{
    const uint32_t C = net->cfg.arch.head_classes[0], L = ds->seq_len;
    double lsum = 0.0, wsum = 0.0;
    uint64_t ok = 0, tot = 0;
    for (uint32_t s = 0; s < ds->n_seq; s++) {
        const int32_t *y = ds->y + (size_t)s * L;
        rvt_net_forward(net, ws, ds->x + (size_t)s * L * ds->in_dim, L);
        double w;
        lsum += rvt_xent(ws->logits, y, L, C, cw, 0.0, NULL, &w);
        wsum += w;
        for (uint32_t t = 0; t < L; t++)
            if (y[t] >= 0 && (uint32_t)y[t] < C) {
                ok += rvt_argmax(ws->logits + (size_t)t * C, C) == (uint32_t)y[t];
                tot++;
            }
    }
    *acc = tot ? (double)ok / (double)tot : NAN;
    return wsum > 0.0 ? lsum / wsum : NAN;
}

/* Copy of window x with a random constant offset per input dim. */
static const float *augment(const rvt_net *net, const float *x, uint32_t L,
                            double amount, rvt_rng *rng, float *out)
{
    const uint32_t D = net->cfg.arch.input_dim;
    float off[RVT_MAX_INPUT];
    for (uint32_t d = 0; d < D; d++) {
        double sd = net->cfg.has_feat_norm && net->cfg.feat_inv_std[d] > 0.0f
            ? 1.0 / net->cfg.feat_inv_std[d] : 1.0;
        off[d] = (float)(amount * sd * rvt_rng_normal(rng));
    }
    for (uint32_t t = 0; t < L; t++)
        for (uint32_t d = 0; d < D; d++)
            out[(size_t)t * D + d] = x[(size_t)t * D + d] + off[d];
    return out;
}

/* Epoch order: every window once, windows holding a rare class repeated. */
static uint32_t *epoch_plan(const rvt_dataset *tr, const uint64_t *counts,
                            uint32_t C, uint32_t over_max, uint32_t *n_out)
{
    uint64_t mx = 0;
    for (uint32_t c = 0; c < C; c++)
        if (counts[c] > mx)
            mx = counts[c];
    uint32_t *rep = malloc(tr->n_seq * sizeof *rep);
    if (!rep)
        return NULL;
    uint64_t n = 0;
    for (uint32_t s = 0; s < tr->n_seq; s++) {
        double r = 1.0;
        const int32_t *y = tr->y + (size_t)s * tr->seq_len;
        for (uint32_t t = 0; t < tr->seq_len; t++)
            if (y[t] >= 0 && (uint32_t)y[t] < C && counts[y[t]] > 0) {
                double q = sqrt((double)mx / (double)counts[y[t]]);
                if (q > r)
                    r = q;
            }
        uint32_t k = (uint32_t)(r + 0.5);
        rep[s] = k < 1 ? 1 : (k > over_max ? (over_max ? over_max : 1) : k);
        n += rep[s];
    }
    uint32_t *order = malloc(n * sizeof *order);
    if (order) {
        uint64_t o = 0;
        for (uint32_t s = 0; s < tr->n_seq; s++)
            for (uint32_t k = 0; k < rep[s]; k++)
                order[o++] = s;
        *n_out = (uint32_t)n;
    }
    free(rep);
    return order;
}

bool rvt_train(rvt_net *net, const rvt_dataset *tr, const rvt_dataset *va,
               const rvt_train_cfg *cfg, rvt_train_result *res)
{
    const uint32_t C = net->cfg.arch.head_classes[0], L = tr->seq_len;
    memset(res, 0, sizeof *res);
    res->best_val_loss = INFINITY;
    if (tr->n_seq == 0 || C > RVT_MAX_CLASSES)
        return false;
    const double t0 = now_s();
    rvt_rng rng;
    rvt_rng_seed(&rng, cfg->seed ^ 0x5eedull);

    uint64_t counts[RVT_MAX_CLASSES];
    double cw[RVT_MAX_CLASSES];
    rvt_dataset_class_counts(tr, C, counts);
    uint64_t mx = 0;
    for (uint32_t c = 0; c < C; c++)
        mx = counts[c] > mx ? counts[c] : mx;
    for (uint32_t c = 0; c < C; c++) {
        cw[c] = 1.0;
        if (cfg->class_weight_pow > 0.0 && counts[c] > 0)
            cw[c] = fmin(cfg->class_weight_max,
                         pow((double)mx / (double)counts[c], cfg->class_weight_pow));
    }

    uint32_t n_order = 0;
    uint32_t *order = epoch_plan(tr, counts, C, cfg->oversample_max, &n_order);
    rvt_net_ws ws;
    double *dl = malloc((size_t)L * C * sizeof *dl);
    double *best = malloc(net->P.total * sizeof *best);
    float *xaug = malloc((size_t)L * tr->in_dim * sizeof *xaug);
    rvt_ema ema = { 0 };
    bool ok = order && dl && best && xaug &&
              (cfg->ema_decay <= 0.0 || rvt_ema_init(&ema, &net->P, cfg->ema_decay)) &&
              rvt_net_ws_alloc(&ws, net, L);
    if (!ok) {
        rvt_ema_free(&ema);
        free(order);
        free(dl);
        free(best);
        free(xaug);
        return false;
    }
    memcpy(best, net->P.w, net->P.total * sizeof *best);

    const uint32_t B = cfg->batch ? cfg->batch : 1;
    const uint64_t steps_per_epoch = (n_order + B - 1) / B;
    const uint64_t total_steps = steps_per_epoch * (cfg->epochs ? cfg->epochs : 1);
    uint64_t step = 0;
    uint32_t since_best = 0;
    rvt_adam_cfg ac = cfg->adam;
    const rvt_dataset *es = va && va->n_seq ? va : tr;

    if (cfg->log && cfg->log_start) {
        double acc0;
        const double loss0 = weighted_loss(net, &ws, es, cw, &acc0);
        fprintf(cfg->log, "epoch   0  %-29s  val-loss %.4f  val-acc %.4f\n",
                "(before training)", loss0, acc0);
    }
    for (uint32_t ep = 0; ep < cfg->epochs; ep++) {
        const double te = now_s();
        rvt_rng_shuffle(&rng, order, n_order);
        double lsum = 0.0, wsum_all = 0.0, gnorm = 0.0;
        uint64_t ok_fr = 0, tot_fr = 0;
        for (uint32_t b0 = 0; b0 < n_order; b0 += B) {
            const uint32_t b1 = b0 + B < n_order ? b0 + B : n_order;
            /* Normalise by the batch's total weight: one mean per step. */
            double bw = 0.0;
            for (uint32_t j = b0; j < b1; j++) {
                const int32_t *y = tr->y + (size_t)order[j] * L;
                for (uint32_t t = 0; t < L; t++)
                    if (y[t] >= 0 && (uint32_t)y[t] < C)
                        bw += cw[y[t]];
            }
            if (bw <= 0.0)
                continue;
            rvt_params_zero_grad(&net->P);
            for (uint32_t j = b0; j < b1; j++) {
                const uint32_t s = order[j];
                const int32_t *y = tr->y + (size_t)s * L;
                const float *xs = tr->x + (size_t)s * L * tr->in_dim;
                if (cfg->augment > 0.0)
                    xs = augment(net, xs, L, cfg->augment, &rng, xaug);
                rvt_net_forward(net, &ws, xs, L);
                double w;
                lsum += rvt_xent(ws.logits, y, L, C, cw, bw, dl, &w);
                wsum_all += w;
                for (uint32_t t = 0; t < L; t++)
                    if (y[t] >= 0 && (uint32_t)y[t] < C) {
                        ok_fr += rvt_argmax(ws.logits + (size_t)t * C, C) == (uint32_t)y[t];
                        tot_fr++;
                    }
                rvt_net_backward(net, &ws, dl);
            }
            step++;
            double lr = cfg->adam.lr;
            if (step <= cfg->warmup_steps)
                lr *= (double)step / (double)(cfg->warmup_steps + 1);
            else {
                double prog = (double)(step - cfg->warmup_steps) /
                              (double)(total_steps > cfg->warmup_steps ? total_steps - cfg->warmup_steps : 1);
                prog = prog > 1.0 ? 1.0 : prog;
                lr *= cfg->min_lr_frac + (1.0 - cfg->min_lr_frac) * 0.5 * (1.0 + cos(3.14159265358979323846 * prog));
            }
            ac.lr = lr;
            gnorm = rvt_adam_step(&net->P, &ac, step);
            if (ema.w)
                rvt_ema_update(&ema, &net->P);
        }
        const double tr_loss = wsum_all > 0.0 ? lsum / wsum_all : NAN;
        const double tr_acc = tot_fr ? (double)ok_fr / (double)tot_fr : NAN;
        double va_acc;
        if (ema.w)  /* judge and keep the average, train on the latest */
            rvt_ema_swap(&ema, &net->P);
        const double va_loss = weighted_loss(net, &ws, es, cw, &va_acc);
        res->epochs_run = ep + 1;
        res->train_acc = tr_acc;
        const bool better = va_loss < res->best_val_loss;
        if (better) {
            res->best_val_loss = va_loss;
            res->best_epoch = ep + 1;
            res->val_acc = va_acc;
            memcpy(best, net->P.w, net->P.total * sizeof *best);
            since_best = 0;
        } else {
            since_best++;
        }
        if (ema.w)
            rvt_ema_swap(&ema, &net->P);
        if (cfg->log) {
            fprintf(cfg->log,
                    "epoch %3u  loss %.4f  train-acc %.4f  val-loss %.4f  val-acc %.4f"
                    "  |g| %.3f  lr %.2e  %.1fs%s\n",
                    ep + 1, tr_loss, tr_acc, va_loss, va_acc, gnorm, ac.lr,
                    now_s() - te, better ? "  *" : "");
            fflush(cfg->log);
        }
        if (cfg->patience && since_best >= cfg->patience) {
            if (cfg->log)
                fprintf(cfg->log, "early stop: no better validation loss for %u epochs\n",
                        cfg->patience);
            break;
        }
        if (cfg->target_acc > 0.0 && tr_acc >= cfg->target_acc && va_acc >= cfg->target_acc)
            break;
    }
    memcpy(net->P.w, best, net->P.total * sizeof *best);
    res->seconds = now_s() - t0;
    if (cfg->log)
        fprintf(cfg->log, "best epoch %u (val-loss %.4f, val-acc %.4f), %.1fs\n",
                res->best_epoch, res->best_val_loss, res->val_acc, res->seconds);
    rvt_net_ws_free(&ws);
    rvt_ema_free(&ema);
    free(order);
    free(dl);
    free(best);
    free(xaug);
    return true;
}
