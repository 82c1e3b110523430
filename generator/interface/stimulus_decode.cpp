// Decoding accelerator beats: output beats into the layer's output tensor, and (for tests) the
// weight and input beats back into the layer's tensors and x (see stimulus.h).
#include <fmt/format.h>

#include "blocks/sparsemap.h"
#include "interface/layer_plan.h"
#include "interface/stimulus.h"
#include "interface/weight_lanes.h"
#include "util/error.h"

namespace escgen {

std::vector<int64_t> decode_output(const Config& c, const Layer& l, std::span<const BitVec> beats) {
  const int rows = c.derived.rows, lane = c.derived.out_lane_bits;
  const LayerGeometry geo = layer_geometry(c, l);
  const int groups = geo.groups, pixels = l.h_out() * l.w_out();
  if (static_cast<int64_t>(beats.size()) != geo.output_beats)
    throw InternalError(fmt::format("output stream: {} beats, expected {} ({} groups x {}x{})",
                                    beats.size(), geo.output_beats, groups, l.h_out(), l.w_out()));
  std::vector<int64_t> y(static_cast<size_t>(l.c_out) * pixels);
  for (int g = 0; g < groups; ++g)
    for (int p = 0; p < pixels; ++p) {
      const BitVec& b = beats[static_cast<size_t>(g) * pixels + p];
      if (b.width() != c.derived.out_beat_bits)
        throw InternalError(fmt::format("output beat {}: {} bits, expected {}", g * pixels + p,
                                        b.width(), c.derived.out_beat_bits));
      for (int r = 0; r < rows; ++r) {
        const int o = g * rows + r;
        if (o >= l.c_out) {
          if (b.get(r * lane, lane) != 0)
            throw InternalError(fmt::format(
                "output beat {} (group {}, pixel {}): lane {} has no output channel but is not 0",
                g * pixels + p, g, p, r));
          continue;
        }
        y[static_cast<size_t>(o) * pixels + p] = l.output == OutputMode::Raw
                                                     ? b.get_signed(r * lane, lane)
                                                     : static_cast<int64_t>(b.get(r * lane, lane));
      }
    }
  return y;
}

DecodedWeights decode_weights(const Config& c, const Layer& l, std::span<const BitVec> beats) {
  const int rows = c.derived.rows, rw = c.row_width;
  const int groups = layer_groups(c, l), chunks = layer_chunks(c, l);
  const int nb = layer_basis_beats(c, l), T = c.derived.basis_taps_per_beat;
  const int items = layer_row_items(c, l);
  const ParamItem pi = param_item(c);
  const size_t expected =
      static_cast<size_t>(nb) + static_cast<size_t>(groups * rows / c.weight_lanes * items);
  if (beats.size() != expected)
    throw InternalError(
        fmt::format("weight stream: {} beats, expected {}", beats.size(), expected));
  const std::vector<BitVec> wgt = unpack_weight_lanes(c, nb, items, beats);
  DecodedWeights w;
  for (int t = 0; t < l.d * l.k * l.k; ++t)
    w.basis.push_back(static_cast<int32_t>(
        wgt[static_cast<size_t>(t / T)].get_signed((t % T) * c.basis_bits, c.basis_bits)));
  size_t n = static_cast<size_t>(nb);
  w.coef.assign(static_cast<size_t>(l.c_out) * l.c_in * l.d, 0);
  for (int g = 0; g < groups; ++g)
    for (int r = 0; r < rows; ++r) {
      const int o = g * rows + r;
      if (o >= l.c_out) {
        n += static_cast<size_t>(items);
        continue;
      }
      const BitVec& p = wgt[n++];  // the parameter item
      w.bias.push_back(static_cast<int32_t>(p.get_signed(pi.bias.lsb, pi.bias.width)));
      w.scale.push_back(static_cast<int32_t>(p.get(pi.mult.lsb, pi.mult.width)));
      w.shift.push_back(static_cast<int32_t>(p.get(pi.shift.lsb, pi.shift.width)));
      for (int ch = 0; ch < chunks; ++ch) {
        const BitVec& b = wgt[n++];
        for (int j = 0; j < l.d; ++j)
          for (int i = 0; i < rw; ++i) {
            const int ci = ch * rw + i, at = j * 2 * rw;
            if (ci >= l.c_in || !b.get(at + i, 1)) continue;
            w.coef[(static_cast<size_t>(o) * l.c_in + ci) * l.d + j] =
                b.get(at + rw + i, 1) ? -1 : 1;
          }
      }
    }
  return w;
}

std::vector<uint16_t> decode_inputs(const Config& c, const Layer& l, std::span<const BitVec> act) {
  const int rw = c.row_width, ab = c.act_bits, chunks = layer_chunks(c, l);
  const size_t per_group = static_cast<size_t>(l.h) * l.w * chunks;
  if (act.size() != per_group * static_cast<size_t>(layer_groups(c, l)))
    throw InternalError(fmt::format("input stream: {} beats, expected {}", act.size(),
                                    per_group * static_cast<size_t>(layer_groups(c, l))));
  for (size_t n = per_group; n < act.size(); ++n)
    if (!(act[n] == act[n % per_group]))
      throw InternalError(
          fmt::format("input beat {} differs from group 0's beat {}", n, n % per_group));
  std::vector<uint16_t> x(static_cast<size_t>(l.c_in) * l.h * l.w);
  size_t n = 0;
  std::vector<uint8_t> mask(static_cast<size_t>(rw));
  std::vector<uint64_t> packed(static_cast<size_t>(rw));
  for (int y = 0; y < l.h; ++y)
    for (int xx = 0; xx < l.w; ++xx)
      for (int ch = 0; ch < chunks; ++ch) {
        const BitVec& b = act[n++];
        for (int i = 0; i < rw; ++i) {
          mask[static_cast<size_t>(i)] = static_cast<uint8_t>(b.get(i, 1));
          packed[static_cast<size_t>(i)] = b.get(rw + i * ab, ab);
        }
        const std::vector<uint64_t> dense = blocks::sparsemap_decode(mask, packed);
        for (int i = 0; i < rw; ++i) {
          const int ci = ch * rw + i;
          if (ci < l.c_in)
            x[(static_cast<size_t>(ci) * l.h + y) * l.w + xx] =
                static_cast<uint16_t>(dense[static_cast<size_t>(i)]);
          else if (dense[static_cast<size_t>(i)] != 0)
            throw InternalError(fmt::format("input beat {}: lane {} past c_in is not 0", n - 1, i));
        }
      }
  return x;
}

}  // namespace escgen
