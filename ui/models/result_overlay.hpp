#pragma once

#include "framebridge/app/server/result_event.hpp"
#include "models/rate_meter.hpp"

#include <QColor>
#include <QString>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace framebridge::ui {

/// @brief What the preview draws for one sender over the frame it shows.
struct ShownResult {
    std::uint32_t sender_id = 0;
    QString sender;  ///< "face_detection.py #3": a script's name, and which connection
    QColor colour;
    double opacity = 1.0;  ///< 1 while fresh, less as the frames go by
    /// The result for the frame shown: the newest of the sender's that names it or an earlier
    /// frame; valid until the overlay changes. Null while every result kept is for a frame not
    /// shown yet (the legend still shows the sender).
    const protocol::Result* result = nullptr;
    double results_per_second = 0;
};

/// @brief The latest results of each sender on the stream previewed, and which of them go over
/// the frame shown. A result is drawn over the frame it names and the frames after it: at full
/// strength for FRESH_FRAMES frames, then fading, and gone once it is more than GONE_FRAMES
/// frames older than the frame shown (a second at 30 fps). A result that names a frame the
/// preview has not shown yet waits for it, and the sender's previous result is drawn until then.
/// Frames, not time, decide, so a paused stream keeps the results of the frame it shows. Each
/// sender keeps its colour while the overlay lives. No clock and no window: times are passed in.
class ResultOverlay {
public:
    static constexpr std::uint64_t FRESH_FRAMES = 3;
    static constexpr std::uint64_t GONE_FRAMES = 30;
    static constexpr double FADED_OPACITY = 0.3;  ///< of a result GONE_FRAMES old
    /// Results kept per sender, newest by arrival: enough for a sender ahead of the preview.
    static constexpr std::size_t KEPT_PER_SENDER = 16;

    /// @brief A result arrived; `event.received_ns` counts for the sender's results/s.
    void add(const app::ResultEvent& event);
    /// @brief The senders to draw over frame `frame_seq`, by sender id; senders whose results
    /// are all gone are forgotten (their colours are not). `now_ms` is on the clock of
    /// received_ns, in ms.
    std::vector<ShownResult> shown(std::uint64_t frame_seq, std::int64_t now_ms);
    /// @brief Forgets every result and colour: another stream, or another capture.
    void clear();
    /// @brief The palette index sender `sender_id` has, or -1 before its first result.
    int colour_index(std::uint32_t sender_id) const;

private:
    struct Sender {
        QString name;
        std::deque<app::ResultEvent> results;  // oldest arrival first
        RateMeter rate;
    };

    int new_colour_index() const;

    std::map<std::uint32_t, Sender> senders_;
    std::map<std::uint32_t, int> colours_;
};

}  // namespace framebridge::ui
