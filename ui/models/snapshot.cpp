#include "models/snapshot.hpp"

#include "models/preview_image.hpp"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <stdexcept>

namespace framebridge::ui {

Snapshot snapshot_of(const app::LocalFrame& frame, const QString& source) {
    const FrameView view = view_of(frame);
    Snapshot snapshot;
    snapshot.image =
        sample_frame(view, QSize(static_cast<int>(view.width), static_cast<int>(view.height)));
    snapshot.seq = frame.seq();
    snapshot.capture_ns = frame.capture_ns();
    snapshot.publish_ns = frame.publish_ns();
    snapshot.source = source;
    return snapshot;
}

QString save_snapshot(const Snapshot& snapshot, const QString& dir, const QDateTime& when) {
    if (!QDir().mkpath(dir)) {
        throw std::runtime_error("cannot make the folder '" + dir.toStdString() +
                                 "' for snapshots; choose another");
    }
    const QString base = QDir(dir).filePath(
        QString("framebridge-%1-%2").arg(snapshot.seq).arg(when.toString("yyyyMMdd-HHmmss")));
    const QString png = base + ".png";
    if (snapshot.image.isNull() || !snapshot.image.save(png, "PNG")) {
        throw std::runtime_error("cannot write the snapshot '" + png.toStdString() + "'");
    }
    const QJsonObject meta{
        {"seq", static_cast<qint64>(snapshot.seq)},
        {"width", snapshot.image.width()},
        {"height", snapshot.image.height()},
        {"capture_ns", static_cast<qint64>(snapshot.capture_ns)},
        {"publish_ns", static_cast<qint64>(snapshot.publish_ns)},
        {"source", snapshot.source},
        {"saved_at", when.toString(Qt::ISODateWithMs)},
    };
    QFile json(base + ".json");
    if (!json.open(QIODevice::WriteOnly) || json.write(QJsonDocument(meta).toJson()) < 0) {
        throw std::runtime_error("cannot write '" + json.fileName().toStdString() + "'");
    }
    return png;
}

}  // namespace framebridge::ui
