// libFuzzer target for the spec engine: parse (must round-trip), evaluate with small limits,
// edit when there is a Version, expand the input as a macro text, compare versions. Any crash,
// sanitizer report, broken invariant (abort) or slow input is a bug.
#include "core/spec/macro_expander.hpp"
#include "core/spec/rpmvercmp.hpp"
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace spec = ferry::core::spec;

spec::ExpansionLimits small_limits() {
  spec::ExpansionLimits limits;
  limits.max_output = std::size_t{1} << 20;
  limits.max_steps = 200'000;
  return limits;
}

spec::EvalOptions options_for(std::string_view text) {
  spec::EvalOptions options;
  options.defines = {{"fedora", "42"}, {"dist", ".fc42"}, {"autorelease", "1%{?dist}"}};
  options.limits = small_limits();
  // %include of anything yields the input again: exercises nesting limits without files.
  options.read_file = [text](std::string_view) -> ferry::Result<std::string> {
    return std::string(text);
  };
  return options;
}

void check_versions(std::string_view text) {
  std::size_t nl = text.find('\n');
  std::string_view a = text.substr(0, nl),
                   b = nl == std::string_view::npos ? "" : text.substr(nl + 1, 64);
  a = a.substr(0, 64);
  if (spec::rpmvercmp(a, b) != -spec::rpmvercmp(b, a) || spec::rpmvercmp(a, a) != 0) {
    std::abort();
  }
}

void edit(const spec::SpecFile& file, const spec::EvalOptions& options) {
  spec::SetVersionOptions set;
  set.version = "2.0.1-rc1";
  set.date = "2025-01-06";
  set.changelog_entry = {"* fuzz 100%", "- second"};
  set.eval = options;
  auto edited = spec::set_version(file, set);
  if (edited && !spec::SpecFile::parse(edited->text, "edited.spec")) {
    std::abort(); // an edit must never unbalance the conditionals
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  check_versions(text);
  spec::MacroTable table;
  spec::define_default_macros(table, "/src");
  spec::MacroExpander expander(table, small_limits());
  (void)expander.expand(text);

  auto file = spec::SpecFile::parse(text, "fuzz.spec");
  if (!file) {
    return 0;
  }
  if (file->text() != text || file->print() != text) {
    std::abort(); // the model must be lossless
  }
  spec::EvalOptions options = options_for(text);
  auto info = spec::evaluate_spec(*file, options);
  if (info && info->version_tag) {
    edit(*file, options);
  }
  return 0;
}
