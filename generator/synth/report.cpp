// Synthesis report writers (see report.h).
#include "synth/report.h"

#include <fmt/format.h>

#include "netlist/verilog_writer.h"
#include "synth/limiters.h"

namespace escgen::synth {

using Json = nlohmann::ordered_json;

namespace {

Json path_json(const std::optional<StaPath>& p) {
  if (!p) return nullptr;
  return Json{{"startpoint", p->startpoint}, {"endpoint", p->endpoint},
              {"arrival_ns", p->arrival_ns}, {"required_ns", p->required_ns},
              {"slack_ns", p->slack_ns},     {"met", p->met}};
}

Json tree_json(const InstanceNode& n) {
  Json children = Json::array();
  for (const InstanceNode& c : n.children) children.push_back(tree_json(c));
  return Json{{"instance", n.instance},
              {"module", n.module},
              {"own_area", n.own_area},
              {"subtree_area", n.subtree_area},
              {"children", children}};
}

std::optional<StaPath> section(const StaLog& log, const std::string& name) {
  auto it = log.paths.find(name);
  return it == log.paths.end() ? std::nullopt : it->second;
}

Json timing_json(const SynthResult& r) {
  if (!r.sta) return Json{{"analysed", false}, {"why", "no liberty: generic gates have no timing"}};
  const StaLog& s = *r.sta;
  Json t{{"analysed", true},
         {"corner", "liberty default operating conditions (osu018: typical)"},
         {"clock", s.clock},
         {"period_ns", r.options.clock_ns}};
  t["worst_setup_slack_ns"] = s.worst_setup_slack_ns ? Json(*s.worst_setup_slack_ns) : Json();
  t["worst_hold_slack_ns"] = s.worst_hold_slack_ns ? Json(*s.worst_hold_slack_ns) : Json();
  Json fmax;
  if (s.worst_setup_slack_ns && r.options.clock_ns - *s.worst_setup_slack_ns > 0) {
    const double min_period = r.options.clock_ns - *s.worst_setup_slack_ns;
    t["min_period_ns"] = min_period;
    fmax = 1000.0 / min_period;
  } else {
    t["min_period_ns"] = nullptr;
  }
  t["fmax_mhz"] = fmax;
  t["setup_met"] = s.worst_setup_slack_ns ? Json(*s.worst_setup_slack_ns >= 0) : Json();
  t["critical_path"] = path_json(section(s, "critical"));
  t["path_groups"] = Json{{"reg_to_reg", path_json(section(s, "reg_to_reg"))},
                          {"in_to_reg", path_json(section(s, "in_to_reg"))},
                          {"reg_to_out", path_json(section(s, "reg_to_out"))},
                          {"in_to_out", path_json(section(s, "in_to_out"))}};
  t["hold_path"] = path_json(section(s, "hold"));
  Json groups = Json::array();
  for (const LimiterGroup& g : group_limiters(s.limiters)) {
    const double period = r.options.clock_ns - g.worst_slack_ns;
    groups.push_back(Json{{"from", g.from},
                          {"to", g.to},
                          {"endpoints", g.endpoints},
                          {"worst_slack_ns", g.worst_slack_ns},
                          {"worst_arrival_ns", g.worst_arrival_ns},
                          {"fmax_alone_mhz", period > 0 ? Json(1000.0 / period) : Json()},
                          {"example_start", g.example_start},
                          {"example_end", g.example_end}});
  }
  t["limiters"] = Json{{"endpoints_analysed", s.limiters.size()}, {"groups", groups}};
  return t;
}

std::string fixed(const Json& v, int digits) {
  if (v.is_null()) return "-";
  return fmt::format("{:.{}f}", v.get<double>(), digits);
}

// The first kLimiterRows groups of timing.limiters; report.json has them all.
constexpr size_t kLimiterRows = 25;

void limiters_markdown(const Json& t, std::string& md) {
  const Json& l = t["limiters"];
  const Json& g = l["groups"];
  md += fmt::format(
      "\n## Limiters\n\nThe worst path to each of the {} worst endpoints, grouped by the register "
      "it starts at and the one it ends at (`u_row*`: every row; `prod_*`: every lane; bit "
      "indices dropped). \"Alone\" is the clock this group would allow if every group above it "
      "were fixed.\n\n",
      l["endpoints_analysed"].get<size_t>());
  if (g.empty()) {
    md += "No endpoints analysed (`--limiter-endpoints 0`).\n";
    return;
  }
  md +=
      "| from | to | endpoints | worst slack (ns) | arrival (ns) | alone (MHz) |\n"
      "|---|---|---:|---:|---:|---:|\n";
  for (size_t i = 0; i < g.size() && i < kLimiterRows; ++i)
    md += fmt::format("| `{}` | `{}` | {} | {:.3f} | {:.3f} | {} |\n",
                      g[i]["from"].get<std::string>(), g[i]["to"].get<std::string>(),
                      g[i]["endpoints"].get<int>(), g[i]["worst_slack_ns"].get<double>(),
                      g[i]["worst_arrival_ns"].get<double>(), fixed(g[i]["fmax_alone_mhz"], 1));
  if (g.size() > kLimiterRows)
    md += fmt::format("\n({} more groups in report.json.)\n", g.size() - kLimiterRows);
}

void tree_markdown(const Json& n, int depth, int& budget, std::string& md) {
  if (budget-- <= 0) return;
  md += fmt::format("{}- `{}` ({}): {:.0f} ({:.0f} own)\n", std::string(2 * depth, ' '),
                    n["instance"].get<std::string>(), n["module"].get<std::string>(),
                    n["subtree_area"].get<double>(), n["own_area"].get<double>());
  for (const Json& c : n["children"]) tree_markdown(c, depth + 1, budget, md);
  if (depth == 0 && budget < 0) md += "- ... (the rest is in report.json)\n";
}

}  // namespace

Json report_json(const SynthResult& r) {
  const bool lib = r.library.has_value();
  const double nand2 = lib ? r.library->nand2_area().value_or(0) : 4.0;
  Json area{{"unit", lib ? "um^2" : "transistors"},
            {"basis", lib ? "liberty cell areas (Yosys stat -liberty)"
                          : "generic gates (Yosys stat -tech cmos); NAND2 = 4 transistors"},
            {"total", r.stat.total.area}};
  area["nand2_area"] = nand2 > 0 ? Json(nand2) : Json();
  area["nand2_equivalents"] = nand2 > 0 ? Json(r.stat.total.area / nand2) : Json();
  Json modules = Json::array();
  for (const ModuleArea& m : r.modules)
    modules.push_back(Json{{"module", m.module},
                           {"instances", m.instances},
                           {"cells_each", m.cells_each},
                           {"own_area_each", m.own_area_each},
                           {"own_area_total", m.own_area_total()},
                           {"subtree_area_each", m.subtree_area_each}});
  area["by_module"] = modules;
  area["hierarchy"] = tree_json(r.tree);

  Json cells{{"total", r.stat.total.cells}, {"flops", r.flops}, {"latches", r.latches}};
  cells["by_type"] = r.stat.total.cell_counts;

  Json power;
  if (r.sta && r.sta->power)
    power =
        Json{{"label", r.power_activity == PowerActivity::propagated
                           ? "OpenSTA default activity (0.1 per clock at the inputs, "
                             "propagated; no simulation data): a rough estimate"
                           : "OpenSTA global activity (0.1 per clock on every net, not "
                             "propagated; no simulation data): a rough estimate"},
             {"activity", r.power_activity == PowerActivity::propagated ? "propagated" : "global"},
             {"note", r.power_note.empty() ? Json() : Json(r.power_note)},
             {"internal_w", r.sta->power->internal_w},
             {"switching_w", r.sta->power->switching_w},
             {"leakage_w", r.sta->power->leakage_w},
             {"total_w", r.sta->power->total_w}};

  Json knobs = Json::object();
  for (const Knob& k : r.knobs) knobs[k.name] = k.value;
  Json j{{"config", r.options.config},
         {"top", r.top},
         {"library", Json{{"mode", lib ? "liberty" : "generic"},
                          {"liberty", lib ? Json(r.liberty) : Json()},
                          {"name", lib ? Json(r.library->library) : Json()}}},
         {"knobs", knobs},
         {"files", r.files},
         {"area", area},
         {"cells", cells},
         {"timing", timing_json(r)},
         {"power", power},
         {"power_error", r.power_error.empty() ? Json() : Json(r.power_error)},
         {"tools", Json{{"yosys", r.yosys_version},
                        {"sta", r.sta_version.empty() ? Json() : Json(r.sta_version)}}},
         {"commands", r.commands},
         {"runtime_s", Json{{"yosys", r.yosys_seconds}, {"sta", r.sta_seconds}}}};
  return j;
}

std::string report_markdown(const Json& j) {
  const Json& a = j["area"];
  const std::string unit = a["unit"].get<std::string>();
  std::string md = fmt::format("# Synthesis report: {} (top `{}`)\n\n",
                               j["config"].get<std::string>(), j["top"].get<std::string>());
  md +=
      fmt::format("Library: {}\n\n", j["library"]["mode"] == "liberty"
                                         ? j["library"]["liberty"].get<std::string>()
                                         : std::string("none: Yosys generic gates, area in "
                                                       "transistors (stat -tech cmos), no timing"));
  md += "## Summary\n\n| figure | value |\n|---|---|\n";
  md += fmt::format("| area | {:.0f} {} |\n", a["total"].get<double>(), unit);
  md += fmt::format("| NAND2 equivalents | {} |\n", fixed(a["nand2_equivalents"], 0));
  md += fmt::format("| cells | {} |\n| flops | {} |\n| latches | {} |\n",
                    j["cells"]["total"].get<long>(), j["cells"]["flops"].get<long>(),
                    j["cells"]["latches"].get<long>());
  const Json& t = j["timing"];
  if (t["analysed"].get<bool>()) {
    md += fmt::format("| clock | {} ns ({}) |\n", t["period_ns"].get<double>(),
                      t["clock"].get<std::string>());
    md += fmt::format("| worst setup slack | {} ns |\n| Fmax | {} MHz |\n",
                      fixed(t["worst_setup_slack_ns"], 3), fixed(t["fmax_mhz"], 1));
    md += fmt::format("| worst hold slack | {} ns |\n", fixed(t["worst_hold_slack_ns"], 3));
    if (!j["power"].is_null())
      md += fmt::format("| power (OpenSTA, {} activity 0.1 per clock) | {:.3g} W |\n",
                        j["power"]["activity"].get<std::string>(),
                        j["power"]["total_w"].get<double>());
    if (!j["power"].is_null() && !j["power"]["note"].is_null())
      md += fmt::format("| power note | {}: global activity used instead |\n",
                        j["power"]["note"].get<std::string>());
    else if (!j["power_error"].is_null())
      md += fmt::format("| power | {} |\n", j["power_error"].get<std::string>());
  }
  md += fmt::format("\n## Area per module type ({})\n\n", unit);
  md +=
      "| module | instances | cells each | own area each | own area total | subtree area each |\n"
      "|---|---:|---:|---:|---:|---:|\n";
  for (const Json& m : a["by_module"])
    md += fmt::format("| `{}` | {} | {} | {:.0f} | {:.0f} | {:.0f} |\n",
                      m["module"].get<std::string>(), m["instances"].get<long>(),
                      m["cells_each"].get<long>(), m["own_area_each"].get<double>(),
                      m["own_area_total"].get<double>(), m["subtree_area_each"].get<double>());
  md += fmt::format("\n## Instance hierarchy (subtree area, {})\n\n", unit);
  int budget = 200;
  tree_markdown(a["hierarchy"], 0, budget, md);
  if (t["analysed"].get<bool>()) {
    md +=
        "\n## Timing (ns)\n\n| path | startpoint | endpoint | arrival | slack |\n"
        "|---|---|---|---:|---:|\n";
    auto row = [&](const std::string& name, const Json& p) {
      if (p.is_null()) {
        md += fmt::format("| {} | no paths | | | |\n", name);
        return;
      }
      md += fmt::format("| {} | {} | {} | {:.3f} | {:.3f} |\n", name,
                        p["startpoint"].get<std::string>(), p["endpoint"].get<std::string>(),
                        p["arrival_ns"].get<double>(), p["slack_ns"].get<double>());
    };
    row("critical (setup)", t["critical_path"]);
    for (const auto& [name, p] : t["path_groups"].items()) row(name, p);
    row("hold", t["hold_path"]);
    limiters_markdown(t, md);
  }
  md += "\n## Cells\n\n| cell | count |\n|---|---:|\n";
  for (const auto& [cell, n] : j["cells"]["by_type"].items())
    md += fmt::format("| `{}` | {} |\n", cell, n.get<long>());
  md += "\n## Knobs\n\n| knob | value |\n|---|---|\n";
  for (const auto& [k, v] : j["knobs"].items())
    md += fmt::format("| {} | `{}` |\n", k, v.get<std::string>());
  md += "\n## Tools and commands\n\n";
  md += fmt::format("- {}\n", j["tools"]["yosys"].get<std::string>());
  if (!j["tools"]["sta"].is_null())
    md += fmt::format("- OpenSTA {}\n", j["tools"]["sta"].get<std::string>());
  md += "\n```\n";
  for (const Json& c : j["commands"]) md += c.get<std::string>() + "\n";
  md += "```\n\n(The tool commands run in the run folder; `run.sh` repeats them.)\n";
  return md;
}

void write_reports(const SynthResult& r, const std::filesystem::path& dir) {
  const Json j = report_json(r);
  netlist::write_file(dir / "report.json", j.dump(2) + "\n");
  netlist::write_file(dir / "report.md", report_markdown(j));
}

}  // namespace escgen::synth
