#include "framebridge/shm/shared_segment.hpp"

#include <algorithm>
#include <cctype>

namespace framebridge::shm {

void validate_segment_name(const std::string& name) {
    // 30 leaves room for the leading '/' within the 31 characters macOS allows.
    constexpr std::size_t MAX_NAME = 30;
    const bool chars_ok = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
    if (name.empty() || name.size() > MAX_NAME || !chars_ok || name.front() == '.') {
        throw std::invalid_argument("stream name '" + name +
                                    "' is not usable: use 1 to 30 of A-Z a-z 0-9 . _ - "
                                    "(not starting with '.')");
    }
}

}  // namespace framebridge::shm
