// A test whose prerequisite is missing (the corpus, a KDC, npm tools, a peer) fails and says
// which one: CI must never count a test that could not run as a pass. The scripts install every
// prerequisite, so on a machine set up by them this never fires.
#pragma once

#include <catch2/catch.hpp>

#define FERRY_PREREQUISITE_MISSING(reason) FAIL("prerequisite missing: " << reason)
