// Boost.Process v2's compiled part, built once for ferry (BOOST_PROCESS_V2_SEPARATE_COMPILATION).
#include <boost/process/v2/src.hpp>
