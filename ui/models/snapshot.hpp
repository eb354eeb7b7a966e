#pragma once

#include "framebridge/app/capture/local_frame.hpp"

#include <QDateTime>
#include <QImage>
#include <QString>
#include <cstdint>

namespace framebridge::ui {

/// @brief One frame, copied out of its slot at its own size, with what is known about it.
struct Snapshot {
    QImage image;
    std::uint64_t seq = 0;
    std::uint64_t capture_ns = 0;  ///< steady clock, as in the slot descriptor
    std::uint64_t publish_ns = 0;
    QString source;  ///< e.g. "synthetic 3840x2160 BGR8"
};

/// @brief Copies `frame` (held by the caller) into a Snapshot; a null image for a format the
/// preview cannot show.
Snapshot snapshot_of(const app::LocalFrame& frame, const QString& source);

/// @brief Writes DIR/framebridge-SEQ-yyyyMMdd-HHmmss.png and, beside it, a .json with the
/// frame's number, size, timestamps and source. Returns the PNG's path; throws
/// std::runtime_error naming the file when either cannot be written.
QString save_snapshot(const Snapshot& snapshot, const QString& dir, const QDateTime& when);

}  // namespace framebridge::ui
