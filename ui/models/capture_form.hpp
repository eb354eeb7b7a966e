#pragma once

#include "framebridge/app/pipeline/pipeline.hpp"
#include "models/app_options.hpp"
#include "models/source_choice.hpp"

#include <QString>

namespace framebridge::ui {

/// @brief What the user asks to capture, as the source panel holds it: text fields as typed,
/// checked only when capture starts.
struct CaptureForm {
    SourceChoice source;
    QString size;    ///< WIDTHxHEIGHT; empty: the source's own
    QString fps;     ///< frames per second, 0 = as fast as the source goes; empty: the source's own
    QString fourcc;  ///< cameras: the encoding to ask for; empty: the camera's choice
    bool loop = false;
    int port = 7600;
    QString name = "framebridge";
    int slots = 3;
    int rtsp_port = 0;  ///< also serve every stream over RTSP on this port; 0: no RTSP
};

/// @brief The pipeline the form asks for. Throws std::invalid_argument, worded for a person and
/// naming the field, when a field does not hold what it should.
app::PipelineConfig to_pipeline_config(const CaptureForm& form);

/// @brief What the form asks that its source will not do, as a sentence for the window ("Size
/// 640x480 is ignored: a video file plays at its own size."); empty when there is nothing.
QString ignored_settings_note(const CaptureForm& form);

/// @brief `form` with every flag the command line gave put in place of what it held; with
/// --defaults, the defaults with those flags.
CaptureForm apply_options(CaptureForm form, const AppOptions& options);

}  // namespace framebridge::ui
