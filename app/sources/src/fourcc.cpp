#include "framebridge/app/sources/fourcc.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace framebridge::app {

void validate_fourcc(const std::string& text) {
    const bool printable = text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) {
                               return std::isprint(static_cast<unsigned char>(c)) != 0;
                           });
    if (!printable) {
        throw std::invalid_argument("fourcc '" + text +
                                    "' is not four letters, e.g. MJPG, YUYV, H264");
    }
}

int fourcc_code(const std::string& text) {
    validate_fourcc(text);
    std::uint32_t code = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        code |= std::uint32_t{static_cast<unsigned char>(text[i])} << (8 * i);
    }
    return static_cast<int>(code);
}

std::string fourcc_text(double code) {
    const auto value = static_cast<std::uint32_t>(std::llround(code));
    if (value == 0) {
        return {};
    }
    std::string text(4, ' ');
    for (std::size_t i = 0; i < 4; ++i) {
        text[i] = static_cast<char>((value >> (8 * i)) & 0xffu);
    }
    return text;
}

}  // namespace framebridge::app
