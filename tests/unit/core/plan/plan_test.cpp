#include "unit/core/plan/plan_support.hpp"

namespace {

using namespace ferry::testing;
using ferry::core::plan::make_plan;
using ferry::model::EventKind;
using Strings = std::vector<std::string>;

const char* const k_release_config = R"(
specfile_path: widget.spec
jobs:
  - job: propose_downstream
    trigger: release
    dist_git_branches:
      fedora-rawhide:
        fast_forward_merge_into: [fedora-branched]
      epel-9: {}
  - job: copr_build
    trigger: pull_request
    targets: [fedora-all]
  - job: koji_build
    trigger: commit
    dist_git_branches: [fedora-all, epel-9]
  - job: bodhi_update
    trigger: commit
    dist_git_branches: fedora-branched
)";

ferry::model::Event release(std::string tag) {
  auto event = event_of(EventKind::release);
  event.tag = std::move(tag);
  return event;
}

ferry::model::Event comment(EventKind kind, std::string body) {
  auto event = event_of(kind);
  event.comment_body = std::move(body);
  if (kind == EventKind::pr_comment) {
    event.pr_number = 4;
    event.branch = "main";
  }
  return event;
}

} // namespace

TEST_CASE("A release runs propose_downstream on the resolved branches", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto plan = make_plan(release("v1.0"), config, recorded_aliases());
  REQUIRE(plan.jobs.size() == 1);
  const auto& job = plan.jobs[0];
  CHECK(job.job == "propose_downstream");
  CHECK(job.dist_git_branches == Strings{"rawhide", "epel9"});
  CHECK(job.fast_forward_merge_into.at("rawhide") == Strings{"f40", "f41", "f42"});
  CHECK(job.requires_permission == "none");
}

TEST_CASE("On a release the downstream jobs are listed as later, with their branches",
          "[core][plan]") {
  auto config = config_from(k_release_config);
  auto plan = make_plan(release("v1.0"), config, recorded_aliases());
  const auto* koji = skipped_job(plan, "koji_build");
  REQUIRE(koji);
  CHECK(koji->reason == "trigger_mismatch");
  CHECK(koji->dist_git_branches == Strings{"f40", "f41", "f42", "rawhide", "epel9"});
  const auto* bodhi = skipped_job(plan, "bodhi_update");
  REQUIRE(bodhi);
  CHECK(bodhi->dist_git_branches == Strings{"f40", "f41", "f42"});
  const auto* copr = skipped_job(plan, "copr_build");
  REQUIRE(copr);
  CHECK(copr->reason == "trigger_mismatch");
}

TEST_CASE("A pushed tag is not a release", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto event = event_of(EventKind::tag_push);
  event.tag = "v1.0";
  auto plan = make_plan(event, config, recorded_aliases());
  CHECK(plan.jobs.empty());
  REQUIRE(skipped_job(plan, "propose_downstream"));
  CHECK(skipped_job(plan, "propose_downstream")->reason == "not_a_release");
}

TEST_CASE("Tag patterns include and exclude releases per package", "[core][plan]") {
  auto config = config_from(R"(
packages:
  a: {specfile_path: a.spec, upstream_tag_include: "a-"}
  b: {specfile_path: b.spec, upstream_tag_exclude: ".*-rc\\d+$"}
jobs:
  - job: propose_downstream
    trigger: release
)");
  auto plan = make_plan(release("b-2.0-rc1"), config, recorded_aliases());
  REQUIRE(plan.skipped.size() == 2);
  CHECK(plan.skipped[0].reason == "tag_not_included_by_pattern");
  CHECK(plan.skipped[1].reason == "tag_excluded_by_pattern");
  auto ok = make_plan(release("a-2.0"), config, recorded_aliases());
  REQUIRE(ok.jobs.size() == 2);
  CHECK(ok.jobs[0].dist_git_branches == Strings{"rawhide"});
}

TEST_CASE("/packit propose-downstream in an issue re-runs propose_downstream", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto plan = make_plan(comment(EventKind::issue_comment, "/packit propose-downstream"), config,
                        recorded_aliases());
  REQUIRE(plan.command);
  REQUIRE(plan.jobs.size() == 1);
  CHECK(plan.jobs[0].job == "propose_downstream");
  CHECK(plan.jobs[0].requires_permission == "write");
  CHECK(skipped_job(plan, "copr_build")->reason == "command_not_for_this_job");
}

TEST_CASE("propose-downstream in a pull request is refused", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto plan = make_plan(comment(EventKind::pr_comment, "/packit propose-downstream"), config,
                        recorded_aliases());
  CHECK(plan.jobs.empty());
  CHECK(skipped_job(plan, "propose_downstream")->reason == "command_not_accepted_here");
}

TEST_CASE("/ferry build in a PR runs the PR's Copr builds on resolved chroots", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto plan =
      make_plan(comment(EventKind::pr_comment, "Fixed.\n/ferry build"), config, recorded_aliases());
  const auto* copr = planned_job(plan, "copr_build");
  REQUIRE(copr);
  CHECK(copr->requires_permission == "write_or_pr_author");
  CHECK(copr->targets == Strings{"fedora-40-x86_64", "fedora-41-x86_64", "fedora-42-x86_64",
                                 "fedora-rawhide-x86_64"});
}

TEST_CASE("A comment without a command, or with a broken one, runs nothing", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto none = make_plan(comment(EventKind::issue_comment, "thanks!"), config, recorded_aliases());
  CHECK(none.jobs.empty());
  CHECK(none.skipped.front().reason == "no_command");
  auto broken = make_plan(comment(EventKind::issue_comment, "/packit propose-downstram"), config,
                          recorded_aliases());
  CHECK(broken.jobs.empty());
  CHECK(broken.skipped.front().reason == "command_syntax_error");
  CHECK(broken.command_error.find("unknown command") != std::string::npos);
}

TEST_CASE("The --package option restricts a command to one package", "[core][plan]") {
  auto config = config_from(R"(
packages:
  a: {specfile_path: a.spec}
  b: {specfile_path: b.spec}
jobs:
  - job: propose_downstream
    trigger: release
)");
  auto plan = make_plan(comment(EventKind::issue_comment, "/packit --package b propose-downstream"),
                        config, recorded_aliases());
  REQUIRE(plan.jobs.size() == 1);
  CHECK(plan.jobs[0].package == "b");
  CHECK(skipped_job(plan, "propose_downstream")->reason == "package_not_selected");
}

TEST_CASE("A dist-git push with a spec change runs koji_build for that branch only",
          "[core][plan]") {
  auto config = config_from(k_release_config);
  auto push = event_of(EventKind::push);
  push.branch = "f41";
  push.changed_files_known = true;
  push.changed_files = {"widget.spec", "sources"};
  auto plan = make_plan(push, config, recorded_aliases());
  const auto* koji = planned_job(plan, "koji_build");
  REQUIRE(koji);
  CHECK(koji->dist_git_branches == Strings{"f41"});
  CHECK(koji->targets == Strings{"f41-candidate"});
  CHECK(koji->requires_permission == "allowed_committers");
  const auto* bodhi = planned_job(plan, "bodhi_update");
  REQUIRE(bodhi); // after koji_build, in the same run
  CHECK(bodhi->dist_git_branches == Strings{"f41"});
  CHECK(bodhi->requires_permission == "none");
  push.changed_files = {"README.md"};
  CHECK(skipped_job(make_plan(push, config, recorded_aliases()), "koji_build")->reason ==
        "no_spec_change");
  CHECK(skipped_job(make_plan(push, config, recorded_aliases()), "bodhi_update")->reason ==
        "no_spec_change");
  push.branch = "f39";
  push.changed_files_known = false;
  CHECK(skipped_job(make_plan(push, config, recorded_aliases()), "koji_build")->reason ==
        "branch_not_configured");
}

TEST_CASE("An unknown alias skips the job and says which name", "[core][plan]") {
  auto config = config_from("specfile_path: w.spec\njobs:\n  - job: propose_downstream\n"
                            "    trigger: release\n    dist_git_branches: [fedora-stabel]\n");
  auto plan = make_plan(release("v1"), config, recorded_aliases());
  REQUIRE(plan.skipped.size() == 1);
  CHECK(plan.skipped[0].reason == "unknown_alias");
  CHECK(plan.skipped[0].detail.find("'fedora-stabel'") != std::string::npos);
}

TEST_CASE("Ignored events, manual-only jobs, other instances and ignore triggers are skipped",
          "[core][plan]") {
  auto config = config_from(R"(
specfile_path: w.spec
jobs:
  - {job: propose_downstream, trigger: release, manual_trigger: true}
  - {job: propose_downstream, trigger: release, packit_instances: [stg]}
  - {job: propose_downstream, trigger: ignore}
)");
  auto plan = make_plan(release("v1"), config, recorded_aliases());
  REQUIRE(plan.skipped.size() == 3);
  CHECK(plan.skipped[0].reason == "manual_trigger_only");
  CHECK(plan.skipped[1].reason == "instance_excluded");
  CHECK(plan.skipped[2].reason == "trigger_ignore");
  auto ignored = event_of(EventKind::ignored);
  ignored.ignored_reason = "'check_run' is not an event ferry acts on";
  auto none = make_plan(ignored, config, recorded_aliases());
  CHECK(none.skipped[0].reason == "event_not_acted_on");
}

TEST_CASE("A schedule runs pull_from_upstream", "[core][plan]") {
  auto config = config_from("specfile_path: w.spec\njobs:\n  - job: pull_from_upstream\n"
                            "    trigger: release\n    dist_git_branches: fedora-development\n");
  auto plan = make_plan(event_of(EventKind::schedule), config, recorded_aliases());
  REQUIRE(plan.jobs.size() == 1);
  CHECK(plan.jobs[0].dist_git_branches == Strings{"f42", "rawhide"});
}

TEST_CASE("The plan JSON has the documented shape", "[core][plan]") {
  auto config = config_from(k_release_config);
  auto json = ferry::core::plan::to_json(make_plan(release("v1.0"), config, recorded_aliases()));
  CHECK(json["event"]["forge"] == "github");
  CHECK(json["event"]["kind"] == "release");
  CHECK(json["event"]["tag"] == "v1.0");
  CHECK(json["event"]["command"].is_null());
  const auto& job = json["jobs"][0];
  for (const char* key : {"job", "trigger", "package", "index", "dist_git_branches", "targets",
                          "requires_permission", "config"}) {
    CHECK(job.contains(key));
  }
  CHECK(job["config"]["specfile_path"] == "widget.spec");
  const auto& skipped = json["skipped"][0];
  for (const char* key : {"job", "trigger", "package", "index", "reason", "detail"}) {
    CHECK(skipped.contains(key));
  }
}

TEST_CASE("A dist-git push runs a side-tag group's bodhi_update (trigger koji_build) after the "
          "build, and skips branches the job does not have",
          "[core][plan]") {
  auto config = config_from(R"(
specfile_path: widget.spec
jobs:
  - {job: koji_build, trigger: commit, sidetag_group: g, dist_git_branches: [fedora-all]}
  - {job: bodhi_update, trigger: koji_build, sidetag_group: g, dist_git_branches: [fedora-all]}
  - {job: bodhi_update, trigger: commit, dist_git_branches: [fedora-branched]}
)");
  auto push = event_of(EventKind::push);
  push.branch = "rawhide";
  push.changed_files_known = true;
  push.changed_files = {"widget.spec"};
  auto plan = make_plan(push, config, recorded_aliases());
  REQUIRE(plan.jobs.size() == 2);
  CHECK(plan.jobs[0].job == "koji_build");
  CHECK(plan.jobs[1].job == "bodhi_update");
  CHECK(plan.jobs[1].trigger == "koji_build");
  CHECK(plan.jobs[1].dist_git_branches == Strings{"rawhide"});
  REQUIRE(plan.skipped.size() == 1);
  CHECK(plan.skipped[0].reason == "branch_not_configured"); // rawhide is not branched
}
