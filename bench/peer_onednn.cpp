// SPDX-License-Identifier: Apache-2.0
//
// Peer "onednn": oneDNN 2.6 primitives on the CPU engine: eltwise_forward
// for the element-wise ops, softmax_v2_forward (accurate and log) for the
// rows. Each primitive and its memory objects are created once on the
// caller's buffers, outside the timed loop; a call executes the primitive and
// waits for the stream. main keeps oneDNN on one OpenMP thread
// (LimitPeersToOneThread). oneDNN picks its own ISA at run time (on an
// AVX-512 CPU it uses AVX-512) up to the one that the environment variable
// DNNL_MAX_CPU_ISA (or ONEDNN_MAX_CPU_ISA) names, read at oneDNN's first use;
// the peer's name says when that variable is set ("onednn-avx2"), and its
// description gives the ISA oneDNN dispatches to. It has no selu,
// hardsigmoid, softsign or step.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "oneapi/dnnl/dnnl.hpp"
#include "op_constants.h"
#include "peers.h"

#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
#include <omp.h>
#endif

namespace vact_bench {
namespace {

struct CpuEngine {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

// A CPU engine, or null with a line on stderr that starts with `who`.
std::shared_ptr<CpuEngine> MakeCpuEngine(const char* who) {
  try {
    return std::make_shared<CpuEngine>();
  } catch (const dnnl::error& e) {
    std::cerr << who << ": no CPU engine: " << e.what() << "\n";
    return nullptr;
  }
}

using Arguments = std::unordered_map<int, dnnl::memory>;

using data_type = dnnl::memory::data_type;

// The primitive and its arguments, bound to x and y; for 16-bit memory, to
// Storage16Operands made from x, whose first output is widened into y.
BoundKernel Bind(std::shared_ptr<CpuEngine> cpu, dnnl::primitive primitive,
                 const dnnl::memory::desc& desc, const float* x, float* y,
                 std::size_t n) {
  // oneDNN's memory takes a non-const handle; a forward primitive only reads
  // its source.
  void* source = const_cast<float*>(x);
  void* destination = y;
  std::shared_ptr<Storage16Operands> operands;
  if (desc.data_type() != data_type::f32) {
    operands = std::make_shared<Storage16Operands>(
        desc.data_type() == data_type::bf16, x, n);
    source = operands->in.data();
    destination = operands->out.data();
  }
  Arguments arguments = {
      {DNNL_ARG_SRC, dnnl::memory(desc, cpu->engine, source)},
      {DNNL_ARG_DST, dnnl::memory(desc, cpu->engine, destination)}};
  const auto run = [cpu, primitive, arguments, operands] {
    primitive.execute(cpu->stream, arguments);
    cpu->stream.wait();
    return true;
  };
  if (operands != nullptr) {
    run();
    operands->WidenOutput(y);
  }
  return run;
}

PeerOp EltwiseOp(std::shared_ptr<CpuEngine> cpu, std::string op,
                 dnnl::algorithm algorithm, float alpha, float beta,
                 data_type type) {
  Binder bind = [cpu, op, algorithm, alpha, beta, type](
                    const float* x, float* y, std::size_t rows,
                    std::size_t cols) -> BoundKernel {
    try {
      const dnnl::memory::desc desc(
          {static_cast<dnnl::memory::dim>(rows * cols)}, type,
          dnnl::memory::format_tag::a);
      const dnnl::eltwise_forward::primitive_desc primitive_desc(
          {dnnl::prop_kind::forward_inference, algorithm, desc, alpha, beta},
          cpu->engine);
      return Bind(cpu, dnnl::eltwise_forward(primitive_desc), desc, x, y,
                  rows * cols);
    } catch (const dnnl::error& e) {
      std::cerr << "onednn: could not create " << op << ": " << e.what()
                << "\n";
      return {};
    }
  };
  return {std::move(op), std::move(bind)};
}

PeerOp SoftmaxOp(std::shared_ptr<CpuEngine> cpu, std::string op,
                 dnnl::algorithm algorithm, data_type type) {
  Binder bind = [cpu, op, algorithm, type](const float* x, float* y,
                                           std::size_t rows,
                                           std::size_t cols) -> BoundKernel {
    try {
      const dnnl::memory::desc desc({static_cast<dnnl::memory::dim>(rows),
                                     static_cast<dnnl::memory::dim>(cols)},
                                    type, dnnl::memory::format_tag::ab);
      constexpr int kAlongRows = 1;
      const dnnl::softmax_v2_forward::primitive_desc primitive_desc(
          {dnnl::prop_kind::forward_inference, algorithm, desc, desc,
           kAlongRows},
          cpu->engine);
      return Bind(cpu, dnnl::softmax_v2_forward(primitive_desc), desc, x, y,
                  rows * cols);
    } catch (const dnnl::error& e) {
      std::cerr << "onednn: could not create " << op << ": " << e.what()
                << "\n";
      return {};
    }
  };
  return {std::move(op), std::move(bind)};
}

// "onednn", or "onednn-<isa>" when the environment holds oneDNN to an ISA:
// oneDNN reads ONEDNN_MAX_CPU_ISA, then DNNL_MAX_CPU_ISA.
std::string VariantName() {
  for (const char* variable : {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"}) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') continue;
    std::string name = "onednn-";
    for (const char* c = value; *c != '\0'; ++c) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
    }
    return name;
  }
  return "onednn";
}

// The highest ISA oneDNN dispatches to here, as oneDNN spells it.
const char* EffectiveIsaName() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "another ISA";
  }
}

}  // namespace

OnednnEngineCalls MakeOnednnEngineCalls(const float* gate, const float* up,
                                        float* y, std::size_t n,
                                        const float* bias, float* c,
                                        std::size_t rows, std::size_t cols) {
  OnednnEngineCalls calls;
  const std::shared_ptr<CpuEngine> cpu = MakeCpuEngine("onednn engine calls");
  if (cpu == nullptr) return calls;
  using tag = dnnl::memory::format_tag;
  const auto dim = [](std::size_t v) {
    return static_cast<dnnl::memory::dim>(v);
  };
  // oneDNN's memory takes non-const handles; these are only read.
  const auto in = [](const float* p) { return const_cast<float*>(p); };
  const auto bind = [cpu](dnnl::primitive primitive, Arguments arguments) {
    return [cpu, primitive, arguments] {
      primitive.execute(cpu->stream, arguments);
      cpu->stream.wait();
      return true;
    };
  };
  try {
    const dnnl::memory::desc flat({dim(n)}, data_type::f32, tag::a);
    dnnl::post_ops ops;
    ops.append_binary(dnnl::algorithm::binary_mul, flat);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::eltwise_forward::primitive_desc pd(
        {dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_swish,
         flat, 1.0f, 0.0f},
        attr, cpu->engine);
    calls.swiglu =
        bind(dnnl::eltwise_forward(pd),
             {{DNNL_ARG_SRC, dnnl::memory(flat, cpu->engine, in(gate))},
              {DNNL_ARG_DST, dnnl::memory(flat, cpu->engine, y)},
              {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1,
               dnnl::memory(flat, cpu->engine, in(up))}});
    // Checked once, as every peer is.
    std::fill(y, y + n, 0.0f);
    calls.swiglu();
    for (std::size_t i = 0; i < n; i += n / 997 + 1) {
      const double g = gate[i];
      const double expected = g / (1.0 + std::exp(-g)) * up[i];
      if (std::fabs(y[i] - expected) > 1e-5 * std::fabs(expected) + 1e-30) {
        std::cerr << "onednn engine calls: swiglu gives " << y[i] << " at " << i
                  << ", not " << expected << "; left out\n";
        calls.swiglu = {};
        break;
      }
    }
  } catch (const dnnl::error& e) {
    std::cerr << "onednn engine calls: no swish with a binary_mul post-op: "
              << e.what() << "\n";
  }
  try {
    const dnnl::memory::desc tile({dim(rows), dim(cols)}, data_type::f32,
                                  tag::ab);
    const dnnl::memory::desc row({1, dim(cols)}, data_type::f32, tag::ab);
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0.0f, 0.0f);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::binary::primitive_desc pd(
        {dnnl::algorithm::binary_add, tile, row, tile}, attr, cpu->engine);
    const dnnl::memory tile_memory(tile, cpu->engine, c);
    calls.bias_gelu =
        bind(dnnl::binary(pd),
             {{DNNL_ARG_SRC_0, tile_memory},
              {DNNL_ARG_SRC_1, dnnl::memory(row, cpu->engine, in(bias))},
              {DNNL_ARG_DST, tile_memory}});
  } catch (const dnnl::error& e) {
    std::cerr << "onednn engine calls: no binary_add with a gelu post-op: "
              << e.what() << "\n";
  }
  return calls;
}

int SetOnednnToOneThread() {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
  omp_set_num_threads(1);
  return omp_get_max_threads();
#else
  return 1;  // a sequential build (CMake allows no other runtime)
#endif
}

namespace {

// The primitives on memory of `type`: f32 ("onednn"), bf16 or f16
// ("onednn-bf16", "onednn-f16").
Peer MakeOnednnPeerOf(data_type type) {
  const char* suffix = type == data_type::bf16  ? "-bf16"
                       : type == data_type::f16 ? "-f16"
                                                : "";
  Peer peer{VariantName() + suffix, "", {}};
  const std::shared_ptr<CpuEngine> cpu = MakeCpuEngine("skipping onednn");
  if (cpu == nullptr) return peer;
  const dnnl_version_t* version = dnnl_version();
  peer.description =
      "oneDNN " + std::to_string(version->major) + "." +
      std::to_string(version->minor) + "." + std::to_string(version->patch) +
      " (primitives created once, " + std::to_string(SetOnednnToOneThread()) +
      " thread, up to " + EffectiveIsaName() + ")" +
      (*suffix != '\0' ? std::string(", ") + (suffix + 1) + " memory" : "");
  if (type != data_type::f32) {
    // oneDNN 2.6 has f16 eltwise only with AVX512_FP16: find out here
    // rather than in every benchmark.
    try {
      const dnnl::memory::desc probe({16}, type, dnnl::memory::format_tag::a);
      dnnl::eltwise_forward::primitive_desc(
          {dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_relu,
           probe, 0.0f, 0.0f},
          cpu->engine);
    } catch (const dnnl::error& e) {
      std::cerr << "skipping " << peer.name << ": " << e.what() << "\n";
      return peer;
    }
  }
  using dnnl::algorithm;
  constexpr float kUnused = 0.0f;
  const struct {
    const char* op;
    algorithm kind;
    float alpha;
    float beta;
  } eltwise_ops[] = {
      {"relu", algorithm::eltwise_relu, 0.0f, kUnused},
      {"sigmoid", algorithm::eltwise_logistic, kUnused, kUnused},
      {"tanh", algorithm::eltwise_tanh, kUnused, kUnused},
      {"elu", algorithm::eltwise_elu, kEluAlpha, kUnused},
      {"softplus", algorithm::eltwise_soft_relu, kUnused, kUnused},
      {"gelu", algorithm::eltwise_gelu_erf, kUnused, kUnused},
      {"gelu_tanh", algorithm::eltwise_gelu_tanh, kUnused, kUnused},
      {"silu", algorithm::eltwise_swish, 1.0f, kUnused},  // x sigmoid(1 x)
      {"swish", algorithm::eltwise_swish, kSwishBeta, kUnused},
      {"clip", algorithm::eltwise_clip, kClipLo, kClipHi},
      {"mish", algorithm::eltwise_mish, kUnused, kUnused},
      {"hardswish", algorithm::eltwise_hardswish, kUnused, kUnused},
      {"leaky_relu", algorithm::eltwise_relu, kLeakySlope, kUnused},
  };
  for (const auto& e : eltwise_ops) {
    peer.ops.push_back(EltwiseOp(cpu, e.op, e.kind, e.alpha, e.beta, type));
  }
  peer.ops.push_back(
      SoftmaxOp(cpu, "softmax", algorithm::softmax_accurate, type));
  peer.ops.push_back(
      SoftmaxOp(cpu, "log_softmax", algorithm::softmax_log, type));
  return peer;
}

}  // namespace

Peer MakeOnednnPeer() { return MakeOnednnPeerOf(data_type::f32); }
Peer MakeOnednnPeer16(bool bf16) {
  return MakeOnednnPeerOf(bf16 ? data_type::bf16 : data_type::f16);
}

}  // namespace vact_bench
