// Bodhi updates (fedora-protocols §5.3, packit-compat §6): create an update for Koji builds or
// a side tag, find the updates that already hold builds or were made from a side tag, and
// edit a side tag's update instead of asking for a second one. `submit` is the idempotent
// entry point jobs use: it looks before it writes, so a re-run finds its earlier update.
#pragma once

#include "clients/fedora/bodhi/session.hpp"
#include "error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::clients::fedora::bodhi {

// What a POST /updates/ carries (SaveUpdateSchema). Empty optionals are not sent, so Bodhi's
// defaults apply (autokarma, stable_karma 3, …).
struct UpdateForm {
  std::vector<std::string> builds;     // NVRs; may be empty only with from_tag
  std::optional<std::string> from_tag; // side tag: Bodhi takes its latest builds
  std::string notes;                   // required, at least 2 characters
  std::string type = "enhancement";    // bugfix|security|newpackage|enhancement|unspecified
  std::vector<std::string> bugs;       // Bugzilla ids
  std::optional<std::string> severity;
  std::optional<std::string> display_name;
  std::optional<std::string> edited; // alias of the update being edited
  // bodhi_extra_params as text ("stable_karma" -> "2"); keys the fields above set are ignored
  // (Packit's keys win).
  std::vector<std::pair<std::string, std::string>> extra;
};

// The form fields of `form`, in order, without csrf_token.
Form to_form(const UpdateForm& form);

struct Update {
  std::string alias; // FEDORA-2024-5c9a0e1b2d
  std::string url;   // https://bodhi.fedoraproject.org/updates/<alias>
  std::string status;
  std::string request; // "" when none
  std::string type;
  std::string release; // "F41"
  std::string user;
  std::optional<std::string> from_tag;
  std::vector<std::string> builds; // NVRs
};

// One Update JSON object; `base_url` fills `url` when the object lacks it.
[[nodiscard]] Result<Update> parse_update(const std::string& json_text,
                                          const std::string& base_url);

enum class SubmitAction {
  created,        // a new update (one per release the builds belong to)
  edited,         // the side tag's existing update now has the new builds
  unchanged,      // the side tag's update already had exactly these builds
  already_exists, // every build is already in an update (Packit: skipped, not a failure)
};
std::string_view to_string(SubmitAction action);

struct SubmitOutcome {
  SubmitAction action = SubmitAction::created;
  std::vector<Update> updates;
  std::vector<std::string> caveats; // Bodhi's caveat descriptions
};

class UpdatesClient {
public:
  explicit UpdatesClient(BodhiSession& session) : m_session(session) {}

  // Creates an update for `form.builds` unless every build is already in one
  // (SubmitAction::already_exists), or — with `from_tag` — edits the side tag's update
  // (edited / unchanged) instead of creating a second. Fails with ErrorKind::conflict naming
  // the update when only some builds are already in another update (Bodhi would refuse
  // "Update for <nvr> already exists"); with ErrorKind::auth on login or ACL refusals; with
  // the joined Bodhi error descriptions for other refusals. A write whose answer was lost (5xx,
  // dropped connection) is checked by looking the update up before it is sent again.
  [[nodiscard]] Result<SubmitOutcome> submit(const UpdateForm& form);

  // POST /updates/ once (create, or edit with `edited`); the updates Bodhi answers with.
  // "Update for <nvr> already exists" becomes ErrorKind::conflict naming the existing update.
  [[nodiscard]] Result<SubmitOutcome> save(const UpdateForm& form);

  // Updates (any status but `unpushed`) holding any of these NVRs, each once.
  [[nodiscard]] Result<std::vector<Update>>
  find_updates_for_builds(const std::vector<std::string>& nvrs);
  // The update made from a side tag, if any.
  [[nodiscard]] Result<std::optional<Update>> find_update_for_side_tag(const std::string& tag);
  // GET /updates/<alias>; ErrorKind::not_found for an unknown alias.
  [[nodiscard]] Result<Update> get_update(const std::string& alias);

private:
  [[nodiscard]] Result<std::vector<Update>> query(const std::string& query_string,
                                                  const std::string& what);
  // already_exists when every NVR is in an update, nullopt when none is, else a conflict.
  [[nodiscard]] Result<std::optional<SubmitOutcome>>
  existing_outcome(const std::vector<std::string>& nvrs);
  // One POST; nullopt when the outcome is unknown. With `accept_existing`, a duplicate
  // refusal whose builds all turn out to be in updates is already_exists (created meanwhile).
  [[nodiscard]] Result<std::optional<SubmitOutcome>>
  attempt(const UpdateForm& form, SubmitAction action, bool accept_existing);
  [[nodiscard]] Result<SubmitOutcome> parse_saved(const infra::http::Response& response,
                                                  SubmitAction action);
  [[nodiscard]] Result<std::optional<SubmitOutcome>> find_saved(const UpdateForm& form,
                                                                SubmitAction action);
  [[nodiscard]] Result<SubmitOutcome> save_reconciled(const UpdateForm& form, SubmitAction action);
  [[nodiscard]] Result<SubmitOutcome> submit_builds(const UpdateForm& form);
  [[nodiscard]] Result<SubmitOutcome> submit_side_tag(const UpdateForm& form);
  Error refusal(const infra::http::Response& response, const UpdateForm& form);

  BodhiSession& m_session;
};

} // namespace ferry::clients::fedora::bodhi
