#pragma once

#include "framebridge/app/pipeline/pipeline.hpp"
#include "models/capture_form.hpp"
#include "support/unique_name.hpp"

#include <QString>

namespace framebridge::ui::test {

/// @brief A small synthetic stream on a free port under a name no other test uses.
inline CaptureForm small_form(const QString& size = "320x240", const QString& fps = "60") {
    CaptureForm form;
    form.size = size;
    form.fps = fps;
    form.port = 0;
    form.name = QString::fromStdString(framebridge::test::unique_stream_name());
    return form;
}

inline app::PipelineConfig small_config(const QString& size = "320x240") {
    return to_pipeline_config(small_form(size));
}

}  // namespace framebridge::ui::test
