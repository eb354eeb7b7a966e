#pragma once

#include "framebridge/app/sources/source_spec.hpp"

#include <QString>

namespace framebridge::ui {

/// @brief The source picker's fields. Each kind keeps its own text, so switching kinds back
/// and forth loses nothing.
struct SourceChoice {
    app::SourceSpec::Kind kind = app::SourceSpec::Kind::Synthetic;
    int camera = 0;
    QString file;
    QString url;
    QString pipeline;  ///< a GStreamer pipeline, without the gst: prefix
};

/// @brief The --source SPEC the choice stands for. Throws std::invalid_argument, worded for a
/// person, when the chosen kind's field is empty or is not what the kind needs.
QString to_spec(const SourceChoice& choice);

/// @brief The choice a --source SPEC stands for; the synthetic source for a spec that is not one.
SourceChoice choice_from_spec(const QString& spec);

}  // namespace framebridge::ui
