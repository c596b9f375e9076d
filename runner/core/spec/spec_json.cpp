#include "core/spec/spec_json.hpp"

namespace ferry::core::spec {

namespace {

nlohmann::ordered_json to_json(const std::vector<SourceEntry>& entries) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const SourceEntry& entry : entries) {
    list.push_back({{"number", entry.number}, {"url", entry.url}, {"filename", entry.filename}});
  }
  return list;
}

} // namespace

nlohmann::ordered_json to_json(const SpecInfo& info) {
  nlohmann::ordered_json out;
  out["name"] = info.name;
  out["epoch"] = info.epoch ? nlohmann::ordered_json(*info.epoch) : nlohmann::ordered_json(nullptr);
  out["version"] = info.version;
  out["release"] = info.release;
  out["sources"] = to_json(info.sources);
  out["patches"] = to_json(info.patches);
  out["autorelease"] = info.autorelease;
  out["autochangelog"] = info.autochangelog;
  out["changelog_entries"] = info.changelog_entries;
  out["unevaluated"] = info.unevaluated;
  return out;
}

} // namespace ferry::core::spec
