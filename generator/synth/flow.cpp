// The synthesis flow (see flow.h).
#include "synth/flow.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/emit.h"
#include "design/accelerator.h"
#include "netlist/verilog_writer.h"
#include "synth/embedded_scripts.h"
#include "synth/tools.h"
#include "util/error.h"

namespace escgen::synth {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InternalError(p.string() + ": missing (the tool wrote no such file)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string num(double v) {
  return fmt::format("{}", v);
}

void check_options(const SynthOptions& o) {
  auto positive = [](double v, const char* name) {
    if (!std::isfinite(v) || v <= 0)
      throw InputError(fmt::format("--{}: must be > 0, got {}", name, v));
  };
  positive(o.clock_ns, "clock-ns");
  if (o.abc_delay_ps) positive(*o.abc_delay_ps, "abc-delay-ps");
  auto delay = [&](double v, const char* name) {
    if (!std::isfinite(v) || v < 0 || v >= o.clock_ns)
      throw InputError(
          fmt::format("--{}: must be >= 0 and below --clock-ns {}, got {}", name, o.clock_ns, v));
  };
  delay(o.input_delay_ns, "input-delay-ns");
  delay(o.output_delay_ns, "output-delay-ns");
  if (!std::isfinite(o.load_pf) || o.load_pf < 0)
    throw InputError(fmt::format("--load-pf: must be >= 0, got {}", o.load_pf));
  if (o.clock_port.empty()) throw InputError("--clock-port: empty");
  if (o.limiter_endpoints < 0)
    throw InputError(fmt::format("--limiter-endpoints: must be >= 0, got {}", o.limiter_endpoints));
}

std::string require_program(const std::string& name, const char* option) {
  auto p = find_program(name);
  if (!p)
    throw InputError(fmt::format("{}: not found (install it with scripts/setup, or pass {} PATH)",
                                 name, option));
  return *p;
}

// The liberty to use: empty for generic gates.
std::string choose_liberty(const SynthOptions& o, std::ostream& progress) {
  if (o.liberty && *o.liberty == "none") return "";
  if (o.liberty) {
    if (!fs::is_regular_file(*o.liberty))
      throw InputError(*o.liberty + ": --liberty: no such file");
    return fs::absolute(*o.liberty).string();
  }
  if (fs::is_regular_file(kDefaultLiberty)) return kDefaultLiberty;
  progress << "synth: " << kDefaultLiberty
           << " not found (Debian package qflow-tech-osu018): generic gates, no STA\n";
  return "";
}

std::vector<Knob> knob_list(const SynthOptions& o, const std::string& top,
                            const std::string& liberty) {
  const double abc_d = o.abc_delay_ps.value_or(o.clock_ns * 1000.0);
  return {
      {"top", top, "top module"},
      {"liberty", liberty.empty() ? "none" : liberty,
       liberty.empty() ? "generic gates, stat -tech cmos, no STA" : "cell library"},
      {"clock_ns", num(o.clock_ns), "clock period (ns)"},
      {"clock_port", o.clock_port, "clock port (virtual clock if the top has none)"},
      {"abc_d_ps", num(abc_d), "abc -D target delay (ps), default the clock period"},
      {"abc_dc2", o.abc_dc2 ? "1" : "0",
       "1: Yosys's default ABC script; 0: the same without dc2 (keeps adders' prefix trees)"},
      {"input_delay_ns", num(o.input_delay_ns), "input delay after the clock edge (ns)"},
      {"output_delay_ns", num(o.output_delay_ns), "output delay before the clock edge (ns)"},
      {"driving_cell", o.driving_cell, "cell driving every data input"},
      {"driving_pin", o.driving_pin, "its output pin"},
      {"load_pf", num(o.load_pf), "load on every output (pF)"},
      {"limiter_endpoints", std::to_string(o.limiter_endpoints),
       "worst endpoints whose paths the report groups into limiters (0: none)"},
  };
}

std::string tcl_quote(const std::string& s) {
  std::string out = "{";
  for (char c : s) {
    if (c == '{' || c == '}' || c == '\\') throw InputError("path or name with a brace: " + s);
    out += c;
  }
  return out + "}";
}

std::string knobs_tcl(const std::vector<Knob>& knobs, const std::string& liberty) {
  std::string s =
      "# Knobs of this run, written by `escgen synth`; sourced by yosys.tcl and sta.tcl.\n";
  for (const Knob& k : knobs) {
    const std::string value = k.name == "liberty" ? liberty : k.value;
    s += fmt::format("set {} {}  ;# {}\n", k.name, tcl_quote(value), k.note);
  }
  s += "set files_f files.f\nset escgen_knobs {";
  for (const Knob& k : knobs) s += " " + k.name;
  return s + " }\n";
}

std::string escgen_command(const SynthOptions& o, const std::string& liberty) {
  std::string s = fmt::format("escgen synth --config {} --out {} --liberty {} --clock-ns {}",
                              shell_quote(o.config), shell_quote(o.out.string()),
                              liberty.empty() ? "none" : shell_quote(liberty), num(o.clock_ns));
  if (!o.top.empty()) s += " --top " + shell_quote(o.top);
  // Every other option that differs from its default, so the line repeats the run.
  const SynthOptions d;
  if (o.clock_port != d.clock_port) s += " --clock-port " + shell_quote(o.clock_port);
  if (o.input_delay_ns != d.input_delay_ns) s += " --input-delay-ns " + num(o.input_delay_ns);
  if (o.output_delay_ns != d.output_delay_ns) s += " --output-delay-ns " + num(o.output_delay_ns);
  if (o.driving_cell != d.driving_cell) s += " --driving-cell " + shell_quote(o.driving_cell);
  if (o.driving_pin != d.driving_pin) s += " --driving-pin " + shell_quote(o.driving_pin);
  if (o.load_pf != d.load_pf) s += " --load-pf " + num(o.load_pf);
  if (o.abc_delay_ps) s += " --abc-delay-ps " + num(*o.abc_delay_ps);
  if (o.abc_dc2) s += " --abc-dc2";
  if (o.limiter_endpoints != d.limiter_endpoints)
    s += fmt::format(" --limiter-endpoints {}", o.limiter_endpoints);
  return s;
}

std::vector<std::string> read_lines(const fs::path& p) {
  std::vector<std::string> lines;
  std::istringstream in(read_text(p));
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  return lines;
}

void count_sequential(SynthResult& r) {
  for (const auto& [cell, count] : r.stat.total.cell_counts) {
    const bool flop = r.library ? r.library->flops.contains(cell)
                                : (cell.rfind("$_DFF", 0) == 0 || cell.rfind("$_SDFF", 0) == 0 ||
                                   cell.rfind("$_ALDFF", 0) == 0);
    const bool latch =
        r.library ? r.library->latches.contains(cell) : cell.rfind("$_DLATCH", 0) == 0;
    if (flop) r.flops += count;
    if (latch) r.latches += count;
  }
}

// "yosys failed ..." with the tool's first error line.
std::string first_line_with(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l.rfind(prefix, 0) == 0) return l;
  return "";
}

// The programs a run uses; sta is empty without a liberty (generic gates, no STA).
struct Tools {
  std::string yosys, sta;
};

// The tools and the liberty (r.liberty, r.library), checked before any work is done.
Tools resolve_tools(const SynthOptions& o, SynthResult& r, std::ostream& progress) {
  Tools t;
  t.yosys = require_program(o.yosys, "--yosys");
  r.liberty = choose_liberty(o, progress);
  if (!r.liberty.empty()) {
    t.sta = require_program(o.sta, "--sta");
    r.library = read_liberty_info(r.liberty);
    if (!r.library->area.contains(o.driving_cell))
      throw InputError(
          fmt::format("--driving-cell {}: no such cell in {}", o.driving_cell, r.liberty));
  }
  return t;
}

// The module to synthesise: --top, else the design's top.
std::string choose_top(const SynthOptions& o, const netlist::Design& design) {
  const std::string top = o.top.empty() ? design.top() : o.top;
  if (!design.has(top))
    throw InputError(fmt::format("--top {}: no such module in the design of {}", top, o.config));
  return top;
}

// The command lines of a run: escgen's, then each tool's as run from the run folder.
struct Commands {
  std::string escgen, yosys, sta, power, power_global;
};

Commands tool_commands(const SynthOptions& o, const Tools& t, const std::string& liberty) {
  Commands c;
  c.escgen = escgen_command(o, liberty);
  c.yosys = shell_quote(t.yosys) + " -q -l logs/yosys.log -c scripts/yosys.tcl";
  c.sta = shell_quote(t.sta) + " -no_init -no_splash -exit scripts/sta.tcl > logs/sta.log 2>&1";
  c.power = shell_quote(t.sta) +
            " -no_init -no_splash -exit scripts/sta_power.tcl > "
            "logs/sta_power.log 2>&1";
  c.power_global = shell_quote(t.sta) +
                   " -no_init -no_splash -exit scripts/sta_power_global.tcl > "
                   "logs/sta_power_global.log 2>&1";
  return c;
}

// run.sh: repeats the tool runs from the run folder.
std::string run_sh_text(const Commands& c, bool with_sta) {
  std::string run_sh =
      "#!/bin/sh\n# Re-runs this synthesis: the commands `escgen synth` ran, from this folder\n"
      "# (knobs in scripts/knobs.tcl). Generated by: " +
      c.escgen + "\nset -e\ncd \"$(dirname \"$0\")\"\nmkdir -p logs\n" + c.yosys + "\n";
  if (with_sta)
    run_sh += c.sta + "\nif grep '^Error' logs/sta.log; then exit 1; fi\n" + c.power + " || " +
              c.power_global +
              " || echo \"OpenSTA report_power failed (exit $?): no power figure\"\n";
  return run_sh;
}

// The run folder: RTL, elaborated config, scripts, knobs, run.sh; r.files from files.f.
void write_run_folder(const fs::path& dir, const Config& config, const netlist::Design& design,
                      const Commands& c, bool with_sta, SynthResult& r) {
  fs::create_directories(dir / "scripts");
  fs::create_directories(dir / "logs");
  netlist::write_design(design, dir, {c.escgen});
  netlist::write_file(dir / "config.elab.json", elaborated_json_text(config));
  r.files = read_lines(dir / "files.f");
  for (const EmbeddedScript& s : embedded_scripts())
    netlist::write_file(dir / "scripts" / std::string(s.name), std::string(s.text));
  netlist::write_file(dir / "scripts" / "knobs.tcl", knobs_tcl(r.knobs, r.liberty));
  netlist::write_file(dir / "run.sh", run_sh_text(c, with_sta));
  fs::permissions(dir / "run.sh",
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
}

// The run's progress header (top, files, knobs) and the tools' versions.
void announce_run(const SynthOptions& o, const Tools& t, SynthResult& r, std::ostream& progress) {
  progress << fmt::format("synth: {} -> {}: top {}, {} RTL files\n", o.config, o.out.string(),
                          r.top, r.files.size());
  for (const Knob& k : r.knobs) progress << fmt::format("synth: knob {} = {}\n", k.name, k.value);
  r.yosys_version = capture_output(shell_quote(t.yosys) + " -V");
  if (!t.sta.empty()) r.sta_version = capture_output(shell_quote(t.sta) + " -version");
}

// Runs Yosys in the run folder; throws with its first ERROR line when it fails.
void run_yosys(const fs::path& dir, const std::string& in_dir, const Commands& c, SynthResult& r,
               std::ostream& progress) {
  progress << "synth: yosys (logs/yosys.log) ...\n" << std::flush;
  const CommandResult y = run_command(in_dir + c.yosys + " > logs/yosys.out 2>&1");
  r.yosys_seconds = y.seconds;
  if (y.status != 0) {
    const std::string log = (dir / "logs" / "yosys.log").string();
    std::string why = first_line_with(read_text(dir / "logs" / "yosys.out"), "ERROR");
    throw InternalError(fmt::format("yosys failed (exit {}): {}; see {}", y.status,
                                    why.empty() ? "no ERROR line" : why, log));
  }
  progress << fmt::format("synth: yosys done in {:.1f} s\n", y.seconds);
}

// Yosys's results: cell statistics, the instance tree, module areas, flops and latches.
void read_yosys_results(const fs::path& dir, SynthResult& r) {
  r.stat = parse_yosys_stat(read_text(dir / "reports" / "yosys_stat.txt"));
  std::set<std::string> names;
  for (const StatModule& m : r.stat.modules) names.insert(m.name);
  const InstanceMap instances =
      parse_netlist_instances(read_text(dir / "netlist" / "netlist.v"), names);
  r.tree = build_instance_tree(r.top, instances, r.stat);
  r.modules = module_areas(r.tree, r.stat);
  count_sequential(r);
}

// OpenSTA's timing run (r.sta); throws with its first error when it fails or does not finish.
void run_sta_timing(const fs::path& dir, const std::string& in_dir, const Commands& c,
                    SynthResult& r, std::ostream& progress) {
  progress << "synth: sta (logs/sta.log) ...\n" << std::flush;
  const CommandResult s = run_command(in_dir + c.sta);
  r.sta_seconds = s.seconds;
  const std::string log = (dir / "logs" / "sta.log").string();
  StaLog parsed = parse_sta_log(read_text(dir / "logs" / "sta.log"));
  if (s.status != 0 || !parsed.errors.empty() || !parsed.complete)
    throw InternalError(fmt::format(
        "OpenSTA failed (exit {}): {}; see {}", s.status,
        parsed.errors.empty() ? "the script did not finish" : parsed.errors.front(), log));
  r.sta = std::move(parsed);
  progress << fmt::format("synth: sta done in {:.1f} s\n", s.seconds);
}

// Fallback power run: the same activity on every net, no propagation (which is what crashes).
// `failed` says why the propagated run failed; a failure here too is recorded in r.power_error.
void run_sta_power_global(const fs::path& dir, const std::string& in_dir, const Commands& c,
                          const std::string& failed, SynthResult& r, std::ostream& progress) {
  progress << "synth: " << failed
           << "; sta power with global activity (logs/sta_power_global.log) ...\n"
           << std::flush;
  r.commands.push_back(c.power_global);
  const CommandResult g = run_command(in_dir + c.power_global);
  r.sta_seconds += g.seconds;
  const StaLog global = parse_sta_log(read_text(dir / "logs" / "sta_power_global.log"));
  if (g.status == 0 && global.errors.empty() && global.complete && global.power) {
    r.sta->power = global.power;
    r.power_activity = PowerActivity::global;
    r.power_note = failed;
  } else {
    r.power_error = fmt::format(
        "{}; with global activity too (exit {}; logs/sta_power_global.log): no power figure",
        failed, g.status);
    progress << "synth: " << r.power_error << "\n";
  }
}

// Power in its own OpenSTA process: its report_power crashes on some netlists (SIGSEGV on the
// accelerator top), which must not cost the timing report.
void run_sta_power(const fs::path& dir, const std::string& in_dir, const Commands& c,
                   SynthResult& r, std::ostream& progress) {
  progress << "synth: sta power (logs/sta_power.log) ...\n" << std::flush;
  const CommandResult p = run_command(in_dir + c.power);
  r.sta_seconds += p.seconds;
  const StaLog power = parse_sta_log(read_text(dir / "logs" / "sta_power.log"));
  if (p.status == 0 && power.errors.empty() && power.complete && power.power) {
    r.sta->power = power.power;
    r.power_activity = PowerActivity::propagated;
    return;
  }
  const std::string failed = fmt::format(
      "OpenSTA report_power with propagated activity failed (exit {}{}; logs/sta_power.log)",
      p.status, p.status == 139 ? ", segmentation fault" : "");
  run_sta_power_global(dir, in_dir, c, failed, r, progress);
}

}  // namespace

SynthResult run_synth(const SynthOptions& o, std::ostream& progress) {
  check_options(o);
  SynthResult r;
  r.options = o;
  const Tools tools = resolve_tools(o, r, progress);
  const bool with_sta = !tools.sta.empty();
  const Config config = Config::from_file(o.config);
  const netlist::Design design = build_accelerator(config);
  r.top = choose_top(o, design);
  r.knobs = knob_list(o, r.top, r.liberty);

  const fs::path dir = o.out;
  const Commands commands = tool_commands(o, tools, r.liberty);
  write_run_folder(dir, config, design, commands, with_sta, r);
  r.commands = {commands.escgen, commands.yosys};
  if (with_sta) {
    r.commands.push_back(commands.sta);
    r.commands.push_back(commands.power);
  }
  announce_run(o, tools, r, progress);

  const std::string in_dir = "cd " + shell_quote(dir.string()) + " && ";
  run_yosys(dir, in_dir, commands, r, progress);
  read_yosys_results(dir, r);
  if (with_sta) {
    run_sta_timing(dir, in_dir, commands, r, progress);
    run_sta_power(dir, in_dir, commands, r, progress);
  }
  return r;
}

}  // namespace escgen::synth
