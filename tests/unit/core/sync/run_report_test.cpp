// The run's summary, outputs and result as CI users read them.
#include "core/report/run_report.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core;

namespace {

report::RunReport sample() {
  report::RunReport run;
  job::JobOutcome outcome{
      "propose_downstream",   "hello", {}, {"a.tar.gz: waited 60 s"}, {"a.tar.gz"},
      {"hello-1.3.0-1.fc42"}, {},      {}};
  outcome.branches.push_back({"rawhide", job::OutcomeState::success, "pull_request_opened", "",
                              "https://src.example/rpms/hello/pull-request/1", "abc"});
  outcome.branches.push_back({"f41", job::OutcomeState::skipped, "downstream_version_newer",
                              "dist-git | has 2.0", "", ""});
  run.jobs.push_back(outcome);
  run.skipped.push_back({"copr_build", "pull_request", "hello", 1, "trigger_mismatch", "no", {}});
  return run;
}

} // namespace

TEST_CASE("outputs list pull requests, skips and the result", "[unit][report]") {
  auto outputs = report::outputs(sample());
  CHECK(outputs["pull_requests"] ==
        nlohmann::ordered_json::array({"https://src.example/rpms/hello/pull-request/1"}));
  CHECK(outputs["skipped"]["propose_downstream:f41"] == "downstream_version_newer");
  CHECK(outputs["skipped"]["copr_build"] == "trigger_mismatch");
  CHECK(outputs["result"] == "success");
  CHECK(outputs["builds"] == nlohmann::ordered_json::array({"hello-1.3.0-1.fc42"}));
  auto failed = sample();
  failed.jobs[0].branches[1].state = job::OutcomeState::failed;
  CHECK(report::result_of(failed) == "failure");
  CHECK(report::result_of(report::RunReport{}) == "skipped");
}

TEST_CASE("the summary is a Markdown table with escaped cells", "[unit][report]") {
  std::string summary = report::summary_markdown(sample());
  CHECK(summary.find("| `rawhide` | success (pull_request_opened) | [pull request]("
                     "https://src.example/rpms/hello/pull-request/1) |") != std::string::npos);
  CHECK(summary.find("dist-git \\| has 2.0") != std::string::npos);
  CHECK(summary.find("- uploaded `a.tar.gz` to the lookaside cache") != std::string::npos);
  CHECK(summary.find("- build `hello-1.3.0-1.fc42`") != std::string::npos);
}

TEST_CASE("outputs are written as GitHub heredocs and GitLab dotenv lines", "[unit][report]") {
  nlohmann::ordered_json outputs = {{"pull_requests", {"u1"}}, {"result", "success"}};
  CHECK(report::github_output_lines(outputs, "EOF_X") ==
        "pull_requests<<EOF_X\n[\"u1\"]\nEOF_X\nresult<<EOF_X\nsuccess\nEOF_X\n");
  CHECK(report::dotenv_lines(outputs) == "FERRY_PULL_REQUESTS=[\"u1\"]\nFERRY_RESULT=success\n");
}
