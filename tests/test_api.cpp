// SPDX-License-Identifier: Apache-2.0
//
// The API contract on bad input and at the edges, for every public entry
// point of vact.h and vact.hpp: null pointers, empty ranges, overlap, sizes
// that overflow or wrap the address space, bad enumerators, strides, the
// names and strings, and the ISA control (a forced ISA is the one whose
// kernels run). Values themselves are the accuracy tests' business; here a
// result only has to be bit-identical to the same call made another way.
//
// Every call that fails must leave its output untouched: buffers start filled
// with a canary NaN and are compared bit by bit afterwards. Calls whose
// failure mode is a walk over the whole address space run in a child process
// (POSIX), so that such a bug fails one check instead of killing the run.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#if VACT_TESTS_SEE_INTERNALS
#include "dispatch.hpp"
#endif
#include "op_catalogue.hpp"
#include "test_support.hpp"
#include "vact/vact.h"
#include "vact/vact.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#define VACT_TEST_HAVE_FORK 1
#else
#define VACT_TEST_HAVE_FORK 0
#endif

namespace {

using vact_test::status_of;

// ---- bit-exact buffers ------------------------------------------------------

// A quiet NaN with a payload that no kernel produces from the inputs below.
constexpr std::uint32_t canary_bits = 0x7fc0deadu;

std::uint32_t bits_of(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

float float_from_bits(std::uint32_t b) {
  float v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

std::vector<float> canary_buffer(std::size_t n) {
  return std::vector<float>(n, float_from_bits(canary_bits));
}

bool is_canary(float v) { return bits_of(v) == canary_bits; }

// Every element of [p, p + n) still holds the canary.
bool untouched(const float* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!is_canary(p[i])) return false;
  return true;
}
bool untouched(const std::vector<float>& v) {
  return untouched(v.data(), v.size());
}

bool same_bits(const float* a, const float* b, std::size_t n) {
  return std::memcmp(a, b, n * sizeof(float)) == 0;
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && same_bits(a.data(), b.data(), a.size());
}

// n inputs that start with the special values (zeros of both signs,
// infinities, NaN, huge and tiny magnitudes) and continue with a ramp.
std::vector<float> sample_inputs(std::size_t n) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float specials[] = {-inf,  -1e30f, -100.0f, -10.0f, -2.5f, -1.0f,
                            -0.5f, -0.0f,  0.0f,    1e-30f, 0.5f,  1.0f,
                            2.5f,  10.0f,  100.0f,  1e30f,  inf,   nan};
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = i < std::size(specials) ? specials[i]
                                   : -8.0f + 0.37f * static_cast<float>(i % 43);
  return x;
}

// A C enum holding any int, even one outside the enumerators: what a C
// caller can pass. vact.h gives its enums the fixed underlying type int in
// C++, so every int is a valid value and the conversion is well defined.
template <class Enum>
Enum enum_from_int(int value) {
  static_assert(std::is_same<std::underlying_type_t<Enum>, int>::value,
                "vact.h's enums are based on int in C++");
  return static_cast<Enum>(value);
}

// A pointer `elements` floats below the end of the address space: a range
// of more elements starting there wraps around. Never dereferenced.
const float* near_end_of_address_space(std::size_t elements) {
  return reinterpret_cast<const float*>(std::uintptr_t{0} -
                                        elements * sizeof(float));
}

// Sizes whose byte count overflows size_t, wraps to a small number, or
// exceeds PTRDIFF_MAX: no buffer can have them.
const std::size_t impossible_sizes[] = {
    std::numeric_limits<std::size_t>::max(),
    std::numeric_limits<std::size_t>::max() / sizeof(float) + 1,  // bytes = 0
    std::numeric_limits<std::size_t>::max() / sizeof(float) + 2,  // bytes = 4
    static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(float) + 1,
};

// ---- calls that may walk over the address space ----------------------------

struct isolated_outcome {
  bool completed = false;  // returned normally (false: crashed or was killed)
  vact_status status = VACT_OK;
  bool output_untouched = false;
};

// Runs `call` in a child process, then `output_untouched` there too; the
// child's exit code carries both. Without fork, runs them here.
isolated_outcome run_isolated(const std::function<vact_status()>& call,
                              const std::function<bool()>& output_untouched) {
  isolated_outcome outcome;
#if VACT_TEST_HAVE_FORK
  constexpr int completed_flag = 0x20;  // distinct from crash exit codes
  constexpr int untouched_flag = 0x40;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The test framework's crash handlers would report into our output.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
      std::signal(sig, SIG_DFL);
    const vact_status status = call();
    _exit(completed_flag | static_cast<int>(status) |
          (output_untouched() ? untouched_flag : 0));
  }
  int wait_status = 0;
  REQUIRE(waitpid(child, &wait_status, 0) == child);
  if (!WIFEXITED(wait_status)) return outcome;
  const int code = WEXITSTATUS(wait_status);
  if ((code & completed_flag) == 0) return outcome;
  outcome.completed = true;
  outcome.status = static_cast<vact_status>(code & 0x7);
  outcome.output_untouched = (code & untouched_flag) != 0;
#else
  outcome.completed = true;
  outcome.status = call();
  outcome.output_untouched = output_untouched();
#endif
  return outcome;
}

#define CHECK_REFUSED_WITHOUT_WRITING(outcome, expected_status) \
  do {                                                          \
    const isolated_outcome o_ = (outcome);                      \
    CHECK_MESSAGE(o_.completed, "the call crashed");            \
    if (o_.completed) {                                         \
      CHECK(o_.status == (expected_status));                    \
      CHECK(o_.output_untouched);                               \
    }                                                           \
  } while (false)

// ---- element-wise entry points ----------------------------------------------

using elementwise_call =
    std::function<vact_status(const float* x, float* y, std::size_t n)>;

struct elementwise_entry_point {
  std::string name;
  elementwise_call call;
};

// A per-op function's extra arguments in these calls: the defaults (and
// Gemma 2's cap, softcap having none).
#define VACT_TEST_ARGUMENT_none
#define VACT_TEST_ARGUMENT_alpha , 1.0f
#define VACT_TEST_ARGUMENT_slope , 0.01f
#define VACT_TEST_ARGUMENT_beta , 1.0f
#define VACT_TEST_ARGUMENT_lo_hi , -1.0f, 1.0f
#define VACT_TEST_ARGUMENT_cap , 30.0f

// Every element-wise function of both APIs, the table-driven ones once per
// op (with NULL and with explicit parameters), as status-returning calls.
std::vector<elementwise_entry_point> elementwise_entry_points() {
  std::vector<elementwise_entry_point> points = {
#define VACT_OP(id, name, NAME, params, ...)                                  \
  {"vact_" #name "_f32",                                                      \
   [](const float* x, float* y, std::size_t n) {                              \
     return vact_##name##_f32(x, y, n VACT_TEST_ARGUMENT_##params);           \
   }},                                                                        \
      {"vact_" #name "_derivative_f32",                                       \
       [](const float* x, float* y, std::size_t n) {                          \
         return vact_##name##_derivative_f32(x, y,                            \
                                             n VACT_TEST_ARGUMENT_##params);  \
       }},                                                                    \
      {"vact::" #name,                                                        \
       [](const float* x, float* y, std::size_t n) {                          \
         return status_of(                                                    \
             [&] { vact::name(x, y, n VACT_TEST_ARGUMENT_##params); });       \
       }},                                                                    \
      {"vact::" #name "_derivative",                                          \
       [](const float* x, float* y, std::size_t n) {                          \
         return status_of([&] {                                               \
           vact::name##_derivative(x, y, n VACT_TEST_ARGUMENT_##params);      \
         });                                                                  \
       }},                                                                    \
      {"vact::fast::" #name, [](const float* x, float* y, std::size_t n) {    \
         return status_of(                                                    \
             [&] { vact::fast::name(x, y, n VACT_TEST_ARGUMENT_##params); }); \
       }},
#include "vact/ops.def"
#undef VACT_OP
  };
  static const vact_params explicit_params{
      0.5f, 0.2f, VACT_ACCURACY_PRECISE, 0.7f, -0.5f, 2.5f, 4.0f};
  static const vact_params fast_params{
      0.5f, 0.2f, VACT_ACCURACY_FAST, 0.7f, -0.5f, 2.5f, 4.0f};
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const auto op = static_cast<vact_op>(i);
    const std::string name = vact_op_name(op);
    const auto cpp_op = static_cast<vact::op>(i);
    points.push_back({"vact_apply_f32(" + name + ", NULL)",
                      [op](const float* x, float* y, std::size_t n) {
                        return vact_apply_f32(op, nullptr, x, y, n);
                      }});
    points.push_back({"vact_apply_f32(" + name + ", {0.5, 0.2})",
                      [op](const float* x, float* y, std::size_t n) {
                        return vact_apply_f32(op, &explicit_params, x, y, n);
                      }});
    points.push_back({"vact_apply_derivative_f32(" + name + ", NULL)",
                      [op](const float* x, float* y, std::size_t n) {
                        return vact_apply_derivative_f32(op, nullptr, x, y, n);
                      }});
    points.push_back({"vact_apply_derivative_f32(" + name + ", {0.5, 0.2})",
                      [op](const float* x, float* y, std::size_t n) {
                        return vact_apply_derivative_f32(op, &explicit_params,
                                                         x, y, n);
                      }});
    points.push_back({"vact::apply(" + name + ")",
                      [cpp_op](const float* x, float* y, std::size_t n) {
                        return status_of([&] { vact::apply(cpp_op, x, y, n); });
                      }});
    points.push_back({"vact::apply_derivative(" + name + ")",
                      [cpp_op](const float* x, float* y, std::size_t n) {
                        return status_of(
                            [&] { vact::apply_derivative(cpp_op, x, y, n); });
                      }});
  }
  // The fast tier through the table-driven calls: the same checks for every
  // op and tier (api.cpp's one entry point), so one op stands for all; each
  // vact::fast::<op> is listed above.
  points.push_back({"vact_apply_f32(silu, fast)",
                    [](const float* x, float* y, std::size_t n) {
                      return vact_apply_f32(VACT_OP_SILU, &fast_params, x, y,
                                            n);
                    }});
  points.push_back({"vact::apply(silu, accuracy::fast)",
                    [](const float* x, float* y, std::size_t n) {
                      return status_of([&] {
                        vact::apply(vact::op::silu, vact::accuracy::fast, x, y,
                                    n);
                      });
                    }});
  return points;
}

// ---- row entry points -------------------------------------------------------

using strided_rows_call = std::function<vact_status(
    const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
    std::size_t rows, std::size_t cols)>;

// Every row function, called with strides: the adapters of the contiguous
// ones REQUIRE both strides to equal cols (tests give other strides only
// to entry points with `strided` set).
struct rows_entry_point {
  std::string name;
  strided_rows_call call;
  bool strided;
};

#define VACT_TEST_CONTIGUOUS(NAME, CALL)                               \
  rows_entry_point {                                                   \
    NAME,                                                              \
        [](const float* x, std::size_t x_stride, float* y,             \
           std::size_t y_stride, std::size_t rows, std::size_t cols) { \
          REQUIRE(x_stride == cols);                                   \
          REQUIRE(y_stride == cols);                                   \
          return CALL;                                                 \
        },                                                             \
        false                                                          \
  }

std::vector<rows_entry_point> rows_entry_points() {
  return {
      VACT_TEST_CONTIGUOUS("vact_softmax_f32",
                           vact_softmax_f32(x, y, rows, cols)),
      VACT_TEST_CONTIGUOUS("vact_log_softmax_f32",
                           vact_log_softmax_f32(x, y, rows, cols)),
      VACT_TEST_CONTIGUOUS("vact::softmax",
                           status_of([&] { vact::softmax(x, y, rows, cols); })),
      VACT_TEST_CONTIGUOUS("vact::log_softmax", status_of([&] {
                             vact::log_softmax(x, y, rows, cols);
                           })),
      VACT_TEST_CONTIGUOUS("vact_softmax_fast_f32",
                           vact_softmax_fast_f32(x, y, rows, cols)),
      VACT_TEST_CONTIGUOUS("vact_log_softmax_fast_f32",
                           vact_log_softmax_fast_f32(x, y, rows, cols)),
      VACT_TEST_CONTIGUOUS("vact::fast::softmax", status_of([&] {
                             vact::fast::softmax(x, y, rows, cols);
                           })),
      VACT_TEST_CONTIGUOUS("vact::fast::log_softmax", status_of([&] {
                             vact::fast::log_softmax(x, y, rows, cols);
                           })),
      {"vact_softmax_strided_fast_f32", vact_softmax_strided_fast_f32, true},
      {"vact_log_softmax_strided_fast_f32", vact_log_softmax_strided_fast_f32,
       true},
      {"vact::fast::softmax_strided",
       [](const float* x, std::size_t xs, float* y, std::size_t ys,
          std::size_t rows, std::size_t cols) {
         return status_of(
             [&] { vact::fast::softmax_strided(x, xs, y, ys, rows, cols); });
       },
       true},
      {"vact_softmax_strided_f32", vact_softmax_strided_f32, true},
      {"vact_log_softmax_strided_f32", vact_log_softmax_strided_f32, true},
      {"vact::softmax_strided",
       [](const float* x, std::size_t xs, float* y, std::size_t ys,
          std::size_t rows, std::size_t cols) {
         return status_of(
             [&] { vact::softmax_strided(x, xs, y, ys, rows, cols); });
       },
       true},
      {"vact::log_softmax_strided",
       [](const float* x, std::size_t xs, float* y, std::size_t ys,
          std::size_t rows, std::size_t cols) {
         return status_of(
             [&] { vact::log_softmax_strided(x, xs, y, ys, rows, cols); });
       },
       true},
  };
}

std::vector<rows_entry_point> strided_rows_entry_points() {
  std::vector<rows_entry_point> strided;
  for (const rows_entry_point& p : rows_entry_points())
    if (p.strided) strided.push_back(p);
  return strided;
}

// ---- ISA control ------------------------------------------------------------

const vact_isa all_isas[] = {VACT_ISA_SCALAR, VACT_ISA_SSE2,   VACT_ISA_SSE41,
                             VACT_ISA_AVX2,   VACT_ISA_AVX512, VACT_ISA_NEON};
static_assert(std::size(all_isas) == VACT_ISA_COUNT, "every ISA");

struct isa_expectation {
  vact_isa isa;
  const char* name;
  std::size_t vector_width;
};

const isa_expectation isa_expectations[] = {
    {VACT_ISA_SCALAR, "scalar", 1},  {VACT_ISA_SSE2, "sse2", 4},
    {VACT_ISA_SSE41, "sse4.1", 4},   {VACT_ISA_AVX2, "avx2", 8},
    {VACT_ISA_AVX512, "avx512", 16}, {VACT_ISA_NEON, "neon", 4},
};
static_assert(std::size(isa_expectations) == VACT_ISA_COUNT, "every ISA");

std::vector<vact_isa> supported_isas() {
  std::vector<vact_isa> isas;
  for (vact_isa isa : all_isas)
    if (vact_isa_supported(isa) != 0) isas.push_back(isa);
  return isas;
}

// Restores the ISA that was active when it was made.
class isa_guard {
 public:
  isa_guard() : saved_(vact_active_isa()) {}
  ~isa_guard() { vact_set_isa(saved_); }
  isa_guard(const isa_guard&) = delete;
  isa_guard& operator=(const isa_guard&) = delete;

 private:
  vact_isa saved_;
};

// Widest vector (16) times the unroll (4), plus a tail.
constexpr std::size_t largest_interesting_n = 4 * 16 + 17;

}  // namespace

// ============================================================================
// Element-wise functions
// ============================================================================

TEST_CASE("element-wise: a null x or y with n > 0 is VACT_ERROR_NULL_POINTER") {
  const std::size_t n = 19;
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> x = canary_buffer(n);
    std::vector<float> y = canary_buffer(n);
    CHECK(f.call(nullptr, y.data(), n) == VACT_ERROR_NULL_POINTER);
    CHECK(f.call(x.data(), nullptr, n) == VACT_ERROR_NULL_POINTER);
    CHECK(f.call(nullptr, nullptr, n) == VACT_ERROR_NULL_POINTER);
    CHECK(f.call(nullptr, y.data(), 1) == VACT_ERROR_NULL_POINTER);
    CHECK(untouched(x));
    CHECK(untouched(y));
  }
}

TEST_CASE("element-wise: n == 0 is VACT_OK and touches nothing, null or not") {
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> x = canary_buffer(4);
    std::vector<float> y = canary_buffer(4);
    CHECK(f.call(nullptr, nullptr, 0) == VACT_OK);
    CHECK(f.call(x.data(), nullptr, 0) == VACT_OK);
    CHECK(f.call(nullptr, y.data(), 0) == VACT_OK);
    CHECK(f.call(x.data(), y.data(), 0) == VACT_OK);
    CHECK(f.call(y.data(), y.data(), 0) == VACT_OK);
    CHECK(untouched(x));
    CHECK(untouched(y));
  }
}

TEST_CASE("element-wise: a partial overlap of x and y is VACT_ERROR_OVERLAP") {
  const std::size_t n = 19;
  struct placement {
    const char* what;
    std::ptrdiff_t x_offset, y_offset;  // in one buffer of 2n elements
  };
  const placement overlapping[] = {
      {"y = x + 1", 1, 2},
      {"y = x - 1", 2, 1},
      {"y = x + n - 1 (last element shared)", 0, n - 1},
      {"x = y + n - 1 (last element shared)", n - 1, 0},
  };
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    for (const placement& p : overlapping) {
      CAPTURE(p.what);
      std::vector<float> buffer = canary_buffer(2 * n);
      CHECK(f.call(buffer.data() + p.x_offset, buffer.data() + p.y_offset, n) ==
            VACT_ERROR_OVERLAP);
      CHECK(untouched(buffer));
    }
  }
}

TEST_CASE("element-wise: adjacent ranges do not overlap") {
  const std::size_t n = 19;
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> buffer = sample_inputs(2 * n);
    CHECK(f.call(buffer.data(), buffer.data() + n, n) == VACT_OK);  // y = x+n
    CHECK(f.call(buffer.data() + n, buffer.data(), n) == VACT_OK);  // x = y+n
  }
}

TEST_CASE(
    "element-wise: in place (y == x) is allowed and gives the same bits") {
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    for (std::size_t n : {1u, 3u, 4u, 7u, 8u, 16u, 19u, 64u, 67u}) {
      CAPTURE(n);
      const std::vector<float> x = sample_inputs(n);
      std::vector<float> out_of_place = canary_buffer(n);
      REQUIRE(f.call(x.data(), out_of_place.data(), n) == VACT_OK);
      std::vector<float> in_place = x;
      REQUIRE(f.call(in_place.data(), in_place.data(), n) == VACT_OK);
      CHECK(same_bits(in_place, out_of_place));
    }
  }
}

TEST_CASE(
    "element-wise: an n no buffer can have is VACT_ERROR_INVALID_ARGUMENT") {
  std::vector<float> x = canary_buffer(64);
  std::vector<float> y = canary_buffer(64);
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    for (std::size_t n : impossible_sizes) {
      CAPTURE(n);
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated([&] { return f.call(x.data(), y.data(), n); },
                       [&] { return untouched(x) && untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated([&] { return f.call(y.data(), y.data(), n); },
                       [&] { return untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
    }
  }
}

TEST_CASE(
    "element-wise: a range that wraps the address space is "
    "VACT_ERROR_INVALID_ARGUMENT") {
  const float* const x_near_end = near_end_of_address_space(16);
  const std::size_t n = 32;
  std::vector<float> x = canary_buffer(n);
  std::vector<float> y = canary_buffer(n);
  for (const elementwise_entry_point& f : elementwise_entry_points()) {
    CAPTURE(f.name);
    CHECK_REFUSED_WITHOUT_WRITING(
        run_isolated([&] { return f.call(x_near_end, y.data(), n); },
                     [&] { return untouched(y); }),
        VACT_ERROR_INVALID_ARGUMENT);
    // The output at the end of the address space: nothing may be written.
    float* const y_near_end = const_cast<float*>(x_near_end);
    CHECK_REFUSED_WITHOUT_WRITING(
        run_isolated([&] { return f.call(x.data(), y_near_end, n); },
                     [&] { return untouched(x); }),
        VACT_ERROR_INVALID_ARGUMENT);
    CHECK_REFUSED_WITHOUT_WRITING(
        run_isolated([&] { return f.call(y_near_end, y_near_end, n); },
                     [] { return true; }),
        VACT_ERROR_INVALID_ARGUMENT);
  }
}

TEST_CASE(
    "element-wise: exactly [y, y + n) is written, for every n around "
    "the vector widths, on every supported ISA") {
  isa_guard restore_isa;
  const std::size_t guard = 16;  // canaries each side of y
  for (vact_isa isa : supported_isas()) {
    CAPTURE(vact_isa_name(isa));
    REQUIRE(vact_set_isa(isa) == VACT_OK);
    for (const elementwise_entry_point& f : elementwise_entry_points()) {
      CAPTURE(f.name);
      for (std::size_t n = 0; n <= largest_interesting_n; ++n) {
        CAPTURE(n);
        const std::vector<float> x = sample_inputs(n + 1);
        std::vector<float> y = canary_buffer(n + 2 * guard + 1);
        // x + 1 and y + guard + 1: neither is vector-aligned.
        REQUIRE(f.call(x.data() + 1, y.data() + guard + 1, n) == VACT_OK);
        CHECK(untouched(y.data(), guard + 1));
        CHECK(untouched(y.data() + guard + 1 + n, guard));
        std::size_t written = 0;
        for (std::size_t i = 0; i < n; ++i)
          written += is_canary(y[guard + 1 + i]) ? 0 : 1;
        CHECK(written == n);
      }
    }
  }
}

// ============================================================================
// Table-driven entry points
// ============================================================================

TEST_CASE(
    "vact_apply_f32 / vact_apply_derivative_f32: an op outside the enum "
    "is VACT_ERROR_INVALID_ARGUMENT") {
  const int invalid_ops[] = {VACT_OP_COUNT, -1, 1000,
                             std::numeric_limits<int>::max(),
                             std::numeric_limits<int>::min()};
  const std::size_t n = 19;
  const vact_params params = VACT_PARAMS_INIT;
  for (int invalid_op : invalid_ops) {
    CAPTURE(invalid_op);
    const auto op = [invalid_op] { return enum_from_int<vact_op>(invalid_op); };
    const std::vector<float> x = sample_inputs(n);
    std::vector<float> y = canary_buffer(n);
    CHECK(vact_apply_f32(op(), nullptr, x.data(), y.data(), n) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(vact_apply_f32(op(), &params, x.data(), y.data(), n) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(vact_apply_derivative_f32(op(), nullptr, x.data(), y.data(), n) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(vact_apply_derivative_f32(op(), &params, x.data(), y.data(), n) ==
          VACT_ERROR_INVALID_ARGUMENT);
    // A bad op is bad whatever the range.
    CHECK(vact_apply_f32(op(), nullptr, nullptr, nullptr, 0) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(vact_apply_derivative_f32(op(), nullptr, nullptr, nullptr, 0) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(untouched(y));

    const auto cpp_op = static_cast<vact::op>(invalid_op);
    CHECK(status_of([&] { vact::apply(cpp_op, x.data(), y.data(), n); }) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(status_of([&] {
            vact::apply_derivative(cpp_op, x.data(), y.data(), n);
          }) == VACT_ERROR_INVALID_ARGUMENT);
    CHECK(untouched(y));
  }
}

TEST_CASE(
    "vact_apply_f32: each op gives the bits of its own function, and "
    "NULL params mean VACT_PARAMS_INIT") {
  // Each op's per-op functions, given the parameters vact_apply_f32 should
  // pass it (ignored by ops without any).
  using per_op_function = std::function<vact_status(
      const float*, float*, std::size_t, const vact_params&)>;
  struct op_functions {
    vact_op op;
    per_op_function value, derivative;
  };
#define VACT_TEST_PARAMETER_none
#define VACT_TEST_PARAMETER_alpha , p.alpha
#define VACT_TEST_PARAMETER_slope , p.slope
#define VACT_TEST_PARAMETER_beta , p.beta
#define VACT_TEST_PARAMETER_lo_hi , p.lo, p.hi
#define VACT_TEST_PARAMETER_cap , p.cap
  const op_functions table[] = {
#define VACT_OP(id, name, NAME, params, ...)                              \
  {VACT_OP_##NAME,                                                        \
   [](const float* x, float* y, std::size_t n, const vact_params& p) {    \
     (void)p;                                                             \
     return vact_##name##_f32(x, y, n VACT_TEST_PARAMETER_##params);      \
   },                                                                     \
   [](const float* x, float* y, std::size_t n, const vact_params& p) {    \
     (void)p;                                                             \
     return vact_##name##_derivative_f32(x, y,                            \
                                         n VACT_TEST_PARAMETER_##params); \
   }},
#include "vact/ops.def"
#undef VACT_OP
  };
  static_assert(std::size(table) == VACT_OP_COUNT, "one row per op");
  const std::size_t n = 67;
  const std::vector<float> x = sample_inputs(n);
  const vact_params explicit_params{
      0.5f, 0.2f, VACT_ACCURACY_PRECISE, 0.7f, -0.5f, 2.5f, 4.0f};

  for (const op_functions& row : table) {
    CAPTURE(vact_op_name(row.op));
    for (const vact_params* p :
         {static_cast<const vact_params*>(nullptr), &explicit_params}) {
      CAPTURE(p == nullptr ? "NULL params" : "explicit params");
      const vact_params parameters = vact_test::op_case::resolved(p);
      std::vector<float> expected(n), got(n);

      REQUIRE(row.value(x.data(), expected.data(), n, parameters) == VACT_OK);
      REQUIRE(vact_apply_f32(row.op, p, x.data(), got.data(), n) == VACT_OK);
      CHECK(same_bits(got, expected));

      REQUIRE(row.derivative(x.data(), expected.data(), n, parameters) ==
              VACT_OK);
      REQUIRE(vact_apply_derivative_f32(row.op, p, x.data(), got.data(), n) ==
              VACT_OK);
      CHECK(same_bits(got, expected));
    }
  }
}

TEST_CASE(
    "the fast tier: vact_params.accuracy reaches the kernel, vact::fast "
    "matches it, derivatives and shared ops are the precise kernels, and a "
    "bad accuracy is rejected") {
  const std::size_t n = 4099;
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = -20.0f + 40.0f * static_cast<float>(i) / static_cast<float>(n);
  for (const vact_test::op_case& c : vact_test::op_catalogue()) {
    CAPTURE(c.name);
    // The op table's parameters (softcap without a cap would be x in both
    // tiers); vact::apply below takes the defaults, so it is compared on
    // its own.
    const vact_params precise = c.params;
    const vact_params fast = vact_test::fast_op_catalogue()[c.op].params;
    std::vector<float> tier_precise(n), tier_fast(n), via_cpp(n);
    REQUIRE(vact_apply_f32(c.op, &precise, x.data(), tier_precise.data(), n) ==
            VACT_OK);
    REQUIRE(vact_apply_f32(c.op, &fast, x.data(), tier_fast.data(), n) ==
            VACT_OK);
    vact::apply(static_cast<vact::op>(c.op), vact::accuracy::fast, x.data(),
                via_cpp.data(), n);
    std::vector<float> with_defaults(n);
    const vact_params defaults = vact_test::default_params(VACT_ACCURACY_FAST);
    REQUIRE(vact_apply_f32(c.op, &defaults, x.data(), with_defaults.data(),
                           n) == VACT_OK);
    CHECK(same_bits(via_cpp, with_defaults));
    // An own fast kernel is another kernel: it differs somewhere on 4099
    // points of [-20, 20]; a shared one is the precise kernel.
    CHECK(same_bits(tier_fast, tier_precise) == !c.fast_own);
    REQUIRE(vact_apply_derivative_f32(c.op, &precise, x.data(),
                                      tier_precise.data(), n) == VACT_OK);
    REQUIRE(vact_apply_derivative_f32(c.op, &fast, x.data(), tier_fast.data(),
                                      n) == VACT_OK);
    CHECK(same_bits(tier_fast, tier_precise));
  }
  // vact::fast::<op> is the fast tier with the op's default parameter.
  const vact_params fast = vact_test::default_params(VACT_ACCURACY_FAST);
  std::vector<float> expected(n), got(n);
  REQUIRE(vact_apply_f32(VACT_OP_SIGMOID, &fast, x.data(), expected.data(),
                         n) == VACT_OK);
  vact::fast::sigmoid(x.data(), got.data(), n);
  CHECK(same_bits(got, expected));
  vact_params fast_alpha = vact_test::default_params(VACT_ACCURACY_FAST);
  fast_alpha.alpha = 0.5f;
  REQUIRE(vact_apply_f32(VACT_OP_ELU, &fast_alpha, x.data(), expected.data(),
                         n) == VACT_OK);
  vact::fast::elu(x.data(), got.data(), n, 0.5f);
  CHECK(same_bits(got, expected));

  // Accuracies outside the enum: rejected, the output untouched.
  for (int bad : {2, -1, 1000}) {
    CAPTURE(bad);
    vact_params p = VACT_PARAMS_INIT;
    std::memcpy(&p.accuracy, &bad, sizeof bad);
    std::vector<float> y(n, 7.0f);
    CHECK(vact_apply_f32(VACT_OP_SIGMOID, &p, x.data(), y.data(), n) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(vact_apply_derivative_f32(VACT_OP_SIGMOID, &p, x.data(), y.data(),
                                    n) == VACT_ERROR_INVALID_ARGUMENT);
    CHECK(std::all_of(y.begin(), y.end(), [](float v) { return v == 7.0f; }));
  }
}

TEST_CASE(
    "vact::apply and vact::elu use PyTorch's defaults, and vact::params "
    "reaches the kernel") {
  const std::size_t n = 67;
  const std::vector<float> x = sample_inputs(n);
  std::vector<float> expected(n), got(n);

  REQUIRE(vact_elu_f32(x.data(), expected.data(), n, 1.0f) == VACT_OK);
  vact::elu(x.data(), got.data(), n);
  CHECK(same_bits(got, expected));
  vact::apply(vact::op::elu, x.data(), got.data(), n);
  CHECK(same_bits(got, expected));

  REQUIRE(vact_elu_derivative_f32(x.data(), expected.data(), n, 1.0f) ==
          VACT_OK);
  vact::elu_derivative(x.data(), got.data(), n);
  CHECK(same_bits(got, expected));
  vact::apply_derivative(vact::op::elu, x.data(), got.data(), n);
  CHECK(same_bits(got, expected));

  vact::params half_alpha;
  half_alpha.alpha = 0.5f;
  REQUIRE(vact_elu_f32(x.data(), expected.data(), n, 0.5f) == VACT_OK);
  vact::apply(vact::op::elu, x.data(), got.data(), n, half_alpha);
  CHECK(same_bits(got, expected));
  REQUIRE(vact_elu_derivative_f32(x.data(), expected.data(), n, 0.5f) ==
          VACT_OK);
  vact::apply_derivative(vact::op::elu, x.data(), got.data(), n, half_alpha);
  CHECK(same_bits(got, expected));
}

// ============================================================================
// Rows: softmax and log_softmax
// ============================================================================

TEST_CASE(
    "rows: rows * cols overflowing size_t is VACT_ERROR_INVALID_ARGUMENT") {
  constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
  struct shape {
    std::size_t rows, cols;
  };
  const shape overflowing[] = {
      {size_max, 2},
      {2, size_max},
      {size_max / 2 + 1, 2},  // product wraps to exactly 0
      {std::size_t{1} << 32, std::size_t{1} << 32},  // also wraps to 0
      {size_max, size_max},
  };
  std::vector<float> x = canary_buffer(64);
  std::vector<float> y = canary_buffer(64);
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    for (const shape& s : overflowing) {
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      const auto out_of_place = [&] {
        return f.call(x.data(), s.cols, y.data(), s.cols, s.rows, s.cols);
      };
      const auto in_place = [&] {
        return f.call(y.data(), s.cols, y.data(), s.cols, s.rows, s.cols);
      };
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated(out_of_place,
                       [&] { return untouched(x) && untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated(in_place, [&] { return untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
    }
  }
}

TEST_CASE(
    "rows: a row span no buffer can have is VACT_ERROR_INVALID_ARGUMENT") {
  // rows * cols (or the strided span) fits in size_t, but its byte size
  // exceeds PTRDIFF_MAX or wraps: the same rule as an element-wise n.
  struct shape {
    std::size_t rows, cols, stride;
  };
  const std::size_t over_ptrdiff = std::size_t{1} << 61;  // bytes = 2^63
  const std::size_t bytes_wrap = std::size_t{1} << 62;    // bytes = 0
  const shape impossible[] = {
      {1, over_ptrdiff, over_ptrdiff},
      {1, bytes_wrap, bytes_wrap},
      {2, over_ptrdiff, over_ptrdiff},
      {2, over_ptrdiff / 2, over_ptrdiff / 2},  // 2^61 elements in all
      {1, std::numeric_limits<std::size_t>::max(),
       std::numeric_limits<std::size_t>::max()},
      {3, 1, bytes_wrap},  // strided: (rows - 1) * stride alone is too big
  };
  std::vector<float> x = canary_buffer(64);
  std::vector<float> y = canary_buffer(64);
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    for (const shape& s : impossible) {
      if (!f.strided && s.stride != s.cols) continue;
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      CAPTURE(s.stride);
      const auto out_of_place = [&] {
        return f.call(x.data(), s.stride, y.data(), s.stride, s.rows, s.cols);
      };
      const auto in_place = [&] {
        return f.call(y.data(), s.stride, y.data(), s.stride, s.rows, s.cols);
      };
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated(out_of_place,
                       [&] { return untouched(x) && untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
      CHECK_REFUSED_WITHOUT_WRITING(
          run_isolated(in_place, [&] { return untouched(y); }),
          VACT_ERROR_INVALID_ARGUMENT);
    }
  }
}

TEST_CASE(
    "rows: rows that wrap the address space are "
    "VACT_ERROR_INVALID_ARGUMENT") {
  const float* const x_near_end = near_end_of_address_space(16);
  std::vector<float> y = canary_buffer(64);
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    CHECK_REFUSED_WITHOUT_WRITING(
        run_isolated([&] { return f.call(x_near_end, 8, y.data(), 8, 4, 8); },
                     [&] { return untouched(y); }),
        VACT_ERROR_INVALID_ARGUMENT);
    float* const y_near_end = const_cast<float*>(x_near_end);
    CHECK_REFUSED_WITHOUT_WRITING(
        run_isolated([&] { return f.call(y.data(), 8, y_near_end, 8, 4, 8); },
                     [&] { return untouched(y); }),
        VACT_ERROR_INVALID_ARGUMENT);
  }
}

TEST_CASE("rows: a stride smaller than cols is VACT_ERROR_INVALID_ARGUMENT") {
  const std::size_t rows = 3, cols = 8;
  for (const rows_entry_point& f : strided_rows_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> x = canary_buffer(rows * cols);
    std::vector<float> y = canary_buffer(rows * cols);
    CHECK(f.call(x.data(), cols - 1, y.data(), cols, rows, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(f.call(x.data(), cols, y.data(), cols - 1, rows, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(f.call(x.data(), 0, y.data(), 0, rows, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(f.call(y.data(), cols - 1, y.data(), cols - 1, rows, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    // A single row reads no stride, but the rule is the same.
    CHECK(f.call(x.data(), cols - 1, y.data(), cols - 1, 1, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(untouched(x));
    CHECK(untouched(y));
  }
}

TEST_CASE(
    "rows: a null x or y with rows, cols > 0 is VACT_ERROR_NULL_POINTER") {
  const std::size_t rows = 3, cols = 5;
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> x = canary_buffer(rows * cols);
    std::vector<float> y = canary_buffer(rows * cols);
    CHECK(f.call(nullptr, cols, y.data(), cols, rows, cols) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(f.call(x.data(), cols, nullptr, cols, rows, cols) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(f.call(nullptr, cols, nullptr, cols, rows, cols) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(f.call(nullptr, 1, y.data(), 1, 1, 1) == VACT_ERROR_NULL_POINTER);
    CHECK(untouched(x));
    CHECK(untouched(y));
  }
}

TEST_CASE("rows: rows == 0 or cols == 0 is VACT_OK and touches nothing") {
  struct empty_shape {
    std::size_t rows, cols, stride;
  };
  const empty_shape empty[] = {
      {0, 5, 5}, {5, 0, 0}, {0, 0, 0}, {5, 0, 3}, {0, 5, 9}};
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    for (const empty_shape& s : empty) {
      if (!f.strided && s.stride != s.cols) continue;
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      CAPTURE(s.stride);
      std::vector<float> x = canary_buffer(64);
      std::vector<float> y = canary_buffer(64);
      CHECK(f.call(nullptr, s.stride, nullptr, s.stride, s.rows, s.cols) ==
            VACT_OK);
      CHECK(f.call(x.data(), s.stride, nullptr, s.stride, s.rows, s.cols) ==
            VACT_OK);
      CHECK(f.call(nullptr, s.stride, y.data(), s.stride, s.rows, s.cols) ==
            VACT_OK);
      CHECK(f.call(x.data(), s.stride, y.data(), s.stride, s.rows, s.cols) ==
            VACT_OK);
      CHECK(f.call(y.data(), s.stride, y.data(), s.stride, s.rows, s.cols) ==
            VACT_OK);
      CHECK(untouched(x));
      CHECK(untouched(y));
    }
  }
}

TEST_CASE(
    "rows: in place (x == y, same stride) is allowed and gives the same "
    "bits") {
  const std::size_t rows = 5, cols = 19;
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    for (std::size_t stride : {cols, cols + 3}) {
      if (!f.strided && stride != cols) continue;
      CAPTURE(stride);
      const std::vector<float> x = sample_inputs(rows * stride);
      std::vector<float> out_of_place = x;  // same padding as in place
      REQUIRE(f.call(x.data(), stride, out_of_place.data(), stride, rows,
                     cols) == VACT_OK);
      std::vector<float> in_place = x;
      REQUIRE(f.call(in_place.data(), stride, in_place.data(), stride, rows,
                     cols) == VACT_OK);
      CHECK(same_bits(in_place, out_of_place));
    }
  }
}

TEST_CASE("rows: x == y with different strides is VACT_ERROR_OVERLAP") {
  const std::size_t rows = 3, cols = 4;
  for (const rows_entry_point& f : strided_rows_entry_points()) {
    CAPTURE(f.name);
    std::vector<float> buffer = canary_buffer(rows * 2 * cols);
    CHECK(f.call(buffer.data(), cols, buffer.data(), 2 * cols, rows, cols) ==
          VACT_ERROR_OVERLAP);
    CHECK(f.call(buffer.data(), 2 * cols, buffer.data(), cols, rows, cols) ==
          VACT_ERROR_OVERLAP);
    CHECK(untouched(buffer));
  }
}

TEST_CASE("rows: y overlapping x's span is VACT_ERROR_OVERLAP") {
  const std::size_t rows = 3, cols = 4;
  struct placement {
    const char* what;
    std::size_t x_offset, y_offset, x_stride, y_stride;
    bool strided_only;
  };
  const std::size_t span = rows * cols;
  const placement overlapping[] = {
      {"y = x + 1", 1, 2, cols, cols, false},
      {"y = x - 1", 2, 1, cols, cols, false},
      {"y starts at x's last element", 0, span - 1, cols, cols, false},
      {"x starts at y's last element", span - 1, 0, cols, cols, false},
      {"rows interleaved in each other's padding", 0, cols, 2 * cols, 2 * cols,
       true},
      {"y's rows inside x's span, smaller stride", 0, 1, 2 * cols, cols, true},
  };
  for (const rows_entry_point& f : rows_entry_points()) {
    CAPTURE(f.name);
    for (const placement& p : overlapping) {
      if (p.strided_only && !f.strided) continue;
      CAPTURE(p.what);
      std::vector<float> buffer = canary_buffer(4 * rows * 2 * cols);
      CHECK(f.call(buffer.data() + p.x_offset, p.x_stride,
                   buffer.data() + p.y_offset, p.y_stride, rows,
                   cols) == VACT_ERROR_OVERLAP);
      CHECK(untouched(buffer));
    }
    // Adjacent spans do not overlap.
    std::vector<float> buffer = sample_inputs(2 * span);
    CHECK(f.call(buffer.data(), cols, buffer.data() + span, cols, rows, cols) ==
          VACT_OK);
    CHECK(f.call(buffer.data() + span, cols, buffer.data(), cols, rows, cols) ==
          VACT_OK);
  }
}

TEST_CASE(
    "rows: strided rows read only their cols and write only their cols, "
    "on every supported ISA") {
  isa_guard restore_isa;
  const std::size_t rows = 4;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (vact_isa isa : supported_isas()) {
    CAPTURE(vact_isa_name(isa));
    REQUIRE(vact_set_isa(isa) == VACT_OK);
    for (const rows_entry_point& f : strided_rows_entry_points()) {
      CAPTURE(f.name);
      for (std::size_t cols = 1; cols <= largest_interesting_n; ++cols) {
        CAPTURE(cols);
        const std::size_t x_stride = cols + 3, y_stride = cols + 5;
        // Reference: the same rows packed contiguously.
        const std::vector<float> packed_x = sample_inputs(rows * cols);
        std::vector<float> expected = canary_buffer(rows * cols);
        REQUIRE(f.call(packed_x.data(), cols, expected.data(), cols, rows,
                       cols) == VACT_OK);

        // x's padding is NaN: reading it would turn a whole row into NaN.
        std::vector<float> x(rows * x_stride, nan);
        for (std::size_t r = 0; r < rows; ++r)
          std::memcpy(&x[r * x_stride], &packed_x[r * cols],
                      cols * sizeof(float));
        std::vector<float> y = canary_buffer(rows * y_stride);
        REQUIRE(f.call(x.data(), x_stride, y.data(), y_stride, rows, cols) ==
                VACT_OK);

        for (std::size_t r = 0; r < rows; ++r) {
          CAPTURE(r);
          CHECK(same_bits(&y[r * y_stride], &expected[r * cols], cols));
          CHECK(untouched(&y[r * y_stride + cols], y_stride - cols));
        }
      }
    }
  }
}

// ============================================================================
// Names, strings, version
// ============================================================================

TEST_CASE("vact_op_name and vact::name(op) name every op, and refuse others") {
  // The registry's name of each id, the per-op C function's stem.
  struct named_op {
    int id;
    const char* name;
  };
  const named_op expected[] = {
#define VACT_OP(id, name, ...) {id, #name},
#include "vact/ops.def"
#undef VACT_OP
  };
  static_assert(std::size(expected) == VACT_OP_COUNT, "one name per op");
  std::set<std::string> distinct;
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    CAPTURE(i);
    CHECK(expected[i].id == i);  // rows in id order, ids 0..count-1
    const char* name = vact_op_name(static_cast<vact_op>(i));
    REQUIRE(name != nullptr);
    CHECK(std::string(name) == expected[i].name);
    CHECK(std::string(vact::name(static_cast<vact::op>(i))) ==
          expected[i].name);
    distinct.insert(name);
  }
  CHECK(distinct.size() == static_cast<std::size_t>(VACT_OP_COUNT));
  CHECK(vact_op_name(static_cast<vact_op>(VACT_OP_COUNT)) == nullptr);
  CHECK(vact_op_name(enum_from_int<vact_op>(-1)) == nullptr);
  CHECK(vact_op_name(enum_from_int<vact_op>(1000)) == nullptr);
  CHECK(status_of([] { vact::name(static_cast<vact::op>(VACT_OP_COUNT)); }) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(status_of([] { vact::name(static_cast<vact::op>(-1)); }) ==
        VACT_ERROR_INVALID_ARGUMENT);
}

TEST_CASE(
    "vact_status_string is non-null and distinct for every status, "
    "invalid ones included") {
  const vact_status statuses[] = {
      VACT_OK,
      VACT_ERROR_NULL_POINTER,
      VACT_ERROR_OVERLAP,
      VACT_ERROR_INVALID_ARGUMENT,
      VACT_ERROR_UNSUPPORTED_ISA,
      static_cast<vact_status>(5),  // one past the last
  };
  std::set<std::string> seen;
  for (vact_status s : statuses) {
    CAPTURE(static_cast<int>(s));
    const char* text = vact_status_string(s);
    REQUIRE(text != nullptr);
    CHECK(std::string(text).size() > 0);
    CHECK(seen.insert(text).second);
  }
  // Every invalid value gets the same "unknown" text.
  const char* invalid = vact_status_string(static_cast<vact_status>(5));
  for (int value : {-1, 6, 1000}) {
    CAPTURE(value);
    const char* text = vact_status_string(enum_from_int<vact_status>(value));
    REQUIRE(text != nullptr);
    CHECK(std::string(text) == invalid);
  }
}

TEST_CASE("vact_version is MAJOR.MINOR.PATCH, and vact::version agrees") {
  const char* version = vact_version();
  REQUIRE(version != nullptr);
  const std::string v = version;
  CAPTURE(v);
  int numbers = 0;
  std::size_t i = 0;
  while (i < v.size()) {
    const std::size_t digits_begin = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    REQUIRE(i > digits_begin);  // a number, not empty
    ++numbers;
    if (i == v.size()) break;
    REQUIRE(v[i] == '.');
    ++i;
    REQUIRE(i < v.size());  // no trailing dot
  }
  CHECK(numbers == 3);
  CHECK(std::string(vact::version()) == v);
}

// ============================================================================
// vact::error
// ============================================================================

TEST_CASE("vact::error is a std::invalid_argument that carries its status") {
  static_assert(std::is_base_of<std::invalid_argument, vact::error>::value,
                "vact::error derives from std::invalid_argument");
  for (vact_status s :
       {VACT_ERROR_NULL_POINTER, VACT_ERROR_OVERLAP,
        VACT_ERROR_INVALID_ARGUMENT, VACT_ERROR_UNSUPPORTED_ISA}) {
    CAPTURE(static_cast<int>(s));
    const vact::error e(s);
    CHECK(e.status() == s);
    CHECK(std::string(e.what()).find(vact_status_string(s)) !=
          std::string::npos);
    CHECK_THROWS_AS(vact::check(s), vact::error);
  }
  CHECK_NOTHROW(vact::check(VACT_OK));

  // Caught as std::invalid_argument from a real call.
  float y[4];
  bool caught = false;
  try {
    vact::sigmoid(nullptr, y, 4);
  } catch (const std::invalid_argument& e) {
    caught = true;
    const auto* as_vact = dynamic_cast<const vact::error*>(&e);
    REQUIRE(as_vact != nullptr);
    CHECK(as_vact->status() == VACT_ERROR_NULL_POINTER);
  }
  CHECK(caught);
}

// ============================================================================
// ISA control
// ============================================================================

TEST_CASE(
    "vact_isa_name and vact::name(isa) name every ISA, and refuse "
    "others") {
  for (const isa_expectation& e : isa_expectations) {
    CAPTURE(e.name);
    const char* name = vact_isa_name(e.isa);
    REQUIRE(name != nullptr);
    CHECK(std::string(name) == e.name);
    CHECK(std::string(vact::name(static_cast<vact::isa>(e.isa))) == e.name);
  }
  CHECK(vact_isa_name(static_cast<vact_isa>(6)) == nullptr);
  CHECK(vact_isa_name(enum_from_int<vact_isa>(42)) == nullptr);
  CHECK(vact_isa_name(enum_from_int<vact_isa>(-1)) == nullptr);
  CHECK(status_of([] { vact::name(static_cast<vact::isa>(42)); }) ==
        VACT_ERROR_INVALID_ARGUMENT);
}

TEST_CASE(
    "vact_isa_supported: scalar always, and only this architecture's "
    "ISAs") {
  CHECK(vact_isa_supported(VACT_ISA_SCALAR) == 1);
  CHECK(vact::isa_supported(vact::isa::scalar));
#if defined(__x86_64__) || defined(_M_X64)
  CHECK(vact_isa_supported(VACT_ISA_NEON) == 0);
#elif defined(__aarch64__) || defined(_M_ARM64)
  for (vact_isa isa :
       {VACT_ISA_SSE2, VACT_ISA_SSE41, VACT_ISA_AVX2, VACT_ISA_AVX512})
    CHECK(vact_isa_supported(isa) == 0);
#endif
  for (vact_isa isa : all_isas) {
    CAPTURE(vact_isa_name(isa));
    CHECK(vact::isa_supported(static_cast<vact::isa>(isa)) ==
          (vact_isa_supported(isa) != 0));
  }
  CHECK(vact_isa_supported(static_cast<vact_isa>(6)) == 0);
  CHECK(vact_isa_supported(enum_from_int<vact_isa>(42)) == 0);
  CHECK(vact_isa_supported(enum_from_int<vact_isa>(-1)) == 0);
  // The ISA picked on first use is one of the supported ones.
  CHECK(vact_isa_supported(vact_active_isa()) == 1);
}

TEST_CASE("forcing a supported ISA makes its kernel table the one that runs") {
  isa_guard restore_isa;
  const std::size_t n = 67;
  const std::vector<float> x = sample_inputs(n);
  for (const isa_expectation& e : isa_expectations) {
    if (vact_isa_supported(e.isa) == 0) continue;
    CAPTURE(e.name);
    REQUIRE(vact_set_isa(e.isa) == VACT_OK);
    CHECK(vact_active_isa() == e.isa);
#if VACT_TESTS_SEE_INTERNALS
    const vact::detail::kernel_table& table = vact::detail::active_kernels();
    CHECK(table.isa == e.isa);
    CHECK(std::string(table.name) == e.name);
    CHECK(table.vector_width == e.vector_width);
    // Calls go through that same table.
    CHECK(&vact::detail::active_kernels() == &table);
#endif
    std::vector<float> y = canary_buffer(n);
    CHECK(vact_sigmoid_f32(x.data(), y.data(), n) == VACT_OK);
    CHECK(vact_active_isa() == e.isa);

    // The C++ API sees and sets the same thing.
    CHECK(vact::active_isa() == static_cast<vact::isa>(e.isa));
    REQUIRE(vact_set_isa(VACT_ISA_SCALAR) == VACT_OK);
    CHECK_NOTHROW(vact::set_isa(static_cast<vact::isa>(e.isa)));
    CHECK(vact_active_isa() == e.isa);
#if VACT_TESTS_SEE_INTERNALS
    CHECK(vact::detail::active_kernels().vector_width == e.vector_width);
#endif
  }
}

TEST_CASE("an unsupported or invalid ISA is refused and changes nothing") {
  isa_guard restore_isa;
  std::vector<int> refused = {6, 42, -1};
  for (vact_isa isa : all_isas)
    if (vact_isa_supported(isa) == 0) refused.push_back(isa);
#if defined(__x86_64__) || defined(_M_X64)
  REQUIRE(vact_isa_supported(VACT_ISA_NEON) == 0);  // so it is in the list
#endif
  // From every supported ISA, so that "unchanged" is not just "the default".
  for (vact_isa start : supported_isas()) {
    CAPTURE(vact_isa_name(start));
    REQUIRE(vact_set_isa(start) == VACT_OK);
#if VACT_TESTS_SEE_INTERNALS
    const vact::detail::kernel_table* const before =
        &vact::detail::active_kernels();
#endif
    for (int isa : refused) {
      CAPTURE(isa);
      CHECK(vact_isa_supported(enum_from_int<vact_isa>(isa)) == 0);
      CHECK(vact_set_isa(enum_from_int<vact_isa>(isa)) ==
            VACT_ERROR_UNSUPPORTED_ISA);
      CHECK(vact_active_isa() == start);
#if VACT_TESTS_SEE_INTERNALS
      CHECK(&vact::detail::active_kernels() == before);
#endif
      CHECK(status_of([&] { vact::set_isa(static_cast<vact::isa>(isa)); }) ==
            VACT_ERROR_UNSUPPORTED_ISA);
      CHECK(vact::active_isa() == static_cast<vact::isa>(start));
#if VACT_TESTS_SEE_INTERNALS
      CHECK(&vact::detail::active_kernels() == before);
#endif
    }
  }
}
