#include "framebridge/app/server/access_token.hpp"

#include "framebridge/protocol/messages.hpp"

#include <sys/stat.h>
#ifndef _WIN32
#include <unistd.h>
#endif
#include <fstream>
#include <stdexcept>

namespace framebridge::app {

bool tokens_match(std::string_view given, std::string_view expected) noexcept {
    if (expected.empty()) {
        return false;
    }
    // Every byte of `given` is compared, whatever came before: no early exit for a first
    // difference. volatile keeps the compiler from adding one.
    volatile unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i) {
        difference = static_cast<unsigned char>(
            difference | (static_cast<unsigned char>(given[i]) ^
                          static_cast<unsigned char>(expected[i % expected.size()])));
    }
    return difference == 0;
}

void validate_token(const std::string& token, const std::string& where) {
    if (token.empty()) {
        throw std::invalid_argument("the token from " + where + " is empty");
    }
    if (token.size() > protocol::MAX_TOKEN_BYTES) {
        throw std::invalid_argument("the token from " + where + " is " +
                                    std::to_string(token.size()) + " bytes; at most " +
                                    std::to_string(protocol::MAX_TOKEN_BYTES) + " are allowed");
    }
    for (const char c : token) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            throw std::invalid_argument("the token from " + where + " contains control character " +
                                        std::to_string(byte) + "; use printable characters only");
        }
    }
}

std::string read_token_file(const std::string& path) {
#ifndef _WIN32
    // Others must neither read the token nor change it to one they know.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        const char* problem = (info.st_mode & (S_IRGRP | S_IROTH)) != 0   ? "read"
                              : (info.st_mode & (S_IWGRP | S_IWOTH)) != 0 ? "changed"
                                                                          : nullptr;
        if (problem != nullptr) {
            throw std::invalid_argument("token file '" + path + "' can be " + problem +
                                        " by other users; make it yours alone with `chmod 600 " +
                                        path + "`");
        }
        if (info.st_uid != ::geteuid()) {
            throw std::invalid_argument("token file '" + path + "' belongs to user " +
                                        std::to_string(info.st_uid) + ", not to user " +
                                        std::to_string(::geteuid()) +
                                        ", who runs the server; use a file of your own");
        }
    }
#endif
    std::ifstream file(path);
    if (!file) {
        throw std::invalid_argument("cannot read token file '" + path + "'");
    }
    std::string token;
    std::getline(file, token);
    const auto end = token.find_last_not_of(" \t\r\n");
    token.erase(end == std::string::npos ? 0 : end + 1);
    validate_token(token, "token file '" + path + "'");
    return token;
}

}  // namespace framebridge::app
