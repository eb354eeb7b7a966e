#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <string>
#include <vector>

namespace framebridge::app {

/// @brief The statistics as lines for a log: one for the first stream's capture, one per
/// stream, one per client.
std::vector<std::string> format_stats(const PipelineStats& stats);

/// @brief "0.21 ms"-style text for a duration in nanoseconds.
std::string format_ms(std::uint64_t ns);

}  // namespace framebridge::app
