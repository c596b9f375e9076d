// RAII owners for libgit2 objects, and the one helper that turns a libgit2 return code into
// an Error (with git_error_last()'s message, never a credential).
#pragma once

#include "error.hpp"

#include <git2.h>

#include <memory>
#include <string_view>

namespace ferry::infra::git {

template <typename T, void (*Free)(T*)> struct Git2Deleter {
  void operator()(T* object) const noexcept { Free(object); }
};
template <typename T, void (*Free)(T*)> using Git2Ptr = std::unique_ptr<T, Git2Deleter<T, Free>>;

using GitRepositoryPtr = Git2Ptr<git_repository, git_repository_free>;
using GitRemotePtr = Git2Ptr<git_remote, git_remote_free>;
using GitObjectPtr = Git2Ptr<git_object, git_object_free>;
using GitCommitPtr = Git2Ptr<git_commit, git_commit_free>;
using GitTreePtr = Git2Ptr<git_tree, git_tree_free>;
using GitIndexPtr = Git2Ptr<git_index, git_index_free>;
using GitReferencePtr = Git2Ptr<git_reference, git_reference_free>;
using GitSignaturePtr = Git2Ptr<git_signature, git_signature_free>;
using GitDiffPtr = Git2Ptr<git_diff, git_diff_free>;
using GitBlobPtr = Git2Ptr<git_blob, git_blob_free>;
using GitTreeEntryPtr = Git2Ptr<git_tree_entry, git_tree_entry_free>;
using GitRevwalkPtr = Git2Ptr<git_revwalk, git_revwalk_free>;

// Success for rc >= 0; otherwise Error{git} (or auth/not_found by code) "<what>: <libgit2 says>".
[[nodiscard]] Status check(int rc, std::string_view what);

} // namespace ferry::infra::git
