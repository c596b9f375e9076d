// Tag <-> version mapping (upstream_tag_template) and version_update_mask.
#include "core/sync/release_version.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::sync;

TEST_CASE("versions are read from tags through upstream_tag_template", "[unit][sync]") {
  CHECK(version_from_tag("{version}", "1.2.3", "hello").value() == "1.2.3");
  CHECK(version_from_tag("v{version}", "v1.2.3", "hello").value() == "1.2.3");
  CHECK(version_from_tag("{upstream_package_name}-{version}", "hello-2.0", "hello").value() ==
        "2.0");
  CHECK(version_from_tag("release/{version}", "release/3.1", "x").value() == "3.1");
  CHECK(version_from_tag("v{version}.final", "v1.0.final", "x").value() == "1.0");
  CHECK_FALSE(version_from_tag("v{version}", "1.2.3", "hello").value().has_value());
  CHECK_FALSE(version_from_tag("v{version}", "v", "hello").value().has_value());
  auto bad = version_from_tag("v", "v1", "hello");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind() == ferry::ErrorKind::config);
}

TEST_CASE("tags are made from versions", "[unit][sync]") {
  CHECK(tag_for_version("v{version}", "1.3.0", "hello") == "v1.3.0");
  CHECK(tag_for_version("{upstream_package_name}-{version}", "1.3.0", "hello") == "hello-1.3.0");
}

TEST_CASE("version_update_mask keeps stable branches on their series", "[unit][sync]") {
  CHECK(mask_allows(R"(\d+\.\d+\.)", "1.2.3", "1.2.4").value());
  CHECK_FALSE(mask_allows(R"(\d+\.\d+\.)", "1.2.3", "1.3.0").value());
  CHECK_FALSE(mask_allows(R"(\d+\.)", "abc", "1.0").value());
  CHECK_FALSE(mask_allows("(", "1", "1"));
}
