// SPDX-License-Identifier: Apache-2.0
//
// Peer "xnnpack": XNNPACK's operator API (Debian's 2022-02 snapshot). The
// library is initialised once; each operator is created and set up on its
// buffers once, outside the timed loop, and timed through xnn_run_operator
// with no thread pool (nullptr), so it runs on the calling thread. This
// version has f32 sigmoid, ELU, hardswish, leaky ReLU, clamp (our relu) and
// softmax; no tanh, GELU or log-softmax.

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

PeerOp XnnpackOp(std::string op, CreateOperator create, SetupOperator setup) {
  Binder bind = [op, create, setup](const float* x, float* y, std::size_t rows,
                                    std::size_t cols) -> BoundKernel {
    xnn_operator_t raw = nullptr;
    if (create(cols, &raw) != xnn_status_success) {
      std::cerr << "xnnpack: could not create the " << op << " operator\n";
      return {};
    }
    // shared_ptr: a std::function must be copyable.
    std::shared_ptr<xnn_operator> instance(raw, xnn_delete_operator);
    if (setup(instance.get(), rows, x, y, nullptr) != xnn_status_success) {
      std::cerr << "xnnpack: could not set up the " << op << " operator\n";
      return {};
    }
    return [instance] {
      return xnn_run_operator(instance.get(), nullptr) == xnn_status_success;
    };
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

}  // namespace vact_bench
