#include "result_rules.hpp"

#include <cmath>

namespace framebridge::protocol::detail {
namespace {

std::string over_limit(const char* field, std::size_t value, std::size_t limit) {
    if (value <= limit) {
        return {};
    }
    return "RESULT " + std::string(field) + " " + std::to_string(value) + " is over the limit of " +
           std::to_string(limit);
}

std::string per_box(const char* field, std::size_t value, std::size_t boxes) {
    if (value == 0 || value == boxes) {
        return {};
    }
    return "RESULT " + std::string(field) + " " + std::to_string(value) +
           " is neither 0 nor the box_count " + std::to_string(boxes);
}

// The length of the UTF-8 sequence `text` holds at `at`, or 0 when it is not one: overlong
// forms, surrogates and code points past U+10FFFF are refused, as Python's decoder refuses
// them, so a watcher in any language can read what the server relays.
std::size_t utf8_sequence(const std::string& text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t size = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        size = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        size = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        size = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (at + size > text.size() || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < size; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) {
            return 0;
        }
    }
    return size;
}

std::string text_field_problem(const std::string& field, const std::string& text) {
    for (std::size_t at = 0; at < text.size();) {
        const auto c = static_cast<unsigned char>(text[at]);
        if (c < 0x20) {
            return field + " contains control character " + std::to_string(c) + " at byte " +
                   std::to_string(at);
        }
        const std::size_t size = utf8_sequence(text, at);
        if (size == 0) {
            return field + " is not UTF-8 at byte " + std::to_string(at);
        }
        at += size;
    }
    return {};
}

std::size_t body_size(const Result& r) {
    std::size_t size = RESULT_FIXED + 16 * r.boxes.size() + 4 * r.scores.size() +
                       8 * r.points.size() + 4 * r.polylines.size() + r.text.size();
    for (const auto& polyline : r.polylines) {
        size += 8 * polyline.size();
    }
    for (const auto& label : r.labels) {
        size += 1 + label.size();
    }
    return size;
}

}  // namespace

std::string counts_problem(const ResultCounts& c) {
    for (std::string problem :
         {over_limit("box_count", c.boxes, MAX_RESULT_BOXES),
          per_box("label_count", c.labels, c.boxes), per_box("score_count", c.scores, c.boxes),
          over_limit("point_count", c.points, MAX_RESULT_POINTS),
          over_limit("polyline_count", c.polylines, MAX_RESULT_POLYLINES),
          over_limit("text_size", c.text_bytes, MAX_RESULT_TEXT_BYTES)}) {
        if (!problem.empty()) {
            return problem;
        }
    }
    return {};
}

std::string box_problem(std::size_t index, const Box& box) {
    const std::string at = "RESULT box " + std::to_string(index);
    if (box.w < 0) {
        return at + " has a negative width " + std::to_string(box.w);
    }
    if (box.h < 0) {
        return at + " has a negative height " + std::to_string(box.h);
    }
    return {};
}

std::string score_problem(std::size_t index, float score) {
    if (std::isfinite(score)) {
        return {};
    }
    const char* value = std::isnan(score) ? "nan" : score > 0 ? "inf" : "-inf";
    return "RESULT score " + std::to_string(index) + " is " + value;
}

std::string polyline_problem(std::size_t index, std::size_t size, std::size_t points_before) {
    if (size == 0 || size > MAX_RESULT_POLYLINE_POINTS) {
        return "RESULT polyline " + std::to_string(index) + " has " + std::to_string(size) +
               " points, not 1 to " + std::to_string(MAX_RESULT_POLYLINE_POINTS);
    }
    if (points_before + size > MAX_RESULT_POLYLINE_POINTS) {
        return "RESULT polylines 0 to " + std::to_string(index) + " have " +
               std::to_string(points_before + size) + " points, over the limit of " +
               std::to_string(MAX_RESULT_POLYLINE_POINTS) + " in all";
    }
    return {};
}

std::string label_problem(std::size_t index, const std::string& label) {
    const std::string field = "RESULT label " + std::to_string(index);
    if (label.size() > MAX_RESULT_LABEL_BYTES) {
        return field + " has " + std::to_string(label.size()) + " bytes, over the limit of " +
               std::to_string(MAX_RESULT_LABEL_BYTES);
    }
    return text_field_problem(field, label);
}

std::string text_problem(const std::string& text) {
    return text_field_problem("RESULT text", text);
}

std::string result_problem(const Result& r) {
    std::string problem = counts_problem({r.boxes.size(), r.labels.size(), r.scores.size(),
                                          r.points.size(), r.polylines.size(), r.text.size()});
    for (std::size_t i = 0; problem.empty() && i < r.boxes.size(); ++i) {
        problem = box_problem(i, r.boxes[i]);
    }
    for (std::size_t i = 0; problem.empty() && i < r.scores.size(); ++i) {
        problem = score_problem(i, r.scores[i]);
    }
    std::size_t points = 0;
    for (std::size_t i = 0; problem.empty() && i < r.polylines.size(); ++i) {
        problem = polyline_problem(i, r.polylines[i].size(), points);
        points += r.polylines[i].size();
    }
    for (std::size_t i = 0; problem.empty() && i < r.labels.size(); ++i) {
        problem = label_problem(i, r.labels[i]);
    }
    if (problem.empty()) {
        problem = text_problem(r.text);
    }
    if (problem.empty() && body_size(r) > MAX_RESULT_BODY_BYTES) {
        problem = "RESULT body of " + std::to_string(body_size(r)) +
                  " bytes is over the limit of " + std::to_string(MAX_RESULT_BODY_BYTES);
    }
    return problem;
}

}  // namespace framebridge::protocol::detail
