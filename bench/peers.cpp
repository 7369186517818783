// SPDX-License-Identifier: Apache-2.0

#include "peers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <utility>

#include "bench_support.h"
#include "isa_kernels.h"
#include "vact/vact.h"

namespace vact_bench {
namespace {

#if VACT_BENCH_HAVE_SLEEF || VACT_BENCH_HAVE_EIGEN
// A peer made of an ISA-compiled file's plain kernel table (isa_kernels.h).
Peer IsaTablePeer(std::string name, std::string description,
                  IsaKernelTable table) {
  Peer peer{std::move(name), std::move(description), {}};
  for (std::size_t i = 0; i < table.count; ++i) {
    const IsaKernelFn run = table.kernels[i].run;
    Binder bind = [run](const float* x, float* y, std::size_t rows,
                        std::size_t cols) -> BoundKernel {
      return [run, x, y, rows, cols] {
        run(x, y, rows, cols);
        return true;
      };
    };
    peer.ops.push_back({table.kernels[i].op, std::move(bind)});
  }
  return peer;
}
#endif

bool IsRowsOp(const std::string& op) {
  return op == "softmax" || op == "log_softmax";
}

struct Shape {
  std::size_t rows;
  std::size_t cols;
};

std::string ShapeName(Shape shape) {
  return shape.rows == 1
             ? std::to_string(shape.cols)
             : std::to_string(shape.rows) + "x" + std::to_string(shape.cols);
}

}  // namespace

const PeerOp* Peer::Find(const std::string& op) const {
  for (const PeerOp& peer_op : ops) {
    if (peer_op.op == op) return &peer_op;
  }
  return nullptr;
}

bool CpuHasAvx2() {
#if defined(__x86_64__) || defined(__i386__)
  // GCC's and Clang's check include the OS's support of the YMM state.
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool CpuHasAvx512() {
#if defined(__x86_64__) || defined(__i386__)
  // Every extension in vact's AVX-512 flags (cmake/VactIsa.cmake), which the
  // compiler may use anywhere in the AVX-512 files; GCC's and Clang's checks
  // include the OS's support of the ZMM and mask state.
  return CpuHasAvx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

CopyFn Avx2CopyIfSupported() {
#if VACT_BENCH_HAVE_AVX2_FILES
  if (CpuHasAvx2()) return Avx2Copy;
#endif
  return nullptr;
}

int LimitPeersToOneThread() {
  setenv("OMP_NUM_THREADS", "1", /*overwrite=*/1);
#if VACT_BENCH_HAVE_ONEDNN
  return SetOnednnToOneThread();
#else
  return 0;
#endif
}

std::vector<Peer> AvailablePeers() {
  std::vector<Peer> peers;
  // Unused when no peer is compiled in.
  [[maybe_unused]] const auto add = [&peers](Peer peer) {
    if (!peer.ops.empty()) peers.push_back(std::move(peer));
  };
#if VACT_BENCH_HAVE_XNNPACK
  add(MakeXnnpackPeer());
#endif
#if VACT_BENCH_HAVE_ONEDNN
  add(MakeOnednnPeer());
#endif
  [[maybe_unused]] const bool avx2 = CpuHasAvx2();
  [[maybe_unused]] const bool avx512 = CpuHasAvx512();
  // Each library with the ISA flags in its name: "<library>" is its AVX2
  // build (vact's avx2 column's peer), "<library>-avx512" its AVX-512 one.
  [[maybe_unused]] const auto add_isa_peer =
      [&add](const char* name, bool cpu_has_isa, const char* isa,
             const std::string& description, IsaKernelTable (*table)()) {
        // Even the table function is compiled with the ISA's flags.
        if (cpu_has_isa) {
          add(IsaTablePeer(name, description, table()));
        } else {
          std::cerr << "skipping " << name << ": this CPU has no " << isa
                    << "\n";
        }
      };
#if VACT_BENCH_HAVE_SLEEF
  add_isa_peer("sleef", avx2, "AVX2 and FMA",
               "SLEEF " VACT_BENCH_SLEEF_VERSION
               " (AVX2 u10 functions in textbook formulas)",
               SleefAvx2Kernels);
  add_isa_peer("sleef-avx512", avx512, "AVX-512 F/CD/BW/DQ/VL",
               "SLEEF " VACT_BENCH_SLEEF_VERSION
               " (AVX-512 u10 functions in textbook formulas)",
               SleefAvx512Kernels);
#endif
#if VACT_BENCH_HAVE_EIGEN
  add_isa_peer("eigen", avx2, "AVX2 and FMA",
               "Eigen " VACT_BENCH_EIGEN_VERSION
               " (Array expressions, AVX2+FMA packets)",
               EigenAvx2Kernels);
  add_isa_peer("eigen-avx512", avx512, "AVX-512 F/CD/BW/DQ/VL",
               "Eigen " VACT_BENCH_EIGEN_VERSION
               " (Array expressions, AVX-512 packets)",
               EigenAvx512Kernels);
#endif
  return peers;
}

Storage16Operands::Storage16Operands(bool is_bf16, const float* x,
                                     std::size_t n)
    : bf16(is_bf16), in(n), out(n) {
  (bf16 ? vact_convert_f32_to_bf16 : vact_convert_f32_to_f16)(x, in.data(), n);
}

void Storage16Operands::WidenOutput(float* y) const {
  (bf16 ? vact_convert_bf16_to_f32 : vact_convert_f16_to_f32)(out.data(), y,
                                                              out.size());
}

std::vector<Peer> AvailablePeers16() {
  std::vector<Peer> peers;
  [[maybe_unused]] const auto add = [&peers](Peer peer, bool bf16) {
    peer.storage16 = true;
    peer.bf16 = bf16;
    // Twice the rounding of the result, and the peers' own error.
    peer.check_tolerance = bf16 ? 1.6e-2 : 2e-3;
    if (!peer.ops.empty()) peers.push_back(std::move(peer));
  };
#if VACT_BENCH_HAVE_ONEDNN
  add(MakeOnednnPeer16(true), true);
  add(MakeOnednnPeer16(false), false);
#endif
#if VACT_BENCH_HAVE_XNNPACK
  add(MakeXnnpackF16Peer(), false);
#endif
  return peers;
}

PeerCheckResult CheckPeersAgainst(const std::vector<Peer>& peers,
                                  const Reference& reference) {
  // The peer's check_tolerance (1e-3 relative for f32 peers), plus 1e-6 of the
  // largest output magnitude as an absolute floor: outputs that are nearly 0
  // next to the others (gelu(-10) is about -8e-23, a softmax entry can be 1e-9
  // of the row's largest) need not have three correct digits. A NaN where the
  // reference has none fails.
  constexpr double kFloorOfLargest = 1e-6;
  const Shape elementwise_shapes[] = {{1, 16384}};
  const Shape rows_shapes[] = {{4096, 10}, {16, 1000}, {1, 16384}};

  PeerCheckResult result;
  for (const Peer& peer : peers) {
    const double relative = peer.check_tolerance;
    for (const PeerOp& peer_op : peer.ops) {
      const bool rows_op = IsRowsOp(peer_op.op);
      for (const Shape shape :
           rows_op ? std::vector<Shape>(std::begin(rows_shapes),
                                        std::end(rows_shapes))
                   : std::vector<Shape>(std::begin(elementwise_shapes),
                                        std::end(elementwise_shapes))) {
        const std::size_t n = shape.rows * shape.cols;
        const float* x = UniformInput(n);
        // A 16-bit peer's input is x rounded to its format: vact's result
        // on that is the one to compare with.
        AlignedFloats rounded_x(peer.storage16 ? n : 0);
        if (peer.storage16) {
          Storage16Operands operands(peer.bf16, x, n);
          operands.out = operands.in;
          operands.WidenOutput(rounded_x.data());
        }
        const float* reference_x = peer.storage16 ? rounded_x.data() : x;
        AlignedFloats expected(n);
        AlignedFloats actual(n);
        const std::string what =
            peer_op.op + "/" + peer.name + "/" + ShapeName(shape);
        if (!reference(peer_op.op, reference_x, expected.data(), shape.rows,
                       shape.cols)) {
          continue;  // nothing to compare with
        }
        const BoundKernel kernel =
            peer_op.bind(x, actual.data(), shape.rows, shape.cols);
        if (!kernel || !kernel()) {
          result.failures.push_back(what + ": the peer failed to run");
          continue;
        }
        double largest = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          largest = std::max(largest, std::fabs(double{expected.data()[i]}));
        }
        double worst_excess = 0.0;  // error / tolerance, > 1 fails
        std::size_t worst = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double want = expected.data()[i];
          const double got = actual.data()[i];
          const double tolerance =
              relative * std::fabs(want) + kFloorOfLargest * largest;
          const double excess = std::isnan(want) && std::isnan(got)
                                    ? 0.0
                                    : std::fabs(got - want) / tolerance;
          if (!(excess <= worst_excess)) {
            worst_excess = std::isnan(excess) ? HUGE_VAL : excess;
            worst = i;
          }
        }
        ++result.checked;
        if (worst_excess > 1.0) {
          std::ostringstream line;
          line << what << ": differs from vact beyond " << relative
               << " relative, e.g. at x = " << x[worst] << ": "
               << actual.data()[worst] << " vs " << expected.data()[worst];
          result.failures.push_back(line.str());
        }
      }
    }
  }
  return result;
}

}  // namespace vact_bench
