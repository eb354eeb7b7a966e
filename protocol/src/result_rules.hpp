#pragma once
// What makes a RESULT good (docs/wire-protocol.md, "Results"), in one place for both ways: the
// parser throws ProtocolError with these texts, the encoders std::invalid_argument, so a C++
// sender can never put on the wire what a receiver would refuse. Each function returns what is
// wrong, naming the field and its value, or an empty string.

#include "framebridge/protocol/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace framebridge::protocol::detail {

// RESULT's fixed part: seq, capture_ns, sent_ns and six counts.
constexpr std::size_t RESULT_FIXED = 48;
// RESULT_FROM's fixed part: sender_id, skipped, received_ns, name_size, result_size.
constexpr std::size_t RESULT_FROM_FIXED = 24;
constexpr std::size_t WATCH_BYTES = 4;

struct ResultCounts {
    std::size_t boxes = 0;
    std::size_t labels = 0;
    std::size_t scores = 0;
    std::size_t points = 0;
    std::size_t polylines = 0;
    std::size_t text_bytes = 0;
};

std::string counts_problem(const ResultCounts& counts);
std::string box_problem(std::size_t index, const Box& box);
std::string score_problem(std::size_t index, float score);
/// @brief `points_before`: the points of the polylines before this one.
std::string polyline_problem(std::size_t index, std::size_t size, std::size_t points_before);
std::string label_problem(std::size_t index, const std::string& label);
std::string text_problem(const std::string& text);
/// @brief The first problem of a whole result, its body size included.
std::string result_problem(const Result& result);

}  // namespace framebridge::protocol::detail
