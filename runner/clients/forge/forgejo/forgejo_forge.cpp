#include "clients/forge/forgejo/forgejo_forge.hpp"

#include "clients/forge/github/github_style_forge.hpp"

namespace ferry::clients::forge::forgejo {

namespace {

Dialect forgejo_dialect() {
  Dialect dialect;
  dialect.service = "Forgejo";
  dialect.headers = [](const std::string& token) {
    return infra::http::Headers{{"Authorization", "token " + token},
                                {"Accept", "application/json"}};
  };
  dialect.page_size_parameter = "limit";
  dialect.creator_parameter = "created_by";
  dialect.filters_pulls_by_head = false; // listed and filtered here
  dialect.single_commit_pull = true;
  // 409 "pull request already exists for these targets [id: …, issue_id: …, …]"
  dialect.is_duplicate_pull_request = [](const RestResponse& response) {
    return response.status == 409;
  };
  return dialect;
}

} // namespace

std::unique_ptr<Forge> make_forgejo_forge(infra::http::HttpClient& http, ForgeSettings settings) {
  return make_github_style_forge(http, std::move(settings), forgejo_dialect());
}

} // namespace ferry::clients::forge::forgejo
