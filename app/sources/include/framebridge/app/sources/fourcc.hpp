#pragma once
// FOURCC codes, the four letters a camera or codec names its pixel encoding with.

#include <string>

namespace framebridge::app {

/// @brief Throws std::invalid_argument unless `text` is four printable characters.
void validate_fourcc(const std::string& text);

/// @brief The code of four letters (first letter in the low byte); validates them first.
int fourcc_code(const std::string& text);

/// @brief The four letters of a code, e.g. "MJPG"; "" for 0.
std::string fourcc_text(double code);

}  // namespace framebridge::app
