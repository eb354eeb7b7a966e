#pragma once

#include "framebridge/protocol/stream_state.hpp"

#include <QString>

namespace framebridge::ui {

/// @brief The status bar's words for a stream that is not live: "The file ended: file
/// 'clip.mp4' 640x360 BGR8", "Lost camera:0 …; opening it again…"; empty while it is live.
QString stream_state_text(protocol::StreamState state, const QString& source);

}  // namespace framebridge::ui
