// SPDX-License-Identifier: Apache-2.0
//
// Other libraries' versions of vact's ops ("peers": XNNPACK, oneDNN, SLEEF,
// Eigen; SLEEF and Eigen once per ISA), for the benchmark's comparison. Each
// peer is compiled in only when CMake found it (VACT_BENCH_HAVE_<PEER>); all of
// them are single-threaded.

#ifndef VACT_BENCH_PEERS_H
#define VACT_BENCH_PEERS_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vact_bench {

// A peer's op bound to one input, output and shape: everything its users do
// once (creating an operator or a primitive, binding the buffers) is done,
// and a call computes y once; false on error.
using BoundKernel = std::function<bool()>;

// Binds an op to x, y and a rows x cols shape (element-wise ops: rows = 1,
// cols = n). Returns an empty function, after a line on stderr, when the
// peer refuses.
using Binder = std::function<BoundKernel(const float* x, float* y,
                                         std::size_t rows, std::size_t cols)>;

struct PeerOp {
  std::string op;  // vact's name of the op: "sigmoid", "softmax", ...
  Binder bind;
};

struct Peer {
  std::string name;  // the benchmark variant: "xnnpack", "sleef-avx512", ...
  std::string description;  // version and setup, for the run's header
  std::vector<PeerOp> ops;
  // The check's relative tolerance against vact's f32 result (16-bit peers
  // round their results: bf16 to 2^-8, f16 to 2^-11).
  double check_tolerance = 1e-3;
  // 16-bit peers: true for bf16, false for f16; they are checked against
  // vact on x rounded to their format, the input they compute on.
  bool storage16 = false;
  bool bf16 = false;

  // The op named `op`, or nullptr when this peer does not have it.
  const PeerOp* Find(const std::string& op) const;
};

// Keeps every peer on the calling thread. Call it first thing in main: it sets
// OMP_NUM_THREADS=1, which an OpenMP runtime loaded later reads, and, as
// Debian's oneDNN links libgomp, which has already read the environment when
// main starts, also calls omp_set_num_threads(1). Returns the thread count
// oneDNN will use (1; 0 without oneDNN).
int LimitPeersToOneThread();

// The peers compiled in that this CPU can run, in a fixed order: xnnpack,
// onednn (onednn-<isa> under DNNL_MAX_CPU_ISA, see MakeOnednnPeer), sleef and
// eigen (their AVX2 builds: need AVX2 and FMA), sleef-avx512 and
// eigen-avx512 (their AVX-512 builds: need CpuHasAvx512); one stderr line for
// each peer left out.
std::vector<Peer> AvailablePeers();

// Whether this CPU (and OS) runs AVX2 and FMA code.
bool CpuHasAvx2();
// Whether it runs code built with vact's AVX-512 flags (F, CD, BW, DQ, VL).
bool CpuHasAvx512();

// The AVX2 copy loop (isa_kernels.h), or nullptr where this build or CPU
// has none.
using CopyFn = void (*)(const float* x, float* y, std::size_t n);
CopyFn Avx2CopyIfSupported();

// y = the reference result of `op` on rows x cols (vact's); false when
// there is none.
using Reference =
    std::function<bool(const std::string& op, const float* x, float* y,
                       std::size_t rows, std::size_t cols)>;

struct PeerCheckResult {
  std::size_t checked = 0;            // peer op and shape pairs compared
  std::vector<std::string> failures;  // one line per mismatch or failed run
};

// Runs every op of every peer once, outside any timing, on the benchmark's
// inputs (element-wise: 16,384 floats; rows: 4096x10, 16x1000 and 1x16384),
// and compares each output with `reference`'s within the peer's
// check_tolerance, relative
// (peers.cpp says how outputs near 0 are treated).
PeerCheckResult CheckPeersAgainst(const std::vector<Peer>& peers,
                                  const Reference& reference);

// 16-bit peers (AvailablePeers16): their ops read and write 16-bit copies,
// bound to a call's x and y. x is rounded to bf16 or f16 when the op is
// bound (outside any timing), and the output of a first run is widened into
// y there, for the check; the timed calls only run the peer.
struct Storage16Operands {
  bool bf16;
  std::vector<std::uint16_t> in, out;
  // x[0, n) rounded into `in`, `out` sized alike.
  Storage16Operands(bool bf16, const float* x, std::size_t n);
  // y[0, n) = `out` widened.
  void WidenOutput(float* y) const;
};

// The 16-bit peers compiled in that this CPU can run: onednn-bf16 and
// onednn-f16 (eltwise and softmax on bf16 / f16 memory), xnnpack-f16 (its
// f16 operators: clamp as relu, hardswish, leaky ReLU); named after their
// f32 peer with the format appended.
std::vector<Peer> AvailablePeers16();

// The per-peer parts (peer_<name>.cpp), for peers.cpp.
Peer MakeXnnpackPeer();
Peer MakeXnnpackF16Peer();
// Named "onednn", or "onednn-<value in lower case>" when the environment
// variable ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA holds oneDNN to an ISA
// (DNNL_MAX_CPU_ISA=AVX2: "onednn-avx2"). oneDNN reads it once, at its first
// use, so a held-back run is a process of its own.
Peer MakeOnednnPeer();
// The same primitives on bf16 (or f16) memory: "onednn-bf16".
Peer MakeOnednnPeer16(bool bf16);
int SetOnednnToOneThread();  // returns oneDNN's thread count afterwards

// oneDNN's one-primitive forms of two engine calls (bench_engine.cpp), each
// a primitive with a post-op; an empty function where oneDNN cannot create
// it (a line on stderr says why):
//   swiglu     y = silu(gate) * up: eltwise swish (alpha 1) on gate with a
//              binary_mul post-op reading up;
//   bias_gelu  c = gelu(c + bias) in place: binary_add of the bias row
//              (broadcast over the rows) with an eltwise gelu_erf post-op.
struct OnednnEngineCalls {
  std::function<bool()> swiglu;
  std::function<bool()> bias_gelu;
};
OnednnEngineCalls MakeOnednnEngineCalls(const float* gate, const float* up,
                                        float* y, std::size_t n,
                                        const float* bias, float* c,
                                        std::size_t rows, std::size_t cols);

}  // namespace vact_bench

#endif  // VACT_BENCH_PEERS_H
