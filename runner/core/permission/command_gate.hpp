// Who may run a comment command. The plan says which permission a command needs
// (core/command: "anyone", "write", "write_or_pr_author", "packager", "packager_and_write");
// this gate asks the forge — never the payload's author_association — and, when the
// payload itself cannot be trusted (GitLab pipelines started by a trigger token, where anyone
// holding the token can post any JSON), first reads the comment back through the API and
// takes its author and text from there.
//
// "packager" needs commit access where the command runs: on dist-git that is the package's
// commit ACL; ferry cannot see Fedora account groups, so on an upstream repository it is
// write access too.
#pragma once

#include "clients/forge/forge.hpp"
#include "error.hpp"

#include <string>
#include <string_view>

namespace ferry::core::permission {

struct CommandRequest {
  std::string_view required; // the plan's requires_permission
  clients::forge::RepoRef repo;
  clients::forge::Thread thread;
  long comment_id = 0;
  std::string commenter;       // from the event payload
  std::string comment_body;    // from the event payload
  std::string pr_author;       // for write_or_pr_author; empty when unknown
  bool verify_comment = false; // read the comment back before trusting commenter and body
};

struct CommandDecision {
  bool allowed = false;
  std::string commenter; // as the forge confirmed it
  clients::forge::Permission permission = clients::forge::Permission::none;
  std::string reason; // why not, in words for the reply
};

// Decides whether the command may run. Errors are forge failures (the command then does not
// run either); an unknown `required` name is ErrorKind::internal.
[[nodiscard]] Result<CommandDecision> check_command(clients::forge::Forge& forge,
                                                    const CommandRequest& request);

// Tells the commenter, once, that the command was refused: the reply carries a hidden marker
// naming the comment, and is not posted again when a reply with that marker exists.
[[nodiscard]] Status reply_refusal_once(clients::forge::Forge& forge, const CommandRequest& request,
                                        const CommandDecision& decision);

// The hidden marker of a refusal reply to `comment_id`.
std::string refusal_marker(long comment_id);

} // namespace ferry::core::permission
