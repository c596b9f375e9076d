#include "core/event/event_parser.hpp"

#include "infra/util/json.hpp"

#include <fmt/format.h>

#include <array>
#include <functional>
#include <optional>

namespace ferry::core::event {

namespace {

using model::Event;
using model::EventKind;
using model::Forge;
using nlohmann::json;

std::string_view type_name(const json& value) {
  switch (value.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::object:
    return "an object";
  case json::value_t::array:
    return "an array";
  case json::value_t::string:
    return "a string";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "an integer";
  case json::value_t::number_float:
    return "a number";
  case json::value_t::binary:
  case json::value_t::discarded:
    break;
  }
  return "something else";
}

// Reads fields by dotted path; the first problem is kept and reported once at the end, so a
// parser reads straight down its fields and checks `error()` once.
class FieldReader {
public:
  FieldReader(const json& root, std::string event_name)
      : m_root(root), m_event_name(std::move(event_name)) {}

  const json* find(std::string_view path) const {
    const json* node = &m_root;
    while (!path.empty()) {
      std::size_t dot = path.find('.');
      std::string_view key = path.substr(0, dot);
      if (!node->is_object()) {
        return nullptr;
      }
      auto it = node->find(key);
      if (it == node->end()) {
        return nullptr;
      }
      node = &*it;
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    return node;
  }

  std::string required_string(std::string_view path) {
    const json* node = find(path);
    if (node == nullptr) {
      note(path, "is missing");
      return {};
    }
    if (!node->is_string()) {
      note(path, fmt::format("must be a string, not {}", type_name(*node)));
      return {};
    }
    return node->get<std::string>();
  }

  // A string that may be absent or null.
  std::string optional_string(std::string_view path) {
    const json* node = find(path);
    if (node == nullptr || node->is_null()) {
      return {};
    }
    if (!node->is_string()) {
      note(path, fmt::format("must be a string, not {}", type_name(*node)));
      return {};
    }
    return node->get<std::string>();
  }

  std::optional<std::uint64_t> required_number(std::string_view path) {
    const json* node = find(path);
    if (node == nullptr) {
      note(path, "is missing");
      return std::nullopt;
    }
    if (!node->is_number_unsigned() &&
        !(node->is_number_integer() && node->get<long long>() >= 0)) {
      note(path, fmt::format("must be a non-negative integer, not {}", type_name(*node)));
      return std::nullopt;
    }
    return node->get<std::uint64_t>();
  }

  std::optional<std::uint64_t> optional_number(std::string_view path) {
    const json* node = find(path);
    if (node == nullptr || node->is_null()) {
      return std::nullopt;
    }
    return required_number(path);
  }

  bool optional_bool(std::string_view path) {
    const json* node = find(path);
    if (node == nullptr || node->is_null()) {
      return false;
    }
    if (!node->is_boolean()) {
      note(path, fmt::format("must be true or false, not {}", type_name(*node)));
      return false;
    }
    return node->get<bool>();
  }

  bool has_object(std::string_view path) const {
    const json* node = find(path);
    return node != nullptr && node->is_object();
  }

  // Names of the objects in an array field (e.g. labels[].name); absent or null is empty.
  std::vector<std::string> names_in(std::string_view path, std::string_view key) {
    std::vector<std::string> names;
    const json* node = find(path);
    if (node == nullptr || node->is_null()) {
      return names;
    }
    if (!node->is_array()) {
      note(path, fmt::format("must be an array, not {}", type_name(*node)));
      return names;
    }
    for (const json& item : *node) {
      if (item.is_object()) {
        auto it = item.find(key);
        if (it != item.end() && it->is_string()) {
          names.push_back(it->get<std::string>());
        }
      }
    }
    return names;
  }

  const std::optional<Error>& error() const { return m_error; }

private:
  void note(std::string_view path, std::string_view problem) {
    if (!m_error) {
      m_error = Error(ErrorKind::event,
                      fmt::format("{} event payload: field '{}' {}", m_event_name, path, problem));
    }
  }

  const json& m_root;
  std::string m_event_name;
  std::optional<Error> m_error;
};

Event ignored(Event event, std::string reason) {
  event.kind = EventKind::ignored;
  event.ignored_reason = std::move(reason);
  return event;
}

// Changed files of a push, from commits[].{added,modified,removed}; unknown when the list is
// absent or has GitHub's 20-commit cap (then it may be truncated).
void read_changed_files(const json& payload, Event& event) {
  auto commits = payload.find("commits");
  if (commits == payload.end() || !commits->is_array() || commits->size() >= 20) {
    return;
  }
  for (const json& commit : *commits) {
    if (!commit.is_object()) {
      return;
    }
    for (const char* list : {"added", "modified", "removed"}) {
      auto files = commit.find(list);
      if (files == commit.end() || !files->is_array()) {
        continue;
      }
      for (const json& file : *files) {
        if (file.is_string()) {
          event.changed_files.push_back(file.get<std::string>());
        }
      }
    }
  }
  event.changed_files_known = true;
}

void read_github_repository(FieldReader& fields, Event& event) {
  event.repo_full_name = fields.required_string("repository.full_name");
  event.repo_url = fields.optional_string("repository.html_url");
  event.clone_url = fields.optional_string("repository.clone_url");
  event.default_branch = fields.optional_string("repository.default_branch");
  event.actor = fields.optional_string("sender.login");
}

// --- GitHub, Forgejo and Gitea (same payload shapes) ---------------------------------------

using Parser = Result<Event> (*)(Event, const json&);

Result<Event> github_release(Event event, const json& payload) {
  FieldReader fields(payload, "release");
  event.action = fields.required_string("action");
  event.tag = fields.required_string("release.tag_name");
  event.release_name = fields.optional_string("release.name");
  event.release_body = fields.optional_string("release.body");
  event.prerelease = fields.optional_bool("release.prerelease");
  event.draft = fields.optional_bool("release.draft");
  read_github_repository(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  event.ref = "refs/tags/" + event.tag;
  if (event.action != "published") {
    return ignored(std::move(event),
                   fmt::format("release action '{}' (ferry acts on 'published')", event.action));
  }
  event.kind = EventKind::release;
  return event;
}

// A push of a tag or a branch (with its changed files); anything else is not acted on.
Result<Event> classify_pushed_ref(Event event, const json& payload) {
  if (event.ref.starts_with("refs/tags/")) {
    event.tag = event.ref.substr(10);
    event.kind = EventKind::tag_push;
    return event;
  }
  if (!event.ref.starts_with("refs/heads/")) {
    return ignored(std::move(event), fmt::format("push to '{}', not a branch or tag", event.ref));
  }
  event.branch = event.ref.substr(11);
  event.kind = EventKind::push;
  read_changed_files(payload, event);
  return event;
}

Result<Event> github_push(Event event, const json& payload) {
  FieldReader fields(payload, "push");
  event.ref = fields.required_string("ref");
  event.commit_sha = fields.optional_string("after");
  bool deleted = fields.optional_bool("deleted");
  read_github_repository(fields, event);
  if (event.actor.empty()) {
    event.actor = fields.optional_string("pusher.name");
  }
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (deleted) {
    return ignored(std::move(event), fmt::format("'{}' was deleted", event.ref));
  }
  return classify_pushed_ref(std::move(event), payload);
}

Result<Event> github_pull_request(Event event, const json& payload) {
  FieldReader fields(payload, "pull_request");
  event.action = fields.required_string("action");
  event.pr_number = fields.required_number("number");
  event.branch = fields.required_string("pull_request.base.ref");
  event.source_branch = fields.optional_string("pull_request.head.ref");
  event.commit_sha = fields.required_string("pull_request.head.sha");
  event.labels = fields.names_in("pull_request.labels", "name");
  read_github_repository(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  static constexpr std::array<std::string_view, 4> k_acted_on{"opened", "reopened", "synchronize",
                                                              "synchronized"};
  if (std::find(k_acted_on.begin(), k_acted_on.end(), event.action) == k_acted_on.end()) {
    return ignored(std::move(event),
                   fmt::format("pull request action '{}' (ferry acts on opened, reopened, "
                               "synchronize)",
                               event.action));
  }
  event.kind = EventKind::pull_request;
  return event;
}

Result<Event> github_issue_comment(Event event, const json& payload) {
  FieldReader fields(payload, "issue_comment");
  event.action = fields.required_string("action");
  event.comment_body = fields.optional_string("comment.body");
  event.comment_id = fields.required_number("comment.id");
  event.comment_created_at = fields.optional_string("comment.created_at");
  event.actor = fields.optional_string("comment.user.login");
  std::string user_type = fields.optional_string("comment.user.type");
  event.author_association = fields.optional_string("comment.author_association");
  event.issue_number = fields.required_number("issue.number");
  event.labels = fields.names_in("issue.labels", "name");
  bool is_pull = fields.has_object("issue.pull_request") || fields.optional_bool("is_pull");
  std::string comment_author = event.actor;
  read_github_repository(fields, event);
  if (!comment_author.empty()) {
    event.actor = comment_author;
  }
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (is_pull) {
    event.pr_number = event.issue_number;
    event.issue_number.reset();
  }
  if (event.action != "created") {
    return ignored(
        std::move(event),
        fmt::format("comment action '{}' (only new comments carry commands)", event.action));
  }
  if (user_type == "Bot") {
    return ignored(std::move(event), "comment written by a bot");
  }
  event.kind = is_pull ? EventKind::pr_comment : EventKind::issue_comment;
  return event;
}

Result<Event> github_commit_comment(Event event, const json& payload) {
  FieldReader fields(payload, "commit_comment");
  event.action = fields.required_string("action");
  event.comment_body = fields.optional_string("comment.body");
  event.comment_id = fields.required_number("comment.id");
  event.comment_created_at = fields.optional_string("comment.created_at");
  event.commit_sha = fields.required_string("comment.commit_id");
  std::string author = fields.optional_string("comment.user.login");
  event.author_association = fields.optional_string("comment.author_association");
  read_github_repository(fields, event);
  if (!author.empty()) {
    event.actor = author;
  }
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (event.action != "created") {
    return ignored(std::move(event), fmt::format("commit comment action '{}'", event.action));
  }
  event.kind = EventKind::commit_comment;
  return event;
}

Result<Event> github_schedule(Event event, const json& payload) {
  FieldReader fields(payload, "schedule");
  event.repo_full_name = fields.optional_string("repository.full_name");
  event.default_branch = fields.optional_string("repository.default_branch");
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  event.kind = EventKind::schedule;
  return event;
}

Result<Event> github_dispatch(Event event, const json& payload) {
  FieldReader fields(payload, "workflow_dispatch");
  event.ref = fields.optional_string("ref");
  // A dispatch may carry what to do: inputs `command` ("/ferry propose-downstream") and `tag`.
  event.comment_body = fields.optional_string("inputs.command");
  std::string input_tag = fields.optional_string("inputs.tag");
  read_github_repository(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (event.ref.starts_with("refs/heads/")) {
    event.branch = event.ref.substr(11);
  } else if (event.ref.starts_with("refs/tags/")) {
    event.tag = event.ref.substr(10);
  }
  if (!input_tag.empty()) {
    event.tag = input_tag;
  }
  event.kind = EventKind::manual;
  return event;
}

struct ParserRow {
  std::string_view event_name;
  Parser parse;
};

constexpr std::array<ParserRow, 9> k_github_parsers{{
    {"release", github_release},
    {"push", github_push},
    {"pull_request", github_pull_request},
    {"pull_request_target", github_pull_request},
    {"issue_comment", github_issue_comment},
    {"pull_request_comment", github_issue_comment},
    {"commit_comment", github_commit_comment},
    {"schedule", github_schedule},
    {"workflow_dispatch", github_dispatch},
}};

// --- GitLab webhooks --------------------------------------------------------------------------

void read_gitlab_project(FieldReader& fields, Event& event) {
  event.repo_full_name = fields.required_string("project.path_with_namespace");
  event.repo_url = fields.optional_string("project.web_url");
  event.clone_url = fields.optional_string("project.git_http_url");
  event.default_branch = fields.optional_string("project.default_branch");
}

bool is_null_sha(std::string_view sha) {
  return !sha.empty() && sha.find_first_not_of('0') == std::string_view::npos;
}

Result<Event> gitlab_push(Event event, const json& payload) {
  FieldReader fields(payload, event.event_name);
  event.ref = fields.required_string("ref");
  event.commit_sha = fields.optional_string("checkout_sha");
  std::string after = fields.optional_string("after");
  event.actor = fields.optional_string("user_username");
  read_gitlab_project(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (event.commit_sha.empty()) {
    event.commit_sha = after;
  }
  if (is_null_sha(after)) {
    return ignored(std::move(event), fmt::format("'{}' was deleted", event.ref));
  }
  return classify_pushed_ref(std::move(event), payload);
}

Result<Event> gitlab_merge_request(Event event, const json& payload) {
  FieldReader fields(payload, "merge_request");
  event.action = fields.optional_string("object_attributes.action");
  event.pr_number = fields.required_number("object_attributes.iid");
  event.branch = fields.required_string("object_attributes.target_branch");
  event.source_branch = fields.optional_string("object_attributes.source_branch");
  event.commit_sha = fields.optional_string("object_attributes.last_commit.id");
  event.actor = fields.optional_string("user.username");
  event.labels = fields.names_in("labels", "title");
  read_gitlab_project(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  static constexpr std::array<std::string_view, 4> k_acted_on{"", "open", "reopen", "update"};
  if (std::find(k_acted_on.begin(), k_acted_on.end(), event.action) == k_acted_on.end()) {
    return ignored(std::move(event),
                   fmt::format("merge request action '{}' (ferry acts on open, reopen, update)",
                               event.action));
  }
  event.kind = EventKind::pull_request;
  return event;
}

Result<Event> gitlab_note(Event event, const json& payload) {
  FieldReader fields(payload, "note");
  event.action = fields.optional_string("object_attributes.action");
  event.comment_body = fields.required_string("object_attributes.note");
  event.comment_id = fields.required_number("object_attributes.id");
  event.comment_created_at = fields.optional_string("object_attributes.created_at");
  std::string noteable = fields.required_string("object_attributes.noteable_type");
  bool system = fields.optional_bool("object_attributes.system");
  event.actor = fields.optional_string("user.username");
  read_gitlab_project(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  if (!event.action.empty() && event.action != "create") {
    return ignored(std::move(event), fmt::format("note action '{}'", event.action));
  }
  if (system) {
    return ignored(std::move(event), "a system note");
  }
  if (noteable == "MergeRequest") {
    event.pr_number = fields.required_number("merge_request.iid");
    event.branch = fields.required_string("merge_request.target_branch");
    event.source_branch = fields.optional_string("merge_request.source_branch");
    event.commit_sha = fields.optional_string("merge_request.last_commit.id");
    event.kind = EventKind::pr_comment;
  } else if (noteable == "Issue") {
    event.issue_number = fields.required_number("issue.iid");
    event.kind = EventKind::issue_comment;
  } else if (noteable == "Commit") {
    event.commit_sha = fields.required_string("commit.id");
    event.kind = EventKind::commit_comment;
  } else {
    return ignored(std::move(event), fmt::format("a note on a {}", noteable));
  }
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  return event;
}

Result<Event> gitlab_release(Event event, const json& payload) {
  FieldReader fields(payload, "release");
  event.action = fields.required_string("action");
  event.tag = fields.required_string("tag");
  event.release_name = fields.optional_string("name");
  event.release_body = fields.optional_string("description");
  event.commit_sha = fields.optional_string("commit.id");
  read_gitlab_project(fields, event);
  if (fields.error()) {
    return std::unexpected(*fields.error());
  }
  event.ref = "refs/tags/" + event.tag;
  if (event.action != "create") {
    return ignored(std::move(event),
                   fmt::format("release action '{}' (ferry acts on 'create')", event.action));
  }
  event.kind = EventKind::release;
  return event;
}

constexpr std::array<ParserRow, 5> k_gitlab_parsers{{
    {"push", gitlab_push},
    {"tag_push", gitlab_push},
    {"merge_request", gitlab_merge_request},
    {"note", gitlab_note},
    {"release", gitlab_release},
}};

// Top-level keys that identify a GitHub-style payload, most specific first.
struct ShapeRow {
  std::string_view key;
  std::string_view also; // a second key that must be present ("" = none)
  std::string_view event_name;
};

constexpr std::array<ShapeRow, 13> k_github_shapes{{
    {"check_run", "", "check_run"},
    {"check_suite", "", "check_suite"},
    {"workflow_run", "", "workflow_run"},
    {"run", "", "action_run"},
    {"release", "", "release"},
    {"comment", "issue", "issue_comment"},
    {"comment", "pull_request", "issue_comment"},
    {"comment", "", "commit_comment"},
    {"pull_request", "number", "pull_request"},
    {"ref_type", "", "create"},
    {"ref", "before", "push"},
    {"inputs", "", "workflow_dispatch"},
    {"schedule", "", "schedule"},
}};

} // namespace

std::pair<json, std::string> unwrap_relayed_webhook(const json& document) {
  if (!document.is_object() || !document.contains("body") || !document["body"].is_object() ||
      document.contains("repository")) {
    return {document, {}};
  }
  std::string name;
  auto headers = document.find("headers");
  if (headers != document.end() && headers->is_object()) {
    for (const char* header : {"x-forgejo-event", "x-gitea-event", "x-github-event"}) {
      auto it = headers->find(header);
      if (it != headers->end() && it->is_string()) {
        name = it->get<std::string>();
        break;
      }
    }
  }
  return {document["body"], name};
}

std::string infer_event_name(Forge forge, const json& payload) {
  if (!payload.is_object()) {
    return {};
  }
  if (forge == Forge::gitlab) {
    auto kind = payload.find("object_kind");
    return kind != payload.end() && kind->is_string() ? kind->get<std::string>() : std::string{};
  }
  for (const ShapeRow& row : k_github_shapes) {
    if (payload.contains(row.key) && (row.also.empty() || payload.contains(row.also))) {
      return std::string(row.event_name);
    }
  }
  return {};
}

Result<Event> parse_event_json(Forge forge, std::string_view event_name, const json& document) {
  auto [payload, relayed_name] = unwrap_relayed_webhook(document);
  if (!payload.is_object()) {
    return fail(ErrorKind::event,
                fmt::format("event payload must be a JSON object, not {}", type_name(payload)));
  }
  std::string name(event_name);
  if (name.empty()) {
    name = relayed_name;
  }
  if (name.empty() || forge == Forge::gitlab) {
    std::string inferred = infer_event_name(forge, payload);
    if (forge == Forge::gitlab && !inferred.empty()) {
      name = inferred; // object_kind is authoritative; "Note Hook" and the like map onto it
    } else if (name.empty()) {
      name = inferred;
    }
  }
  Event event;
  event.forge = forge == Forge::local ? Forge::github : forge;
  event.event_name = name;
  if (name.empty()) {
    return ignored(std::move(event),
                   "not an event ferry recognises (pass --event-name; GitLab payloads need "
                   "'object_kind')");
  }
  if (forge == Forge::gitlab) {
    for (const ParserRow& row : k_gitlab_parsers) {
      if (row.event_name == name) {
        return row.parse(std::move(event), payload);
      }
    }
  } else {
    for (const ParserRow& row : k_github_parsers) {
      if (row.event_name == name) {
        return row.parse(std::move(event), payload);
      }
    }
  }
  return ignored(std::move(event), fmt::format("'{}' is not an event ferry acts on", name));
}

Result<Event> parse_event(Forge forge, std::string_view event_name, std::string_view payload_text) {
  FERRY_TRY_ASSIGN(json payload,
                   infra::util::parse_json(payload_text, "the event payload", ErrorKind::event));
  return parse_event_json(forge, event_name, payload);
}

nlohmann::ordered_json to_json(const Event& event) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["forge"] = std::string(model::to_string(event.forge));
  out["kind"] = std::string(model::to_string(event.kind));
  auto put = [&out](const char* key, const std::string& value) {
    if (!value.empty()) {
      out[key] = value;
    }
  };
  put("event_name", event.event_name);
  put("action", event.action);
  put("ignored_reason", event.ignored_reason);
  put("repository", event.repo_full_name);
  put("ref", event.ref);
  put("branch", event.branch);
  put("tag", event.tag);
  put("commit", event.commit_sha);
  put("actor", event.actor);
  if (event.pr_number) {
    out["pr_number"] = *event.pr_number;
  }
  if (event.issue_number) {
    out["issue_number"] = *event.issue_number;
  }
  if (event.comment_id) {
    out["comment_id"] = *event.comment_id;
  }
  if (event.kind == EventKind::release) {
    out["prerelease"] = event.prerelease;
  }
  if (event.changed_files_known) {
    out["changed_files"] = event.changed_files;
  }
  return out;
}

} // namespace ferry::core::event
