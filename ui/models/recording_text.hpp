#pragma once

#include "framebridge/app/record/record_stats.hpp"

#include <QDateTime>
#include <QString>

namespace framebridge::ui {

/// @brief The status bar's recording indicator: "● REC 0:12 · 4.2 MB · 29.8 fps · 3 dropped".
QString recording_text(const app::RecordStats& stats);

/// @brief What the status bar says once a recording has stopped: frames, dropped, where, and
/// why it stopped when it stopped by itself.
QString recorded_text(const app::RecordStats& stats);

/// @brief A new recording's file, offered in the Record dialog: `folder`/framebridge-DATE-TIME.mp4.
QString default_recording_path(const QString& folder, const QDateTime& now);

}  // namespace framebridge::ui
