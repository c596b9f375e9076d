// Conformance over the shared corpus of real spec files: ferry's model round-trips every file
// byte for byte, agrees with rpmspec (the oracle) wherever rpmspec can parse the file, and
// set-version produces a spec rpmspec reads with the new version, changing only the intended
// lines. Skips (with a warning) when the corpus or rpmspec is absent.
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_file.hpp"
#include "core/spec/spec_io.hpp"
#include "core/spec/text_util.hpp"
#include "infra/process/process_runner.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

namespace {

namespace fs = std::filesystem;
namespace spec = ferry::core::spec;
namespace process = ferry::infra::process;

const fs::path k_corpus = fs::path(FERRY_SOURCE_DIR) / ".." / "shared" / "corpus";

const std::vector<std::pair<std::string, std::string>> k_defines = {
    {"fedora", "42"}, {"dist", ".fc42"}, {"autorelease", "1%{?dist}"}, {"autochangelog", "%{nil}"}};

bool is_spec_like(const fs::path& path) {
  std::string name = path.filename().string();
  return name.find(".spec") != std::string::npos || name.ends_with(".inc");
}

std::vector<fs::path> corpus_specs() {
  std::vector<fs::path> files;
  for (const char* area : {"specs-edge", "distgit", "configs"}) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(k_corpus / area, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->is_regular_file() && is_spec_like(it->path())) {
        files.push_back(it->path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Facts {
  std::string name, epoch, version, release;
  std::vector<std::string> sources, patches;          // URLs, from rpmspec -P
  std::vector<std::string> source_files, patch_files; // from the SOURCE/PATCH tags
};

std::vector<std::string> rpm_define_args(const fs::path& spec_path) {
  std::vector<std::string> args;
  for (const auto& [name, value] : k_defines) {
    args.insert(args.end(), {"--define", name + " " + value});
  }
  args.insert(args.end(),
              {"--define", "_sourcedir " + fs::absolute(spec_path).parent_path().string()});
  return args;
}

std::optional<std::string> run_rpmspec(process::ProcessRunner& runner, const fs::path& path,
                                       std::vector<std::string> args) {
  process::Command command;
  command.argv = {"rpmspec"};
  auto defines = rpm_define_args(path);
  command.argv.insert(command.argv.end(), defines.begin(), defines.end());
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.argv.push_back(path.string());
  command.inherit_environment = true;
  command.timeout = std::chrono::milliseconds(60'000);
  auto result = runner.run(command);
  if (!result || result->exit_code != 0) {
    return std::nullopt;
  }
  return result->out;
}

// Source and Patch URLs as rpmspec -P prints them (tags in preambles, %sourcelist lines).
void collect_sources(const std::string& parsed, Facts& facts) {
  auto file = spec::SpecFile::parse(parsed, "rpmspec -P");
  if (!file) {
    return;
  }
  for (const spec::Line& line : file->lines()) {
    spec::SectionKind kind = file->sections()[line.section].kind;
    std::string_view content = spec::trim(file->view(line.content));
    if (line.kind == spec::LineKind::tag && spec::holds_tags(kind)) {
      const spec::Tag& tag = file->tags()[line.item];
      std::string_view name = file->view(tag.name);
      if (tag.qualifier.size() == 0 &&
          (spec::iequals(name, "source") || spec::iequals(name, "patch"))) {
        (spec::iequals(name, "source") ? facts.sources : facts.patches)
            .emplace_back(file->view(tag.value));
      }
    } else if (line.kind == spec::LineKind::text && !content.empty() && content.front() != '#' &&
               (kind == spec::SectionKind::sourcelist || kind == spec::SectionKind::patchlist)) {
      (kind == spec::SectionKind::sourcelist ? facts.sources : facts.patches).emplace_back(content);
    }
  }
}

std::optional<Facts> rpmspec_facts(process::ProcessRunner& runner, const fs::path& path) {
  auto query =
      run_rpmspec(runner, path,
                  {"-q", "--srpm", "--qf",
                   "%{NAME}\n%{EPOCH}\n%{VERSION}\n%{RELEASE}\n[S:%{SOURCE}\n][P:%{PATCH}\n]"});
  if (!query) {
    return std::nullopt;
  }
  Facts facts;
  std::istringstream in(*query);
  std::getline(in, facts.name);
  std::getline(in, facts.epoch);
  std::getline(in, facts.version);
  std::getline(in, facts.release);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("S:") || line.starts_with("P:")) {
      // rpm lists them newest first.
      auto& files = line[0] == 'S' ? facts.source_files : facts.patch_files;
      files.insert(files.begin(), line.substr(2));
    }
  }
  if (auto parsed = run_rpmspec(runner, path, {"-P"})) {
    collect_sources(*parsed, facts);
  }
  return facts;
}

spec::EvalOptions ferry_options(const fs::path& path) {
  spec::EvalOptions options = spec::disk_eval_options(path);
  options.defines = k_defines;
  options.defines.emplace_back("_sourcedir", fs::absolute(path).parent_path().string());
  return options;
}

std::vector<std::string> urls(const std::vector<spec::SourceEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    out.push_back(e.url);
  }
  return out;
}

std::vector<std::string> filenames(const std::vector<spec::SourceEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    out.push_back(e.filename);
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : " ") + item;
  }
  return out;
}

// "" when ferry agrees with rpmspec, else what differs.
std::string compare(const Facts& want, const spec::SpecInfo& got) {
  std::string diff;
  auto check = [&](std::string_view field, const std::string& a, const std::string& b) {
    if (a != b) {
      diff += fmt::format("{}: rpmspec '{}' ferry '{}'; ", field, a, b);
    }
  };
  check("name", want.name, got.name);
  check("epoch", want.epoch, got.epoch.value_or("(none)"));
  check("version", want.version, got.version);
  check("release", want.release, got.release);
  check("sources", join(want.sources), join(urls(got.sources)));
  check("patches", join(want.patches), join(urls(got.patches)));
  check("source files", join(want.source_files), join(filenames(got.sources)));
  check("patch files", join(want.patch_files), join(filenames(got.patches)));
  return diff;
}

std::vector<std::string> physical_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

bool intended_replacement(std::string_view line) {
  line = spec::trim(line);
  for (std::string_view prefix : {"version", "release", "source", "patch", "%global", "%define"}) {
    if (line.size() >= prefix.size() && spec::iequals(line.substr(0, prefix.size()), prefix)) {
      return true;
    }
  }
  return false;
}

bool changelog_line(std::string_view line) {
  return line.empty() || line == "\r" || line.starts_with("* ") || line.starts_with("- ") ||
         line.starts_with("  ") || line.starts_with("%changelog");
}

// Lines changed other than Version/Release/Source/definition lines and the new entry.
std::vector<std::string> unintended_changes(std::string_view before, std::string_view after) {
  auto old_lines = physical_lines(before), new_lines = physical_lines(after);
  std::vector<std::string> bad;
  std::size_t i = 0, j = 0;
  while (i < old_lines.size() && j < new_lines.size()) {
    if (old_lines[i] == new_lines[j]) {
      ++i, ++j;
      continue;
    }
    std::size_t k = 1;
    while (k < 40 && j + k < new_lines.size() && new_lines[j + k] != old_lines[i])
      ++k;
    if (j + k < new_lines.size() && new_lines[j + k] == old_lines[i] &&
        std::all_of(new_lines.begin() + static_cast<std::ptrdiff_t>(j),
                    new_lines.begin() + static_cast<std::ptrdiff_t>(j + k),
                    [](const std::string& l) { return changelog_line(l); })) {
      j += k;
      continue;
    }
    if (!intended_replacement(old_lines[i]) || !intended_replacement(new_lines[j])) {
      bad.push_back(fmt::format("'{}' -> '{}'", old_lines[i], new_lines[j]));
    }
    ++i, ++j;
  }
  for (; i < old_lines.size(); ++i) {
    bad.push_back(fmt::format("removed '{}'", old_lines[i]));
  }
  for (; j < new_lines.size(); ++j) {
    if (!changelog_line(new_lines[j])) {
      bad.push_back(fmt::format("added '{}'", new_lines[j]));
    }
  }
  return bad;
}

// Copies the spec's directory (files only) so set-version can write next to its includes.
fs::path copy_beside(const ferry::testing::TempDir& dir, const fs::path& spec_path) {
  for (const auto& entry : fs::directory_iterator(spec_path.parent_path())) {
    if (entry.is_regular_file()) {
      fs::copy_file(entry.path(), dir / entry.path().filename().string(),
                    fs::copy_options::overwrite_existing);
      fs::permissions(dir / entry.path().filename().string(),
                      fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    }
  }
  return dir / spec_path.filename().string();
}

// Empty when set-version did what it should on a copy of `path`; else the reason.
std::string check_set_version(process::ProcessRunner& runner, const fs::path& path,
                              const spec::SpecFile& file) {
  ferry::testing::TempDir dir;
  fs::path copy = copy_beside(dir, path);
  spec::SetVersionOptions options;
  options.version = "999.1";
  options.date = "2025-01-06";
  options.eval = ferry_options(copy);
  auto edited = spec::set_version(file, options);
  if (!edited) {
    return "set-version failed: " + edited.error().message();
  }
  if (auto written = spec::write_file_atomically(copy, edited->text); !written) {
    return written.error().message();
  }
  auto facts = rpmspec_facts(runner, copy);
  if (!facts) {
    return "rpmspec cannot parse the edited spec";
  }
  if (facts->version != "999.1") {
    return "rpmspec reads version " + facts->version;
  }
  auto bad = unintended_changes(file.text(), edited->text);
  return bad.empty() ? "" : "unintended changes: " + join(bad);
}

// The caller's explicit opt-in to %(...): run with /bin/sh as rpm does.
spec::ShellRunner shell_runner(process::ProcessRunner& runner) {
  return [&runner](std::string_view command) -> ferry::Result<std::string> {
    process::Command shell;
    shell.argv = {"/bin/sh", "-c", std::string(command)};
    shell.inherit_environment = true;
    auto result = runner.run(shell);
    if (!result) {
      return std::unexpected(result.error());
    }
    return result->out;
  };
}

bool rpmspec_available(process::ProcessRunner& runner) {
  process::Command command;
  command.argv = {"rpmspec", "--version"};
  command.inherit_environment = true;
  auto result = runner.run(command);
  return result && result->exit_code == 0;
}

} // namespace

TEST_CASE("spec: every corpus spec round-trips byte for byte and evaluates like rpmspec",
          "[core][spec][corpus]") {
  if (!fs::is_directory(k_corpus)) {
    FERRY_PREREQUISITE_MISSING("spec corpus not found at " << k_corpus.string());
  }
  auto files = corpus_specs();
  REQUIRE(!files.empty());
  auto runner = process::make_boost_process_runner();
  bool have_rpmspec = rpmspec_available(*runner);
  std::size_t round_tripped = 0, parsed = 0, agreed = 0, unevaluated = 0, edited = 0,
              agreed_with_shell = 0;
  std::vector<std::string> disagreements, edit_failures;
  for (const fs::path& path : files) {
    auto text = spec::read_text_file(path);
    REQUIRE(text);
    auto file = spec::SpecFile::parse(*text, path.string());
    INFO(path.string());
    CHECK(file);
    if (!file || file->print() != *text) {
      continue;
    }
    ++round_tripped;
    if (!have_rpmspec || path.extension() == ".inc") {
      continue;
    }
    auto facts = rpmspec_facts(*runner, path);
    if (!facts) {
      continue;
    }
    ++parsed;
    auto info = spec::evaluate_spec(*file, ferry_options(path));
    std::string diff = info ? compare(*facts, *info) : "ferry: " + info.error().message();
    if (!diff.empty()) {
      bool flagged = info && !info->unevaluated.empty();
      unevaluated += flagged ? 1 : 0;
      if (flagged) {
        spec::EvalOptions with_shell = ferry_options(path);
        with_shell.shell = shell_runner(*runner);
        auto shelled = spec::evaluate_spec(*file, with_shell);
        if (shelled && compare(*facts, *shelled).empty()) {
          ++agreed_with_shell;
        }
      }
      disagreements.push_back(fmt::format(
          "{}: {}{}", path.lexically_relative(k_corpus).string(), diff,
          flagged ? " [ferry reports unevaluated: " + info->unevaluated.front() + "]" : ""));
      CHECK(flagged); // a difference is only acceptable where ferry says it could not evaluate
      continue;
    }
    ++agreed;
    std::string edit = check_set_version(*runner, path, *file);
    if (edit.empty()) {
      ++edited;
    } else {
      edit_failures.push_back(
          fmt::format("{}: {}", path.lexically_relative(k_corpus).string(), edit));
    }
  }
  WARN(fmt::format(
      "spec corpus: {} files, {} round-tripped byte-exact; rpmspec {}: parsed {}, ferry agreed on "
      "{}, "
      "disagreed on {} ({} of them flagged unevaluated by ferry, {} agree once %(...) is opted "
      "in); set-version verified by rpmspec on {} of {} agreed",
      files.size(), round_tripped, have_rpmspec ? "present" : "ABSENT (skipped)", parsed, agreed,
      disagreements.size(), unevaluated, agreed_with_shell, edited, agreed));
  for (const auto& d : disagreements) {
    WARN("disagreed: " << d);
  }
  for (const auto& e : edit_failures) {
    WARN("set-version: " << e);
  }
  CHECK(round_tripped == files.size());
  CHECK(edit_failures.empty());
}
