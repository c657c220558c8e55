/* fw_budget.h — budget measurements of FW_BUDGET runner builds (fw_budget.c). */
#ifndef FW_BUDGET_H
#define FW_BUDGET_H

#include "fw_inputs.h"

void fw_budgets(const fw_model_src *m);

#endif /* FW_BUDGET_H */
