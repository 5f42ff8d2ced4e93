#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H
// GNU MP (Debian libgmp-dev, pkg-config gmp): the precompiles' field and big-integer arithmetic.
#include <gmp.h>
#endif
