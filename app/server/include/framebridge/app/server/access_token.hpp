#pragma once

#include <string>
#include <string_view>

namespace framebridge::app {

/// @brief True when `given` equals `expected`. Its time depends on the length of `given`
/// only, never on how much of it matches, so a client cannot find the token byte by byte
/// by timing the answers.
bool tokens_match(std::string_view given, std::string_view expected) noexcept;

/// @brief Checks a token from the command line or a file: 1 to protocol::MAX_TOKEN_BYTES printable
/// bytes. Throws std::invalid_argument saying what is wrong with it (never the token itself).
void validate_token(const std::string& token, const std::string& where);

/// @brief The token in `path`: its first line, trailing white space dropped. Throws
/// std::invalid_argument naming the path when it cannot be read, is empty, or (POSIX) can be
/// read by other users.
std::string read_token_file(const std::string& path);

}  // namespace framebridge::app
