#include "models/byte_size.hpp"

namespace framebridge::ui {

QString byte_size_text(std::uint64_t bytes) {
    const auto value = static_cast<double>(bytes);
    if (bytes < 1000) {
        return QString("%1 bytes").arg(bytes);
    }
    if (bytes < 1000 * 1000) {
        return QString("%1 kB").arg(value / 1e3, 0, 'f', 1);
    }
    if (bytes < 1000 * 1000 * 1000) {
        return QString("%1 MB").arg(value / 1e6, 0, 'f', 1);
    }
    return QString("%1 GB").arg(value / 1e9, 0, 'f', 2);
}

}  // namespace framebridge::ui
