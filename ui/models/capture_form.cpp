#include "models/capture_form.hpp"

#include "framebridge/app/cli/server_options.hpp"
#include "framebridge/app/sources/fourcc.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <QObject>
#include <stdexcept>

namespace framebridge::ui {

namespace {

constexpr double MAX_FPS = 1000.0;

std::optional<double> parse_fps(const QString& text) {
    if (text.trimmed().isEmpty()) {
        return std::nullopt;
    }
    bool ok = false;
    const double fps = text.trimmed().toDouble(&ok);
    if (!ok || fps < 0.0 || fps > MAX_FPS) {
        throw std::invalid_argument("frames per second '" + text.toStdString() +
                                    "' is not a number from 0 to 1000 (0: as fast as the "
                                    "source goes)");
    }
    return fps;
}

bool given(const AppOptions& options, const char* flag) {
    return options.given.count(flag) > 0;
}

}  // namespace

app::PipelineConfig to_pipeline_config(const CaptureForm& form) {
    app::PipelineConfig config;
    config.source = to_spec(form.source).toStdString();
    if (!form.size.trimmed().isEmpty()) {
        config.geometry = app::parse_size(form.size.toStdString());
    }
    config.fps = parse_fps(form.fps);
    config.fourcc = form.fourcc.trimmed().toStdString();
    if (!config.fourcc.empty()) {
        app::validate_fourcc(config.fourcc);
    }
    config.loop = form.loop;
    if (form.port < 0 || form.port > 65535) {
        throw std::invalid_argument("port " + std::to_string(form.port) +
                                    " is not from 0 to 65535");
    }
    config.port = static_cast<std::uint16_t>(form.port);
    config.name = form.name.trimmed().toStdString();
    shm::validate_segment_name(config.name);
    if (form.slots < static_cast<int>(shm::MIN_SLOTS) ||
        form.slots > static_cast<int>(shm::MAX_SLOTS)) {
        throw std::invalid_argument("slots " + std::to_string(form.slots) + " is not from " +
                                    std::to_string(shm::MIN_SLOTS) + " to " +
                                    std::to_string(shm::MAX_SLOTS));
    }
    config.slots = static_cast<std::uint32_t>(form.slots);
    return config;
}

QString ignored_settings_note(const CaptureForm& form) {
    using Kind = app::SourceSpec::Kind;
    const QString size = form.size.trimmed();
    if (size.isEmpty()) {
        return {};
    }
    switch (form.source.kind) {
    case Kind::File:
        return QObject::tr("Size %1 is ignored: a video file plays at its own size.").arg(size);
    case Kind::Url:
        return QObject::tr("Size %1 is ignored: a stream comes at its own size.").arg(size);
    case Kind::GStreamer:
        return QObject::tr(
                   "Size %1 is ignored: a pipeline's caps set its size (e.g. "
                   "video/x-raw,width=1920,height=1080).")
            .arg(size);
    case Kind::Synthetic:
    case Kind::Camera:
        break;
    }
    return {};
}

CaptureForm apply_options(CaptureForm form, const AppOptions& options) {
    if (options.defaults) {
        form = CaptureForm{};
    }
    const app::PipelineConfig& p = options.server.pipeline;
    if (given(options, "--source")) {
        form.source = choice_from_spec(QString::fromStdString(p.source));
    }
    if (given(options, "--size") && p.geometry) {
        form.size = QString("%1x%2").arg(p.geometry->width).arg(p.geometry->height);
    }
    if (given(options, "--fps") && p.fps) {
        form.fps = QString::number(*p.fps);
    }
    if (given(options, "--fourcc")) {
        form.fourcc = QString::fromStdString(p.fourcc);
    }
    if (given(options, "--loop")) {
        form.loop = p.loop;
    }
    if (given(options, "--port")) {
        form.port = p.port;
    }
    if (given(options, "--name")) {
        form.name = QString::fromStdString(p.name);
    }
    if (given(options, "--slots")) {
        form.slots = static_cast<int>(p.slots);
    }
    if (given(options, "--rtsp-port") && options.server.rtsp.port) {
        form.rtsp_port = *options.server.rtsp.port;
    }
    return form;
}

}  // namespace framebridge::ui
