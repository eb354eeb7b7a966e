#include "models/preview_image.hpp"

#include <cstring>
#include <vector>

namespace framebridge::ui {

FrameView view_of(const app::LocalFrame& frame) {
    const shm::FrameGeometry geometry = frame.geometry();
    return {frame.pixels(), geometry.width, geometry.height, frame.stride(), geometry.format};
}

namespace {

QImage::Format image_format(shm::PixelFormat format) {
    switch (format) {
    case shm::PixelFormat::Bgr8:
        return QImage::Format_BGR888;
    case shm::PixelFormat::Gray8:
        return QImage::Format_Grayscale8;
    case shm::PixelFormat::Bgra8:
        // Little-endian 0xAARRGGBB is B, G, R, A in memory; sampling makes the alpha opaque.
        return QImage::Format_RGB32;
    case shm::PixelFormat::None:
        break;
    }
    return QImage::Format_Invalid;
}

// Source index of each destination index, sampling at the centre of each destination cell.
std::vector<std::size_t> sample_positions(std::uint32_t from, int to) {
    std::vector<std::size_t> positions(static_cast<std::size_t>(to));
    const auto to_count = static_cast<std::uint64_t>(to);
    for (std::uint64_t i = 0; i < to_count; ++i) {
        positions[i] = static_cast<std::size_t>(((2 * i + 1) * from) / (2 * to_count));
    }
    return positions;
}

// A compile-time pixel size lets the compiler turn each pixel's copy into a plain move.
template <std::size_t PIXEL_BYTES>
void sample_into(const FrameView& frame, QImage& image) {
    const std::vector<std::size_t> columns = sample_positions(frame.width, image.width());
    const std::vector<std::size_t> rows = sample_positions(frame.height, image.height());
    for (std::size_t y = 0; y < rows.size(); ++y) {
        const std::byte* from = frame.pixels + rows[y] * frame.stride;
        auto* to = reinterpret_cast<std::byte*>(image.scanLine(static_cast<int>(y)));
        for (std::size_t x = 0; x < columns.size(); ++x) {
            std::memcpy(to + x * PIXEL_BYTES, from + columns[x] * PIXEL_BYTES, PIXEL_BYTES);
        }
    }
}

// Each pixel of `half` is the mean of a 2x2 block of `full`, byte by byte.
template <std::size_t PIXEL_BYTES>
void average_2x2(const QImage& full, QImage& half) {
    for (int y = 0; y < half.height(); ++y) {
        const uchar* top = full.constScanLine(2 * y);
        const uchar* bottom = full.constScanLine(2 * y + 1);
        uchar* to = half.scanLine(y);
        const auto width = static_cast<std::size_t>(half.width());
        for (std::size_t x = 0; x < width; ++x) {
            for (std::size_t b = 0; b < PIXEL_BYTES; ++b) {
                const std::size_t left = 2 * x * PIXEL_BYTES + b;
                const unsigned sum = 2u + top[left] + top[left + PIXEL_BYTES] + bottom[left] +
                                     bottom[left + PIXEL_BYTES];
                to[x * PIXEL_BYTES + b] = static_cast<uchar>(sum / 4);
            }
        }
    }
}

}  // namespace

QSize fit_size(QSize frame, QSize target) {
    if (frame.isEmpty() || target.isEmpty()) {
        return {};
    }
    return frame.scaled(target, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
}

QImage sample_frame(const FrameView& frame, QSize target) {
    const QImage::Format format = image_format(frame.format);
    const QSize full(static_cast<int>(frame.width), static_cast<int>(frame.height));
    const QSize fit = fit_size(full, target);
    if (format == QImage::Format_Invalid || fit.isEmpty()) {
        return {};
    }
    QImage image((fit * 2).boundedTo(full), format);
    switch (shm::bytes_per_pixel(frame.format)) {
    case 1:
        sample_into<1>(frame, image);
        break;
    case 3:
        sample_into<3>(frame, image);
        break;
    default:
        sample_into<4>(frame, image);
        break;
    }
    if (frame.format == shm::PixelFormat::Bgra8) {
        for (int y = 0; y < image.height(); ++y) {
            auto* row = reinterpret_cast<std::uint32_t*>(image.scanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                row[x] |= 0xff000000u;
            }
        }
    }
    return image;
}

QImage finish_preview(const QImage& sampled, QSize target) {
    const QSize fit = fit_size(sampled.size(), target);
    if (sampled.isNull() || fit.isEmpty() || fit == sampled.size()) {
        return sampled;
    }
    if (fit * 2 != sampled.size()) {  // a frame smaller than twice the preview: rare and small
        return sampled.scaled(fit, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    // The usual case, and the one that must be cheap: four samples per shown pixel.
    QImage half(fit, sampled.format());
    switch (sampled.depth()) {
    case 8:
        average_2x2<1>(sampled, half);
        break;
    case 24:
        average_2x2<3>(sampled, half);
        break;
    default:
        average_2x2<4>(sampled, half);
        break;
    }
    return half;
}

}  // namespace framebridge::ui
