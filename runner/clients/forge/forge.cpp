#include "clients/forge/forge.hpp"

namespace ferry::clients::forge {

std::string_view to_string(Permission permission) {
  switch (permission) {
  case Permission::none:
    return "none";
  case Permission::read:
    return "read";
  case Permission::write:
    return "write";
  case Permission::admin:
    return "admin";
  }
  return "none";
}

Result<std::optional<Comment>> Forge::find_comment(const RepoRef& repo, const Thread& thread,
                                                  long comment_id) {
  FERRY_TRY_ASSIGN(auto comments, list_comments(repo, thread));
  for (Comment& comment : comments) {
    if (comment.id == comment_id) {
      return std::optional<Comment>(std::move(comment));
    }
  }
  return std::optional<Comment>();
}

} // namespace ferry::clients::forge
