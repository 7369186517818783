// SPDX-License-Identifier: Apache-2.0
//
// Rare paths, taken per vector or deferred to the array driver.
#ifndef VACT_SIMD_DETAIL_RARE_PATHS_HPP
#define VACT_SIMD_DETAIL_RARE_PATHS_HPP

#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// How a kernel meets the lanes that need a rare path (the tiny side,
// gelu's far tails): rare_paths::taken, the default, branches per vector
// on whether any lane does. rare_paths::deferred takes no branch and ORs
// those lanes into *seen instead, for simd::transform's loop: it runs two
// or four vectors' common paths back to back, one block that the compiler
// can interleave, and runs the group again with taken where any lane was
// seen. Where no lane needs it, the taken path's results are the common
// path's, so the bits are the same either way.
namespace rare_paths {
struct taken {
  template <class Mask>
  VACT_INLINE bool operator()(const Mask& lanes) const {
    return vec::any(lanes);
  }
};
template <class Mask>
struct deferred {
  Mask* seen;
  VACT_INLINE bool operator()(const Mask& lanes) const {
    *seen = *seen | lanes;
    return false;
  }
};
}  // namespace rare_paths

}  // namespace detail
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_DETAIL_RARE_PATHS_HPP
