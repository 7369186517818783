// SPDX-License-Identifier: Apache-2.0
//
// A C++ program on vact's C++ API (vact.hpp): element-wise ops, the
// table-driven vact::apply, softmax, ISA control and vact::error.
// tests/consumers/run.sh builds it with CMake (find_package,
// add_subdirectory, FetchContent) and with pkg-config, and runs it with the
// expected vact version as its argument. Exit 0 when all checks pass.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vact/vact.hpp>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what);
    ++failures;
  }
}

bool close_to(float got, double want) {
  return std::fabs(static_cast<double>(got) - want) <=
         1e-6 * std::fmax(1.0, std::fabs(want));
}

// Runs f, which must throw vact::error with `status`.
template <class F>
void check_throws(F f, vact_status status, const char* what) {
  try {
    f();
    check(false, what);
  } catch (const vact::error& e) {
    check(e.status() == status && std::strlen(e.what()) > 0, what);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<float> x = {-4.0f, -1.5f, -0.0f, 0.25f, 1.0f, 3.0f, 9.0f};
  const std::size_t n = x.size();
  std::vector<float> y(n);

  vact::tanh(x.data(), y.data(), n);
  for (std::size_t i = 0; i < n; ++i)
    check(close_to(y[i], std::tanh(static_cast<double>(x[i]))), "tanh");
  check(std::signbit(y[2]), "tanh(-0) = -0");

  // Table-driven: selu, then elu with its parameter.
  vact::apply(vact::op::selu, x.data(), y.data(), n);
  const double lambda = 1.0507009873554804934193349852946;
  const double alpha = 1.6732632423543772848170429916717;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    check(close_to(y[i], v > 0 ? lambda * v : lambda * alpha * std::expm1(v)),
          "apply(selu)");
  }
  vact::params p;
  p.alpha = 0.5f;
  vact::apply(vact::op::elu, x.data(), y.data(), n, p);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    check(close_to(y[i], v > 0 ? v : 0.5 * std::expm1(v)), "apply(elu)");
  }
  check(std::strcmp(vact::name(vact::op::softplus), "softplus") == 0,
        "name(op)");

  // Softmax: one row, in place, max-subtracted (1e30 is fine).
  std::vector<float> row = {1e30f, 1e30f,
                            -std::numeric_limits<float>::infinity(), 1e30f};
  vact::softmax(row.data(), row.data(), 1, row.size());
  check(close_to(row[0], 1.0 / 3) && row[2] == 0.0f, "softmax");

  // ISA control: scalar always runs; an ISA that does not throws.
  const vact::isa initial = vact::active_isa();
  vact::set_isa(vact::isa::scalar);
  check(vact::active_isa() == vact::isa::scalar, "set_isa(scalar)");
  vact::set_isa(initial);
  for (vact::isa i : {vact::isa::neon, vact::isa::avx512, vact::isa::sse2})
    if (!vact::isa_supported(i)) {
      check_throws([&] { vact::set_isa(i); }, VACT_ERROR_UNSUPPORTED_ISA,
                   "set_isa(unsupported) throws");
      check(vact::active_isa() == initial, "unsupported ISA: no change");
      break;
    }

  // Errors.
  check_throws([&] { vact::sigmoid(nullptr, y.data(), 3); },
               VACT_ERROR_NULL_POINTER, "null pointer throws");
  check_throws([&] { vact::relu(y.data(), y.data() + 1, 3); },
               VACT_ERROR_OVERLAP, "overlap throws");
  check_throws([&] { vact::softmax_strided(x.data(), 2, y.data(), 3, 2, 3); },
               VACT_ERROR_INVALID_ARGUMENT, "stride < cols throws");

  if (argc > 1)
    check(std::strcmp(vact::version(), argv[1]) == 0, "vact::version");
  if (failures != 0) return 1;
  std::printf("C++ consumer OK: vact %s, ISA %s\n", vact::version(),
              vact::name(vact::active_isa()));
  return 0;
}
