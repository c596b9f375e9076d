#include "infra/git/repository.hpp"

#include "infra/git/libgit2_handles.hpp"
#include "infra/git/timed_socket.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/tls.hpp"
#include "infra/util/url.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace ferry::infra::git {

namespace {

// State for libgit2's credential callback: credentials are offered once; a second request
// means the server refused them, and answering again would loop until libgit2 gives up.
struct CallbackPayload {
  const Remote* remote = nullptr;
  int credential_requests = 0;
  std::string rejected_ref;
  std::string rejection;
};

int provide_credentials(git_credential** out, const char* /*url*/, const char* /*user*/,
                        unsigned int allowed_types, void* payload) {
  auto* state = static_cast<CallbackPayload*>(payload);
  if (!state->remote->credentials || (allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    return GIT_PASSTHROUGH;
  }
  if (++state->credential_requests > 1) {
    git_error_set_str(GIT_ERROR_NET,
                      "authentication failed: the server refused the credentials "
                      "(check that the token is valid and may access this repository)");
    return GIT_EAUTH;
  }
  const Credentials& credentials = *state->remote->credentials;
  return git_credential_userpass_plaintext_new(out, credentials.username.c_str(),
                                               credentials.password.c_str());
}

int record_push_status(const char* refname, const char* status, void* payload) {
  if (status != nullptr) {
    auto* state = static_cast<CallbackPayload*>(payload);
    state->rejected_ref = refname;
    state->rejection = status;
  }
  return 0;
}

git_remote_callbacks make_callbacks(CallbackPayload& payload) {
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  callbacks.credentials = provide_credentials;
  callbacks.push_update_reference = record_push_status;
  callbacks.payload = &payload;
  return callbacks;
}

std::string oid_to_string(const git_oid& oid) {
  char text[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

// Loading the CA bundle parses every certificate in it (tens of milliseconds), so it happens
// on the first HTTPS remote, not at start-up.
void configure_tls_once(const Remote& remote) {
  static std::once_flag once;
  if (!remote.url.starts_with("https://")) {
    return;
  }
  std::call_once(once, [] {
    if (auto bundle = util::find_ca_bundle()) {
      git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, bundle->c_str(), nullptr);
    }
  });
}

// libgit2 may quote the URL in errors; the user-info part can carry a token.
std::string shown(const Remote& remote) {
  return util::redact_url(remote.url);
}

Result<GitSignaturePtr> make_signature(const Signature& who) {
  git_signature* raw = nullptr;
  int rc = 0;
  if (who.when) {
    auto seconds = std::chrono::system_clock::to_time_t(*who.when);
    rc = git_signature_new(&raw, who.name.c_str(), who.email.c_str(), seconds, 0);
  } else {
    rc = git_signature_now(&raw, who.name.c_str(), who.email.c_str());
  }
  FERRY_TRY(check(rc, "invalid signature '" + who.name + " <" + who.email + ">'"));
  return GitSignaturePtr(raw);
}

std::mutex g_limits_mutex;
TransferLimits g_limits;

TransferBounds bounds_for(const TransferLimits& limits) {
  TransferBounds bounds;
  bounds.connect_timeout = limits.connect_timeout;
  bounds.stall_timeout = limits.stall_timeout;
  bounds.deadline = std::chrono::steady_clock::now() + limits.total_timeout;
  return bounds;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return std::to_string(std::max<long long>(1, (duration.count() + 999) / 1000)) + " s";
}

// What ended an abandoned attempt, in words that name the bound.
std::string expiry_text(Expiry why, const TransferLimits& limits) {
  switch (why) {
  case Expiry::connect:
    return "no connection within " + seconds_text(limits.connect_timeout) + " (connect timeout)";
  case Expiry::stall:
    return "the server sent nothing for " + seconds_text(limits.stall_timeout) + " (stall timeout)";
  default:
    return "the transfer took longer than " + seconds_text(limits.total_timeout) + " (time limit)";
  }
}

// A transfer's failure as the caller sees it: a timeout names the remote (credentials
// removed) and the bound that ended it, whatever libgit2 or its TLS layer made of it.
Error explained(Error error, const TransferBounds& bounds, const TransferLimits& limits,
                std::string_view what, const Remote& remote) {
  if (bounds.expired == Expiry::none) {
    if (error.kind() == ErrorKind::auth && !remote.auth_advice.empty()) {
      return Error(ErrorKind::auth, error.message() + "; " + remote.auth_advice);
    }
    return error;
  }
  return Error(ErrorKind::timeout, std::string(what) + " " + shown(remote) + ": " +
                                       expiry_text(bounds.expired, limits));
}

// Whether another attempt may succeed, as the HTTP client decides for its requests.
bool is_transient(const Error& error) {
  if (error.kind() == ErrorKind::network || error.kind() == ErrorKind::timeout) {
    return true;
  }
  return error.kind() == ErrorKind::http_status && error.http_status() &&
         http::is_retryable_status(*error.http_status());
}

Error gave_up(const Error& error, int attempts) {
  Error last(error.kind(),
             error.message() + "; gave up after " + std::to_string(attempts) + " attempts");
  if (error.http_status()) {
    last.with_http_status(*error.http_status());
  }
  return last;
}

double unit_random() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Runs `attempt` (one network operation) under the transfer limits, again after a transient
// failure, until it succeeds or the retry policy gives up. `what` is "cannot push to".
template <typename Attempt>
auto with_retries(const Remote& remote, std::string_view what, Attempt attempt)
    -> decltype(attempt()) {
  const TransferLimits limits = transfer_limits();
  for (int number = 1;; ++number) {
    TransferBounds bounds = bounds_for(limits);
    auto outcome = [&] {
      TransferScope scope(bounds);
      return attempt();
    }();
    if (outcome) {
      return outcome;
    }
    Error error = explained(std::move(outcome).error(), bounds, limits, what, remote);
    bool last = number >= limits.retry.max_attempts;
    if (last || !is_transient(error)) {
      return std::unexpected(number > 1 ? gave_up(error, number) : std::move(error));
    }
    auto delay = http::backoff_delay(limits.retry, number, unit_random());
    log::warning("{}; retrying in {:.1f} s (attempt {} of {})", error.message(),
                 static_cast<double>(delay.count()) / 1000.0, number + 1,
                 limits.retry.max_attempts);
    std::this_thread::sleep_for(delay);
  }
}

struct StringArray {
  explicit StringArray(const std::vector<std::string>& strings) {
    for (const std::string& s : strings) {
      pointers.push_back(const_cast<char*>(s.c_str())); // NOLINT: libgit2 takes char**
    }
    array.strings = pointers.data();
    array.count = pointers.size();
  }
  std::vector<char*> pointers;
  git_strarray array{};
};

} // namespace

struct Repository::Impl {
  GitRepositoryPtr repo;

  Result<GitCommitPtr> commit_at(std::string_view revision) const {
    git_object* object = nullptr;
    std::string rev(revision);
    FERRY_TRY(check(git_revparse_single(&object, repo.get(), rev.c_str()),
                    "cannot resolve revision '" + rev + "'"));
    GitObjectPtr owned(object);
    git_object* peeled = nullptr;
    FERRY_TRY(check(git_object_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT),
                    "'" + rev + "' is not a commit"));
    return GitCommitPtr(reinterpret_cast<git_commit*>(peeled)); // NOLINT: peeled to a commit
  }

  Result<GitTreePtr> tree_at(std::string_view revision) const {
    GitCommitPtr commit;
    FERRY_TRY_ASSIGN(commit, commit_at(revision));
    git_tree* tree = nullptr;
    FERRY_TRY(check(git_commit_tree(&tree, commit.get()), "cannot read tree"));
    return GitTreePtr(tree);
  }

  Result<GitRemotePtr> anonymous_remote(const Remote& remote) const {
    configure_tls_once(remote);
    git_remote* raw = nullptr;
    FERRY_TRY(check(git_remote_create_anonymous(&raw, repo.get(), remote.url.c_str()),
                    "invalid remote " + shown(remote)));
    return GitRemotePtr(raw);
  }

  Result<std::optional<std::string>> remote_ref_once(const Remote& remote,
                                                     std::string_view ref) const {
    GitRemotePtr handle;
    FERRY_TRY_ASSIGN(handle, anonymous_remote(remote));
    CallbackPayload payload{&remote, 0, {}, {}};
    git_remote_callbacks callbacks = make_callbacks(payload);
    git_proxy_options proxy = GIT_PROXY_OPTIONS_INIT;
    proxy.type = GIT_PROXY_AUTO;
    FERRY_TRY(
        check(git_remote_connect(handle.get(), GIT_DIRECTION_FETCH, &callbacks, &proxy, nullptr),
              "cannot connect to " + shown(remote)));
    const git_remote_head** heads = nullptr;
    std::size_t count = 0;
    FERRY_TRY(check(git_remote_ls(&heads, &count, handle.get()), "cannot list " + shown(remote)));
    for (std::size_t i = 0; i < count; ++i) {
      if (ref == heads[i]->name) {
        return std::optional<std::string>(oid_to_string(heads[i]->oid));
      }
    }
    return std::optional<std::string>();
  }

  // Whether the remote ref already holds `pushed` (sent by an earlier attempt whose answer was
  // lost; "" when none was sent); ErrorKind::conflict when it is neither that nor `expected`.
  Result<bool> check_lease(const Remote& remote, std::string_view ref, const std::string& pushed,
                           const std::string& expected) const {
    std::optional<std::string> current;
    FERRY_TRY_ASSIGN(current, remote_ref_once(remote, ref));
    if (!pushed.empty() && current == pushed) {
      return true;
    }
    if (current.value_or("") != expected) {
      return fail(ErrorKind::conflict, "remote branch " + std::string(ref) + " on " +
                                           shown(remote) + " moved (expected " +
                                           (expected.empty() ? "no branch" : expected) +
                                           ", found " + current.value_or("no branch") +
                                           "): someone else pushed to it; nothing was pushed");
    }
    return false;
  }

  Status push_once(const Remote& remote, const std::vector<std::string>& refspec) const {
    GitRemotePtr handle;
    FERRY_TRY_ASSIGN(handle, anonymous_remote(remote));
    CallbackPayload payload{&remote, 0, {}, {}};
    git_push_options options = GIT_PUSH_OPTIONS_INIT;
    options.callbacks = make_callbacks(payload);
    options.proxy_opts.type = GIT_PROXY_AUTO;
    StringArray specs(refspec);
    FERRY_TRY(check(git_remote_push(handle.get(), &specs.array, &options),
                    "cannot push to " + shown(remote)));
    if (!payload.rejection.empty()) {
      return fail(ErrorKind::conflict,
                  "the remote rejected " + payload.rejected_ref + ": " + payload.rejection);
    }
    return {};
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Result<Repository> Repository::clone(const Remote& remote, const std::filesystem::path& into,
                                     std::optional<std::string> branch) {
  configure_tls_once(remote);
  log::debug("git clone {} -> {}", shown(remote), into.string());
  // A failed git_clone removes what it wrote, so the next attempt starts from the same place.
  return with_retries(remote, "cannot clone", [&]() -> Result<Repository> {
    CallbackPayload payload{&remote, 0, {}, {}};
    git_clone_options options = GIT_CLONE_OPTIONS_INIT;
    options.fetch_opts.callbacks = make_callbacks(payload);
    options.fetch_opts.proxy_opts.type = GIT_PROXY_AUTO;
    if (branch) {
      options.checkout_branch = branch->c_str();
    }
    git_repository* raw = nullptr;
    FERRY_TRY(check(git_clone(&raw, remote.url.c_str(), into.c_str(), &options),
                    "cannot clone " + shown(remote)));
    auto impl = std::make_unique<Impl>();
    impl->repo.reset(raw);
    return Repository(std::move(impl));
  });
}

Result<Repository> Repository::open(const std::filesystem::path& path) {
  git_repository* raw = nullptr;
  FERRY_TRY(check(git_repository_open(&raw, path.c_str()),
                  "cannot open git repository " + path.string()));
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(raw);
  return Repository(std::move(impl));
}

Result<Repository> Repository::init(const std::filesystem::path& path, bool bare) {
  git_repository* raw = nullptr;
  FERRY_TRY(check(git_repository_init(&raw, path.c_str(), bare ? 1U : 0U),
                  "cannot create git repository " + path.string()));
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(raw);
  return Repository(std::move(impl));
}

std::filesystem::path Repository::path() const {
  const char* workdir = git_repository_workdir(m_impl->repo.get());
  return workdir != nullptr ? workdir : git_repository_path(m_impl->repo.get());
}

Status Repository::fetch(const Remote& remote, const std::vector<std::string>& refspecs) {
  log::debug("git fetch {}", shown(remote));
  return with_retries(remote, "cannot fetch from", [&]() -> Status {
    GitRemotePtr handle;
    FERRY_TRY_ASSIGN(handle, m_impl->anonymous_remote(remote));
    CallbackPayload payload{&remote, 0, {}, {}};
    git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
    options.callbacks = make_callbacks(payload);
    options.proxy_opts.type = GIT_PROXY_AUTO;
    StringArray specs(refspecs);
    return check(git_remote_fetch(handle.get(), &specs.array, &options, "fetch"),
                 "cannot fetch from " + shown(remote));
  });
}

Result<std::string> Repository::resolve(std::string_view revision) const {
  GitCommitPtr commit;
  FERRY_TRY_ASSIGN(commit, m_impl->commit_at(revision));
  return oid_to_string(*git_commit_id(commit.get()));
}

Result<std::optional<std::string>> Repository::read_file(std::string_view revision,
                                                         std::string_view path) const {
  GitTreePtr tree;
  FERRY_TRY_ASSIGN(tree, m_impl->tree_at(revision));
  git_tree_entry* raw_entry = nullptr;
  std::string file(path);
  int rc = git_tree_entry_bypath(&raw_entry, tree.get(), file.c_str());
  if (rc == GIT_ENOTFOUND) {
    return std::optional<std::string>();
  }
  FERRY_TRY(check(rc, "cannot look up " + file));
  GitTreeEntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
    return std::optional<std::string>();
  }
  git_blob* raw_blob = nullptr;
  FERRY_TRY(check(git_blob_lookup(&raw_blob, m_impl->repo.get(), git_tree_entry_id(entry.get())),
                  "cannot read " + file));
  GitBlobPtr blob(raw_blob);
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(
      std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
}

Result<std::vector<std::string>> Repository::changed_paths(std::string_view from,
                                                           std::string_view to) const {
  GitTreePtr old_tree;
  GitTreePtr new_tree;
  FERRY_TRY_ASSIGN(old_tree, m_impl->tree_at(from));
  FERRY_TRY_ASSIGN(new_tree, m_impl->tree_at(to));
  git_diff* raw = nullptr;
  FERRY_TRY(check(
      git_diff_tree_to_tree(&raw, m_impl->repo.get(), old_tree.get(), new_tree.get(), nullptr),
      "cannot diff"));
  GitDiffPtr diff(raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  FERRY_TRY(check(git_diff_find_similar(diff.get(), &find), "cannot detect renames"));
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    paths.emplace_back(delta->old_file.path);
    if (std::strcmp(delta->old_file.path, delta->new_file.path) != 0) {
      paths.emplace_back(delta->new_file.path);
    }
  }
  return paths;
}

namespace {

CommitInfo describe_commit(const git_commit* commit) {
  CommitInfo info;
  info.id = oid_to_string(*git_commit_id(commit));
  info.tree = oid_to_string(*git_commit_tree_id(commit));
  const char* message = git_commit_message(commit);
  info.message = message != nullptr ? message : "";
  if (const git_signature* author = git_commit_author(commit); author != nullptr) {
    info.author_name = author->name != nullptr ? author->name : "";
    info.author_email = author->email != nullptr ? author->email : "";
  }
  for (unsigned int i = 0; i < git_commit_parentcount(commit); ++i) {
    info.parents.push_back(oid_to_string(*git_commit_parent_id(commit, i)));
  }
  return info;
}

} // namespace

Result<CommitInfo> Repository::commit_info(std::string_view revision) const {
  GitCommitPtr commit;
  FERRY_TRY_ASSIGN(commit, m_impl->commit_at(revision));
  return describe_commit(commit.get());
}

Result<std::vector<CommitInfo>> Repository::log(std::string_view from, std::string_view to) const {
  GitCommitPtr from_commit;
  GitCommitPtr to_commit;
  FERRY_TRY_ASSIGN(from_commit, m_impl->commit_at(from));
  FERRY_TRY_ASSIGN(to_commit, m_impl->commit_at(to));
  git_revwalk* raw = nullptr;
  FERRY_TRY(check(git_revwalk_new(&raw, m_impl->repo.get()), "cannot walk history"));
  GitRevwalkPtr walk(raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  FERRY_TRY(check(git_revwalk_push(walk.get(), git_commit_id(to_commit.get())),
                  "cannot walk from " + std::string(to)));
  FERRY_TRY(check(git_revwalk_hide(walk.get(), git_commit_id(from_commit.get())),
                  "cannot walk to " + std::string(from)));
  std::vector<CommitInfo> commits;
  git_oid id;
  while (git_revwalk_next(&id, walk.get()) == 0) {
    git_commit* commit = nullptr;
    FERRY_TRY(check(git_commit_lookup(&commit, m_impl->repo.get(), &id), "cannot read commit"));
    GitCommitPtr owned(commit);
    commits.push_back(describe_commit(owned.get()));
  }
  return commits;
}

Result<std::string> Repository::diff_to_workdir() const {
  GitTreePtr head;
  FERRY_TRY_ASSIGN(head, m_impl->tree_at("HEAD"));
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                  GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  git_diff* raw = nullptr;
  FERRY_TRY(
      check(git_diff_tree_to_workdir_with_index(&raw, m_impl->repo.get(), head.get(), &options),
            "cannot compare the working tree with HEAD"));
  GitDiffPtr diff(raw);
  git_buf text = GIT_BUF_INIT;
  FERRY_TRY(check(git_diff_to_buf(&text, diff.get(), GIT_DIFF_FORMAT_PATCH), "cannot print diff"));
  std::string patch(text.ptr != nullptr ? text.ptr : "", text.size);
  git_buf_dispose(&text);
  return patch;
}

std::optional<std::string> Repository::config_string(std::string_view name) const {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, m_impl->repo.get()) != 0) {
    return std::nullopt;
  }
  const char* value = nullptr;
  std::string key(name);
  std::optional<std::string> result;
  if (git_config_get_string(&value, raw, key.c_str()) == 0 && value != nullptr) {
    result = value;
  }
  git_config_free(raw);
  return result;
}

Result<std::vector<TagInfo>> Repository::tags() const {
  git_strarray names{};
  FERRY_TRY(check(git_tag_list(&names, m_impl->repo.get()), "cannot list tags"));
  std::vector<TagInfo> tags;
  for (std::size_t i = 0; i < names.count; ++i) {
    std::string name = names.strings[i];
    if (auto commit = m_impl->commit_at("refs/tags/" + name)) {
      tags.push_back({name, oid_to_string(*git_commit_id(commit->get()))});
    }
  }
  git_strarray_dispose(&names);
  return tags;
}

Status Repository::switch_to_new_branch(std::string_view name, std::string_view start) {
  GitCommitPtr commit;
  FERRY_TRY_ASSIGN(commit, m_impl->commit_at(start));
  git_repository* repo = m_impl->repo.get();
  // A branch that is HEAD cannot be force-moved: detach first.
  FERRY_TRY(check(git_repository_set_head_detached(repo, git_commit_id(commit.get())),
                  "cannot detach HEAD"));
  git_reference* raw = nullptr;
  std::string branch(name);
  FERRY_TRY(check(git_branch_create(&raw, repo, branch.c_str(), commit.get(), 1),
                  "cannot create branch " + branch));
  GitReferencePtr ref(raw);
  FERRY_TRY(check(git_repository_set_head(repo, git_reference_name(ref.get())),
                  "cannot switch to branch " + branch));
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_FORCE;
  return check(git_checkout_head(repo, &options), "cannot check out " + branch);
}

Result<std::string> Repository::current_branch() const {
  git_reference* raw = nullptr;
  int rc = git_repository_head(&raw, m_impl->repo.get());
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    return fail(ErrorKind::not_found, "the repository has no commit yet");
  }
  FERRY_TRY(check(rc, "cannot read HEAD"));
  GitReferencePtr head(raw);
  if (git_reference_is_branch(head.get()) == 0) {
    return fail(ErrorKind::not_found, "HEAD is detached");
  }
  return std::string(git_reference_shorthand(head.get()));
}

Result<std::string> Repository::commit_all(std::string_view message, const Signature& author,
                                           const Signature& committer) {
  git_repository* repo = m_impl->repo.get();
  git_index* raw_index = nullptr;
  FERRY_TRY(check(git_repository_index(&raw_index, repo), "cannot open the index"));
  GitIndexPtr index(raw_index);
  std::vector<std::string> everything = {"*"};
  StringArray pathspec(everything);
  FERRY_TRY(check(
      git_index_add_all(index.get(), &pathspec.array, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr),
      "cannot stage changes"));
  FERRY_TRY(check(git_index_update_all(index.get(), &pathspec.array, nullptr, nullptr),
                  "cannot stage deletions"));
  FERRY_TRY(check(git_index_write(index.get()), "cannot write the index"));
  git_oid tree_id;
  FERRY_TRY(check(git_index_write_tree(&tree_id, index.get()), "cannot write tree"));

  std::optional<GitCommitPtr> parent;
  if (auto head = m_impl->commit_at("HEAD")) {
    if (git_oid_equal(git_commit_tree_id(head->get()), &tree_id) != 0) {
      return fail(ErrorKind::conflict, "nothing to commit: the working tree matches HEAD");
    }
    parent = std::move(*head);
  }
  git_tree* raw_tree = nullptr;
  FERRY_TRY(check(git_tree_lookup(&raw_tree, repo, &tree_id), "cannot read tree"));
  GitTreePtr tree(raw_tree);
  GitSignaturePtr author_sig;
  GitSignaturePtr committer_sig;
  FERRY_TRY_ASSIGN(author_sig, make_signature(author));
  FERRY_TRY_ASSIGN(committer_sig, make_signature(committer));
  const git_commit* parents[1] = {parent ? parent->get() : nullptr};
  git_oid commit_id;
  std::string text = log::logger().redact(message); // a commit is published with the branch
  FERRY_TRY(check(git_commit_create(&commit_id, repo, "HEAD", author_sig.get(), committer_sig.get(),
                                    nullptr, text.c_str(), tree.get(), parent ? 1 : 0, parents),
                  "cannot create commit"));
  return oid_to_string(commit_id);
}

Result<std::optional<std::string>> Repository::remote_ref(const Remote& remote,
                                                          std::string_view ref) const {
  return with_retries(remote, "cannot list the refs of",
                      [&] { return m_impl->remote_ref_once(remote, ref); });
}

Status Repository::push(const Remote& remote, std::string_view local_ref,
                        std::string_view remote_ref_name, const PushLease& lease) {
  std::string local_commit;
  FERRY_TRY_ASSIGN(local_commit, resolve(local_ref));
  std::vector<std::string> refspec = {(lease.expected_remote_commit ? "+" : "") +
                                      std::string(local_ref) + ":" + std::string(remote_ref_name)};
  log::debug("git push {} {}", shown(remote), refspec.front());
  bool sent_before = false; // an earlier attempt sent the pack: it may have landed
  return with_retries(remote, "cannot push to", [&]() -> Status {
    if (lease.expected_remote_commit) {
      bool done = false;
      FERRY_TRY_ASSIGN(done, m_impl->check_lease(remote, remote_ref_name,
                                                 sent_before ? local_commit : std::string(),
                                                 *lease.expected_remote_commit));
      if (done) {
        return {};
      }
    }
    sent_before = true;
    return m_impl->push_once(remote, refspec);
  });
}

namespace {

// A git config value in double quotes: backslashes and quotes escaped.
std::string quoted_config_value(const std::string& value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

// Appends safe.directory=`directory` to the GIT_CONFIG_COUNT entries of the environment.
Status export_safe_directory(const std::string& directory) {
  const char* given = std::getenv("GIT_CONFIG_COUNT");
  char* end = nullptr;
  long count = given != nullptr ? std::strtol(given, &end, 10) : 0;
  if (given != nullptr && (end == given || *end != '\0' || count < 0)) {
    return fail(ErrorKind::config, "GIT_CONFIG_COUNT is not a number: unset it or fix it");
  }
  std::string index = std::to_string(count);
  if (::setenv(("GIT_CONFIG_KEY_" + index).c_str(), "safe.directory", 1) != 0 ||
      ::setenv(("GIT_CONFIG_VALUE_" + index).c_str(), directory.c_str(), 1) != 0 ||
      ::setenv("GIT_CONFIG_COUNT", std::to_string(count + 1).c_str(), 1) != 0) {
    return fail(ErrorKind::internal, "cannot set GIT_CONFIG_* in the environment");
  }
  return {};
}

} // namespace

Status trust_directory(const std::filesystem::path& directory,
                       const std::filesystem::path& config_dir) {
  static std::mutex mutex;
  static std::vector<std::string> trusted;
  std::lock_guard lock(mutex);
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(directory, error);
  std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, error);
  std::string path = (error ? absolute : canonical).lexically_normal().string();
  while (path.size() > 1 && path.ends_with('/')) {
    path.pop_back();
  }
  if (path.empty()) {
    return fail(ErrorKind::io, "cannot resolve the directory to trust: " + directory.string());
  }
  if (path.find('\n') != std::string::npos) {
    return fail(ErrorKind::config, "cannot trust a directory whose name has a line break");
  }
  trusted.push_back(path);
  std::filesystem::create_directories(config_dir, error);
  std::filesystem::path file = config_dir / "config";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "# written by ferry: directories trusted although another user owns them\n[safe]\n";
    for (const std::string& dir : trusted) {
      out << "\tdirectory = " << quoted_config_value(dir) << "\n";
    }
    if (!out) {
      return fail(ErrorKind::io,
                  "cannot write " + file.string() + " (ferry's git config trusting the workspace)");
    }
  }
  if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, config_dir.c_str()) !=
      0) {
    return fail(ErrorKind::internal,
                "libgit2 refused the config search path " + config_dir.string());
  }
  return export_safe_directory(path);
}

std::string git_library_description() {
  int major = 0;
  int minor = 0;
  int revision = 0;
  git_libgit2_version(&major, &minor, &revision);
  int features = git_libgit2_features();
  std::string text = "libgit2 " + std::to_string(major) + "." + std::to_string(minor) + "." +
                     std::to_string(revision) + " (";
  text += (features & GIT_FEATURE_HTTPS) != 0 ? "HTTPS" : "no HTTPS";
  text += (features & GIT_FEATURE_SSH) != 0 ? "; SSH" : "";
  text += (features & GIT_FEATURE_THREADS) != 0 ? "; threads" : "";
  return text + ")";
}

void set_transfer_limits(const TransferLimits& limits) {
  std::lock_guard lock(g_limits_mutex);
  g_limits = limits;
}

TransferLimits transfer_limits() {
  std::lock_guard lock(g_limits_mutex);
  return g_limits;
}

GitLibraryGuard::GitLibraryGuard() {
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_SET_USER_AGENT, "ferry/" FERRY_VERSION);
  if (!register_timed_socket()) {
    log::warning("libgit2 refused ferry's socket stream: git transfers have no stall timeout");
  }
}

GitLibraryGuard::~GitLibraryGuard() {
  git_libgit2_shutdown();
}

} // namespace ferry::infra::git
