#include "core/permission/command_gate.hpp"

#include "infra/log/logger.hpp"

namespace ferry::core::permission {

namespace {

using clients::forge::Permission;

// The least permission a name of the plan requires; nullopt for "anyone".
Result<std::optional<Permission>> minimum_for(std::string_view required) {
  if (required == "anyone") {
    return std::optional<Permission>();
  }
  if (required == "write" || required == "write_or_pr_author" || required == "packager" ||
      required == "packager_and_write") {
    return std::optional<Permission>(Permission::write);
  }
  return fail(ErrorKind::internal,
              "unknown permission requirement '" + std::string(required) + "'");
}

// Reads the comment back and checks that the payload told the truth about it.
Result<std::optional<std::string>> confirm_comment(clients::forge::Forge& forge,
                                                   const CommandRequest& request,
                                                   CommandDecision& decision) {
  FERRY_TRY_ASSIGN(auto comment,
                   forge.find_comment(request.repo, request.thread, request.comment_id));
  if (!comment) {
    return std::optional<std::string>("the comment could not be found through the API");
  }
  if (comment->body != request.comment_body) {
    return std::optional<std::string>(
        "the event's comment text does not match the comment on the forge");
  }
  decision.commenter = comment->author;
  return std::optional<std::string>();
}

} // namespace

std::string refusal_marker(long comment_id) {
  return "<!-- ferry:refused-command comment=" + std::to_string(comment_id) + " -->";
}

Result<CommandDecision> check_command(clients::forge::Forge& forge, const CommandRequest& request) {
  CommandDecision decision;
  decision.commenter = request.commenter;
  FERRY_TRY_ASSIGN(auto minimum, minimum_for(request.required));
  if (request.verify_comment) {
    FERRY_TRY_ASSIGN(auto mismatch, confirm_comment(forge, request, decision));
    if (mismatch) {
      decision.reason = *mismatch;
      return decision;
    }
  }
  if (!minimum) {
    decision.allowed = true;
    return decision;
  }
  if (request.required == "write_or_pr_author" && !request.pr_author.empty() &&
      request.pr_author == decision.commenter) {
    decision.allowed = true;
    return decision;
  }
  FERRY_TRY_ASSIGN(decision.permission, forge.permission(request.repo, decision.commenter));
  decision.allowed = decision.permission >= *minimum;
  if (!decision.allowed) {
    decision.reason = "@" + decision.commenter + " has " +
                      std::string(clients::forge::to_string(decision.permission)) + " access to " +
                      request.repo.full_name() + ", and this command needs write access";
  }
  return decision;
}

Status reply_refusal_once(clients::forge::Forge& forge, const CommandRequest& request,
                          const CommandDecision& decision) {
  std::string marker = refusal_marker(request.comment_id);
  FERRY_TRY_ASSIGN(auto comments, forge.list_comments(request.repo, request.thread));
  for (const auto& comment : comments) {
    if (comment.body.find(marker) != std::string::npos) {
      infra::log::info("the refusal of comment {} was already answered", request.comment_id);
      return {};
    }
  }
  std::string reply = "Sorry, ferry will not run this command: " + decision.reason +
                      ". A maintainer with write access can run it instead.\n\n" + marker;
  FERRY_TRY(forge.comment(request.repo, request.thread, reply));
  return {};
}

} // namespace ferry::core::permission
