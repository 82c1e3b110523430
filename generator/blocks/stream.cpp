// Skid buffer and FIFO generators and their queue model (see stream.h).
//
//   skid buffer, output stalled for one cycle while two items arrive:
//     cycle 0: in a accepted           -> main = a
//     cycle 1: out stalls, in b accepted -> skid = b, in_ready drops (registered)
//     cycle 2: out takes a              -> main = b, skid empty, in_ready rises
//   FIFO depth 3: head register + 2 storage registers; count/full/empty follow each edge.
#include "blocks/stream.h"

#include <fmt/format.h>

#include "blocks/regfile.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::lit;
using netlist::Module;

void stream_ports(Module& m, int w) {
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
  m.input("in_data", w);
  m.output("out_valid", 1, "registered");
  m.input("out_ready", 1);
  m.output("out_data", w, "registered");
}

}  // namespace

std::string build_skid_buffer(netlist::Design& design, const SkidBufferParams& p) {
  if (p.data_bits < 1) throw InternalError("skid_buffer: data_bits must be >= 1");
  const int w = p.data_bits;
  const std::string name = fmt::format("escgen_skid_buffer_b{}", w);
  if (design.has(name)) return name;
  Module m(name, fmt::format("2-entry skid buffer, {}-bit payload, registered valid/ready", w));
  stream_ports(m, w);
  m.wire("in_fire", 1);
  m.wire("load", 1, "main register free: empty or being taken");
  m.assign("in_fire", "in_valid & ready_q");
  m.assign("load", "out_ready | ~valid_q");
  m.reg("valid_q", 1, "in_fire | ~ready_q", "load", lit(1, 0), "main register holds an item");
  m.reg("ready_q", 1, "load | (ready_q & ~in_fire)", "", lit(1, 1), "skid register is empty");
  m.reg("data_q", w, "ready_q ? in_data : skid_q", "load", {}, "main register");
  m.reg("skid_q", w, "in_data", "ready_q", {}, "catches an item accepted while out stalls");
  m.assign("in_ready", "ready_q");
  m.assign("out_valid", "valid_q");
  m.assign("out_data", "data_q");
  design.add(std::move(m));
  return name;
}

std::string build_fifo(netlist::Design& design, const FifoParams& p) {
  if (p.depth < 2) throw InternalError(fmt::format("fifo: depth {} < 2", p.depth));
  if (p.data_bits < 1) throw InternalError("fifo: data_bits must be >= 1");
  const int d = p.depth, w = p.data_bits;
  const std::string name = fmt::format("escgen_fifo_d{}_b{}{}", d, w, p.with_status ? "" : "_ns");
  if (design.has(name)) return name;
  const int sd = d - 1;  // storage entries behind the head register
  const int cb = bits_for(static_cast<uint64_t>(d));
  const int pb = pointer_bits(sd);
  const auto one = lit(cb, 1);

  Module m(name,
           fmt::format("synchronous FIFO, {} x {} bits, registered outputs and status", d, w));
  stream_ports(m, w);
  if (p.with_status) {
    m.output("count", cb, "items held (registered)");
    m.output("full", 1, "registered");
    m.output("empty", 1, "registered");
  }

  m.wire("in_fire", 1);
  m.wire("out_fire", 1);
  m.wire("head_free", 1, "head register loads this cycle");
  m.wire("store_empty", 1, "no item behind the head");
  m.wire("store_push", 1, "the incoming item goes to storage");
  m.wire("count_next", cb);
  m.assign("in_fire", "in_valid & ready_q");
  m.assign("out_fire", "valid_q & out_ready");
  m.assign("head_free", "out_fire | ~valid_q");
  m.assign("store_empty", fmt::format("count_q < {}", lit(cb, 2)));
  m.assign("store_push", "in_fire & ~(head_free & store_empty)");
  m.assign("count_next", fmt::format("(in_fire & ~out_fire) ? count_q + {} : "
                                     "(~in_fire & out_fire) ? count_q - {} : count_q",
                                     one, one));

  m.reg("count_q", cb, "count_next", "", lit(cb, 0));
  m.reg("valid_q", 1, fmt::format("count_next != {}", lit(cb, 0)), "", lit(1, 0));
  m.reg("ready_q", 1, fmt::format("count_next != {}", lit(cb, static_cast<uint64_t>(d))), "",
        lit(1, 1));
  if (p.with_status) {
    m.reg("full_q", 1, fmt::format("count_next == {}", lit(cb, static_cast<uint64_t>(d))), "",
          lit(1, 0));
    m.reg("empty_q", 1, fmt::format("count_next == {}", lit(cb, 0)), "", lit(1, 1));
  }

  if (pb > 0) {  // more than one storage entry: wrapping pointers (a single entry needs none)
    m.wire("store_pop", 1, "the head takes the oldest stored item");
    m.assign("store_pop", "head_free & ~store_empty");
    m.reg("wr_ptr", pb, wrap_increment("wr_ptr", sd), "store_push", lit(pb, 0));
    m.reg("rd_ptr", pb, wrap_increment("rd_ptr", sd), "store_pop", lit(pb, 0));
    add_decoder(m, "wr_sel", "wr_ptr", sd);
    add_decoder(m, "rd_sel", "rd_ptr", sd);
  }
  const auto entries = add_entries(m, "mem", sd, w, "store_push", "wr_sel", "in_data");
  add_read_mux(m, "store_head", entries, w, "rd_sel");
  m.reg("head_q", w, "store_empty ? in_data : store_head", "head_free", {}, "output register");

  m.assign("in_ready", "ready_q");
  m.assign("out_valid", "valid_q");
  m.assign("out_data", "head_q");
  if (p.with_status) {
    m.assign("count", "count_q");
    m.assign("full", "full_q");
    m.assign("empty", "empty_q");
  }
  design.add(std::move(m));
  return name;
}

StreamQueueModel::StreamQueueModel(int capacity) : capacity_(capacity) {
  if (capacity < 1) throw InternalError("StreamQueueModel: capacity must be >= 1");
}

uint64_t StreamQueueModel::out_data() const {
  if (q_.empty()) throw InternalError("StreamQueueModel: out_data of an empty queue");
  return q_.front();
}

StreamQueueModel::Fired StreamQueueModel::step(bool in_valid, uint64_t in_data, bool out_ready) {
  Fired f{in_valid && in_ready(), out_ready && out_valid()};
  if (f.out) q_.pop_front();
  if (f.in) q_.push_back(in_data);
  return f;
}

}  // namespace escgen::blocks
