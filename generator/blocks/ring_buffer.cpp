// Ring input buffer generator and cycle model (see ring_buffer.h).
//
//   depth 3, readers 2, after writes a b c and reader 0 fetching a, b:
//     seen = [1 1 0] (entry 0 = a, 1 = b, 2 = c), in_ready = 0 (no free entry)
//   reader 1 fetches a: seen[0] = 2 = readers, entry 0 is free, in_ready rises at that edge.
//   A free entry's counter holds `readers` (reset value): "consumed by everyone".
#include "blocks/ring_buffer.h"

#include <fmt/format.h>

#include "blocks/regfile.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::bit;
using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

std::string build_ring_buffer(netlist::Design& design, const RingBufferParams& p) {
  if (p.depth < 2) throw InternalError(fmt::format("ring_buffer: depth {} < 2", p.depth));
  if (p.entry_bits < 1) throw InternalError("ring_buffer: entry_bits must be >= 1");
  if (p.readers < 1) throw InternalError("ring_buffer: readers must be >= 1");
  const int d = p.depth, w = p.entry_bits, nr = p.readers;
  const std::string name = fmt::format("escgen_ring_buffer_d{}_b{}_r{}", d, w, nr);
  if (design.has(name)) return name;
  const int pb = pointer_bits(d);
  const int cb = bits_for(static_cast<uint64_t>(nr));  // per-entry reader counter
  const int ab = bits_for(static_cast<uint64_t>(d));   // per-reader count of unread entries
  const std::string all_seen = lit(cb, static_cast<uint64_t>(nr));

  Module m(name, fmt::format("ring input buffer, {} x {} bits, shared by {} readers", d, w, nr));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered: the entry at the write pointer is free");
  m.input("in_data", w);
  m.output("out_valid", nr, "per reader, registered");
  m.input("out_ready", nr, "per reader");
  m.output("out_data", nr * w, "reader r at [r*entry_bits +: entry_bits], registered");

  // Write side.
  m.wire("in_fire", 1);
  m.assign("in_fire", "in_valid & ready_q");
  m.reg("wr_ptr", pb, wrap_increment("wr_ptr", d), "in_fire", lit(pb, 0));
  add_decoder(m, "wr_sel", "wr_ptr", d);
  const auto entries = add_entries(m, "mem", d, w, "in_fire", "wr_sel", "in_data");

  // Read side: one pointer, unread-entry count and two output registers per reader, the head
  // (out_data) and a spare. The reader fetches whenever its spare is empty: a decision from
  // registers only, so out_ready steers the head/spare multiplexers and nothing else (no pointer,
  // counter or in_ready depends on it). (Per-reader vectors are scalars when there is one
  // reader: no bit select then.)
  auto per_reader = [nr](const char* net, int r) {
    return nr == 1 ? std::string(net) : bit(net, r);
  };
  m.wire("fetch", nr, "reader r loads the entry at its pointer into its head");
  std::vector<std::string> valids, heads;
  for (int r = nr - 1; r >= 0; --r) {
    const std::string ptr = fmt::format("rd_ptr_r{}", r), sel = fmt::format("rd_sel_r{}", r);
    const std::string avail = fmt::format("avail_r{}", r), take = fmt::format("take_r{}", r);
    const std::string valid = fmt::format("valid_r{}", r), head = fmt::format("head_r{}", r);
    const std::string spare = fmt::format("spare_r{}", r), sv = fmt::format("spare_v_r{}", r);
    const std::string rdata = fmt::format("rd_data_r{}", r), f = per_reader("fetch", r);
    const std::string one = lit(ab, 1);
    m.wire(take, 1, fmt::format("reader {}: the head is taken", r));
    m.assign(take, fmt::format("{} & {}", valid, per_reader("out_ready", r)));
    m.assign(f, fmt::format("~{} & ({} != {})", sv, avail, lit(ab, 0)));
    m.reg(ptr, pb, wrap_increment(ptr, d), f, lit(pb, 0));
    add_decoder(m, sel, ptr, d);
    m.reg(avail, ab,
          fmt::format("(in_fire & ~{0}) ? {1} + {2} : (~in_fire & {0}) ? {1} - {2} : {1}", f, avail,
                      one),
          "", lit(ab, 0), fmt::format("reader {}: entries written, not yet fetched", r));
    add_read_mux(m, rdata, entries, w, sel);
    // Head: from the spare when the head is taken with a spare held, else from the fetch when
    // the head is empty or taken. Spare: the fetch when the head stays.
    m.reg(valid, 1, fmt::format("({} & ~{}) | {} | {}", valid, take, sv, f), "", lit(1, 0),
          fmt::format("reader {}: head valid", r));
    m.reg(head, w, fmt::format("({} & {}) ? {} : {}", take, sv, spare, rdata),
          fmt::format("({0} & {1}) | ({2} & (~{3} | {0}))", take, sv, f, valid), {},
          fmt::format("reader {}: output register", r));
    m.reg(sv, 1, fmt::format("({0} & ~{1}) | ({2} & {3} & ~{1})", sv, take, f, valid), "",
          lit(1, 0), fmt::format("reader {}: spare valid", r));
    m.reg(spare, w, rdata, fmt::format("{} & {} & ~{}", f, valid, take), {},
          fmt::format("reader {}: spare register (fetched while the head waits)", r));
    valids.push_back(valid);
    heads.push_back(head);
  }

  // Per-entry counters of readers that have consumed the entry; `readers` means free.
  m.wire("free_next", d, "entry free after this edge");
  for (int i = 0; i < d; ++i) {
    const std::string seen = fmt::format("seen_{}", i), next = fmt::format("seen_next_{}", i);
    std::string sum = seen;
    for (int r = 0; r < nr; ++r)
      sum +=
          " + " + zext(fmt::format("({} & rd_sel_r{}[{}])", per_reader("fetch", r), r, i), 1, cb);
    m.wire(next, cb);
    m.assign(next, fmt::format("(in_fire & {}) ? {} : {}", bit("wr_sel", i), lit(cb, 0), sum));
    m.reg(seen, cb, next, "", all_seen, fmt::format("readers that have consumed entry {}", i));
    m.assign(bit("free_next", i), fmt::format("{} == {}", next, all_seen));
  }
  // Ready for the next cycle: the entry the write pointer will point at is free.
  m.wire("wr_sel_next", d);
  m.assign("wr_sel_next", fmt::format("in_fire ? {} : wr_sel",
                                      cat({slice("wr_sel", d - 2, 0), bit("wr_sel", d - 1)})));
  m.reg("ready_q", 1, "|(free_next & wr_sel_next)", "", lit(1, 1));

  m.assign("in_ready", "ready_q");
  m.assign("out_valid", cat(valids));
  m.assign("out_data", cat(heads));
  design.add(std::move(m));
  return name;
}

RingBufferModel::RingBufferModel(const RingBufferParams& p)
    : depth_(p.depth),
      readers_(p.readers),
      next_(static_cast<size_t>(p.readers), 0),
      held_(static_cast<size_t>(p.readers)) {
  if (p.depth < 1 || p.readers < 1) throw InternalError("RingBufferModel: bad parameters");
}

uint64_t RingBufferModel::out_data(int r) const {
  const auto& h = held_.at(static_cast<size_t>(r));
  if (h.empty()) throw InternalError(fmt::format("RingBufferModel: reader {} has no item", r));
  return h.front();
}

bool RingBufferModel::step(bool in_valid, uint64_t in_data, const std::vector<bool>& out_ready,
                           std::vector<bool>* taken) {
  if (static_cast<int>(out_ready.size()) != readers_)
    throw InternalError("RingBufferModel: one out_ready per reader");
  const bool write = in_valid && in_ready();
  const uint64_t end = base_ + entries_.size();  // entries written before this edge
  if (taken) taken->assign(out_ready.size(), false);
  for (size_t r = 0; r < held_.size(); ++r) {
    auto& h = held_[r];
    const bool fetch = h.size() < 2 && next_[r] < end;  // the spare was empty before the edge
    const bool take = !h.empty() && out_ready[r];
    if (taken) (*taken)[r] = take;
    if (take) h.pop_front();
    if (fetch) {
      Entry& e = entries_[static_cast<size_t>(next_[r] - base_)];
      h.push_back(e.data);
      ++e.seen;
      ++next_[r];
    }
  }
  while (!entries_.empty() && entries_.front().seen == readers_) {
    entries_.pop_front();
    ++base_;
  }
  if (write) entries_.push_back({in_data, 0});
  return write;
}

}  // namespace escgen::blocks
