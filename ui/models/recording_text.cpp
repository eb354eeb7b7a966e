#include "models/recording_text.hpp"

#include "models/byte_size.hpp"

#include <QDir>
#include <QObject>

namespace framebridge::ui {

namespace {

QString elapsed_text(double seconds) {
    const auto whole = static_cast<qint64>(seconds);
    const QString minutes_seconds =
        QString("%1:%2").arg(whole / 60 % 60).arg(whole % 60, 2, 10, QChar('0'));
    return whole >= 3600 ? QString("%1:%2")
                               .arg(whole / 3600)
                               .arg(minutes_seconds.rightJustified(5, QChar('0')))
                         : minutes_seconds;
}

}  // namespace

QString recording_text(const app::RecordStats& stats) {
    return QObject::tr("● REC %1 · %2 · %3 fps · %4 dropped")
        .arg(elapsed_text(stats.seconds), byte_size_text(stats.bytes))
        .arg(stats.fps, 0, 'f', 1)
        .arg(stats.dropped);
}

QString recorded_text(const app::RecordStats& stats) {
    QString text = QObject::tr("Recorded %1 frames (%2 dropped, %3 results) to %4")
                       .arg(stats.frames)
                       .arg(stats.dropped)
                       .arg(stats.results)
                       .arg(QString::fromStdString(stats.path));
    if (!stats.error.empty()) {
        text += QObject::tr(": stopped because %1").arg(QString::fromStdString(stats.error));
    }
    return text;
}

QString default_recording_path(const QString& folder, const QDateTime& now) {
    return QDir(folder).filePath(now.toString("'framebridge-'yyyy-MM-dd-HHmmss'.mp4'"));
}

}  // namespace framebridge::ui
