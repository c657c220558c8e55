/* check_main.h — the main() of a Check test program: runs the suite that
 * `make_suite()` builds, exits nonzero if any test failed. */
#ifndef RV_CHECK_MAIN_H
#define RV_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define RV_CHECK_MAIN(make_suite)                                  \
    int main(void)                                                 \
    {                                                              \
        SRunner *sr_ = srunner_create(make_suite());               \
        srunner_run_all(sr_, CK_NORMAL);                           \
        int failed_ = srunner_ntests_failed(sr_);                  \
        srunner_free(sr_);                                         \
        return failed_ ? EXIT_FAILURE : EXIT_SUCCESS;              \
    }

#endif
