// SPDX-License-Identifier: Apache-2.0
//
// The array driver: applies a vector function to x[0, n) into y[0, n).
#ifndef VACT_SIMD_ARRAY_HPP
#define VACT_SIMD_ARRAY_HPP

#include <cstdint>
#include <type_traits>

#include "vact/simd/detail/rare_paths.hpp"
#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {

// Outputs of at least this many bytes (32 MiB, the last-level cache of
// one core complex of a current x86 server CPU) are written with streaming
// (non-temporal) stores: they would not stay in the cache anyway.
constexpr std::size_t stream_output_bytes_from = std::size_t{1} << 25;
// The same threshold in f32 elements.
constexpr std::size_t stream_outputs_from =
    stream_output_bytes_from / sizeof(float);

// Moves elements of type T between memory and f32 vectors: the one place
// where a storage type is known. A 16-bit type widens on load and rounds
// on store; f32 is a plain load and store.
template <class V, class T>
struct element_io;

template <class V>
struct element_io<V, float> {
  static VACT_INLINE V load(const float* p) { return vec::load<V>(p); }
  static VACT_INLINE void store(float* p, V v) { vec::store(p, v); }
  // A non-temporal store to p aligned to the vector's size (vec::stream).
  static VACT_INLINE void stream(float* p, V v) { vec::stream(p, v); }
};

// How many vectors f runs on at once in transform's loop (lockstep<V, N>):
// F::lockstep_parts<V>() where F says, else 1 (one V at a time).
template <class V, class F, class = void>
struct lockstep_parts_of {
  static constexpr std::size_t value = 1;
};
template <class V, class F>
struct lockstep_parts_of<
    V, F, std::void_t<decltype(F::template lockstep_parts<V>())>> {
  static constexpr std::size_t value = F::template lockstep_parts<V>();
};
template <class V, class F>
constexpr std::size_t lockstep_parts() {
  return lockstep_parts_of<V, F>::value;
}

// How many vectors transform's loop runs with f's rare paths deferred
// (detail::rare_paths): F::rare_paths_deferred_over() where F says (2 or
// 4), else 0 (each vector takes its own).
template <class F, class = void>
struct rare_paths_deferred_over_of : std::integral_constant<std::size_t, 0> {};
template <class F>
struct rare_paths_deferred_over_of<
    F, std::void_t<decltype(F::rare_paths_deferred_over())>>
    : std::integral_constant<std::size_t, F::rare_paths_deferred_over()> {};

namespace detail {
// y[k] = f(x[k]) for the first Parts (2 or 4) vectors at x and y: their
// common paths first, one block for the compiler to interleave, then, if
// any lane needs a rare path, all of them again with the rare paths taken.
template <std::size_t Parts, class V, class In, class Out, class F, class Store>
VACT_INLINE void transform_deferring(const In* x, Out* y, F& f, Store store) {
  static_assert(Parts == 2 || Parts == 4, "2 or 4 vectors");
  constexpr std::size_t width = vec_traits<V>::width;
  using load = element_io<V, In>;
  using mask = decltype(V() < V());
  mask seen = V(0.0f) < V(0.0f);  // no lane
  const rare_paths::deferred<mask> defer{&seen};
  // Written out per part: loops over the parts would keep them on the
  // stack (see lockstep).
  V a = f(load::load(x), defer);
  V b = f(load::load(x + width), defer);
  V c, d;
  if constexpr (Parts == 4) {
    c = f(load::load(x + 2 * width), defer);
    d = f(load::load(x + 3 * width), defer);
  }
  if (vec::any(seen)) {
    a = f(load::load(x));
    b = f(load::load(x + width));
    if constexpr (Parts == 4) {
      c = f(load::load(x + 2 * width));
      d = f(load::load(x + 3 * width));
    }
  }
  store(y, a);
  store(y + width, b);
  if constexpr (Parts == 4) {
    store(y + 2 * width, c);
    store(y + 3 * width, d);
  }
}

// y[i] = f(x[i]) for i < n, each result written by store(p, v). Four
// vectors per iteration keep the FMA pipes busy, passed to f as
// lockstep<V, N> where F asks for N parts (so that their instructions
// interleave), else one at a time, or two or four at a time with their
// rare paths deferred where F says (transform_deferring); the last n mod W
// elements go through a stack buffer, so nothing outside [x, x+n) and
// [y, y+n) is ever read or written. Each vector is loaded before its
// result is stored, so y == x (in place) is fine; a result depends only on
// its own input.
template <class V, class In, class Out, class F, class Store>
VACT_INLINE void transform_with(const In* x, Out* y, std::size_t n, F& f,
                                Store store) {
  constexpr std::size_t width = vec_traits<V>::width;
  using load = element_io<V, In>;
  std::size_t i = 0;
  for (; i + 4 * width <= n; i += 4 * width) {
    constexpr std::size_t parts = lockstep_parts<V, F>();
    if constexpr (parts > 1) {
      using group = lockstep<V, parts>;
      for (std::size_t g = 0; g < 4; g += parts) {
        group in;
        for (std::size_t k = 0; k < parts; ++k)
          in.part[k] = load::load(x + i + (g + k) * width);
        const group out = f(in);
        for (std::size_t k = 0; k < parts; ++k)
          store(y + i + (g + k) * width, out.part[k]);
      }
    } else if constexpr (rare_paths_deferred_over_of<F>::value == 4) {
      transform_deferring<4, V>(x + i, y + i, f, store);
    } else if constexpr (rare_paths_deferred_over_of<F>::value == 2) {
      transform_deferring<2, V>(x + i, y + i, f, store);
      transform_deferring<2, V>(x + i + 2 * width, y + i + 2 * width, f, store);
    } else {
      const V a = f(load::load(x + i));
      const V b = f(load::load(x + i + width));
      const V c = f(load::load(x + i + 2 * width));
      const V d = f(load::load(x + i + 3 * width));
      store(y + i, a);
      store(y + i + width, b);
      store(y + i + 2 * width, c);
      store(y + i + 3 * width, d);
    }
  }
  for (; i + width <= n; i += width) store(y + i, f(load::load(x + i)));
  if (i < n) {
    const std::size_t rest = n - i;
    In in[width] = {};
    Out out[width];
    for (std::size_t j = 0; j < rest; ++j) in[j] = x[i + j];
    element_io<V, Out>::store(out, f(load::load(in)));
    for (std::size_t j = 0; j < rest; ++j) y[i + j] = out[j];
  }
}
}  // namespace detail

// y[i] = f(x[i]) for i < n, x of element type In and y of Out (see
// element_io), with f taking and returning a V (see detail::transform_with
// for the guarantees). From stream_output_bytes_from bytes of output on,
// the part of y aligned to the vector size is streamed.
template <class V, class In, class Out, class F>
void transform(const In* x, Out* y, std::size_t n, F f) {
  constexpr std::size_t width = vec_traits<V>::width;
  using out_io = element_io<V, Out>;
  const auto plain = [](Out* p, V v) { out_io::store(p, v); };
  const auto address = reinterpret_cast<std::uintptr_t>(y);
  if (width == 1 || n < stream_output_bytes_from / sizeof(Out) ||
      address % sizeof(Out) != 0) {
    detail::transform_with<V>(x, y, n, f, plain);
    return;
  }
  constexpr std::size_t vector_bytes = width * sizeof(Out);
  const std::size_t head =
      (vector_bytes - address % vector_bytes) % vector_bytes / sizeof(Out);
  const std::size_t body = (n - head) / width * width;
  detail::transform_with<V>(x, y, head, f, plain);
  detail::transform_with<V>(x + head, y + head, body, f,
                            [](Out* p, V v) { out_io::stream(p, v); });
  detail::transform_with<V>(x + head + body, y + head + body, n - head - body,
                            f, plain);
  vec::stream_fence<V>();
}

// y[i] = f(a[i], b[i]) for i < n (f32 arrays): transform's loop for two
// inputs, with the same guarantees (y may equal a or b).
template <class V, class F>
void transform2(const float* a, const float* b, float* y, std::size_t n, F f) {
  constexpr std::size_t width = vec_traits<V>::width;
  std::size_t i = 0;
  for (; i + 2 * width <= n; i += 2 * width) {
    const V p = f(vec::load<V>(a + i), vec::load<V>(b + i));
    const V q = f(vec::load<V>(a + i + width), vec::load<V>(b + i + width));
    vec::store(y + i, p);
    vec::store(y + i + width, q);
  }
  for (; i + width <= n; i += width)
    vec::store(y + i, f(vec::load<V>(a + i), vec::load<V>(b + i)));
  if (i < n) {
    const std::size_t rest = n - i;
    float a_rest[width] = {}, b_rest[width] = {}, out[width];
    for (std::size_t j = 0; j < rest; ++j) {
      a_rest[j] = a[i + j];
      b_rest[j] = b[i + j];
    }
    vec::store(out, f(vec::load<V>(a_rest), vec::load<V>(b_rest)));
    for (std::size_t j = 0; j < rest; ++j) y[i + j] = out[j];
  }
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ARRAY_HPP
