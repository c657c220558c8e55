/*
 * gradcheck.h — central finite differences against analytic gradients
 * (test helper). Everything is double, so eps = 1e-6 gives ~1e-9 accuracy
 * and a tight relative tolerance catches any wrong term.
 */
#ifndef RVT_GRADCHECK_H
#define RVT_GRADCHECK_H

#include <math.h>
#include <stdio.h>

typedef double (*gc_loss_fn)(void *ctx);

/* Perturbs x[0..n) in place (restored after), compares with grad[].
 * Checks every element when n <= max_check, else a strided subset.
 * Returns the number of mismatches and prints the first few. */
static inline int gc_check(const char *what, double *x, const double *grad,
                           size_t n, gc_loss_fn f, void *ctx, size_t max_check)
{
    const double eps = 1e-6;
    size_t step = n <= max_check ? 1 : n / max_check + 1;
    int bad = 0;
    for (size_t i = 0; i < n; i += step) {
        const double x0 = x[i];
        x[i] = x0 + eps;
        const double lp = f(ctx);
        x[i] = x0 - eps;
        const double lm = f(ctx);
        x[i] = x0;
        const double num = (lp - lm) / (2.0 * eps);
        const double a = grad[i];
        const double tol = 1e-6 + 1e-5 * fmax(fabs(a), fabs(num));
        if (!(fabs(a - num) <= tol)) {
            if (bad < 5)
                fprintf(stderr, "%s[%zu]: analytic %.9g numeric %.9g\n",
                        what, i, a, num);
            bad++;
        }
    }
    return bad;
}

#endif /* RVT_GRADCHECK_H */
