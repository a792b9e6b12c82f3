#include <cblas.h>

// OpenBLAS's kernel selection in a DYNAMIC_ARCH build (Debian's): `gotoblas_dynamic_init` picks the kernel table for
// the CPU, or the one OPENBLAS_CORETYPE names; `gotoblas_dynamic_quit` forgets the choice. Weak: a build for one
// architecture lacks them (then they are null and the selection stays what it is).
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

// Selects the kernels again (reading OPENBLAS_CORETYPE now); 0 when this OpenBLAS cannot.
static inline int logbook_openblas_select_kernels_again(void) {
    if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit) return 0;
    gotoblas_dynamic_quit();
    gotoblas_dynamic_init();
    return 1;
}
