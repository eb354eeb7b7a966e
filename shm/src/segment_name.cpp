#include "framebridge/shm/shared_segment.hpp"

#include <algorithm>
#include <cctype>

namespace framebridge::shm {

void validate_segment_name(const std::string& name) {
    std::string stream = name;
#ifdef _WIN32
    // Windows names may say which namespace holds the mapping: Local\ (the default, this
    // logon session) or Global\ (every session: a server running as a service).
    for (const std::string prefix : {"Local\\", "Global\\"}) {
        if (stream.compare(0, prefix.size(), prefix) == 0) {
            stream.erase(0, prefix.size());
            break;
        }
    }
#endif
    // 30 leaves room for the leading '/' within the 31 characters macOS allows.
    constexpr std::size_t MAX_NAME = 30;
    const bool chars_ok = std::all_of(stream.begin(), stream.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
    if (stream.empty() || stream.size() > MAX_NAME || !chars_ok || stream.front() == '.') {
        throw std::invalid_argument("stream name '" + name +
                                    "' is not usable: use 1 to 30 of A-Z a-z 0-9 . _ - "
                                    "(not starting with '.')"
#ifdef _WIN32
                                    ", optionally after Local\\ or Global\\"
#endif
        );
    }
}

}  // namespace framebridge::shm
