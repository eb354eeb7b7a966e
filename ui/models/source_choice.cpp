#include "models/source_choice.hpp"

#include <QDir>
#include <stdexcept>

namespace framebridge::ui {

using Kind = app::SourceSpec::Kind;

namespace {

Kind kind_of(const QString& spec) {
    return app::parse_source_spec(spec.toStdString()).kind;
}

QString file_spec(const QString& path) {
    if (path.isEmpty()) {
        throw std::invalid_argument("choose a video file first");
    }
    // A file named like another kind of spec ("2", "gst:x") must still read as a file.
    if (kind_of(path) != Kind::File) {
        return QDir::isRelativePath(path) ? "./" + path : path;
    }
    return path;
}

QString url_spec(const QString& url) {
    if (url.isEmpty()) {
        throw std::invalid_argument("enter a stream URL first, e.g. rtsp://camera.local/stream");
    }
    if (kind_of(url) != Kind::Url) {
        throw std::invalid_argument("'" + url.toStdString() +
                                    "' is not a stream URL: it must start with rtsp://, "
                                    "rtsps://, http://, https://, rtmp:// or udp://");
    }
    return url;
}

}  // namespace

QString to_spec(const SourceChoice& choice) {
    switch (choice.kind) {
    case Kind::Synthetic:
        return "synthetic";
    case Kind::Camera:
        return "camera:" + QString::number(choice.camera);
    case Kind::File:
        return file_spec(choice.file.trimmed());
    case Kind::Url:
        return url_spec(choice.url.trimmed());
    case Kind::GStreamer:
        if (choice.pipeline.trimmed().isEmpty()) {
            throw std::invalid_argument("enter a GStreamer pipeline first, ending in appsink");
        }
        return "gst:" + choice.pipeline.trimmed();
    }
    return "synthetic";
}

SourceChoice choice_from_spec(const QString& spec) {
    SourceChoice choice;
    app::SourceSpec parsed;
    try {
        parsed = app::parse_source_spec(spec.toStdString());
    } catch (const std::invalid_argument&) {
        return choice;
    }
    choice.kind = parsed.kind;
    const QString target = QString::fromStdString(parsed.target);
    switch (parsed.kind) {
    case Kind::Synthetic:
        break;
    case Kind::Camera:
        choice.camera = parsed.camera_index;
        break;
    case Kind::File:
        choice.file = target;
        break;
    case Kind::Url:
        choice.url = target;
        break;
    case Kind::GStreamer:
        choice.pipeline = target;
        break;
    }
    return choice;
}

}  // namespace framebridge::ui
