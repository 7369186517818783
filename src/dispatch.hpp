// SPDX-License-Identifier: Apache-2.0
//
// The dispatcher's interface to the API layer (and to the tests, which
// check that a forced ISA is the one whose kernels run).
#ifndef VACT_SRC_DISPATCH_HPP
#define VACT_SRC_DISPATCH_HPP

#include "kernel_table.hpp"

namespace vact {
namespace detail {

// Compiled in, and this CPU and OS can run it.
bool isa_runnable(vact_isa isa);
// That ISA's table when it is runnable, else nullptr (the exhaustive
// checker calls several tables at once, without switching the active one).
const kernel_table* runnable_table(vact_isa isa);
// Makes isa's table the active one; false (and no change) if not runnable.
bool install_isa(vact_isa isa);
// "sse4.1" etc.; nullptr for a value outside the enum.
const char* isa_name(vact_isa isa);
// Inverse of isa_name (also accepts "sse41"); false if name is unknown.
bool isa_from_name(const char* name, vact_isa* isa);

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_DISPATCH_HPP
