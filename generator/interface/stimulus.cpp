// build_stimulus: register writes, weight beats and input beats of one layer, exactly as
// docs/interface.md orders and packs them.
#include "interface/stimulus.h"

#include <fmt/format.h>

#include "blocks/sparsemap.h"
#include "interface/coef_sparsemap.h"
#include "interface/layer_plan.h"
#include "interface/regmap.h"
#include "interface/weight_lanes.h"
#include "util/error.h"

namespace escgen {

static std::vector<RegWrite> register_writes(const Layer& l) {
  using namespace regmap;
  auto u = [](int v) { return static_cast<uint32_t>(v); };
  return {{kCIn, u(l.c_in)},
          {kCOut, u(l.c_out)},
          {kH, u(l.h)},
          {kW, u(l.w)},
          {kK, u(l.k)},
          {kStride, u(l.stride)},
          {kPad, u(l.pad)},
          {kD, u(l.d)},
          {kMode, l.output == OutputMode::Raw ? kModeRaw : kModeRequantRelu},
          {kCtrl, kCtrlStart}};
}

// The weight stream: items of one row each (wgt_lane_bits wide), packed weight_lanes rows per beat.
static std::vector<BitVec> weight_beats(const Config& c, const Layer& l) {
  const int bits = c.derived.wgt_lane_bits, rows = c.derived.rows, rw = c.row_width;
  const LayerGeometry geo = layer_geometry(c, l);
  const int groups = geo.groups, chunks = geo.chunks, items = geo.row_items;
  const ParamItem pi = param_item(c);
  std::vector<BitVec> beats;
  beats.reserve(static_cast<size_t>(geo.basis_beats + groups * rows * items));
  // The basis: tap i = j*k*k + p*k + q in beat i / T at bits [(i % T)*basis_bits +: basis_bits].
  const int T = c.derived.basis_taps_per_beat, taps = l.d * l.k * l.k;
  for (int a = 0; a * T < taps; ++a) {
    BitVec b(c.derived.wgt_bits);
    for (int i = a * T; i < std::min(taps, a * T + T); ++i)
      b.set((i % T) * c.basis_bits, c.basis_bits,
            static_cast<uint64_t>(l.b(i / (l.k * l.k), i / l.k % l.k, i % l.k)));
    beats.push_back(std::move(b));
  }
  for (int g = 0; g < groups; ++g)
    for (int r = 0; r < rows; ++r) {
      const int o = g * rows + r;
      if (o >= l.c_out) {
        for (int n = 0; n < items; ++n) beats.emplace_back(bits);  // all-zero items
        continue;
      }
      BitVec p(bits);  // the parameter item
      const auto put = [&](const ParamField& f, int64_t v) {
        p.set(f.lsb, f.width, static_cast<uint64_t>(v));
      };
      put(pi.bias, l.bias[static_cast<size_t>(o)]);
      put(pi.mult, l.scale[static_cast<size_t>(o)]);
      put(pi.shift, l.shift[static_cast<size_t>(o)]);
      beats.push_back(std::move(p));
      const std::span<const int8_t> coef(l.coef.data() + static_cast<size_t>(o) * l.c_in * l.d,
                                         static_cast<size_t>(l.c_in) * l.d);
      const CoefSparseMap map = encode_coef_sparsemap(coef, l.c_in, l.d, rw);
      for (int ch = 0; ch < chunks; ++ch) {  // one beat per chunk: basis j at [j*2*rw +: 2*rw]
        BitVec b(bits);
        for (int j = 0; j < l.d; ++j) {
          const CoefSparseMapEntry& e = map.at(ch, j);
          for (int i = 0; i < rw; ++i) {
            b.set(j * 2 * rw + i, 1, e.mask[static_cast<size_t>(i)]);
            b.set(j * 2 * rw + rw + i, 1, e.sign[static_cast<size_t>(i)]);
          }
        }
        beats.push_back(std::move(b));
      }
    }
  return pack_weight_lanes(c, geo.basis_beats, items, beats);
}

static std::vector<BitVec> input_beats(const Config& c, const Layer& l,
                                       std::span<const uint16_t> x) {
  const int rw = c.row_width, ab = c.act_bits, chunks = layer_chunks(c, l);
  // One group's beats; every group sends the same input again.
  std::vector<BitVec> once;
  once.reserve(static_cast<size_t>(l.h * l.w * chunks));
  std::vector<uint64_t> dense(static_cast<size_t>(rw));
  for (int y = 0; y < l.h; ++y)
    for (int xx = 0; xx < l.w; ++xx)
      for (int ch = 0; ch < chunks; ++ch) {
        for (int i = 0; i < rw; ++i) {
          const int ci = ch * rw + i;
          dense[static_cast<size_t>(i)] =
              ci < l.c_in ? x[(static_cast<size_t>(ci) * l.h + y) * l.w + xx] : 0;
        }
        const blocks::SparseMapChunk e = blocks::sparsemap_encode(dense);
        BitVec b(c.derived.input_entry_bits);
        for (int i = 0; i < rw; ++i) b.set(i, 1, e.mask[static_cast<size_t>(i)]);
        for (int n = 0; n < e.count; ++n) b.set(rw + n * ab, ab, e.packed[static_cast<size_t>(n)]);
        once.push_back(std::move(b));
      }
  std::vector<BitVec> beats;
  const int groups = layer_groups(c, l);
  beats.reserve(once.size() * static_cast<size_t>(groups));
  for (int g = 0; g < groups; ++g) beats.insert(beats.end(), once.begin(), once.end());
  return beats;
}

Stimulus build_stimulus(const Config& c, const Layer& l, std::span<const uint16_t> x) {
  if (x.size() != static_cast<size_t>(l.c_in) * l.h * l.w)
    throw InternalError(fmt::format("build_stimulus: x has {} values, the layer needs {}", x.size(),
                                    static_cast<size_t>(l.c_in) * l.h * l.w));
  Stimulus s;
  s.wgt_bits = c.derived.wgt_bits;
  s.act_bits = c.derived.input_entry_bits;
  s.out_bits = c.derived.out_beat_bits;
  s.regs = register_writes(l);
  s.wgt = weight_beats(c, l);
  s.act = input_beats(c, l, x);
  s.out_beats = layer_geometry(c, l).output_beats;
  return s;
}

void append_stimulus(Stimulus& into, const Stimulus& next) {
  if (into.wgt_bits != next.wgt_bits || into.act_bits != next.act_bits ||
      into.out_bits != next.out_bits)
    throw InternalError("append_stimulus: the layers' beat widths differ");
  into.regs.insert(into.regs.end(), next.regs.begin(), next.regs.end());
  into.wgt.insert(into.wgt.end(), next.wgt.begin(), next.wgt.end());
  into.act.insert(into.act.end(), next.act.begin(), next.act.end());
  into.out_beats += next.out_beats;
}

}  // namespace escgen
