#include "clients/fedora/bodhi/updates_client.hpp"

#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace ferry::clients::fedora::bodhi {

namespace {

namespace http = infra::http;
using nlohmann::json;

std::string text_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<Update> update_from_json(const json& object, const std::string& base_url) {
  if (!object.is_object() || text_field(object, "alias").empty()) {
    return fail(ErrorKind::http_status, "Bodhi answered with an update that has no alias");
  }
  Update update;
  update.alias = text_field(object, "alias");
  update.url = text_field(object, "url");
  if (update.url.empty()) {
    update.url = base_url + "/updates/" + update.alias;
  }
  update.status = text_field(object, "status");
  update.request = text_field(object, "request");
  update.type = text_field(object, "type");
  if (auto release = object.find("release"); release != object.end() && release->is_object()) {
    update.release = text_field(*release, "name");
  }
  if (auto user = object.find("user"); user != object.end() && user->is_object()) {
    update.user = text_field(*user, "name");
  }
  if (std::string tag = text_field(object, "from_tag"); !tag.empty()) {
    update.from_tag = tag;
  }
  if (auto builds = object.find("builds"); builds != object.end() && builds->is_array()) {
    for (const json& build : *builds) {
      if (build.is_object() && !text_field(build, "nvr").empty()) {
        update.builds.push_back(text_field(build, "nvr"));
      }
    }
  }
  return update;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : std::string(separator)) + item;
  }
  return text;
}

std::string subject(const UpdateForm& form) {
  return form.builds.empty() ? "side tag " + form.from_tag.value_or("") : join(form.builds, ", ");
}

bool same_builds(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// "Update for <nvr> already exists" -> <nvr>
std::optional<std::string> duplicate_nvr(const std::string& description) {
  constexpr std::string_view k_prefix = "Update for ";
  constexpr std::string_view k_suffix = " already exists";
  std::size_t start = description.find(k_prefix);
  if (start == std::string::npos) {
    return std::nullopt;
  }
  start += k_prefix.size();
  std::size_t end = description.find(k_suffix, start);
  if (end == std::string::npos || description.find(' ', start) < end) {
    return std::nullopt;
  }
  return description.substr(start, end - start);
}

bool mentions_side_tag_update(const std::vector<std::string>& descriptions) {
  return std::any_of(descriptions.begin(), descriptions.end(), [](const std::string& d) {
    return d.find("Update already exists using this side tag") != std::string::npos;
  });
}

std::string describe(const Update& update) {
  return update.alias + " (" + update.url + ")";
}

// Bodhi catches any exception of its update creation as "Unable to create update. <what>",
// including those raised after its own commit (a Celery task or a message that could not be
// sent): the update may exist although the answer is a 400.
bool failed_after_saving(const std::vector<std::string>& descriptions) {
  return std::any_of(descriptions.begin(), descriptions.end(), [](const std::string& d) {
    return d.starts_with("Unable to create update.");
  });
}

} // namespace

std::string_view to_string(SubmitAction action) {
  switch (action) {
  case SubmitAction::created:
    return "created";
  case SubmitAction::edited:
    return "edited";
  case SubmitAction::unchanged:
    return "unchanged";
  case SubmitAction::already_exists:
    return "already_exists";
  }
  return "created";
}

Form to_form(const UpdateForm& form) {
  Form fields;
  for (const std::string& nvr : form.builds) {
    fields.emplace_back("builds", nvr);
  }
  if (form.from_tag) {
    fields.emplace_back("from_tag", *form.from_tag);
  }
  fields.emplace_back("notes", form.notes);
  fields.emplace_back("type", form.type);
  if (!form.bugs.empty()) {
    fields.emplace_back("bugs", join(form.bugs, ","));
  }
  if (form.severity) {
    fields.emplace_back("severity", *form.severity);
  }
  if (form.display_name) {
    fields.emplace_back("display_name", *form.display_name);
  }
  if (form.edited) {
    fields.emplace_back("edited", *form.edited);
  }
  for (const auto& [key, value] : form.extra) {
    bool taken = key == "csrf_token" ||
                 std::any_of(fields.begin(), fields.end(),
                             [&](const auto& field) { return field.first == key; }) ||
                 key == "builds" || key == "from_tag" || key == "edited" || key == "bugs";
    if (!taken) {
      fields.emplace_back(key, value);
    }
  }
  return fields;
}

Result<Update> parse_update(const std::string& json_text, const std::string& base_url) {
  json object = infra::util::parse_json_or_discarded(json_text);
  return update_from_json(object, base_url);
}

Result<std::vector<Update>> UpdatesClient::query(const std::string& query_string,
                                                 const std::string& what) {
  // Bodhi: GET /updates/?<filters> -> {"updates": [...], "page", "pages", ...}
  FERRY_TRY_ASSIGN(auto response, with_context(m_session.get("/updates/?" + query_string), what));
  if (!response.ok()) {
    return std::unexpected(bodhi_error(response, what));
  }
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object() || !body.contains("updates") || !body["updates"].is_array()) {
    return fail(ErrorKind::http_status, "Bodhi's answer to " + what + " has no updates list");
  }
  std::vector<Update> updates;
  for (const json& item : body["updates"]) {
    FERRY_TRY_ASSIGN(auto update, update_from_json(item, m_session.base_url()));
    updates.push_back(std::move(update));
  }
  return updates;
}

Result<std::vector<Update>>
UpdatesClient::find_updates_for_builds(const std::vector<std::string>& nvrs) {
  std::string query_string;
  for (const std::string& nvr : nvrs) {
    query_string += "builds=" + infra::util::percent_encode(nvr) + "&";
  }
  FERRY_TRY_ASSIGN(auto updates, this->query(query_string + "rows_per_page=100",
                                             "looking up Bodhi updates of " + join(nvrs, ", ")));
  std::vector<Update> holding;
  std::set<std::string> seen;
  for (Update& update : updates) {
    if (update.status != "unpushed" && seen.insert(update.alias).second) {
      holding.push_back(std::move(update));
    }
  }
  return holding;
}

Result<std::optional<Update>> UpdatesClient::find_update_for_side_tag(const std::string& tag) {
  FERRY_TRY_ASSIGN(
      auto updates,
      this->query("from_side_tag_name=" + infra::util::percent_encode(tag) + "&rows_per_page=100",
                  "looking up the Bodhi update of side tag " + tag));
  for (Update& update : updates) { // servers without the filter answer with everything
    if (update.from_tag == tag) {
      return std::optional<Update>(std::move(update));
    }
  }
  return std::optional<Update>();
}

Result<Update> UpdatesClient::get_update(const std::string& alias) {
  std::string what = "reading Bodhi update " + alias;
  FERRY_TRY_ASSIGN(
      auto response,
      with_context(m_session.get("/updates/" + infra::util::percent_encode(alias)), what));
  if (!response.ok()) {
    return std::unexpected(bodhi_error(response, what));
  }
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object() || !body.contains("update")) {
    return fail(ErrorKind::http_status, "Bodhi's answer to " + what + " has no update");
  }
  return update_from_json(body["update"], m_session.base_url());
}

Result<std::optional<SubmitOutcome>>
UpdatesClient::existing_outcome(const std::vector<std::string>& nvrs) {
  FERRY_TRY_ASSIGN(auto holding, find_updates_for_builds(nvrs));
  std::set<std::string> covered;
  std::vector<std::string> where;
  for (const Update& update : holding) {
    for (const std::string& nvr : nvrs) {
      if (std::find(update.builds.begin(), update.builds.end(), nvr) != update.builds.end() &&
          covered.insert(nvr).second) {
        where.push_back(nvr + " is already in " + describe(update));
      }
    }
  }
  if (covered.empty()) {
    return std::optional<SubmitOutcome>();
  }
  if (covered.size() < std::set<std::string>(nvrs.begin(), nvrs.end()).size()) {
    return fail(ErrorKind::conflict, join(where, "; ") +
                                         ": Bodhi allows one update per build; edit that update "
                                         "or leave the build out");
  }
  SubmitOutcome outcome;
  outcome.action = SubmitAction::already_exists;
  outcome.updates = std::move(holding);
  return std::optional<SubmitOutcome>(std::move(outcome));
}

Error UpdatesClient::refusal(const http::Response& response, const UpdateForm& form) {
  std::vector<std::string> descriptions = error_descriptions(response);
  std::vector<std::string> nvrs;
  for (const std::string& description : descriptions) {
    if (auto nvr = duplicate_nvr(description)) {
      nvrs.push_back(*nvr);
    }
  }
  if (!nvrs.empty()) {
    auto existing = existing_outcome(nvrs);
    if (!existing) {
      return existing.error();
    }
    if (*existing) {
      std::vector<std::string> where;
      for (const Update& update : (*existing)->updates) {
        where.push_back(describe(update));
      }
      return Error(ErrorKind::conflict, "Bodhi already has an update for " + join(nvrs, ", ") +
                                            ": " + join(where, ", ") +
                                            "; Bodhi allows one update per build");
    }
  }
  if (mentions_side_tag_update(descriptions) && form.from_tag) {
    auto existing = find_update_for_side_tag(*form.from_tag);
    std::string which = existing && *existing ? " " + describe(**existing) : "";
    return Error(ErrorKind::conflict, "Bodhi already has an update for side tag " + *form.from_tag +
                                          which + "; edit it (UpdateForm::edited) instead");
  }
  return bodhi_error(response, "the update for " + subject(form));
}

Result<SubmitOutcome> UpdatesClient::parse_saved(const http::Response& response,
                                                 SubmitAction action) {
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object()) {
    return fail(ErrorKind::http_status, "Bodhi's answer to the update is not a JSON object");
  }
  SubmitOutcome outcome;
  outcome.action = action;
  // Builds of several releases: {"updates": [...], "caveats": [...]}; otherwise one Update
  json items = body.contains("updates") && body["updates"].is_array() ? body["updates"]
                                                                      : json::array({body});
  for (const json& item : items) {
    FERRY_TRY_ASSIGN(auto update, update_from_json(item, m_session.base_url()));
    outcome.updates.push_back(std::move(update));
  }
  if (auto caveats = body.find("caveats"); caveats != body.end() && caveats->is_array()) {
    for (const json& caveat : *caveats) {
      if (caveat.is_object() && !text_field(caveat, "description").empty()) {
        outcome.caveats.push_back(text_field(caveat, "description"));
      }
    }
  }
  return outcome;
}

// Bodhi: POST /updates/ (form) -> Update | {"updates": [...]} | Cornice errors.
// nullopt when the outcome is unknown: no answer, or a 5xx.
Result<std::optional<SubmitOutcome>>
UpdatesClient::attempt(const UpdateForm& form, SubmitAction action, bool accept_existing) {
  auto response = m_session.post_form("/updates/", to_form(form));
  if (!response) {
    if (response.error().kind() == ErrorKind::auth) {
      return std::unexpected(response.error());
    }
    infra::log::warning("Bodhi: no answer to the update for {}: {}", subject(form),
                        response.error().message());
    return std::optional<SubmitOutcome>();
  }
  if (response->status >= 500) {
    infra::log::warning("Bodhi answered {} to the update for {}", response->status, subject(form));
    return std::optional<SubmitOutcome>();
  }
  if (!response->ok()) {
    std::vector<std::string> descriptions = error_descriptions(*response);
    if (failed_after_saving(descriptions)) {
      infra::log::warning("Bodhi answered {} to the update for {}, which it may have saved: {}",
                          response->status, subject(form), join(descriptions, "; "));
      return std::optional<SubmitOutcome>();
    }
    bool duplicate = std::any_of(descriptions.begin(), descriptions.end(),
                                 [](const std::string& d) { return duplicate_nvr(d).has_value(); });
    if (duplicate && accept_existing && !form.from_tag) {
      FERRY_TRY_ASSIGN(auto existing, existing_outcome(form.builds)); // created meanwhile
      if (existing) {
        return existing;
      }
    }
    return std::unexpected(refusal(*response, form));
  }
  FERRY_TRY_ASSIGN(auto outcome, parse_saved(*response, action));
  return std::optional<SubmitOutcome>(std::move(outcome));
}

Result<SubmitOutcome> UpdatesClient::save(const UpdateForm& form) {
  FERRY_TRY_ASSIGN(
      auto outcome,
      attempt(form, form.edited ? SubmitAction::edited : SubmitAction::created, false));
  if (!outcome) {
    return fail(ErrorKind::http_status,
                "Bodhi gave no usable answer to the update for " + subject(form) +
                    ", so whether it was saved is unknown; look it up before trying again");
  }
  return std::move(*outcome);
}

// After an unknown outcome: did the update get saved anyway?
Result<std::optional<SubmitOutcome>> UpdatesClient::find_saved(const UpdateForm& form,
                                                               SubmitAction action) {
  if (form.from_tag) {
    FERRY_TRY_ASSIGN(auto update, find_update_for_side_tag(*form.from_tag));
    if (!update || (!form.builds.empty() && !same_builds(update->builds, form.builds))) {
      return std::optional<SubmitOutcome>();
    }
    return std::optional<SubmitOutcome>(SubmitOutcome{action, {std::move(*update)}, {}});
  }
  FERRY_TRY_ASSIGN(auto existing, existing_outcome(form.builds));
  if (existing) {
    existing->action = action;
  }
  return existing;
}

Result<SubmitOutcome> UpdatesClient::save_reconciled(const UpdateForm& form, SubmitAction action) {
  for (int attempt_number = 1; attempt_number <= 2; ++attempt_number) {
    FERRY_TRY_ASSIGN(auto outcome, attempt(form, action, action == SubmitAction::created));
    if (outcome) {
      return std::move(*outcome);
    }
    FERRY_TRY_ASSIGN(auto saved, find_saved(form, action));
    if (saved) {
      infra::log::info("Bodhi: the update for {} was saved although the answer was lost",
                       subject(form));
      return std::move(*saved);
    }
  }
  return fail(ErrorKind::http_status, "Bodhi did not save the update for " + subject(form) +
                                          " after two attempts (server errors); try again later");
}

Result<SubmitOutcome> UpdatesClient::submit_builds(const UpdateForm& form) {
  FERRY_TRY_ASSIGN(auto existing, existing_outcome(form.builds));
  if (existing) {
    infra::log::info("Bodhi: {} already in {}", join(form.builds, ", "),
                     existing->updates.front().alias);
    return std::move(*existing);
  }
  return save_reconciled(form, SubmitAction::created);
}

Result<SubmitOutcome> UpdatesClient::submit_side_tag(const UpdateForm& form) {
  FERRY_TRY_ASSIGN(auto existing, find_update_for_side_tag(*form.from_tag));
  if (!existing) {
    return save_reconciled(form, SubmitAction::created);
  }
  if (!form.builds.empty() && same_builds(existing->builds, form.builds)) {
    return SubmitOutcome{SubmitAction::unchanged, {std::move(*existing)}, {}};
  }
  UpdateForm edit = form;
  edit.edited = existing->alias;
  return save_reconciled(edit, SubmitAction::edited);
}

Result<SubmitOutcome> UpdatesClient::submit(const UpdateForm& form) {
  if (form.builds.empty() && !form.from_tag) {
    return fail(ErrorKind::internal, "a Bodhi update needs builds or a side tag");
  }
  return form.from_tag ? submit_side_tag(form) : submit_builds(form);
}

} // namespace ferry::clients::fedora::bodhi
