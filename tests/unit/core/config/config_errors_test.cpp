// The messages users see for broken configs: file, line, column, key path, what is expected.
#include "core/config/config.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

using namespace ferry::core::config;
using ferry::testing::fixture_path;

std::vector<std::string> error_lines(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : result.errors) {
    lines.push_back(format_diagnostic(diagnostic));
  }
  return lines;
}

std::vector<std::string> errors_of(std::string_view text) {
  return error_lines(load_config_text(text, "p.yaml", {}));
}

} // namespace

TEST_CASE("A YAML syntax error names the file, line and column", "[core][config][errors]") {
  auto result = load_config_file(fixture_path("configs/syntax_error.yaml"));
  REQUIRE_FALSE(result.config);
  REQUIRE(result.errors.size() == 1);
  std::string line = format_diagnostic(result.errors[0]);
  CHECK(line.find("syntax_error.yaml:") != std::string::npos);
  CHECK(line.find(": YAML syntax error: ") != std::string::npos);
  CHECK(result.errors[0].mark.line >= 4);
}

TEST_CASE("A value of the wrong type says what was expected and what was found",
          "[core][config][errors]") {
  CHECK(errors_of("specfile_path: x.spec\ncreate_pr: maybe\n") ==
        std::vector<std::string>{
            "p.yaml:2:12: create_pr: expected true or false, got the text 'maybe'"});
  CHECK(errors_of("specfile_path: 42\n") ==
        std::vector<std::string>{
            "p.yaml:1:16: specfile_path: expected text, got the number 42 (quote it to make it "
            "text)"});
  CHECK(errors_of("jobs:\n  - job: koji_build\n    trigger: commit\n    dist_git_branches: 3\n") ==
        std::vector<std::string>{"p.yaml:4:24: jobs[0].dist_git_branches: expected a branch, a "
                                 "list of branches or a mapping branch -> "
                                 "{fast_forward_merge_into}, got the number 3"});
}

TEST_CASE("An unknown key is an error with a did-you-mean", "[core][config][errors]") {
  CHECK(errors_of("jobs:\n  - job: propose_downstream\n    trigger: release\n"
                  "    dist_git_brances: fedora-all\n") ==
        std::vector<std::string>{"p.yaml:4:5: jobs[0].dist_git_brances: unknown key "
                                 "'dist_git_brances' (did you mean 'dist_git_branches'?)"});
  CHECK(errors_of("frobnicate: 1\n") ==
        std::vector<std::string>{"p.yaml:1:1: frobnicate: unknown key 'frobnicate'"});
}

TEST_CASE("Removed keys and job types are rejected as Packit rejects them",
          "[core][config][errors]") {
  CHECK(errors_of("synced_files: [a.spec]\n") ==
        std::vector<std::string>{"p.yaml:1:1: synced_files: 'synced_files' is no longer "
                                 "supported by Packit: use 'files_to_sync'"});
  CHECK(errors_of("upstream_project_name: x\n") ==
        std::vector<std::string>{"p.yaml:1:1: upstream_project_name: 'upstream_project_name' is "
                                 "no longer supported by Packit: use 'upstream_package_name'"});
  CHECK(errors_of("jobs:\n  - job: build\n    trigger: pull_request\n") ==
        std::vector<std::string>{"p.yaml:2:10: jobs[0].job: job type 'build' is no longer "
                                 "supported by Packit: use 'copr_build'"});
}

TEST_CASE("A job without its required keys says which key is missing", "[core][config][errors]") {
  CHECK(errors_of("jobs:\n  - trigger: commit\n") ==
        std::vector<std::string>{"p.yaml:2:5: jobs[0]: missing required key 'job' (the job type, "
                                 "e.g. propose_downstream)"});
}

TEST_CASE("A misspelt trigger is reported with the nearest trigger", "[core][config][errors]") {
  CHECK(errors_of("jobs:\n  - job: copr_build\n    trigger: commit | pull_requets\n") ==
        std::vector<std::string>{"p.yaml:3:14: jobs[0].trigger: unknown trigger 'pull_requets' "
                                 "(did you mean 'pull_request'?)"});
}

TEST_CASE("Every error of a file is listed, in file order", "[core][config][errors]") {
  auto result = load_config_file(fixture_path("configs/invalid_many.yaml"));
  REQUIRE_FALSE(result.config);
  auto lines = error_lines(result);
  CHECK(lines.size() == 6);
  CHECK(std::is_sorted(
      result.errors.begin(), result.errors.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.mark.line < b.mark.line; }));
}

TEST_CASE("A job's packages must be defined at the top level", "[core][config][errors]") {
  CHECK(errors_of("packages:\n  a: {specfile_path: a.spec}\njobs:\n  - job: koji_build\n"
                  "    trigger: commit\n    packages: [b]\n") ==
        std::vector<std::string>{"p.yaml:6:16: jobs[0].packages[0]: package 'b' is not defined "
                                 "under the top-level 'packages'"});
}

TEST_CASE("A config without any way to find its spec fails the repository check",
          "[core][config][errors]") {
  auto result = load_config_text("upstream_tag_template: v{version}\n", "p.yaml", {});
  REQUIRE(result.config);
  check_repository_files(*result.config, fixture_path("configs/no-spec-here"), result);
  REQUIRE(result.errors.size() == 1);
  CHECK(format_diagnostic(result.errors[0]) ==
        "p.yaml: packages.package: missing spec: set 'specfile_path' or "
        "'downstream_package_name' (no *.spec in the repository root either)");
}

TEST_CASE("A configured spec that is not in the repository is only a warning",
          "[core][config][errors]") {
  auto result = load_config_text("specfile_path: missing.spec\n", "p.yaml", {});
  REQUIRE(result.config);
  check_repository_files(*result.config, fixture_path("configs"), result);
  CHECK(result.errors.empty());
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0].message.find("'missing.spec' is not in the repository") !=
        std::string::npos);
}

TEST_CASE("Names that become file names or check names are checked", "[core][config][errors]") {
  CHECK(errors_of("upstream_package_name: a/b\n") ==
        std::vector<std::string>{"p.yaml:1:24: upstream_package_name: expected a name without "
                                 "'/' (it names files and archives)"});
  CHECK(errors_of("identifier: a:b\n") ==
        std::vector<std::string>{
            "p.yaml:1:13: identifier: expected text without ':' (check names are split on it)"});
}
