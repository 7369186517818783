// SPDX-License-Identifier: Apache-2.0
//
// Peer "xnnpack": XNNPACK's operator API (Debian's 2022-02 snapshot). The
// library is initialised once; each operator is created and set up on its
// buffers once, outside the timed loop, and timed through xnn_run_operator
// with no thread pool (nullptr), so it runs on the calling thread. This
// version has f32 sigmoid, ELU, hardswish, leaky ReLU, clamp (our relu and
// clip) and softmax; no tanh, GELU or log-softmax; in f16 ("xnnpack-f16"),
// clamp, hardswish and leaky ReLU.

#include <xnnpack.h>

#include <iostream>
#include <limits>
#include <memory>
#include <utility>

#include "op_constants.h"
#include "peers.h"

namespace vact_bench {
namespace {

// Creates an operator for rows of `channels` contiguous floats.
using CreateOperator =
    std::function<xnn_status(std::size_t channels, xnn_operator_t* op)>;
// Binds an operator to a batch of rows (xnn_setup_<op>_nc_f32).
using SetupOperator = xnn_status (*)(xnn_operator_t op, std::size_t batch_size,
                                     const float* input, float* output,
                                     pthreadpool_t threadpool);
// The same for the f16 operators (xnn_setup_<op>_nc_f16).
using SetupOperator16 = xnn_status (*)(xnn_operator_t op,
                                       std::size_t batch_size,
                                       const void* input, void* output,
                                       pthreadpool_t threadpool);

// An f32 operator on x and y, or (setup16) an f16 one on Storage16Operands
// made from x, whose first output is widened into y.
PeerOp XnnpackOp(std::string op, CreateOperator create, SetupOperator setup,
                 SetupOperator16 setup16 = nullptr) {
  Binder bind = [op, create, setup, setup16](const float* x, float* y,
                                             std::size_t rows,
                                             std::size_t cols) -> BoundKernel {
    xnn_operator_t raw = nullptr;
    if (create(cols, &raw) != xnn_status_success) {
      std::cerr << "xnnpack: could not create the " << op << " operator\n";
      return {};
    }
    // shared_ptr: a std::function must be copyable.
    std::shared_ptr<xnn_operator> instance(raw, xnn_delete_operator);
    std::shared_ptr<Storage16Operands> operands;
    xnn_status status;
    if (setup16 != nullptr) {
      operands = std::make_shared<Storage16Operands>(false, x, rows * cols);
      status = setup16(instance.get(), rows, operands->in.data(),
                       operands->out.data(), nullptr);
    } else {
      status = setup(instance.get(), rows, x, y, nullptr);
    }
    if (status != xnn_status_success) {
      std::cerr << "xnnpack: could not set up the " << op << " operator\n";
      return {};
    }
    const auto run = [instance, operands] {
      return xnn_run_operator(instance.get(), nullptr) == xnn_status_success;
    };
    if (operands != nullptr) {
      if (!run()) return {};
      operands->WidenOutput(y);
    }
    return run;
  };
  return {std::move(op), std::move(bind)};
}

}  // namespace

Peer MakeXnnpackPeer() {
  Peer peer{"xnnpack", "", {}};
  if (xnn_initialize(nullptr) != xnn_status_success) {
    std::cerr << "skipping xnnpack: xnn_initialize failed (unsupported CPU?)\n";
    return peer;
  }
  peer.description = "XNNPACK (operator API, created once, no thread pool)";
  constexpr std::uint32_t kNoFlags = 0;
  peer.ops.push_back(XnnpackOp(
      "relu",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_clamp_nc_f32(c, c, c, 0.0f,
                                       std::numeric_limits<float>::infinity(),
                                       kNoFlags, op);
      },
      xnn_setup_clamp_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "clip",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_clamp_nc_f32(c, c, c, kClipLo, kClipHi, kNoFlags, op);
      },
      xnn_setup_clamp_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "sigmoid",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_sigmoid_nc_f32(c, c, c, kNoFlags, op);
      },
      xnn_setup_sigmoid_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "elu",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_elu_nc_f32(c, c, c, kEluAlpha, kNoFlags, op);
      },
      xnn_setup_elu_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "hardswish",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_hardswish_nc_f32(c, c, c, kNoFlags, op);
      },
      xnn_setup_hardswish_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "leaky_relu",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_leaky_relu_nc_f32(c, c, c, kLeakySlope, kNoFlags, op);
      },
      xnn_setup_leaky_relu_nc_f32));
  peer.ops.push_back(XnnpackOp(
      "softmax",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_softmax_nc_f32(c, c, c, kNoFlags, op);
      },
      xnn_setup_softmax_nc_f32));
  return peer;
}

Peer MakeXnnpackF16Peer() {
  Peer peer{"xnnpack-f16", "", {}};
  if (xnn_initialize(nullptr) != xnn_status_success) {
    std::cerr << "skipping xnnpack-f16: xnn_initialize failed\n";
    return peer;
  }
  peer.description =
      "XNNPACK f16 operators (clamp as relu, hardswish, leaky ReLU; this "
      "version has no f16 sigmoid, ELU or softmax)";
  constexpr std::uint32_t kNoFlags = 0;
  peer.ops.push_back(XnnpackOp(
      "relu",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_clamp_nc_f16(c, c, c, 0.0f,
                                       std::numeric_limits<float>::infinity(),
                                       kNoFlags, op);
      },
      nullptr, xnn_setup_clamp_nc_f16));
  peer.ops.push_back(XnnpackOp(
      "hardswish",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_hardswish_nc_f16(c, c, c, kNoFlags, op);
      },
      nullptr, xnn_setup_hardswish_nc_f16));
  peer.ops.push_back(XnnpackOp(
      "leaky_relu",
      [](std::size_t c, xnn_operator_t* op) {
        return xnn_create_leaky_relu_nc_f16(c, c, c, kLeakySlope, kNoFlags, op);
      },
      nullptr, xnn_setup_leaky_relu_nc_f16));
  return peer;
}

}  // namespace vact_bench
