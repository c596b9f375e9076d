#include "core/config/config.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

using namespace ferry::core::config;
using ferry::testing::fixture_path;

LoadResult load_fixture(const std::string& name) {
  LoadOptions options;
  options.repository_name = "widget-repo";
  return load_config_file(fixture_path("configs/" + name), options);
}

std::vector<const JobConfig*> jobs_of(const Config& config, std::string_view type) {
  std::vector<const JobConfig*> out;
  for (const JobConfig& job : config.jobs) {
    if (job.type == type) {
      out.push_back(&job);
    }
  }
  return out;
}

} // namespace

TEST_CASE("A single-package config is wrapped into packages under its downstream name",
          "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  INFO((result.errors.empty() ? "" : format_diagnostic(result.errors.front())));
  REQUIRE(result.config);
  REQUIRE(result.config->packages.size() == 1);
  CHECK(result.config->packages[0].name == "widget");
  CHECK(result.config->packages[0].specfile_path == "widget.spec");
  CHECK_FALSE(result.config->packages[0].settings.contains("_"));
}

TEST_CASE("A merge key brings a template's keys into a job", "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  REQUIRE(result.config);
  auto copr = jobs_of(*result.config, "copr_build");
  REQUIRE(copr.size() == 1);
  CHECK(copr[0]->trigger == "pull_request");
  CHECK(copr[0]->targets == std::vector<std::string>{"fedora-all"});
}

TEST_CASE("dist_git_branches as a mapping keeps fast-forward targets", "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  REQUIRE(result.config);
  auto propose = jobs_of(*result.config, "propose_downstream");
  REQUIRE(propose.size() == 1);
  REQUIRE(propose[0]->dist_git_branches.size() == 2);
  CHECK(propose[0]->dist_git_branches[0].name == "fedora-rawhide");
  CHECK(propose[0]->dist_git_branches[0].fast_forward_merge_into ==
        std::vector<std::string>{"fedora-branched"});
  CHECK(propose[0]->dist_git_branches[1].name == "epel-9");
}

TEST_CASE("A trigger written as 'a | b' becomes one job per trigger", "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  REQUIRE(result.config);
  auto koji = jobs_of(*result.config, "koji_build");
  REQUIRE(koji.size() == 2);
  CHECK(koji[0]->trigger == "commit");
  CHECK(koji[1]->trigger == "koji_build");
  CHECK(koji[0]->index == koji[1]->index);
}

TEST_CASE("A job's actions replace the package's actions as a whole", "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  REQUIRE(result.config);
  auto bodhi = jobs_of(*result.config, "bodhi_update");
  REQUIRE(bodhi.size() == 1);
  const auto& actions = bodhi[0]->settings["actions"];
  CHECK(actions.size() == 1);
  CHECK(actions.contains("run-condition"));
  auto propose = jobs_of(*result.config, "propose_downstream");
  CHECK(propose[0]->settings["actions"].contains("post-upstream-clone"));
}

TEST_CASE("A single dist_git_branches string is one branch", "[core][config]") {
  auto result = load_fixture("single_package.yaml");
  REQUIRE(result.config);
  auto bodhi = jobs_of(*result.config, "bodhi_update");
  REQUIRE(bodhi[0]->dist_git_branches.size() == 1);
  CHECK(bodhi[0]->dist_git_branches[0].name == "fedora-branched");
}

TEST_CASE("Monorepo jobs apply to the listed packages with their overrides", "[core][config]") {
  auto result = load_fixture("monorepo.yaml");
  INFO((result.errors.empty() ? "" : format_diagnostic(result.errors.front())));
  REQUIRE(result.config);
  REQUIRE(result.config->packages.size() == 2);
  auto propose = jobs_of(*result.config, "propose_downstream");
  REQUIRE(propose.size() == 2);
  CHECK(propose[0]->package == "tool-a");
  CHECK(propose[0]->dist_git_branches[0].name == "fedora-stable");
  CHECK(propose[0]->settings["upstream_project_url"] == "https://github.com/acme/tools");
  CHECK(propose[1]->package == "tool-b");
  CHECK(propose[1]->dist_git_branches[0].name == "rawhide");
  CHECK(propose[1]->upstream_tag_exclude == std::string(".*-rc\\d+$"));
  CHECK(propose[1]->settings["specfile_path"] == "python-tool-b.spec");
}

TEST_CASE("Without jobs Packit's three default jobs are planned", "[core][config]") {
  auto result = load_fixture("no_jobs.yaml");
  REQUIRE(result.config);
  CHECK(result.config->default_jobs);
  REQUIRE(result.config->jobs.size() == 3);
  CHECK(result.config->jobs[0].type == "copr_build");
  CHECK(result.config->jobs[1].type == "tests");
  CHECK(result.config->jobs[2].type == "propose_downstream");
  CHECK(result.config->jobs[2].dist_git_branches[0].name == "fedora-all");
  CHECK(result.config->packages[0].name == "widget-repo");
}

TEST_CASE("An explicit empty job list disables every job", "[core][config]") {
  auto result = load_config_text("specfile_path: x.spec\njobs: []\n", "inline.yaml", {});
  REQUIRE(result.config);
  CHECK(result.config->jobs.empty());
}

TEST_CASE("files_to_sync accepts paths and src/dest mappings", "[core][config]") {
  auto result = load_config_text(
      "files_to_sync:\n  - a.spec\n  - src: [x, y/]\n    dest: z/\n    mkpath: true\n", "f.yaml",
      {});
  INFO((result.errors.empty() ? "" : format_diagnostic(result.errors.front())));
  CHECK(result.config);
}

TEST_CASE("Deprecated job keys are renamed with a warning", "[core][config]") {
  auto result = load_fixture("deprecated.yaml");
  INFO((result.errors.empty() ? "" : format_diagnostic(result.errors.front())));
  REQUIRE(result.config);
  auto propose = jobs_of(*result.config, "propose_downstream");
  REQUIRE(propose[0]->dist_git_branches.size() == 1);
  CHECK(propose[0]->dist_git_branches[0].name == "fedora-all");
  std::vector<std::string> warnings;
  for (const auto& warning : result.warnings) {
    warnings.push_back(format_diagnostic(warning));
  }
  auto mentions = [&](std::string_view text) {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
  };
  CHECK(mentions("'dist_git_url' is ignored"));
  CHECK(mentions("'metadata' is deprecated"));
  CHECK(mentions("'dist-git-branch' is deprecated and was renamed to 'dist_git_branches'"));
}

TEST_CASE("The config file is found under Packit's names", "[core][config]") {
  auto found = find_config_file(fixture_path("configs/discovery"));
  REQUIRE(found);
  CHECK(found->filename() == ".packit.yaml");
  auto missing = find_config_file(fixture_path("configs/no-such-dir"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message().find(".packit.yml") != std::string::npos);
}

TEST_CASE("Did-you-mean picks the nearest known word", "[core][config]") {
  CHECK(closest_match("dist_git_brances", {"dist_git_branches", "targets"}) == "dist_git_branches");
  CHECK(closest_match("zzz", {"dist_git_branches", "targets"}).empty());
}
