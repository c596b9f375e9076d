// Turns a forge's event payload (JSON text) into one model::Event. Pure: no environment, no
// files. Malformed payloads (not JSON, missing fields, wrong types) are ErrorKind::event errors
// that name the field; payloads ferry does not act on become EventKind::ignored with a reason.
#pragma once

#include "error.hpp"
#include "model/event.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ferry::core::event {

// Parses a GitHub/Forgejo/Gitea Actions payload (`event_name` as in GITHUB_EVENT_NAME) or a
// GitLab webhook (`event_name` may be empty: object_kind decides). An empty `event_name` on
// GitHub-style forges is inferred from the payload's shape (see infer_event_name).
[[nodiscard]] Result<model::Event> parse_event(model::Forge forge, std::string_view event_name,
                                               std::string_view payload_text);

// The same, for an already parsed JSON document.
[[nodiscard]] Result<model::Event> parse_event_json(model::Forge forge, std::string_view event_name,
                                                    const nlohmann::json& payload);

// Guesses the GitHub-style event name ("release", "issue_comment", ...) from a payload's
// top-level keys; GitLab payloads answer their object_kind. Empty when nothing fits.
std::string infer_event_name(model::Forge forge, const nlohmann::json& payload);

// A Forgejo webhook as relayed by fedora-messaging is {"body": payload, "headers": {...}}:
// returns the payload and the event name from the X-Forgejo-Event/X-Gitea-Event header (may be
// empty). Any other document is returned unchanged with an empty name.
std::pair<nlohmann::json, std::string> unwrap_relayed_webhook(const nlohmann::json& document);

// The event as plan JSON shows it ({"forge", "kind", ...}); empty fields are left out.
nlohmann::ordered_json to_json(const model::Event& event);

} // namespace ferry::core::event
