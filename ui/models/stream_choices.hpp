#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <QList>
#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace framebridge::ui {

/// @brief One entry of the stream picker.
struct StreamChoice {
    QString name;
    QString text;  ///< what the picker shows: name, producer, size
};

/// @brief "1920×1080 GRAY8"; empty while a capture stream does not know its size yet.
QString stream_size_text(const shm::FrameGeometry& geometry);

/// @brief "front · capture · 640×480 BGR8", "edges · published by a client · 1920×1080 GRAY8".
QString stream_choice_text(const app::StreamInfo& stream);

/// @brief Which stream the preview shows, kept across the statistics' updates. The first
/// stream until the user picks another. When the chosen stream goes (its publisher closed
/// it), the choice stays, marked ended, so the preview says why it stopped rather than
/// silently showing another stream; when a stream of that name is published again (the script
/// runs again) the preview follows it, until the user picks another.
class StreamChoices {
public:
    /// @brief What the newest statistics did to the chosen stream.
    enum class Change {
        None,
        Ended,      ///< it went: show ended_message()
        Restarted,  ///< a stream of its name is there again, counting from its first frame
    };

    /// @brief Takes the streams the pipeline hosts now, the first first.
    Change update(const std::vector<app::StreamInfo>& streams);
    /// @brief The user picked `name`; the first stream's name means "the first", whatever it is.
    void choose(const QString& name);
    /// @brief No streams and the first chosen, as when capture is stopped.
    void clear();

    /// @brief The hosted streams, then the chosen one when it has ended.
    const QList<StreamChoice>& entries() const noexcept { return entries_; }
    /// @brief The entry of the chosen stream; -1 when there are none.
    int current_index() const;
    /// @brief The stream the preview reads: "" for the first.
    std::string preview_stream() const { return chosen_.toStdString(); }
    bool ended() const noexcept { return ended_; }
    /// @brief Why the preview shows no frame of the chosen stream now that it has ended.
    QString ended_message() const;

private:
    void rebuild();

    std::vector<app::StreamInfo> streams_;  // as the last update had them
    QList<StreamChoice> entries_;
    QString chosen_;  // "" for the first stream
    bool ended_ = false;
    app::StreamInfo last_seen_;  // of the chosen stream, while it was there
};

}  // namespace framebridge::ui
