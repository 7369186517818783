// SPDX-License-Identifier: Apache-2.0
//
// Kernels never read or write outside their arrays, proven with the MMU:
// inputs and outputs are placed flush against inaccessible pages (PROT_NONE
// before and after), at the start and at the end of their page, for every
// length 0..80, every op (value and derivative), softmax and log_softmax
// rows (contiguous, strided, in place), on every ISA under test. A read or
// write one element outside faults; the inputs' pages are also read-only,
// so a write to x faults too. Results must equal those of the same call on
// ordinary buffers. POSIX only (mmap, mprotect).
#include <doctest/doctest.h>

#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "op_catalogue.hpp"
#include "test_support.hpp"

namespace vact_test {
namespace {

constexpr std::size_t max_length = 80;

// Accessible pages of floats (one unless asked for more) between two
// PROT_NONE pages.
class guarded_page {
 public:
  explicit guarded_page(std::size_t pages = 1)
      : page_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))),
        bytes_(pages * page_) {
    void* p = mmap(nullptr, bytes_ + 2 * page_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base_ = static_cast<char*>(p);
    REQUIRE(mprotect(base_, page_, PROT_NONE) == 0);
    REQUIRE(mprotect(base_ + page_ + bytes_, page_, PROT_NONE) == 0);
  }
  ~guarded_page() { munmap(base_, bytes_ + 2 * page_); }
  guarded_page(const guarded_page&) = delete;
  guarded_page& operator=(const guarded_page&) = delete;

  float* begin() const { return reinterpret_cast<float*>(base_ + page_); }
  float* end() const { return begin() + size(); }
  std::size_t size() const { return bytes_ / sizeof(float); }
  // The same memory as 16-bit elements.
  std::uint16_t* begin16() const {
    return reinterpret_cast<std::uint16_t*>(begin());
  }
  std::uint16_t* end16() const { return begin16() + size16(); }
  std::size_t size16() const { return bytes_ / sizeof(std::uint16_t); }
  // From now on a write to the page faults too.
  void make_read_only() const {
    REQUIRE(mprotect(begin(), bytes_, PROT_READ) == 0);
  }
  void make_writable() const {
    REQUIRE(mprotect(begin(), bytes_, PROT_READ | PROT_WRITE) == 0);
  }

 private:
  std::size_t page_;
  std::size_t bytes_;
  char* base_ = nullptr;
};

// What the test is running, for the fault handler to print: doctest
// reports a crash without the test's context. A fixed buffer, since the
// handler may only call async-signal-safe functions.
char running[256];
struct sigaction previous_segv, previous_bus;

extern "C" void report_fault(int sig) {
  static const char prefix[] = "\nguard pages: access outside the arrays in ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
  ignored = write(STDERR_FILENO, running, std::strlen(running));
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  // Back to the previous handler (doctest's), which reports the crash when
  // the faulting access runs again.
  sigaction(sig, sig == SIGSEGV ? &previous_segv : &previous_bus, nullptr);
}

// Installs report_fault for its lifetime.
class fault_reporter {
 public:
  fault_reporter() {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = report_fault;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &previous_segv);
    sigaction(SIGBUS, &action, &previous_bus);
  }
  ~fault_reporter() {
    sigaction(SIGSEGV, &previous_segv, nullptr);
    sigaction(SIGBUS, &previous_bus, nullptr);
  }
  fault_reporter(const fault_reporter&) = delete;
  fault_reporter& operator=(const fault_reporter&) = delete;
};

template <class... Args>
void set_running(const char* format, Args... args) {
  std::snprintf(running, sizeof running, format, args...);
}

bool same_bits(const float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (bits(a[i]) != bits(b[i]) && !(std::isnan(a[i]) && std::isnan(b[i])))
      return false;
  return true;
}

// Fills the page with specials (NaN included) and a ramp over [-30, 30).
void fill_elementwise(const guarded_page& page) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  const float specials[] = {0.0f,
                            -0.0f,
                            inf,
                            -inf,
                            1e-45f,
                            -1e30f,
                            1e30f,
                            -104.0f,
                            89.0f,
                            -3.0f,
                            3.0f,
                            0.5f,
                            std::numeric_limits<float>::quiet_NaN()};
  float* x = page.begin();
  for (std::size_t i = 0; i < page.size(); ++i)
    x[i] = -30.0f + 60.0f * static_cast<float>(i % 997) / 997.0f;
  for (std::size_t i = 0; i < page.size(); i += 7)
    x[i] = specials[(i / 7) % (sizeof specials / sizeof specials[0])];
}

// Finite values, so that every row has a real softmax.
void fill_rows(const guarded_page& page) {
  float* x = page.begin();
  for (std::size_t i = 0; i < page.size(); ++i)
    x[i] = -20.0f + 40.0f * static_cast<float>((i * 7919) % 1009) / 1009.0f;
}

using elementwise_fn = vact_status (*)(vact_op, const vact_params*,
                                       const float*, float*, size_t);

TEST_CASE(
    "guard pages: element-wise ops touch nothing outside [x, x+n) and "
    "[y, y+n), on every ISA") {
  const guarded_page x_page, y_page, in_place_page;
  fill_elementwise(x_page);
  x_page.make_read_only();
  const std::size_t page_floats = x_page.size();
  REQUIRE(page_floats >= 2 * max_length);
  const fault_reporter reporter;

  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (int i = 0; i < VACT_OP_COUNT; ++i) {
      const auto op = static_cast<vact_op>(i);
      for (bool derivative : {false, true}) {
        const elementwise_fn fn =
            derivative ? vact_apply_derivative_f32 : vact_apply_f32;
        // The same call over the whole page, on an ordinary buffer.
        std::vector<float> expected(page_floats);
        REQUIRE(fn(op, nullptr, x_page.begin(), expected.data(), page_floats) ==
                VACT_OK);
        for (std::size_t n = 0; n <= max_length; ++n) {
          const std::size_t last = page_floats - n;  // x at the page's end
          const float* const xs[] = {x_page.begin(), x_page.begin() + last};
          const std::size_t x_offsets[] = {0, last};
          float* const ys[] = {y_page.begin(), y_page.end() - n};
          for (int xi = 0; xi < 2; ++xi) {
            for (int yi = 0; yi < 2; ++yi) {
              set_running("%s %s%s, n = %zu, x at the %s, y at the %s",
                          vact_isa_name(isa), vact_op_name(op),
                          derivative ? "'" : "", n, xi ? "end" : "start",
                          yi ? "end" : "start");
              REQUIRE(fn(op, nullptr, xs[xi], ys[yi], n) == VACT_OK);
              CHECK_MESSAGE(
                  same_bits(ys[yi], expected.data() + x_offsets[xi], n),
                  std::string(running));
            }
            // In place, flush against the same guard page.
            float* const z =
                xi ? in_place_page.end() - n : in_place_page.begin();
            std::memcpy(z, xs[xi], n * sizeof(float));
            set_running("%s %s%s, n = %zu, in place at the %s",
                        vact_isa_name(isa), vact_op_name(op),
                        derivative ? "'" : "", n, xi ? "end" : "start");
            REQUIRE(fn(op, nullptr, z, z, n) == VACT_OK);
            CHECK_MESSAGE(same_bits(z, expected.data() + x_offsets[xi], n),
                          std::string(running));
          }
        }
      }
    }
  }
}

// Rows of `cols` at `stride` (x) and `y_stride`: the first element at
// `x`, the last one flush with the end of the page when placed there.
struct row_layout {
  std::size_t rows, cols, x_stride, y_stride;
  std::size_t x_span() const {
    return rows == 0 ? 0 : (rows - 1) * x_stride + cols;
  }
  std::size_t y_span() const {
    return rows == 0 ? 0 : (rows - 1) * y_stride + cols;
  }
};

TEST_CASE(
    "guard pages: softmax and log_softmax rows touch nothing outside "
    "their rows, on every ISA") {
  const guarded_page x_page, y_page, in_place_page;
  fill_rows(x_page);
  x_page.make_read_only();
  const fault_reporter reporter;

  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (bool log : {false, true}) {
      const auto fn =
          log ? vact_log_softmax_strided_f32 : vact_softmax_strided_f32;
      const char* const name = log ? "log_softmax" : "softmax";
      for (std::size_t cols = 0; cols <= max_length; ++cols) {
        for (std::size_t rows : {1u, 3u}) {
          const row_layout layouts[] = {
              {rows, cols, cols, cols},          // contiguous
              {rows, cols, cols + 2, cols + 1},  // strided
              {rows, cols, cols + 3, cols + 3},  // strided, also in place
          };
          for (const row_layout& l : layouts) {
            const std::size_t x_offsets[] = {0, x_page.size() - l.x_span()};
            for (std::size_t x_offset : x_offsets) {
              const float* const x = x_page.begin() + x_offset;
              // The same rows, on ordinary buffers.
              std::vector<float> x_copy(x, x + l.x_span());
              std::vector<float> expected(l.y_span());
              REQUIRE(fn(x_copy.data(), l.x_stride, expected.data(), l.y_stride,
                         rows, cols) == VACT_OK);
              float* const ys[] = {y_page.begin(), y_page.end() - l.y_span()};
              for (int yi = 0; yi < 2; ++yi) {
                set_running(
                    "%s %s, rows = %zu, cols = %zu, strides %zu/%zu, x at "
                    "the %s, y at the %s",
                    vact_isa_name(isa), name, rows, cols, l.x_stride,
                    l.y_stride, x_offset == 0 ? "start" : "end",
                    yi ? "end" : "start");
                REQUIRE(fn(x, l.x_stride, ys[yi], l.y_stride, rows, cols) ==
                        VACT_OK);
                bool same = true;
                for (std::size_t r = 0; r < rows; ++r)
                  same &= same_bits(ys[yi] + r * l.y_stride,
                                    expected.data() + r * l.y_stride, cols);
                CHECK_MESSAGE(same, std::string(running));
              }
              if (l.x_stride != l.y_stride) continue;
              // In place, flush against the same guard page.
              float* const z = x_offset == 0 ? in_place_page.begin()
                                             : in_place_page.end() - l.x_span();
              std::memcpy(z, x, l.x_span() * sizeof(float));
              set_running("%s %s, rows = %zu, cols = %zu, in place at the %s",
                          vact_isa_name(isa), name, rows, cols,
                          x_offset == 0 ? "start" : "end");
              REQUIRE(fn(z, l.x_stride, z, l.x_stride, rows, cols) == VACT_OK);
              bool same = true;
              for (std::size_t r = 0; r < rows; ++r)
                same &= same_bits(z + r * l.x_stride,
                                  expected.data() + r * l.y_stride, cols);
              CHECK_MESSAGE(same, std::string(running));
            }
          }
        }
      }
    }
  }
}

// Rows of bf16 and f16 values: each format's rows on pages of their own,
// contiguous, strided and in place, lengths 0..80 and rows longer than the
// 4096 elements whose terms the kernels hold on the stack.
TEST_CASE(
    "guard pages: bf16 / f16 softmax rows touch nothing outside their rows, "
    "on every ISA") {
  using rows16_fn =
      vact_status (*)(const std::uint16_t*, std::size_t, std::uint16_t*,
                      std::size_t, std::size_t, std::size_t);
  const struct {
    const char* name;
    vact_status (*narrow)(const float*, std::uint16_t*, std::size_t);
    rows16_fn fns[4];
  } formats[] = {
      {"bf16",
       vact_convert_f32_to_bf16,
       {vact_softmax_strided_bf16, vact_log_softmax_strided_bf16,
        vact_softmax_strided_fast_bf16, vact_log_softmax_strided_fast_bf16}},
      {"f16",
       vact_convert_f32_to_f16,
       {vact_softmax_strided_f16, vact_log_softmax_strided_f16,
        vact_softmax_strided_fast_f16, vact_log_softmax_strided_fast_f16}},
  };
  const char* const fn_names[4] = {"softmax", "log_softmax", "fast softmax",
                                   "fast log_softmax"};
  constexpr std::size_t pages = 3;
  // The rows' values as floats: one per 16-bit element of x_page.
  const guarded_page values(2 * pages);
  const guarded_page x_page(pages), y_page(pages), in_place_page(pages);
  fill_rows(values);
  const fault_reporter reporter;
  std::vector<std::size_t> lengths;
  for (std::size_t cols = 0; cols <= max_length; ++cols)
    lengths.push_back(cols);
  for (std::size_t cols : {std::size_t{4095}, std::size_t{4096},
                           std::size_t{4097}, x_page.size16() - 7})
    lengths.push_back(cols);

  for (const auto& format : formats) {
    x_page.make_writable();
    REQUIRE(format.narrow(values.begin(), x_page.begin16(), x_page.size16()) ==
            VACT_OK);
    x_page.make_read_only();
    for (vact_isa isa : isas_under_test()) {
      isa_guard guard(isa);
      for (int k = 0; k < 4; ++k) {
        const rows16_fn fn = format.fns[k];
        for (std::size_t cols : lengths) {
          for (std::size_t rows : {1u, 3u}) {
            const row_layout layouts[] = {
                {rows, cols, cols, cols},
                {rows, cols, cols + 2, cols + 1},
                {rows, cols, cols + 3, cols + 3},
            };
            for (const row_layout& l : layouts) {
              if (l.x_span() > x_page.size16() || l.y_span() > y_page.size16())
                continue;
              const std::size_t x_offsets[] = {0, x_page.size16() - l.x_span()};
              for (std::size_t x_offset : x_offsets) {
                const std::uint16_t* const x = x_page.begin16() + x_offset;
                std::vector<std::uint16_t> x_copy(x, x + l.x_span());
                std::vector<std::uint16_t> expected(l.y_span());
                REQUIRE(fn(x_copy.data(), l.x_stride, expected.data(),
                           l.y_stride, rows, cols) == VACT_OK);
                const auto same_rows = [&](const std::uint16_t* y,
                                           std::size_t stride) {
                  if (cols == 0) return true;  // (memcmp takes no null)
                  for (std::size_t r = 0; r < rows; ++r)
                    if (std::memcmp(y + r * stride,
                                    expected.data() + r * l.y_stride,
                                    cols * sizeof(std::uint16_t)) != 0)
                      return false;
                  return true;
                };
                std::uint16_t* const ys[] = {y_page.begin16(),
                                             y_page.end16() - l.y_span()};
                for (int yi = 0; yi < 2; ++yi) {
                  set_running(
                      "%s %s %s, rows = %zu, cols = %zu, strides %zu/%zu, x "
                      "at the %s, y at the %s",
                      vact_isa_name(isa), format.name, fn_names[k], rows, cols,
                      l.x_stride, l.y_stride, x_offset == 0 ? "start" : "end",
                      yi ? "end" : "start");
                  REQUIRE(fn(x, l.x_stride, ys[yi], l.y_stride, rows, cols) ==
                          VACT_OK);
                  CHECK_MESSAGE(same_rows(ys[yi], l.y_stride),
                                std::string(running));
                }
                if (l.x_stride != l.y_stride) continue;
                std::uint16_t* const z =
                    x_offset == 0 ? in_place_page.begin16()
                                  : in_place_page.end16() - l.x_span();
                std::memcpy(z, x, l.x_span() * sizeof(std::uint16_t));
                set_running("%s %s %s, rows = %zu, cols = %zu, in place",
                            vact_isa_name(isa), format.name, fn_names[k], rows,
                            cols);
                REQUIRE(fn(z, l.x_stride, z, l.x_stride, rows, cols) ==
                        VACT_OK);
                CHECK_MESSAGE(same_rows(z, l.x_stride), std::string(running));
              }
            }
          }
        }
      }
    }
  }
}

// The 16-bit storage calls: each an array call of its own element sizes
// (the f32 kernels under them are covered above). x and y are placed at the
// start and flush with the end of their pages.
TEST_CASE(
    "guard pages: bf16 / f16 conversions and ops touch nothing outside their "
    "arrays, on every ISA") {
  const guarded_page x_page, y_page;
  fill_elementwise(x_page);  // as floats; as 16-bit values, their halves
  x_page.make_read_only();
  const fault_reporter reporter;
  const std::size_t floats = x_page.size();
  const std::size_t halves = 2 * floats;
  const vact_params fast = vact_test::default_params(VACT_ACCURACY_FAST);

  // One call as a uniform signature: n elements from x at x_offset (in its
  // own elements) to y at y_offset; `name` for the fault report.
  struct call {
    const char* name;
    std::size_t x_size, y_size;  // bytes per element
    vact_status (*run)(const void* x, void* y, std::size_t n,
                       const vact_params* p);
  };
  const call calls[] = {
      {"f32 -> bf16", 4, 2,
       [](const void* x, void* y, std::size_t n, const vact_params*) {
         return vact_convert_f32_to_bf16(static_cast<const float*>(x),
                                         static_cast<std::uint16_t*>(y), n);
       }},
      {"bf16 -> f32", 2, 4,
       [](const void* x, void* y, std::size_t n, const vact_params*) {
         return vact_convert_bf16_to_f32(static_cast<const std::uint16_t*>(x),
                                         static_cast<float*>(y), n);
       }},
      {"f32 -> f16", 4, 2,
       [](const void* x, void* y, std::size_t n, const vact_params*) {
         return vact_convert_f32_to_f16(static_cast<const float*>(x),
                                        static_cast<std::uint16_t*>(y), n);
       }},
      {"f16 -> f32", 2, 4,
       [](const void* x, void* y, std::size_t n, const vact_params*) {
         return vact_convert_f16_to_f32(static_cast<const std::uint16_t*>(x),
                                        static_cast<float*>(y), n);
       }},
      {"sigmoid bf16", 2, 2,
       [](const void* x, void* y, std::size_t n, const vact_params* p) {
         return vact_apply_bf16(VACT_OP_SIGMOID, p,
                                static_cast<const std::uint16_t*>(x),
                                static_cast<std::uint16_t*>(y), n);
       }},
      {"gelu' f16", 2, 2,
       [](const void* x, void* y, std::size_t n, const vact_params* p) {
         return vact_apply_derivative_f16(VACT_OP_GELU, p,
                                          static_cast<const std::uint16_t*>(x),
                                          static_cast<std::uint16_t*>(y), n);
       }},
      {"silu bf16 -> f32", 2, 4,
       [](const void* x, void* y, std::size_t n, const vact_params* p) {
         return vact_apply_bf16_f32(VACT_OP_SILU, p,
                                    static_cast<const std::uint16_t*>(x),
                                    static_cast<float*>(y), n);
       }},
      {"relu f16 -> f32", 2, 4,
       [](const void* x, void* y, std::size_t n, const vact_params* p) {
         return vact_apply_f16_f32(VACT_OP_RELU, p,
                                   static_cast<const std::uint16_t*>(x),
                                   static_cast<float*>(y), n);
       }},
  };
  // Long enough for a full 1024-element block of the 16-bit ops and a tail.
  const std::size_t lengths[] = {0, 1, 7, 15, 16, 17, 31, 33, 63, 80, 1025};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const call& c : calls) {
      for (const vact_params* p :
           {static_cast<const vact_params*>(nullptr), &fast}) {
        const std::size_t x_count = c.x_size == 2 ? halves : floats;
        const std::size_t y_count = c.y_size == 2 ? halves : floats;
        // The call over the whole x page, into an ordinary buffer.
        std::vector<unsigned char> expected(x_count * c.y_size);
        REQUIRE(c.run(x_page.begin(), expected.data(), x_count, p) == VACT_OK);
        for (const std::size_t n : lengths) {
          if (n > x_count || n > y_count) continue;
          const std::size_t x_offsets[] = {0, x_count - n};
          const std::size_t y_offsets[] = {0, y_count - n};
          for (const std::size_t xo : x_offsets) {
            for (const std::size_t yo : y_offsets) {
              set_running("%s %s%s, n = %zu, x at %zu, y at %zu",
                          vact_isa_name(isa), c.name, p ? " (fast)" : "", n, xo,
                          yo);
              const auto* x =
                  reinterpret_cast<const unsigned char*>(x_page.begin()) +
                  xo * c.x_size;
              auto* y = reinterpret_cast<unsigned char*>(y_page.begin()) +
                        yo * c.y_size;
              REQUIRE(c.run(x, y, n, p) == VACT_OK);
              // The same elements as the call over the whole page (NaNs
              // compare by bits: the same kernel, the same bits).
              CHECK_MESSAGE(std::memcmp(y, expected.data() + xo * c.y_size,
                                        n * c.y_size) == 0,
                            std::string(running));
            }
          }
        }
      }
    }
  }
}

// The engine calls: every operand flush against the start or the end of
// its own page (read-only for the inputs), the result compared with the
// same call on ordinary buffers.
TEST_CASE(
    "guard pages: the engine calls touch nothing outside their operands, "
    "on every ISA") {
  const guarded_page a_page, b_page, c_page, y_page, z_page;
  fill_rows(a_page);
  fill_rows(b_page);
  fill_elementwise(c_page);
  a_page.make_read_only();
  b_page.make_read_only();
  c_page.make_read_only();
  const fault_reporter reporter;
  const auto at = [](const guarded_page& page, bool end, std::size_t n) {
    return end ? page.end() - n : page.begin();
  };
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (std::size_t n = 0; n <= max_length; ++n)
      for (bool end : {false, true}) {
        const float* gate = at(c_page, end, n);
        const float* up = at(a_page, !end, n);
        std::vector<float> expected(n), expected_up(n);
        const std::vector<float> gate_copy(gate, gate + n), up_copy(up, up + n);
        REQUIRE(vact_gated_f32(VACT_OP_GELU, nullptr, gate_copy.data(),
                               up_copy.data(), expected.data(), n) == VACT_OK);
        set_running("%s gated, n = %zu, at the %s", vact_isa_name(isa), n,
                    end ? "end" : "start");
        float* y = at(y_page, end, n);
        REQUIRE(vact_gated_f32(VACT_OP_GELU, nullptr, gate, up, y, n) ==
                VACT_OK);
        CHECK_MESSAGE(same_bits(y, expected.data(), n), std::string(running));
        float* dup = at(z_page, !end, n);
        REQUIRE(vact_gated_backward_f32(VACT_OP_SILU, nullptr, gate_copy.data(),
                                        up_copy.data(), up_copy.data(),
                                        expected.data(), expected_up.data(),
                                        n) == VACT_OK);
        set_running("%s gated backward, n = %zu", vact_isa_name(isa), n);
        REQUIRE(vact_gated_backward_f32(VACT_OP_SILU, nullptr, gate, up, up, y,
                                        dup, n) == VACT_OK);
        const bool same = same_bits(y, expected.data(), n) &&
                          same_bits(dup, expected_up.data(), n);
        CHECK_MESSAGE(same, std::string(running));
      }
    for (std::size_t cols = 0; cols <= 40; ++cols)
      for (std::size_t rows : {1u, 3u})
        for (bool end : {false, true}) {
          const std::size_t span = rows * cols;
          const float* x = at(a_page, end, span);
          const float* mask = at(b_page, !end, span);
          const float* sinks = at(c_page, end, rows);
          vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
          p.mask = mask;
          p.mask_row_stride = cols;
          p.sinks = sinks;
          p.softcap = 15.0f;
          p.masked_row = VACT_MASKED_ROW_ZERO;
          const std::vector<float> x_copy(x, x + span),
              mask_copy(mask, mask + span), sinks_copy(sinks, sinks + rows);
          vact_softmax_params q = p;
          q.mask = mask_copy.data();
          q.sinks = sinks_copy.data();
          std::vector<float> expected(span);
          REQUIRE(vact_softmax_ex_f32(x_copy.data(), cols, expected.data(),
                                      cols, rows, cols, &q) == VACT_OK);
          set_running("%s softmax_ex, rows = %zu, cols = %zu, at the %s",
                      vact_isa_name(isa), rows, cols, end ? "end" : "start");
          float* y = at(y_page, !end, span);
          REQUIRE(vact_softmax_ex_f32(x, cols, y, cols, rows, cols, &p) ==
                  VACT_OK);
          CHECK_MESSAGE(same_bits(y, expected.data(), span),
                        std::string(running));
          // The chunk and its states, flush against the pages too.
          auto* states =
              reinterpret_cast<vact_softmax_state*>(at(z_page, end, 2 * rows));
          set_running("%s softmax_chunk, rows = %zu, cols = %zu",
                      vact_isa_name(isa), rows, cols);
          REQUIRE(vact_softmax_chunk_f32(x, cols, y, cols, rows, cols, &p,
                                         states) == VACT_OK);
          float* c = at(y_page, end, span);
          std::copy(x_copy.begin(), x_copy.end(), c);
          set_running("%s bias_apply, rows = %zu, cols = %zu",
                      vact_isa_name(isa), rows, cols);
          REQUIRE(vact_bias_apply_f32(VACT_OP_SILU, nullptr,
                                      at(b_page, end, cols), c, cols, rows,
                                      cols) == VACT_OK);
        }
  }
}

TEST_CASE(
    "guard pages: a vact_params of 0.2's layout (alpha, slope, accuracy), "
    "flush against a guard page, is all the ops of 0.2 read") {
  // The C ABI of 0.x is kept: a program built against 0.2 passes the
  // shorter struct. Its ops (the ids below swish's) must read nothing past
  // it, from the element-wise calls and from the engine calls.
  struct params_0_2 {
    float alpha;
    float slope;
    vact_accuracy accuracy;
  };
  static_assert(offsetof(vact_params, beta) == sizeof(params_0_2),
                "the fields of 0.3 follow 0.2's");
  const guarded_page page;
  auto* old = reinterpret_cast<params_0_2*>(
      reinterpret_cast<char*>(page.end()) - sizeof(params_0_2));
  const fault_reporter reporter;
  const std::size_t n = 37;
  std::vector<float> x(n, 0.75f), y(n), expected(n), dgate(n), dup(n);
  for (vact_accuracy tier : {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
    *old = {0.5f, 0.2f, tier};
    vact_params full = default_params(tier);
    full.alpha = 0.5f;
    full.slope = 0.2f;
    const auto* p = reinterpret_cast<const vact_params*>(old);
    for (int i = 0; i < VACT_OP_SWISH; ++i) {
      const auto op = static_cast<vact_op>(i);
      set_running("%s with 0.2's vact_params", vact_op_name(op));
      REQUIRE(vact_apply_f32(op, &full, x.data(), expected.data(), n) ==
              VACT_OK);
      REQUIRE(vact_apply_f32(op, p, x.data(), y.data(), n) == VACT_OK);
      CHECK(same_bits(y.data(), expected.data(), n));
      REQUIRE(vact_apply_derivative_f32(op, p, x.data(), y.data(), n) ==
              VACT_OK);
      REQUIRE(vact_gated_f32(op, p, x.data(), x.data(), y.data(), n) ==
              VACT_OK);
      REQUIRE(vact_gated_backward_f32(op, p, x.data(), x.data(), x.data(),
                                      dgate.data(), dup.data(), n) == VACT_OK);
      REQUIRE(vact_bias_apply_f32(op, p, nullptr, y.data(), n, 1, n) ==
              VACT_OK);
    }
  }
}

}  // namespace
}  // namespace vact_test

#endif  // POSIX
