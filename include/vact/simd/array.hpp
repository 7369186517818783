// SPDX-License-Identifier: Apache-2.0
//
// The array driver: applies a vector function to x[0, n) into y[0, n).
#ifndef VACT_SIMD_ARRAY_HPP
#define VACT_SIMD_ARRAY_HPP

#include <cstdint>

#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {

// Outputs of at least this many floats (32 MiB, the last-level cache of
// one core complex of a current x86 server CPU) are written with streaming
// (non-temporal) stores: they would not stay in the cache anyway.
constexpr std::size_t stream_outputs_from = std::size_t{1} << 23;

namespace detail {
// y[i] = f(x[i]) for i < n, each result written by store(p, v). Four
// vectors per iteration keep the FMA pipes busy; the last n mod W elements
// go through a stack buffer, so nothing outside [x, x+n) and [y, y+n) is
// ever read or written. Each vector is loaded before its result is stored,
// so y == x (in place) is fine; a result depends only on its own input.
template <class V, class F, class Store>
VACT_INLINE void transform_with(const float* x, float* y, std::size_t n, F& f,
                                Store store) {
  constexpr std::size_t width = vec_traits<V>::width;
  std::size_t i = 0;
  for (; i + 4 * width <= n; i += 4 * width) {
    const V a = f(vec::load<V>(x + i));
    const V b = f(vec::load<V>(x + i + width));
    const V c = f(vec::load<V>(x + i + 2 * width));
    const V d = f(vec::load<V>(x + i + 3 * width));
    store(y + i, a);
    store(y + i + width, b);
    store(y + i + 2 * width, c);
    store(y + i + 3 * width, d);
  }
  for (; i + width <= n; i += width) store(y + i, f(vec::load<V>(x + i)));
  if (i < n) {
    const std::size_t rest = n - i;
    float buffer[width] = {};
    for (std::size_t j = 0; j < rest; ++j) buffer[j] = x[i + j];
    vec::store(buffer, f(vec::load<V>(buffer)));
    for (std::size_t j = 0; j < rest; ++j) y[i + j] = buffer[j];
  }
}
}  // namespace detail

// y[i] = f(x[i]) for i < n, with f taking and returning a V (see
// detail::transform_with for the guarantees). From stream_outputs_from
// floats on, the part of y aligned to the vector size is streamed.
template <class V, class F>
void transform(const float* x, float* y, std::size_t n, F f) {
  constexpr std::size_t width = vec_traits<V>::width;
  const auto plain = [](float* p, V v) { vec::store(p, v); };
  const auto address = reinterpret_cast<std::uintptr_t>(y);
  if (width == 1 || n < stream_outputs_from || address % sizeof(float) != 0) {
    detail::transform_with<V>(x, y, n, f, plain);
    return;
  }
  constexpr std::size_t vector_bytes = width * sizeof(float);
  const std::size_t head =
      (vector_bytes - address % vector_bytes) % vector_bytes / sizeof(float);
  const std::size_t body = (n - head) / width * width;
  detail::transform_with<V>(x, y, head, f, plain);
  detail::transform_with<V>(x + head, y + head, body, f,
                            [](float* p, V v) { vec::stream(p, v); });
  detail::transform_with<V>(x + head + body, y + head + body, n - head - body,
                            f, plain);
  vec::stream_fence<V>();
}

}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ARRAY_HPP
