#pragma once

#include <QString>
#include <cstdint>

namespace framebridge::ui {

/// @brief A size for a person, in the unit that keeps it readable: "480 bytes", "12.3 kB",
/// "24.9 MB", "1.25 GB" (SI units, as file managers show them).
QString byte_size_text(std::uint64_t bytes);

}  // namespace framebridge::ui
