// `ferry spec show`, `ferry spec set-version` and `ferry spec compare-versions`: the spec
// engine (core/spec) from the command line.
#include "cli/commands.hpp"
#include "core/spec/rpmvercmp.hpp"
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_io.hpp"
#include "core/spec/spec_json.hpp"
#include "infra/process/process_runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <ostream>

namespace ferry::cli {

namespace {

namespace spec = core::spec;

// "NAME VALUE" from --define, as rpm takes it.
Result<std::pair<std::string, std::string>> split_define(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
    ++i;
  std::size_t name_end = text.find_first_of(" \t", i);
  if (name_end == std::string_view::npos || name_end == i) {
    return fail(ErrorKind::usage, fmt::format("--define '{}': expected 'NAME VALUE'", text));
  }
  std::string_view value = text.substr(name_end);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  return std::pair<std::string, std::string>(text.substr(i, name_end - i), value);
}

// Runs %(...) with /bin/sh, as rpm does; only with --allow-shell. Like rpm, the exit status is
// ignored and stdout is the expansion.
spec::ShellRunner shell_runner() {
  std::shared_ptr<infra::process::ProcessRunner> runner =
      infra::process::make_boost_process_runner();
  return [runner](std::string_view command) -> Result<std::string> {
    infra::process::Command shell;
    shell.argv = {"/bin/sh", "-c", std::string(command)};
    shell.inherit_environment = true;
    shell.timeout = std::chrono::milliseconds(30'000);
    infra::process::ProcessResult result;
    FERRY_TRY_ASSIGN(result, runner->run(shell));
    return result.out;
  };
}

Result<spec::EvalOptions> eval_options(const Invocation& call, const std::string& path) {
  spec::EvalOptions options = spec::disk_eval_options(path);
  if (call.args.has("allow-shell")) {
    options.shell = shell_runner();
  }
  for (const std::string& define : call.args.values("define")) {
    std::pair<std::string, std::string> pair;
    FERRY_TRY_ASSIGN(pair, split_define(define));
    options.defines.push_back(std::move(pair));
  }
  return options;
}

// The spec named on the command line; a file that cannot be read is a usage error (exit 2).
Result<spec::SpecFile> load(const std::string& path) {
  auto file = spec::load_spec_file(path);
  if (!file && file.error().kind() == ErrorKind::io) {
    return fail(ErrorKind::usage, file.error().message());
  }
  return file;
}

// Binary garbage parses as a spec without tags: say that it is none (exit 2) rather than show
// empty fields. A NUL byte is never in a spec; a spec names itself or its version.
Status check_is_spec(const std::string& path, const spec::SpecFile& file,
                     const spec::SpecInfo* info) {
  bool has_nul = file.text().find('\0') != std::string::npos;
  bool has_no_tags = info != nullptr && info->name.empty() && info->version.empty();
  if (has_nul || has_no_tags) {
    return fail(ErrorKind::usage, fmt::format("'{}' is not an RPM spec file", path));
  }
  return {};
}

Result<std::string> show(const Invocation& call) {
  const std::string& path = call.args.positionals().at(0);
  spec::EvalOptions options;
  FERRY_TRY_ASSIGN(options, eval_options(call, path));
  spec::SpecFile file;
  FERRY_TRY_ASSIGN(file, load(path));
  FERRY_TRY(check_is_spec(path, file, nullptr));
  spec::SpecInfo info;
  FERRY_TRY_ASSIGN(info, spec::evaluate_spec(file, options));
  FERRY_TRY(check_is_spec(path, file, &info));
  return spec::to_json(info).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

ExitCode run_show(const Invocation& call) {
  auto json = show(call);
  if (!json) {
    return report_failure(json.error());
  }
  call.out << *json << "\n";
  return ExitCode::ok;
}

Result<spec::SetVersionOptions> set_version_options(const Invocation& call,
                                                    const std::string& path) {
  spec::SetVersionOptions options;
  options.version = call.args.positionals().at(1);
  options.reset_release = !call.args.has("no-release-reset");
  options.changelog_entry = call.args.values("changelog-entry");
  const char* packager = std::getenv("RPM_PACKAGER");
  options.author =
      call.args.value_or("author", packager != nullptr ? packager : "ferry <ferry@localhost>");
  options.date = call.args.value_or("date", "");
  spec::EvalOptions eval;
  FERRY_TRY_ASSIGN(eval, eval_options(call, path));
  options.eval = std::move(eval);
  return options;
}

Status set_version(const Invocation& call) {
  const std::string& path = call.args.positionals().at(0);
  spec::SetVersionOptions options;
  FERRY_TRY_ASSIGN(options, set_version_options(call, path));
  spec::SpecFile file;
  FERRY_TRY_ASSIGN(file, load(path));
  spec::EditResult edit;
  FERRY_TRY_ASSIGN(edit, spec::set_version(file, options));
  if (call.global.dry_run) {
    call.out << edit.text;
    return {};
  }
  return spec::write_file_atomically(path, edit.text);
}

ExitCode run_set_version(const Invocation& call) {
  if (auto status = set_version(call); !status) {
    return report_failure(status.error());
  }
  return ExitCode::ok;
}

ExitCode run_compare_versions(const Invocation& call) {
  const auto& p = call.args.positionals();
  call.out << spec::compare_evr(spec::parse_evr(p.at(0)), spec::parse_evr(p.at(1))) << "\n";
  return ExitCode::ok;
}

constexpr OptionSpec k_define_option = {"define", "'NAME VALUE'",
                                        "define a macro, as rpm --define does", true};
constexpr OptionSpec k_shell_option = {
    "allow-shell", "", "run %(...) shell expansions with /bin/sh (never done otherwise)"};
constexpr OptionSpec k_show_options[] = {k_define_option, k_shell_option};
constexpr PositionalSpec k_file[] = {{"FILE", "the .spec file"}};

constexpr OptionSpec k_set_version_options[] = {
    k_define_option,
    k_shell_option,
    {"changelog-entry", "TEXT",
     "a %changelog item (repeatable; default: 'Update to version VERSION')", true},
    {"author", "'NAME <EMAIL>'", "changelog author (default: $RPM_PACKAGER)"},
    {"date", "YYYY-MM-DD", "changelog date (default: today, UTC)"},
    {"no-release-reset", "", "keep Release as it is"},
};
constexpr PositionalSpec k_set_version_positionals[] = {
    {"FILE", "the .spec file, edited in place"},
    {"VERSION", "the new upstream version (pre-release suffixes become ~rc1 etc.)"},
};
constexpr PositionalSpec k_compare_positionals[] = {
    {"A", "[EPOCH:]VERSION[-RELEASE]"},
    {"B", "[EPOCH:]VERSION[-RELEASE]"},
};

constexpr Command k_commands[] = {
    {"spec show", "print what rpmspec would compute for a spec (name, EVR, sources) as JSON",
     "Evaluates macros and conditionals without running anything; %(...) shell expansions and "
     "unsupported Lua are listed under \"unevaluated\".",
     k_show_options, k_file, run_show},
    {"spec set-version", "set a spec's Version, reset Release and add a %changelog entry",
     "Edits only the lines that must change: a macro'd Version changes the macro's definition, "
     "%autorelease and %autochangelog are left alone. The file is replaced atomically.",
     k_set_version_options, k_set_version_positionals, run_set_version},
    {"spec compare-versions",
     "compare two [E:]V[-R] strings as rpm does: prints -1, 0 or 1",
     "",
     {},
     k_compare_positionals,
     run_compare_versions},
};

} // namespace

std::span<const Command> spec_commands() {
  return k_commands;
}

} // namespace ferry::cli
