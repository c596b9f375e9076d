#include "fakes/fake_bodhi.hpp"

#include "fakes/fake_http.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

namespace ferry::testing {

using nlohmann::json;

namespace {

const char* k_csrf_mismatch =
    "CSRF tokens do not match.  This happens if you have the page open for a long time. Please "
    "reload the page and try to submit your data again. Make sure to save your input somewhere "
    "before reloading. ";
const char* k_required_scopes[] = {"openid", "https://id.fedoraproject.org/scope/groups",
                                   "https://id.fedoraproject.org/scope/agreements"};
const std::set<std::string> k_types = {"bugfix", "security", "newpackage", "enhancement",
                                       "unspecified"};

// Cornice: {"status": "error", "errors": [{location, name, description}]}
TestResponse cornice(int status, const std::string& location, const std::string& name,
                     const std::string& description) {
  json errors =
      json::array({{{"location", location}, {"name", name}, {"description", description}}});
  return json_response(status, {{"status", "error"}, {"errors", errors}});
}

json load_releases() {
  std::ifstream in(std::string(FERRY_SOURCE_DIR) + "/tests/fixtures/bodhi/releases.json");
  std::stringstream text;
  text << in.rdbuf();
  json body = json::parse(text.str(), nullptr, false);
  return body.is_object() ? body["releases"] : json::array();
}

std::string package_of(const std::string& nvr) {
  std::size_t release = nvr.rfind('-');
  std::size_t version = release == std::string::npos ? release : nvr.rfind('-', release - 1);
  return version == std::string::npos ? nvr : nvr.substr(0, version);
}

std::string now_text() {
  std::time_t now = std::time(nullptr);
  char text[32] = {};
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::gmtime(&now));
  return text;
}

// Bodhi's list fields accept repeated keys and comma/space separated values.
std::vector<std::string> values(const std::multimap<std::string, std::string>& form,
                                const std::string& key) {
  std::vector<std::string> items;
  auto [begin, end] = form.equal_range(key);
  for (auto it = begin; it != end; ++it) {
    std::string item;
    for (char c : it->second + " ") {
      if (c == ',' || c == ' ') {
        if (!item.empty()) {
          items.push_back(item);
        }
        item.clear();
      } else {
        item += c;
      }
    }
  }
  return items;
}

std::string value(const std::multimap<std::string, std::string>& form, const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? "" : it->second;
}

// The body as form fields, whether it was sent as a form or as JSON.
std::multimap<std::string, std::string> body_fields(const TestRequest& request) {
  if (!request.header("Content-Type").value_or("").starts_with("application/json")) {
    return parse_form_values(request.body);
  }
  std::multimap<std::string, std::string> fields;
  json body = json::parse(request.body, nullptr, false);
  if (body.is_object()) {
    for (const auto& [key, item] : body.items()) {
      for (const json& element : item.is_array() ? item : json::array({item})) {
        if (!element.is_null()) {
          fields.emplace(key, element.is_string() ? element.get<std::string>() : element.dump());
        }
      }
    }
  }
  return fields;
}

} // namespace

std::string request_cookie(const TestRequest& request, const std::string& name) {
  std::string header = request.header("Cookie").value_or("");
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    std::string pair = header.substr(start, end - start);
    pair.erase(0, pair.find_first_not_of(' '));
    if (pair.starts_with(name + "=")) {
      return pair.substr(name.size() + 1);
    }
    start = end == std::string::npos ? header.size() : end + 1;
  }
  return "";
}

FakeBodhi::FakeBodhi(FakeOidcProvider& provider)
    : m_provider(provider), m_releases(load_releases()) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

std::string FakeBodhi::url() const {
  return "http://localhost:" + std::to_string(m_server->port());
}

void FakeBodhi::add_user(const std::string& name, std::set<std::string> groups,
                         std::set<std::string> packages) {
  std::lock_guard lock(m_mutex);
  m_users[name] = {std::move(groups), std::move(packages)};
}

void FakeBodhi::add_build(const std::string& nvr, const std::string& release) {
  std::lock_guard lock(m_mutex);
  m_builds[nvr] = release;
}

void FakeBodhi::add_side_tag(const std::string& tag, const std::string& owner,
                             std::vector<std::string> builds) {
  std::lock_guard lock(m_mutex);
  m_side_tags[tag] = SideTag{owner, std::move(builds)};
}

void FakeBodhi::use_koji(KojiView view) {
  std::lock_guard lock(m_mutex);
  m_koji = std::move(view);
}

bool FakeBodhi::knows_build(const std::string& nvr) {
  if (m_builds.count(nvr) > 0) {
    return true;
  }
  auto release = m_koji.release_of_build ? m_koji.release_of_build(nvr) : std::nullopt;
  if (release) {
    m_builds[nvr] = *release;
  }
  return release.has_value();
}

const FakeBodhi::SideTag* FakeBodhi::side_tag_named(const std::string& tag) {
  if (m_koji.side_tag) {
    if (auto found = m_koji.side_tag(tag)) {
      m_side_tags[tag] = SideTag{found->first, found->second};
    }
  }
  auto it = m_side_tags.find(tag);
  return it == m_side_tags.end() ? nullptr : &it->second;
}

void FakeBodhi::rotate_csrf() {
  std::lock_guard lock(m_mutex);
  for (auto& [id, session] : m_sessions) {
    session.csrf = random_hex(40);
  }
}

void FakeBodhi::inject(const std::string& route_prefix, TestResponse response, int count,
                       bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

json FakeBodhi::updates() const {
  std::lock_guard lock(m_mutex);
  return m_updates;
}

std::size_t FakeBodhi::update_posts() const {
  std::lock_guard lock(m_mutex);
  return m_update_posts;
}

std::vector<std::string> FakeBodhi::secrets_issued() const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> secrets;
  for (const auto& [ticket, user] : m_auth_tickets) {
    secrets.push_back(ticket.substr(0, 64)); // the random part
  }
  for (const auto& [id, session] : m_sessions) {
    secrets.insert(secrets.end(), {id, session.csrf});
  }
  return secrets;
}

TestResponse FakeBodhi::handle(const TestRequest& request) {
  if (request.path.starts_with("/openidc")) {
    return m_provider.handle(request);
  }
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakeBodhi::answer(const TestRequest& request) {
  const std::string& path = request.path;
  if (request.method == "GET" && path.starts_with("/releases/")) {
    return releases(request);
  }
  if (request.method == "GET" && path == "/oidc/login-token") {
    return login(request);
  }
  if (request.method == "GET" && path == "/csrf") {
    return csrf(request);
  }
  if (request.method == "GET" && path == "/updates/") {
    return list_updates(request);
  }
  if (request.method == "POST" && path == "/updates/") {
    ++m_update_posts;
    return save_update(request);
  }
  if (request.method == "GET" && path.starts_with("/updates/")) {
    return get_update(split_path(path).at(1));
  }
  return json_response(404, {{"status", 404}, {"message", "The resource could not be found."}});
}

TestResponse FakeBodhi::releases(const TestRequest& request) {
  auto query = parse_form_values(request.query);
  std::string name = request.path.substr(std::string("/releases/").size());
  if (!name.empty()) {
    const json* release = release_named(name);
    return release != nullptr ? json_response(200, *release)
                              : cornice(404, "url", "name", "No such release");
  }
  std::vector<std::string> states = values(query, "state");
  json listed = json::array();
  for (const json& release : m_releases) {
    if (states.empty() ||
        std::find(states.begin(), states.end(), release.value("state", "")) != states.end()) {
      listed.push_back(release);
    }
  }
  return json_response(200, {{"releases", listed},
                             {"page", 1},
                             {"pages", 1},
                             {"rows_per_page", 20},
                             {"total", listed.size()}});
}

// Bodhi: GET /oidc/login-token, Authorization: Bearer -> 202 + auth_tkt (token introspected)
TestResponse FakeBodhi::login(const TestRequest& request) {
  std::string header = request.header("Authorization").value_or("");
  if (!header.starts_with("Bearer ")) {
    return json_response(401, {{"error", "missing_authorization"},
                               {"error_description", "Missing \"Authorization\" in headers."}});
  }
  auto info = m_provider.introspect(header.substr(7));
  if (!info) {
    return json_response(
        401, {{"error", "invalid_token"},
              {"error_description", "The access token provided is expired, revoked, malformed, or "
                                    "invalid for other reasons."}});
  }
  for (const char* scope : k_required_scopes) {
    if ((" " + info->scope + " ").find(std::string(" ") + scope + " ") == std::string::npos) {
      return json_response(403, {{"error", "insufficient_scope"},
                                 {"error_description", "The request requires higher privileges "
                                                       "than provided by the access token."}});
    }
  }
  m_users.try_emplace(info->user); // Bodhi creates the account it did not know
  std::string ticket = random_hex(64) + "!userid_type:b64unicode";
  m_auth_tickets[ticket] = info->user;
  return TestResponse{202,
                      {{"Content-Type", "text/plain; charset=UTF-8"},
                       {"Set-Cookie", "auth_tkt=" + ticket + "; Path=/; SameSite=Lax"},
                       {"Set-Cookie", "auth_tkt=" + ticket + "; Domain=localhost; Path=/"}},
                      "202 Accepted\n\nThe request is accepted for processing.\n\n\n"};
}

FakeBodhi::Session* FakeBodhi::session_of(const TestRequest& request) {
  auto it = m_sessions.find(request_cookie(request, "session"));
  return it == m_sessions.end() ? nullptr : &it->second;
}

// Bodhi: GET /csrf -> {"csrf_token"}, the token kept in the (signed cookie) session
TestResponse FakeBodhi::csrf(const TestRequest& request) {
  TestHeaders headers;
  Session* session = session_of(request);
  if (session == nullptr) {
    std::string id = random_hex(48);
    session = &m_sessions[id];
    session->csrf = random_hex(40);
    headers.emplace_back("Set-Cookie", "session=" + id + "; Path=/; HttpOnly");
  }
  return json_response(200, {{"csrf_token", session->csrf}}, headers);
}

const json* FakeBodhi::release_named(const std::string& name) const {
  for (const json& release : m_releases) {
    if (release.value("name", "") == name) {
      return &release;
    }
  }
  return nullptr;
}

json* FakeBodhi::update_with_alias(const std::string& alias) {
  for (json& update : m_updates) {
    if (update["alias"] == alias) {
      return &update;
    }
  }
  return nullptr;
}

json* FakeBodhi::update_of_build(const std::string& nvr) {
  for (json& update : m_updates) {
    for (const json& build : update["builds"]) {
      if (build["nvr"] == nvr) {
        return &update;
      }
    }
  }
  return nullptr;
}

TestResponse FakeBodhi::list_updates(const TestRequest& request) {
  auto query = parse_form_values(request.query);
  std::vector<std::string> builds = values(query, "builds");
  std::vector<std::string> packages = values(query, "packages");
  std::vector<std::string> releases = values(query, "releases");
  std::vector<std::string> statuses = values(query, "status");
  std::string side_tag = value(query, "from_side_tag_name");
  auto any_of = [](const std::vector<std::string>& wanted, const std::string& item) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), item) != wanted.end();
  };
  json listed = json::array();
  for (auto it = m_updates.rbegin(); it != m_updates.rend(); ++it) { // newest first
    const json& update = *it;
    bool has_build = builds.empty();
    bool has_package = packages.empty();
    for (const json& build : update["builds"]) {
      has_build = has_build || any_of(builds, build["nvr"]);
      has_package = has_package || any_of(packages, package_of(build["nvr"]));
    }
    if (has_build && has_package && any_of(releases, update["release"]["name"]) &&
        any_of(statuses, update["status"]) &&
        (side_tag.empty() || update["from_tag"] == side_tag)) {
      listed.push_back(update);
    }
  }
  long rows = std::max(1L, std::atol(value(query, "rows_per_page").c_str()));
  rows = value(query, "rows_per_page").empty() ? 20 : rows;
  long page = std::max(1L, std::atol(value(query, "page").c_str()));
  long total = static_cast<long>(listed.size());
  json shown = json::array();
  for (long i = (page - 1) * rows; i < std::min(total, page * rows); ++i) {
    shown.push_back(listed[static_cast<std::size_t>(i)]);
  }
  return json_response(200, {{"updates", shown},
                             {"page", page},
                             {"pages", (total + rows - 1) / rows},
                             {"rows_per_page", rows},
                             {"total", total},
                             {"chrome", true},
                             {"display_user", true},
                             {"display_request", true},
                             {"package", packages.empty() ? json(nullptr) : json(packages[0])}});
}

TestResponse FakeBodhi::get_update(const std::string& alias) {
  json* update = update_with_alias(alias);
  if (update == nullptr) {
    return cornice(404, "url", "id", "Invalid update id");
  }
  return json_response(200, {{"update", *update}, {"can_edit", false}, {"ci_allowed", false}});
}

json FakeBodhi::new_update(const std::string& user, const std::string& release,
                           const std::vector<std::string>& builds,
                           const std::multimap<std::string, std::string>& form) {
  const json& release_json = *release_named(release);
  std::string year = now_text().substr(0, 4);
  std::string alias = release_json.value("id_prefix", "FEDORA") + "-" + year + "-" + random_hex(10);
  json build_list = json::array();
  for (const std::string& nvr : builds) {
    build_list.push_back(
        {{"epoch", 0}, {"nvr", nvr}, {"release_id", 40}, {"signed", false}, {"type", "rpm"}});
  }
  json bugs = json::array();
  for (const std::string& bug : values(form, "bugs")) {
    bugs.push_back({{"bug_id", std::atol(bug.c_str())}, {"title", ""}, {"security", false}});
  }
  std::string from_tag = value(form, "from_tag");
  std::string severity = value(form, "severity");
  std::string title;
  for (const std::string& nvr : builds) {
    title += (title.empty() ? "" : " ") + nvr;
  }
  auto number = [&](const std::string& key, long fallback) {
    std::string text = value(form, key);
    return text.empty() ? fallback : std::atol(text.c_str());
  };
  return {{"alias", alias},
          {"autokarma", value(form, "autokarma") != "False"},
          {"autotime", value(form, "autotime") != "False"},
          {"bugs", bugs},
          {"builds", build_list},
          {"close_bugs", value(form, "close_bugs") != "False"},
          {"comments", json::array()},
          {"compose", nullptr},
          {"content_type", "rpm"},
          {"critpath", false},
          {"date_approved", nullptr},
          {"date_modified", nullptr},
          {"date_pushed", nullptr},
          {"date_stable", nullptr},
          {"date_submitted", now_text()},
          {"date_testing", nullptr},
          {"display_name", value(form, "display_name")},
          {"from_tag", from_tag.empty() ? json(nullptr) : json(from_tag)},
          {"karma", 0},
          {"locked", false},
          {"meets_testing_requirements", false},
          {"notes", value(form, "notes")},
          {"pushed", false},
          {"release", release_json},
          {"request", "testing"},
          {"require_bugs", true},
          {"require_testcases", true},
          {"requirements", ""},
          {"severity", severity.empty() ? "unspecified" : severity},
          {"stable_days", number("stable_days", 7)},
          {"stable_karma", number("stable_karma", 3)},
          {"status", "pending"},
          {"suggest", value(form, "suggest").empty() ? "unspecified" : value(form, "suggest")},
          {"test_cases", json::array()},
          {"test_gating_status", "waiting"},
          {"title", title},
          {"type", value(form, "type")},
          {"unstable_karma", number("unstable_karma", -3)},
          {"updateid", alias},
          {"url", url() + "/updates/" + alias},
          {"user", {{"name", user}, {"openid", user + ".id.fedoraproject.org"}}},
          {"version_hash", random_hex(40)}};
}

// Bodhi: POST /updates/ (SaveUpdateSchema + the validators of services/updates.py)
TestResponse FakeBodhi::save_update(const TestRequest& request) {
  auto form = body_fields(request);
  Session* session = session_of(request);
  if (value(form, "csrf_token").empty() || session == nullptr ||
      value(form, "csrf_token") != session->csrf) {
    return cornice(400, "body", "csrf_token", k_csrf_mismatch);
  }
  json errors = json::array();
  if (value(form, "notes").size() < 2) {
    errors.push_back(
        {{"location", "body"},
         {"name", "notes"},
         {"description",
          value(form, "notes").empty() ? "Required" : "Shorter than minimum length 2"}});
  }
  if (k_types.count(value(form, "type")) == 0) {
    errors.push_back({{"location", "body"},
                      {"name", "type"},
                      {"description", value(form, "type").empty()
                                          ? "Required"
                                          : "\"" + value(form, "type") +
                                                "\" is not one of bugfix, security, newpackage, "
                                                "enhancement, unspecified"}});
  }
  if (!errors.empty()) {
    return json_response(400, {{"status", "error"}, {"errors", errors}});
  }
  auto ticket = m_auth_tickets.find(request_cookie(request, "auth_tkt"));
  if (ticket == m_auth_tickets.end()) {
    return cornice(403, "cookies", "user", "No ACLs for anonymous user");
  }
  const std::string& user = ticket->second;
  const auto& [groups, packages] = m_users[user];
  if (groups.count("packager") == 0) {
    return cornice(403, "body", "builds",
                   user + " is not a member of \"packager\", which is a mandatory packager group");
  }
  std::vector<std::string> builds = values(form, "builds");
  std::string from_tag = value(form, "from_tag");
  std::string edited = value(form, "edited");
  if (!from_tag.empty()) {
    for (const json& update : m_updates) {
      if (update["from_tag"] == from_tag && update["alias"] != edited) {
        return cornice(400, "body", "from_tag", "Update already exists using this side tag");
      }
    }
    const SideTag* tag = side_tag_named(from_tag);
    if (tag == nullptr) {
      return cornice(400, "body", "from_tag", "The supplied from_tag doesn't exist.");
    }
    if (tag->owner != user) {
      return cornice(403, "body", "builds", user + " does not own the " + from_tag + " side tag");
    }
    if (builds.empty()) {
      builds = tag->builds;
    }
  }
  if (builds.empty()) {
    return cornice(400, "body", "builds,from_tag", "You must specify either builds or from_tag.");
  }
  for (const std::string& nvr : builds) {
    if (!knows_build(nvr)) {
      return cornice(400, "body", "builds", "Build does not exist: " + nvr);
    }
  }
  json* target = nullptr;
  if (!edited.empty()) {
    target = update_with_alias(edited);
    if (target == nullptr) {
      return cornice(400, "body", "builds", "Cannot find update to edit: " + edited);
    }
  }
  for (const std::string& nvr : builds) {
    json* holder = update_of_build(nvr);
    bool blocks = holder != nullptr && holder != target &&
                  (target != nullptr || (*holder)["status"] != "unpushed");
    if (blocks) {
      return cornice(400, "body", "builds", "Update for " + nvr + " already exists");
    }
    if (from_tag.empty() && packages.count(package_of(nvr)) == 0) {
      return cornice(403, "body", "builds",
                     user + " does not have commit access to " + package_of(nvr));
    }
  }
  std::map<std::string, std::vector<std::string>> by_release;
  for (const std::string& nvr : builds) {
    by_release[m_builds[nvr]].push_back(nvr);
  }
  for (const auto& [release, nvrs] : by_release) {
    if (from_tag.empty() && !release_named(release)->value("composed_by_bodhi", true)) {
      return cornice(400, "body", "builds",
                     "Cannot manually create updates for a Release which is not composed by "
                     "Bodhi.\nRead the 'Automatic updates' page in Bodhi docs about this error.");
    }
  }
  if (target != nullptr) {
    json edited_update = new_update(user, by_release.begin()->first, builds, form);
    for (const char* key : {"alias", "updateid", "url", "date_submitted", "user"}) {
      edited_update[key] = (*target)[key];
    }
    edited_update["date_modified"] = now_text();
    *target = edited_update;
    json answer = *target;
    answer["caveats"] = json::array();
    return json_response(200, answer);
  }
  json created = json::array();
  for (const auto& [release, nvrs] : by_release) {
    m_updates.push_back(new_update(user, release, nvrs, form));
    created.push_back(m_updates.back());
  }
  if (created.size() == 1) {
    json answer = created[0];
    answer["caveats"] = json::array();
    return json_response(200, answer);
  }
  json caveats = json::array(
      {{{"name", "releases"},
        {"description", "Your update is being split into " + std::to_string(created.size()) +
                            ", one for each release."}}});
  return json_response(200, {{"updates", created}, {"caveats", caveats}});
}

} // namespace ferry::testing
