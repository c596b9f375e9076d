#include "core/event/ci_environment.hpp"

#include "core/event/event_parser.hpp"
#include "infra/process/environment.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ferry::core::event {

namespace {

using model::Event;
using model::EventKind;
using model::Forge;

constexpr std::size_t k_max_payload_bytes = std::size_t{32} << 20;

std::string env_or(const EnvLookup& env, std::string_view name, std::string fallback = {}) {
  std::optional<std::string> value = env(name);
  return value ? *value : std::move(fallback);
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::event, fmt::format("cannot read the event payload file '{}'", path));
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > k_max_payload_bytes) {
      return fail(ErrorKind::event,
                  fmt::format("the event payload file '{}' is larger than 32 MiB", path));
    }
  }
  return text;
}

// GitHub/Forgejo: the payload file plus the run's variables for what the payload lacks.
Result<Event> read_actions_event(const EnvLookup& env, Forge forge) {
  auto var = [&](std::string_view suffix) {
    std::string value = env_or(env, fmt::format("FORGEJO_{}", suffix));
    return value.empty() ? env_or(env, fmt::format("GITHUB_{}", suffix)) : value;
  };
  std::string name = var("EVENT_NAME");
  std::string path = var("EVENT_PATH");
  if (name.empty() || path.empty()) {
    return fail(ErrorKind::event, "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must both be set");
  }
  Event event;
  FERRY_TRY_ASSIGN(event, read_event_file(forge, name, path));
  if (event.repo_full_name.empty()) {
    event.repo_full_name = var("REPOSITORY");
  }
  if (event.commit_sha.empty()) {
    event.commit_sha = var("SHA");
  }
  if (event.ref.empty()) {
    event.ref = var("REF");
  }
  if (event.actor.empty()) {
    event.actor = var("ACTOR");
  }
  return event;
}

struct GitlabSource {
  std::string_view pipeline_source;
  EventKind kind;
};

constexpr std::array<GitlabSource, 6> k_gitlab_sources{{
    {"push", EventKind::push},
    {"merge_request_event", EventKind::pull_request},
    {"schedule", EventKind::schedule},
    {"web", EventKind::manual},
    {"api", EventKind::manual},
    {"trigger", EventKind::manual},
}};

Event gitlab_event_from_variables(const EnvLookup& env, EventKind kind, std::string source) {
  Event event;
  event.forge = Forge::gitlab;
  event.kind = kind;
  event.event_name = std::move(source);
  event.repo_full_name = env_or(env, "CI_PROJECT_PATH");
  event.repo_url = env_or(env, "CI_PROJECT_URL");
  event.default_branch = env_or(env, "CI_DEFAULT_BRANCH");
  event.commit_sha = env_or(env, "CI_COMMIT_SHA");
  event.actor = env_or(env, "GITLAB_USER_LOGIN");
  event.branch = env_or(env, "CI_COMMIT_BRANCH");
  if (!event.branch.empty()) {
    event.ref = "refs/heads/" + event.branch;
  }
  return event;
}

// GitLab CI: tag pipelines are ferry's releases (GitLab releases start no pipeline); trigger
// pipelines carry the webhook (a note) in the TRIGGER_PAYLOAD file variable.
Result<Event> read_gitlab_event(const EnvLookup& env) {
  std::string source = env_or(env, "CI_PIPELINE_SOURCE");
  std::string payload = env_or(env, "TRIGGER_PAYLOAD");
  if (!payload.empty()) {
    Event event;
    if (payload.front() == '{') {
      FERRY_TRY_ASSIGN(event, with_context(parse_event(Forge::gitlab, "", payload),
                                           "reading the TRIGGER_PAYLOAD variable"));
    } else {
      FERRY_TRY_ASSIGN(event, read_event_file(Forge::gitlab, "", payload));
    }
    return event;
  }
  std::string tag = env_or(env, "CI_COMMIT_TAG");
  if (!tag.empty()) {
    Event event = gitlab_event_from_variables(env, EventKind::release, "tag_pipeline");
    event.tag = tag;
    event.ref = "refs/tags/" + tag;
    event.action = "tag_pipeline";
    return event;
  }
  for (const GitlabSource& row : k_gitlab_sources) {
    if (row.pipeline_source == source) {
      Event event = gitlab_event_from_variables(env, row.kind, source);
      if (row.kind == EventKind::pull_request) {
        std::string iid = env_or(env, "CI_MERGE_REQUEST_IID");
        char* end = nullptr;
        unsigned long long number = std::strtoull(iid.c_str(), &end, 10);
        if (iid.empty() || end == nullptr || *end != '\0') {
          return fail(ErrorKind::event,
                      "merge request pipeline without a numeric CI_MERGE_REQUEST_IID");
        }
        event.pr_number = number;
        event.branch = env_or(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
        event.source_branch = env_or(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
      }
      return event;
    }
  }
  Event event = gitlab_event_from_variables(env, EventKind::ignored, source);
  event.ignored_reason =
      fmt::format("GitLab pipeline source '{}' is not one ferry acts on", source);
  return event;
}

struct LocalKindRow {
  std::string_view name;
  EventKind kind;
};

constexpr std::array<LocalKindRow, 12> k_local_kinds{{
    {"release", EventKind::release},
    {"tag_push", EventKind::tag_push},
    {"push", EventKind::push},
    {"pull_request", EventKind::pull_request},
    {"issue_comment", EventKind::issue_comment},
    {"pr_comment", EventKind::pr_comment},
    {"commit_comment", EventKind::commit_comment},
    {"schedule", EventKind::schedule},
    {"manual", EventKind::manual},
    {"workflow_dispatch", EventKind::manual},
    {"pull_request_comment", EventKind::pr_comment},
    {"merge_request", EventKind::pull_request},
}};

} // namespace

EnvLookup process_environment() {
  return [](std::string_view name) { return infra::process::environment_variable(name); };
}

std::optional<Forge> detect_forge(const EnvLookup& env) {
  static constexpr std::array<std::pair<std::string_view, Forge>, 4> k_markers{{
      {"FORGEJO_ACTIONS", Forge::forgejo},
      {"GITEA_ACTIONS", Forge::forgejo},
      {"GITHUB_ACTIONS", Forge::github},
      {"GITLAB_CI", Forge::gitlab},
  }};
  for (const auto& [variable, forge] : k_markers) {
    if (env_or(env, variable) == "true") {
      return forge;
    }
  }
  return std::nullopt;
}

Result<Event> read_event_file(Forge forge, std::string_view event_name, const std::string& path) {
  std::string text;
  FERRY_TRY_ASSIGN(text, read_text_file(path));
  return with_context(parse_event(forge, event_name, text), fmt::format("reading '{}'", path));
}

Result<Event> read_ci_event(const EnvLookup& env) {
  std::optional<Forge> forge = detect_forge(env);
  if (!forge) {
    return fail(ErrorKind::event,
                "not running in GitHub Actions, Forgejo/Gitea Actions or GitLab CI: pass "
                "--event FILE (with --event-name) or --event-name with --tag/--branch/--comment");
  }
  if (*forge == Forge::gitlab) {
    return read_gitlab_event(env);
  }
  return read_actions_event(env, *forge);
}

Result<Event> local_event(const LocalEventOptions& options) {
  const LocalKindRow* row = nullptr;
  for (const LocalKindRow& candidate : k_local_kinds) {
    if (candidate.name == options.kind) {
      row = &candidate;
    }
  }
  if (row == nullptr) {
    return fail(ErrorKind::usage,
                fmt::format("unknown event '{}': expected release, tag_push, push, pull_request, "
                            "issue_comment, pr_comment, commit_comment, schedule or manual",
                            options.kind));
  }
  Event event;
  event.forge = options.forge;
  event.kind = row->kind;
  event.event_name = options.kind;
  event.tag = options.tag;
  event.branch = options.branch;
  event.comment_body = options.comment;
  event.repo_full_name = options.repository;
  event.actor = options.actor;
  bool needs_tag = row->kind == EventKind::release || row->kind == EventKind::tag_push;
  if (needs_tag && options.tag.empty()) {
    return fail(ErrorKind::usage, fmt::format("a {} event needs --tag", options.kind));
  }
  bool is_comment = row->kind == EventKind::issue_comment || row->kind == EventKind::pr_comment ||
                    row->kind == EventKind::commit_comment;
  if (is_comment && options.comment.empty()) {
    return fail(ErrorKind::usage, fmt::format("a {} event needs --comment", options.kind));
  }
  if (needs_tag) {
    event.ref = "refs/tags/" + options.tag;
  } else if (!options.branch.empty()) {
    event.ref = "refs/heads/" + options.branch;
  }
  if (row->kind == EventKind::pr_comment || row->kind == EventKind::pull_request) {
    event.pr_number = 0;
  }
  return event;
}

} // namespace ferry::core::event
