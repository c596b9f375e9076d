// Spec editing cost: load (read + parse) + set-version (evaluate, edit, changelog entry) + save
// (temp file + rename), per real spec. Targets: <= 5 ms median for a typical 10-30 KB spec,
// <= 30 ms for the largest corpus spec (~560 KB), peak heap <= 10x the file size.
// Uses the shared corpus when present, else synthetic specs of the same sizes.
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_io.hpp"

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <vector>

namespace {

std::atomic<std::size_t> g_current{0};
std::atomic<std::size_t> g_peak{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  std::size_t now = g_current += malloc_usable_size(p);
  std::size_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void counted_free(void* p) {
  if (p != nullptr) {
    g_current -= malloc_usable_size(p);
    std::free(p);
  }
}

} // namespace

void* operator new(std::size_t size) {
  return counted_alloc(size);
}
void* operator new[](std::size_t size) {
  return counted_alloc(size);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace {

namespace fs = std::filesystem;
namespace spec = ferry::core::spec;

const fs::path k_corpus = fs::path(FERRY_SOURCE_DIR) / ".." / "shared" / "corpus";

// A spec of about `size` bytes: a preamble with macros and conditionals, then changelog.
std::string synthetic_spec(std::size_t size) {
  std::string text =
      "%global ver 1.2.3\n%if 0%{?fedora} >= 40\n%global extra 1\n%endif\n"
      "Name: synthetic\nVersion: %{ver}\nRelease: 3%{?dist}\nSummary: s\nLicense: MIT\n"
      "Source0: https://example.com/%{name}-%{version}.tar.gz\n\n%description\nd\n\n"
      "%build\n%make_build\n\n%files\n\n%changelog\n";
  for (int i = 0; text.size() < size; ++i) {
    text += "* Mon Jan 06 2025 Jane Doe <jane@example.com> - 1.2." + std::to_string(i) +
            "-1\n- Update to 1.2." + std::to_string(i) + " with a few fixes and improvements\n\n";
  }
  return text;
}

fs::path write_synthetic(const fs::path& dir, std::string_view name, std::size_t size) {
  fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << synthetic_spec(size);
  return path;
}

struct Input {
  std::string label;
  fs::path path;
};

// Typical: every dist-git spec of 10-30 KB. Large: the biggest spec in the corpus.
std::vector<Input> inputs(const fs::path& scratch) {
  std::vector<Input> found;
  fs::path largest;
  std::uintmax_t largest_size = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(k_corpus, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!it->is_regular_file() || name.find(".spec") == std::string::npos) {
      continue;
    }
    std::uintmax_t size = it->file_size();
    if (size > largest_size) {
      largest_size = size;
      largest = it->path();
    }
    bool distgit = it->path().string().find("/distgit/") != std::string::npos;
    if (distgit && size >= 10'000 && size <= 30'000) {
      found.push_back({"typical/" + name, it->path()});
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Input& a, const Input& b) { return a.label < b.label; });
  if (found.empty()) {
    found.push_back(
        {"typical/synthetic-20k.spec", write_synthetic(scratch, "synthetic-20k.spec", 20'000)});
  }
  if (largest.empty()) {
    largest = write_synthetic(scratch, "synthetic-560k.spec", 560'000);
  }
  found.push_back({"largest/" + largest.filename().string(), largest});
  return found;
}

void edit_once(const fs::path& path, const fs::path& out, benchmark::State& state) {
  auto file = spec::load_spec_file(path);
  if (!file) {
    state.SkipWithError(file.error().message().c_str());
    return;
  }
  spec::SetVersionOptions options;
  options.version = "9999.1";
  options.date = "2025-01-06";
  options.author = "Bench <bench@example.com>";
  options.changelog_entry = {"Update to 9999.1", "Fix 100% of the bugs"};
  options.eval = spec::disk_eval_options(path);
  options.eval.defines = {{"fedora", "42"},
                          {"dist", ".fc42"},
                          {"autorelease", "1%{?dist}"},
                          {"autochangelog", "%{nil}"}};
  auto edited = spec::set_version(*file, options);
  if (!edited) {
    state.SkipWithError(edited.error().message().c_str());
    return;
  }
  if (auto saved = spec::write_file_atomically(out, edited->text); !saved) {
    state.SkipWithError(saved.error().message().c_str());
  }
}

void bench_set_version(benchmark::State& state, const fs::path& path, const fs::path& out) {
  auto size = static_cast<double>(fs::file_size(path));
  std::size_t worst = 0;
  for (auto _ : state) {
    std::size_t base = g_current.load();
    g_peak = base;
    edit_once(path, out, state);
    worst = std::max(worst, g_peak.load() - base);
  }
  state.counters["file_KB"] = size / 1024.0;
  state.counters["peak_heap_KB"] = static_cast<double>(worst) / 1024.0;
  state.counters["peak_heap_x_file"] = static_cast<double>(worst) / size;
}

} // namespace

int main(int argc, char** argv) {
  fs::path scratch = fs::temp_directory_path() / ("ferry-spec-bench-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  std::vector<Input> all = inputs(scratch);
  for (const Input& input : all) {
    fs::path out = scratch / ("out-" + input.path.filename().string());
    benchmark::RegisterBenchmark(
        ("set_version/" + input.label).c_str(),
        [path = input.path, out](benchmark::State& state) { bench_set_version(state, path, out); })
        ->Unit(benchmark::kMillisecond)
        ->Repetitions(5)
        ->ReportAggregatesOnly(true);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(scratch, ec);
  return 0;
}
