// Credentials in the environment ferry was started with. Once `seal_environment` has run,
// credentials are gone from the process environment: removed from `environ`, so no child
// inherits them, and their bytes overwritten in the block the kernel shows as
// /proc/<pid>/environ, so an `actions:` hook reading its parent's environment finds nothing.
// ferry reads them from its own copy. The process is also made non-dumpable, so that other
// processes of the same user cannot read its memory (/proc/<pid>/mem, ptrace) either.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::infra::process {

// Copies, then removes from the process environment every variable for which
// `is_secret(name)` holds. Call once, first thing in main, before any thread starts.
void seal_environment(const std::function<bool(std::string_view)>& is_secret);

// A variable of the live environment, or a credential sealed away from it.
std::optional<std::string> environment_variable(std::string_view name);

} // namespace ferry::infra::process
